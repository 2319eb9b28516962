"""The centers of every frame of a series on a Dask cluster (beyond one machine).

The recipe: split a file's frames into ranges, run ``diffraction-center FILE --frames a:b
--ndjson`` for each range on the cluster's workers (each worker needs Node and the npm package
``jupyterlab-diffraction``, and must see the file at the same path: a shared file system),
gather the per-frame records and return them as one numpy table, ordered by frame.

Ranges are multiples of the CLI's ``--reseed`` interval (a full search every N frames,
tracking between), so every range cuts the series where a single ``diffraction-center FILE
--frames all`` run would: the cluster gives the same centers as one process.

Standard library, numpy and (imported on use) ``distributed``. See ``docs/series.md`` for a
``LocalCluster`` and an HPC (dask-jobqueue / Slurm) example.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = [
    "SERIES_DTYPE",
    "DEFAULT_COMMAND",
    "RESEED",
    "centers_on_cluster",
    "frame_count",
    "frame_ranges",
    "run_range",
    "records_table",
    "SeriesError",
]

#: How workers start the CLI (an installed ``npm install -g jupyterlab-diffraction``).
DEFAULT_COMMAND: tuple[str, ...] = ("diffraction-center",)
#: The CLI's default ``--reseed`` interval.
RESEED = 20

#: The table ``centers_on_cluster`` returns: one row per frame, ordered by frame. ``row`` and
#: ``col`` are NaN and ``error`` says why for a frame that failed.
SERIES_DTYPE = np.dtype(
    [
        ("frame", np.int64),
        ("row", np.float64),
        ("col", np.float64),
        ("score", np.float64),
        ("ms", np.float64),
        ("tracked", np.bool_),
        ("jump", np.bool_),
        ("error", "U200"),
    ]
)


class SeriesError(RuntimeError):
    """The CLI could not run on a range at all (not one record per frame)."""


def frame_ranges(count: int, chunk: int, start: int = 0) -> list[tuple[int, int]]:
    """``[(a, b), ...]``: frames ``start .. count - 1`` cut into end-exclusive ranges of ``chunk``."""
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, not {chunk}")
    return [(a, min(a + chunk, count)) for a in range(start, count, chunk)]


def frame_count(path: str, command: Sequence[str] = DEFAULT_COMMAND) -> int:
    """The number of frames of ``path`` (``diffraction-center FILE --info``)."""
    out = _run([*command, path, "--info"])
    info = json.loads(out.stdout.strip().splitlines()[-1])
    if "error" in info:
        raise SeriesError(f"{path}: {info['error']} ({info.get('code')})")
    return int(info["frames"])


def run_range(
    path: str,
    start: int,
    stop: int,
    command: Sequence[str] = DEFAULT_COMMAND,
    args: Sequence[str] = (),
    reseed: int = RESEED,
    jobs: int = 1,
) -> list[dict[str, Any]]:
    """The NDJSON records of frames ``start:stop`` of ``path``, run by the CLI in this process's
    machine (on a Dask worker when mapped there). One record per frame, errors included."""
    out = _run(
        [
            *command,
            path,
            "--frames",
            f"{start}:{stop}",
            "--ndjson",
            "--reseed",
            str(reseed),
            "--jobs",
            str(jobs),
            "--no-progress",
            *args,
        ],
        ok=(0, 1),  # 1: some frame failed; its record says why
    )
    records = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    whole = [r for r in records if r.get("frame") is None]
    if whole:  # the file itself (or its mask) could not be read
        raise SeriesError(f"{whole[0]['file']}: {whole[0]['error']} ({whole[0]['code']})")
    if len(records) != stop - start:
        raise SeriesError(
            f"{path} frames {start}:{stop}: expected {stop - start} records, "
            f"got {len(records)}: {out.stdout[-500:]}{out.stderr[-500:]}"
        )
    return records


def records_table(records: Iterable[dict[str, Any]]) -> np.ndarray:
    """CLI records as a ``SERIES_DTYPE`` table ordered by frame."""
    rows = []
    for r in records:
        failed = "error" in r
        rows.append(
            (
                int(r["frame"]),
                math.nan if failed else float(r["row"]),
                math.nan if failed else float(r["col"]),
                math.nan if failed else float(r["score"]),
                math.nan if failed else float(r["ms"]),
                (not failed) and r.get("method") == "tracked",
                bool(r.get("jump", False)),
                f"{r['error']} ({r.get('code')})"[:200] if failed else "",
            )
        )
    table = np.array(rows, dtype=SERIES_DTYPE)
    table.sort(order="frame", kind="stable")
    return table


def centers_on_cluster(
    client: Any,
    path: str | os.PathLike[str],
    *,
    chunk: int | None = None,
    frames: int | None = None,
    command: Sequence[str] = DEFAULT_COMMAND,
    args: Sequence[str] = (),
    reseed: int = RESEED,
    jobs: int = 1,
) -> np.ndarray:
    """The centers of every frame of ``path``, computed on the workers of a Dask ``client``.

    - ``chunk``: frames per task; a multiple of ``reseed`` (default: the smallest multiple that
      gives every worker thread about two tasks);
    - ``frames``: the frame count if known (otherwise ``diffraction-center --info`` is run here);
    - ``command``: how to start the CLI on a worker, e.g. ``("node", "/opt/jld/lib/cli/
      diffraction-center.js")`` (default ``diffraction-center`` on the worker's PATH);
    - ``args``: more CLI options for every range (``--mask``, ``--background`` ...);
    - ``jobs``: ``--jobs`` of each CLI run (worker threads per task; default 1: one task per
      Dask worker thread).

    Returns a ``SERIES_DTYPE`` table ordered by frame.
    """
    path = os.fspath(path)
    if reseed < 1:
        raise ValueError("reseed must be at least 1: ranges are cut at the full searches")
    count = frames if frames is not None else frame_count(path, command)
    if chunk is None:
        threads = max(1, sum(client.nthreads().values()))
        per_task = math.ceil(count / (2 * threads))
        chunk = max(1, math.ceil(per_task / reseed)) * reseed
    if chunk % reseed:
        raise ValueError(f"chunk ({chunk}) must be a multiple of reseed ({reseed})")
    ranges = frame_ranges(count, chunk)
    futures = client.map(
        run_range,
        [path] * len(ranges),
        [a for a, _ in ranges],
        [b for _, b in ranges],
        command=tuple(command),
        args=tuple(args),
        reseed=reseed,
        jobs=jobs,
        pure=False,
    )
    parts = client.gather(futures)
    return records_table(r for part in parts for r in part)


def _run(argv: list[str], ok: Iterable[int] = (0,)) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    if out.returncode not in tuple(ok):
        raise SeriesError(
            f"{' '.join(argv)} exited with status {out.returncode}: {out.stderr.strip()[-1000:]}"
        )
    return out
