"""jupyterlab-diffraction: a JupyterLab 4 extension for electron and X-ray diffraction images.

The Python package installs the prebuilt labextension into
``<prefix>/share/jupyter/labextensions/jupyterlab-diffraction``, where JupyterLab finds it at
start-up, and carries two small helpers for notebooks and scripts:

- ``read_centers(path)``: the centers saved for an image (notebook metadata or the sidecar
  ``NAME_centers.csv``), as a numpy table (``jupyterlab_diffraction.centers``; numpy only);
- ``centers_on_cluster(client, path)``: the centers of every frame of a file computed by the
  ``diffraction-center`` CLI on the workers of a Dask cluster (``jupyterlab_diffraction.cluster``;
  needs ``distributed``).

Both are imported on first use, so importing the package needs neither numpy nor Dask.
"""

from typing import Any

from ._version import __version__

__all__ = ["__version__", "read_centers", "centers_on_cluster"]

_LAZY = {"read_centers": ".centers", "centers_on_cluster": ".cluster"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the prebuilt labextension lives, for ``jupyter labextension develop``."""
    return [{"src": "labextension", "dest": "jupyterlab-diffraction"}]
