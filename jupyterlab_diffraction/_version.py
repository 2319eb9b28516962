"""The package version, single-sourced from package.json at build time."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jupyterlab_diffraction")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0+unknown"
