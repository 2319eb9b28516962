"""Shared pieces of the Python package's tests (run by `npm test` through Debian's python3).

The CLI tests run the compiled CLI (``lib/cli/diffraction-center.js``, built by ``npm run
build:lib``) with the Node that runs npm.
"""

from __future__ import annotations

import os
import shutil
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
CLI = os.path.join(ROOT, "lib", "cli", "diffraction-center.js")


@pytest.fixture(scope="session")
def cli_command() -> tuple[str, ...]:
    """How to start the CLI: (node, lib/cli/diffraction-center.js)."""
    node = shutil.which("node")
    if node is None or not os.path.isfile(CLI):
        pytest.fail(f"needs node on PATH and {CLI} (npm run build:lib)")
    return (node, CLI)


def drifting_centers(frames: int, size: int) -> np.ndarray:
    """True (row, col) of each frame: a slow drift of about 0.15 px per frame with a wobble."""
    k = np.arange(frames)
    rows = size / 2 - 2.3 + 0.15 * k + 0.05 * np.sin(1.3 * k)
    cols = size / 2 + 1.7 - 0.1 * k + 0.04 * np.cos(2.1 * k)
    return np.stack([rows, cols], axis=1)


def ring_frame(center: tuple[float, float], size: int, seed: int) -> np.ndarray:
    """Powder rings about ``center`` with Poisson noise, as uint16 (an independent generator)."""
    rng = np.random.default_rng(seed)
    r, c = np.mgrid[0:size, 0:size].astype(np.float64)
    radius = np.hypot(r - center[0], c - center[1])
    signal = 20.0 + 300.0 * np.exp(-radius / (size / 3))
    for k, ring in enumerate(np.arange(12.0, size / 2, 11.0)):
        signal += (900.0 / (1 + 0.2 * k)) * np.exp(-0.5 * ((radius - ring) / 1.6) ** 2)
    return rng.poisson(signal).astype(np.uint16)


@pytest.fixture(scope="session")
def drifting_stack(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, np.ndarray]:
    """A 40-frame 128 x 128 drifting ring stack written by tifffile, and its true centers."""
    import tifffile  # Debian python3-tifffile (scripts/apt-packages.txt)
    centers = drifting_centers(40, 128)
    stack = np.stack([ring_frame(tuple(c), 128, 10 + k) for k, c in enumerate(centers)])
    path = str(tmp_path_factory.mktemp("series") / "drift.tif")
    tifffile.imwrite(path, stack)
    return path, centers
