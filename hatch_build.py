"""Hatch hooks of jupyterlab-diffraction (used by hatchling when building the sdist or wheel).

- ``PackageJsonMetadataHook`` single-sources the version (and description) from
  ``package.json``: the npm package and the Python wheel always carry the same version.
  npm pre-releases such as ``1.2.0-rc.1`` become their PEP 440 form ``1.2.0rc1``.
- ``LabextensionBuildHook`` makes sure the prebuilt labextension in
  ``jupyterlab_diffraction/labextension`` exists and belongs to this version before it
  is packed; it runs ``npm run build:prod`` when it is missing or stale and npm is
  available (a source checkout), and otherwise fails with a message saying what to do.

``hatch-nodejs-version`` and ``hatch-jupyter-builder`` would do the same, but they are
not packaged by Debian, and the wheel is built offline with Debian's hatchling.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface
from packaging.version import InvalidVersion, Version

PACKAGE_JSON = "package.json"
LABEXTENSION = os.path.join("jupyterlab_diffraction", "labextension")


def _read_json(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def pep440_version(npm_version: str) -> str:
    """Return the PEP 440 spelling of an npm (semver) version, e.g. 0.2.0-beta.1 -> 0.2.0b1."""
    try:
        return str(Version(npm_version))
    except InvalidVersion:
        raise ValueError(
            f"package.json version {npm_version!r} has no PEP 440 equivalent; use "
            "MAJOR.MINOR.PATCH with an optional -alpha.N, -beta.N or -rc.N suffix"
        ) from None


class PackageJsonMetadataHook(MetadataHookInterface):
    """Fill ``version`` and ``description`` (listed in ``project.dynamic``) from package.json."""

    def update(self, metadata: dict[str, Any]) -> None:
        package = _read_json(os.path.join(self.root, PACKAGE_JSON))
        metadata["version"] = pep440_version(package["version"])
        metadata["description"] = package["description"]


class LabextensionBuildHook(BuildHookInterface):
    """Check (and, in a source checkout, build) the prebuilt labextension before packing."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        expected = _read_json(os.path.join(self.root, PACKAGE_JSON))["version"]
        if self._built_version() != expected:
            self._run_npm_build()
        built = self._built_version()
        if built != expected:
            raise RuntimeError(
                f"{LABEXTENSION} holds version {built!r}, package.json says {expected!r}; "
                "run `npm run build:prod` before building the Python package"
            )
        load = _read_json(os.path.join(self.root, LABEXTENSION, PACKAGE_JSON))[
            "jupyterlab"
        ].get("_build", {}).get("load")
        if not load or not os.path.isfile(os.path.join(self.root, LABEXTENSION, load)):
            raise RuntimeError(
                f"{LABEXTENSION}/package.json records no existing remote entry "
                f"(jupyterlab._build.load = {load!r}); run `npm run build:prod`"
            )

    def _built_version(self) -> str | None:
        path = os.path.join(self.root, LABEXTENSION, PACKAGE_JSON)
        return _read_json(path).get("version") if os.path.isfile(path) else None

    def _run_npm_build(self) -> None:
        npm = shutil.which("npm")
        has_modules = os.path.isdir(os.path.join(self.root, "node_modules"))
        if npm is None or not has_modules:
            # Nothing to build with: the check in `initialize` reports what is missing.
            return
        self.app.display_info("jupyterlab-diffraction: running `npm run build:prod`")
        subprocess.run([npm, "run", "build:prod"], cwd=self.root, check=True)
