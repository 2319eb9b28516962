"""Read the centers of an image (every frame of a series) saved by jupyterlab-diffraction.

Standard library and numpy only. ``read_centers`` returns a numpy structured array (a small
pandas-free table) with one row per frame, ordered by frame::

    dtype [("frame", int64), ("row", float64), ("col", float64), ("score", float64)]

``row`` and ``col`` follow numpy (``image[row, col]``; pixel centers at integers); ``score``
is NaN where none was stored (a manual center), and ``row``/``col`` are NaN for a frame whose
center could not be found (an error line of the CLI).
"""

from __future__ import annotations

import csv
import json
import math
import os
from typing import Any, Iterable, Mapping

import numpy as np

__all__ = ["CENTERS_DTYPE", "read_centers", "CentersError"]

#: The dtype of the table ``read_centers`` returns.
CENTERS_DTYPE = np.dtype(
    [("frame", np.int64), ("row", np.float64), ("col", np.float64), ("score", np.float64)]
)

#: The notebook metadata key owned by the extension (``metadata["diffraction"]["centers"]``).
METADATA_KEY = "diffraction"


class CentersError(ValueError):
    """The file holds no usable centers for the image (says what was found instead)."""


def read_centers(path: str | os.PathLike[str], image: str | None = None) -> np.ndarray:
    """Return the centers of an image, one row per frame (see the module docstring).

    ``path`` may be:

    - an image file (``data/stack.tif``): its sidecar ``data/stack_centers.csv`` is read;
    - a CSV file: read as it is (a sidecar, or the output of ``diffraction-center --csv``);
    - a notebook (``.ipynb``): its metadata is read; ``image`` names the image (as stored, or
      a path relative to the notebook's folder or to the working directory, or its file
      name when that is unique); it may be left out when the notebook holds one image.

    For a CSV, ``image`` keeps only the rows whose ``file`` column names that image.

    The CSV has a header line; ``row`` and ``col`` columns are required, ``frame`` (default
    0, 1, 2, ... in line order), ``score`` and ``file`` are optional, other columns are
    ignored, and lines starting with ``#`` are comments. Empty ``row``/``col`` cells (a frame
    that failed) read as NaN.

    Notebook metadata: ``metadata["diffraction"]["centers"][<image path>]`` holds one entry
    per image, in any of these shapes:

    1. one center (what the extension writes today)::

           {"row": 251.3, "col": 260.7, "frame": 0, "score": 0.97, "shape": [512, 512], ...}

    2. per-frame arrays (``frame`` optional: 0 .. n-1)::

           {"frame": [0, 1, 2], "row": [...], "col": [...], "score": [...]}

    3. a list of per-frame entries, each like shape 1::

           [{"frame": 0, "row": ..., "col": ...}, {"frame": 1, ...}]

    4. a mapping from frame index to an entry like shape 1::

           {"0": {"row": ..., "col": ...}, "5": {...}}

    5. any of 2-4 under a ``frames`` key of an entry (``{"frames": [...], "shape": ...}``),
       or one of them under ``centers`` (``{"centers": {...}, "fit": {...}}``).

    6. what the extension writes for a series (Find Centers of All Frames): per-frame arrays
       under ``series`` (shape 2, ``null`` where a frame failed), beside ``frames`` (shape 4,
       centers written one frame at a time, which take precedence for their frames) and
       ``fit``::

           {"serverPath": ..., "shape": [...], "frames": {"5": {...}},
            "series": {"frame": [0, 1, ...], "row": [...], "col": [...], "score": [...], ...},
            "fit": {"kind": "linear", "row": [a, b], "col": [c, d], ...}}

    Raises ``FileNotFoundError`` when the file (or the sidecar) does not exist and
    ``CentersError`` when it holds no centers for the image.
    """
    path = os.fspath(path)
    lower = path.lower()
    if lower.endswith(".ipynb"):
        return _from_notebook(path, image)
    if lower.endswith(".csv"):
        return _from_csv(path, image)
    return _from_csv(sidecar_path(path), None)


def sidecar_path(image_path: str | os.PathLike[str]) -> str:
    """The sidecar CSV of an image: ``NAME_centers.csv`` beside ``NAME.tif``."""
    folder, name = os.path.split(os.fspath(image_path))
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return os.path.join(folder, f"{stem}_centers.csv")


# ------------------------------------------------------------------ CSV


def _from_csv(path: str, image: str | None) -> np.ndarray:
    with open(path, newline="", encoding="utf-8") as f:
        lines = (line for line in f if not line.lstrip().startswith("#"))
        reader = csv.DictReader(lines)
        columns = [c.strip() for c in reader.fieldnames or []]
        if "row" not in columns or "col" not in columns:
            raise CentersError(f"{path}: expected row and col columns, found {columns}")
        records = []
        for k, raw in enumerate(reader):
            entry = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
            if image is not None and "file" in entry and not _same_image(entry["file"], image):
                continue
            records.append(
                {
                    "frame": entry.get("frame") or k,
                    "row": entry.get("row"),
                    "col": entry.get("col"),
                    "score": entry.get("score"),
                }
            )
    if not records:
        what = f" for {image}" if image is not None else ""
        raise CentersError(f"{path}: no centers{what}")
    return _table(records, path)


