"""jupyterlab-diffraction: a JupyterLab 4 extension for electron and X-ray diffraction images.

The Python package carries no server code; it exists to install the prebuilt
labextension into ``<prefix>/share/jupyter/labextensions/jupyterlab-diffraction``,
where JupyterLab finds it at start-up.
"""

from ._version import __version__

__all__ = ["__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the prebuilt labextension lives, for ``jupyter labextension develop``."""
    return [{"src": "labextension", "dest": "jupyterlab-diffraction"}]
