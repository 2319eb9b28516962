"""centers_on_cluster on a Dask LocalCluster with 2 workers: the same centers as one process."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from jupyterlab_diffraction.cluster import (
    centers_on_cluster,
    frame_count,
    frame_ranges,
    records_table,
    run_range,
    SeriesError,
)


def test_frame_ranges():
    assert frame_ranges(45, 20) == [(0, 20), (20, 40), (40, 45)]
    assert frame_ranges(40, 20) == [(0, 20), (20, 40)]
    assert frame_ranges(3, 20) == [(0, 3)]
    with pytest.raises(ValueError):
        frame_ranges(10, 0)


def test_a_local_cluster_gives_the_single_process_centers(cli_command, drifting_stack):
    from distributed import Client, LocalCluster  # Debian python3-distributed (scripts/apt-packages.txt)

    path, truth = drifting_stack
    assert frame_count(path, cli_command) == 40
    single = subprocess.run(
        [*cli_command, path, "--frames", "all", "--ndjson", "--reseed", "5", "--jobs", "1", "--no-progress"],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = records_table(json.loads(line) for line in single.stdout.splitlines())

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            table = centers_on_cluster(client, path, chunk=10, reseed=5, command=cli_command)
            # Every range ran on a worker process, not here.
            workers = client.run(lambda: __import__("os").getpid())
            assert len(workers) == 2

    assert table["frame"].tolist() == list(range(40))
    assert (table["error"] == "").all(), table["error"]
    # Identical centers, scores and methods (timings differ).
    for field in ("row", "col", "score", "tracked", "jump"):
        assert np.array_equal(table[field], expected[field]), field
    assert table["tracked"].sum() == 40 - 8  # a full search every 5 frames
    err = np.hypot(table["row"] - truth[:, 0], table["col"] - truth[:, 1])
    assert np.median(err) < 0.05 and err.max() < 0.1, err


def test_chunks_must_cut_at_full_searches(cli_command, drifting_stack):
    path, _ = drifting_stack

    class NoClient:
        def nthreads(self):
            return {"w": 1}

    with pytest.raises(ValueError, match="multiple of reseed"):
        centers_on_cluster(NoClient(), path, chunk=7, reseed=5, frames=40, command=cli_command)


def test_run_range_reports_failed_frames(cli_command, tmp_path):
    bad = tmp_path / "bad.tif"
    bad.write_text("not a tiff")
    # The whole file fails: nothing to return per frame.
    with pytest.raises(SeriesError, match=r"bad.tif: .*\(not-tiff\)"):
        run_range(str(bad), 0, 2, command=cli_command)