def _same_image(stored: str, wanted: str) -> bool:
    a, b = os.path.normpath(stored), os.path.normpath(wanted)
    return a == b or os.path.basename(a) == b or a.endswith(os.sep + b)


# ------------------------------------------------------------------ notebook


def _from_notebook(path: str, image: str | None) -> np.ndarray:
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    section = (notebook.get("metadata") or {}).get(METADATA_KEY)
    if not isinstance(section, Mapping) or not isinstance(section.get("centers"), Mapping):
        raise CentersError(f"{path}: no {METADATA_KEY}.centers in the notebook's metadata")
    centers: Mapping[str, Any] = section["centers"]
    key = _find_key(centers, image, os.path.dirname(os.path.abspath(path)), path)
    try:
        return _table(_entry_records(centers[key]), f"{path} [{key}]")
    except CentersError:
        raise
    except (TypeError, ValueError, KeyError) as error:
        raise CentersError(f"{path}: the entry of {key!r} is not a center: {error}") from None


def _find_key(centers: Mapping[str, Any], image: str | None, folder: str, path: str) -> str:
    keys = list(centers)
    if image is None:
        if len(keys) == 1:
            return keys[0]
        raise CentersError(f"{path} holds centers of {len(keys)} images; name one: {keys}")
    if image in centers:
        return image
    wanted = {
        os.path.normpath(image),
        os.path.normpath(os.path.relpath(os.path.abspath(image), folder)),
    }
    for key in keys:
        if os.path.normpath(key) in wanted:
            return key
    # A key relative to the server root, an image named from the notebook's folder (or the
    # other way round): match on the trailing path, then on the file name if that is unique.
    norm = os.path.normpath(image)
    tail = [k for k in keys if os.path.normpath(k).endswith(os.sep + norm) or norm.endswith(os.sep + os.path.normpath(k))]
    if len(tail) == 1:
        return tail[0]
    named = [k for k in keys if os.path.basename(k) == os.path.basename(image)]
    if len(named) == 1:
        return named[0]
    raise CentersError(f"{path} holds no centers of {image}; it has {keys}")


def _entry_records(entry: Any) -> list[dict[str, Any]]:
    """The per-frame records of one image's entry (shapes 1-5 of ``read_centers``)."""
    if isinstance(entry, list):  # shape 3
        return [_one(e, k) for k, e in enumerate(entry)]
    if not isinstance(entry, Mapping):
        raise CentersError(f"expected an object or a list, found {type(entry).__name__}")
    series = entry.get("series")
    if isinstance(series, Mapping) and isinstance(series.get("row"), list):  # shape 6
        records = {int(r["frame"]): r for r in _arrays(series)}
        frames = entry.get("frames")
        if isinstance(frames, (list, Mapping)) and frames:
            for r in _entry_records(frames):
                records[int(r["frame"])] = r
        return list(records.values())
    row = entry.get("row")
    if _is_number(row):  # shape 1
        return [_one(entry, 0)]
    if isinstance(row, list):  # shape 2
        return _arrays(entry)
    for nested in ("frames", "centers"):  # shape 5
        if isinstance(entry.get(nested), (list, Mapping)):
            return _entry_records(entry[nested])
    if entry and all(str(k).isdigit() for k in entry):  # shape 4
        return [_one(e, int(k)) for k, e in entry.items()]
    raise CentersError(f"no row/col in the entry (keys {sorted(entry)})")


def _arrays(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Shape 2: per-frame arrays ``row``, ``col`` and optional ``frame`` (or ``frames``), ``score``."""
    row, col = entry["row"], entry.get("col")
    n = len(row)
    frames = next(
        (entry[k] for k in ("frame", "frames") if isinstance(entry.get(k), list)), list(range(n))
    )
    score = entry.get("score")
    scores = score if isinstance(score, list) else [None] * n
    if not isinstance(col, list) or not len(col) == len(frames) == len(scores) == n:
        raise CentersError("per-frame arrays of different lengths")
    return [{"frame": frames[k], "row": row[k], "col": col[k], "score": scores[k]} for k in range(n)]


def _one(entry: Any, default_frame: int) -> dict[str, Any]:
    if not isinstance(entry, Mapping) or "row" not in entry or "col" not in entry:
        raise CentersError(f"a frame entry without row and col: {entry!r}")
    return {
        "frame": entry.get("frame", default_frame),
        "row": entry["row"],
        "col": entry["col"],
        "score": entry.get("score"),
    }


# ------------------------------------------------------------------ table


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _float(value: Any) -> float:
    if value is None or value == "":
        return math.nan
    return float(value)


def _table(records: Iterable[Mapping[str, Any]], source: str) -> np.ndarray:
    rows = []
    for r in records:
        try:
            frame = int(r["frame"])
        except (TypeError, ValueError):
            raise CentersError(f"{source}: frame {r['frame']!r} is not an integer") from None
        if frame < 0:
            raise CentersError(f"{source}: negative frame {frame}")
        rows.append((frame, _float(r["row"]), _float(r["col"]), _float(r.get("score"))))
    table = np.array(rows, dtype=CENTERS_DTYPE)
    table.sort(order="frame", kind="stable")
    frames = table["frame"]
    if len(frames) > 1 and np.any(frames[1:] == frames[:-1]):
        dup = int(frames[1:][frames[1:] == frames[:-1]][0])
        raise CentersError(f"{source}: frame {dup} appears twice")
    return table
