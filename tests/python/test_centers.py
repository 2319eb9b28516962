"""read_centers: notebook metadata (today's entry and per-frame shapes) and sidecar CSVs."""

from __future__ import annotations

import json
import math
import os
import subprocess

import numpy as np
import pytest

from jupyterlab_diffraction import read_centers
from jupyterlab_diffraction.centers import CENTERS_DTYPE, CentersError, sidecar_path


def write_notebook(path, centers) -> str:
    notebook = {
        "cells": [],
        "metadata": {"kernelspec": {"name": "python3"}, "diffraction": {"centers": centers}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return str(path)


# The entry src/notebook/metadata.ts writes today (one center per image, path from the server root).
TODAY = {
    "row": 251.25,
    "col": 260.5,
    "frame": 3,
    "shape": [512, 512],
    "mask": "data/stack_mask.tif",
    "method": "autocenter",
    "score": 0.91,
    "options": {"normalizeBackground": "auto"},
    "created": "2026-12-01T10:00:00.000Z",
    "version": "0.1.0",
}


def test_todays_metadata_entry(tmp_path):
    nb = write_notebook(tmp_path / "a.ipynb", {"data/stack.tif": TODAY})
    table = read_centers(nb)
    assert table.dtype == CENTERS_DTYPE
    assert table.tolist() == [(3, 251.25, 260.5, 0.91)]
    # A manual center has no score.
    nb = write_notebook(tmp_path / "b.ipynb", {"x.tif": {**TODAY, "method": "manual", "score": None}})
    assert math.isnan(read_centers(nb)["score"][0])


@pytest.mark.parametrize(
    "entry",
    [
        # per-frame arrays
        {"frame": [0, 1, 2], "row": [10.0, 10.5, 11.0], "col": [20.0, 20.25, 20.5], "score": [0.9, 0.8, 0.7]},
        # per-frame arrays under "frames", frames named "frames"
        {"frames": {"frames": [0, 1, 2], "row": [10.0, 10.5, 11.0], "col": [20.0, 20.25, 20.5], "score": [0.9, 0.8, 0.7]}},
        # a list of entries (out of order)
        [
            {"frame": 2, "row": 11.0, "col": 20.5, "score": 0.7},
            {"frame": 0, "row": 10.0, "col": 20.0, "score": 0.9},
            {"frame": 1, "row": 10.5, "col": 20.25, "score": 0.8},
        ],
        # keyed by frame
        {"1": {"row": 10.5, "col": 20.25, "score": 0.8}, "0": {"row": 10.0, "col": 20.0, "score": 0.9}, "2": {"row": 11.0, "col": 20.5, "score": 0.7}},
        # a list under "frames" beside other fields, and a "centers" key beside a fit
        {"shape": [64, 64], "frames": [{"frame": k, "row": 10.0 + 0.5 * k, "col": 20.0 + 0.25 * k, "score": 0.9 - 0.1 * k} for k in range(3)]},
        {"centers": {"row": [10.0, 10.5, 11.0], "col": [20.0, 20.25, 20.5], "score": [0.9, 0.8, 0.7]}, "fit": {"kind": "linear"}},
    ],
)
def test_per_frame_shapes(tmp_path, entry):
    nb = write_notebook(tmp_path / "s.ipynb", {"stack.tif": entry})
    table = read_centers(nb, "stack.tif")
    assert table["frame"].tolist() == [0, 1, 2]
    assert table["row"].tolist() == [10.0, 10.5, 11.0]
    assert table["col"].tolist() == [20.0, 20.25, 20.5]
    np.testing.assert_allclose(table["score"], [0.9, 0.8, 0.7])


def test_choosing_the_image(tmp_path):
    (tmp_path / "work").mkdir()
    centers = {
        "data/run1/stack.tif": {**TODAY, "row": 1.0},  # relative to the server root
        "../data/run2/stack.tif": {**TODAY, "row": 2.0},  # relative to the notebook
        "other.tif": {**TODAY, "row": 3.0},
    }
    nb = write_notebook(tmp_path / "work" / "n.ipynb", centers)
    assert read_centers(nb, "data/run1/stack.tif")["row"][0] == 1.0
    assert read_centers(nb, "run1/stack.tif")["row"][0] == 1.0
    # An image named from the working directory resolves against the notebook's folder.
    assert read_centers(nb, os.path.join(str(tmp_path), "data", "run2", "stack.tif"))["row"][0] == 2.0
    assert read_centers(nb, "other.tif")["row"][0] == 3.0
    with pytest.raises(CentersError, match="3 images"):
        read_centers(nb)
    with pytest.raises(CentersError, match="no centers of missing.tif"):
        read_centers(nb, "missing.tif")
    with pytest.raises(CentersError, match="no centers of stack.tif"):  # two stack.tif: ambiguous
        read_centers(nb, "stack.tif")


def test_notebook_without_centers(tmp_path):
    path = tmp_path / "plain.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(CentersError, match="no diffraction.centers"):
        read_centers(str(path))
    nb = write_notebook(tmp_path / "bad.ipynb", {"x.tif": {"row": [1.0, 2.0], "col": [1.0]}})
    with pytest.raises(CentersError, match="different lengths"):
        read_centers(nb)
    nb = write_notebook(tmp_path / "dup.ipynb", {"x.tif": [{"frame": 1, "row": 1, "col": 1}, {"frame": 1, "row": 2, "col": 2}]})
    with pytest.raises(CentersError, match="frame 1 appears twice"):
        read_centers(nb)


def test_sidecar_csv_beside_the_image(tmp_path):
    image = tmp_path / "scan 1.tif"
    assert sidecar_path(str(image)) == str(tmp_path / "scan 1_centers.csv")
    (tmp_path / "scan 1_centers.csv").write_text(
        "# written by jupyterlab-diffraction\nframe,row,col,score\n1,5.5,6.25,0.5\n0,5.0,6.0,\n", encoding="utf-8"
    )
    table = read_centers(str(image))
    assert table[["frame", "row", "col"]].tolist() == [(0, 5.0, 6.0), (1, 5.5, 6.25)]
    assert math.isnan(table["score"][0]) and table["score"][1] == 0.5
    with pytest.raises(FileNotFoundError):
        read_centers(str(tmp_path / "other.tif"))
    (tmp_path / "bad_centers.csv").write_text("frame,x,y\n0,1,2\n")
    with pytest.raises(CentersError, match="row and col"):
        read_centers(str(tmp_path / "bad.tif"))


def test_the_cli_csv(tmp_path, cli_command, drifting_stack):
    """A CSV written by `diffraction-center --csv` (error lines included) reads as a table."""
    path, truth = drifting_stack
    out = subprocess.run(
        [*cli_command, path, "--frames", "0:6", "--csv", "--jobs", "1"], capture_output=True, text=True, check=True
    )
    lines = out.stdout.splitlines()
    # A frame that failed: the CLI writes an error line (empty row and col) in its place.
    lines.insert(4, f"{path},99,,,,,,,,,frame 99 failed,test")
    csv_path = tmp_path / "drift_centers.csv"
    csv_path.write_text("\n".join(lines) + "\n")
    table = read_centers(str(csv_path), image=path)
    assert table["frame"].tolist() == [0, 1, 2, 3, 4, 5, 99]
    err = np.hypot(table["row"][:6] - truth[:6, 0], table["col"][:6] - truth[:6, 1])
    assert np.all(err < 0.1), err
    assert math.isnan(table["row"][6]) and math.isnan(table["col"][6])
    with pytest.raises(CentersError, match="no centers for other.tif"):
        read_centers(str(csv_path), image="other.tif")


# What src/notebook/metadata.ts's writeSeries stores (Find Centers of All Frames): per-frame
# arrays under "series" (null for a failed frame), single-frame centers under "frames", a fit.
SERIES_ENTRY = {
    "serverPath": "data/stack.tif",
    "shape": [128, 128],
    # Entries under "frames" have no "frame" or "shape" of their own (the key is the frame).
    "frames": {"2": {**{k: v for k, v in TODAY.items() if k not in ("frame", "shape")}, "row": 50.0, "col": 60.0, "method": "manual", "score": None}},
    "series": {
        "frame": [0, 1, 2, 3],
        "row": [61.5, 61.75, 62.0, None],
        "col": [64.0, 64.5, 65.0, None],
        "score": [0.9, 0.85, 0.8, None],
        "sigma_row": [0.01, 0.01, 0.01, None],
        "sigma_col": [0.02, 0.02, 0.02, None],
        "method": ["full", "tracked", "tracked", "full"],
        "jump": [False, False, False, False],
        "outlier": [False, False, False, False],
        "errors": {"3": "the frame could not be read"},
        "mask": None,
        "options": {},
        "created": "2026-12-02T07:00:00.000Z",
        "version": "0.1.0",
    },
    "fit": {"kind": "linear", "row": [61.5, 0.25], "col": [64.0, 0.5], "sigma": [0.0, 0.0], "outliers": [], "count": 3, "description": "linear"},
}


def test_series_entry(tmp_path):
    nb = write_notebook(tmp_path / "series.ipynb", {"../data/stack.tif": SERIES_ENTRY})
    table = read_centers(nb, "../data/stack.tif")
    assert table["frame"].tolist() == [0, 1, 2, 3]
    # frame 2 was written on its own after the series (placed by hand): that center wins.
    assert table["row"][:3].tolist() == [61.5, 61.75, 50.0]
    assert table["col"][:3].tolist() == [64.0, 64.5, 60.0]
    assert math.isnan(table["score"][2])
    # frame 3 failed: NaN, as an error line of the CLI.
    assert math.isnan(table["row"][3]) and math.isnan(table["col"][3])


def test_sidecar_with_comments_after_the_header(tmp_path):
    """The extension's sidecar: the header first (numpy.genfromtxt takes names from line 1), then comments."""
    csv_text = (
        "frame,row,col,score,sigma_row,sigma_col,method,jump,outlier\n"
        "# centers of stack.tif (128 x 128), jupyterlab-diffraction 0.1.0\n"
        "# frame 1 failed: could not read, really\n"
        "0,61.5,64,0.9,0.01,0.02,full,0,0\n"
        "1,,,,,,full,0,0\n"
        "2,62,65,0.8,,,tracked,1,0\n"
    )
    (tmp_path / "stack_centers.csv").write_text(csv_text, encoding="utf-8")
    table = read_centers(str(tmp_path / "stack.tif"))
    assert table["frame"].tolist() == [0, 1, 2]
    assert table["row"][[0, 2]].tolist() == [61.5, 62.0]
    assert math.isnan(table["row"][1])
    loaded = np.genfromtxt(tmp_path / "stack_centers.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
    assert loaded["frame"].tolist() == [0, 1, 2]
    assert loaded["method"].tolist() == ["full", "full", "tracked"]
    assert loaded["jump"].tolist() == [0, 0, 1]
