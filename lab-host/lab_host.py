"""Serve the module-federation host build (lab-host/build) with Debian's jupyterlab_server.

Run it with the Python of the environment whose extensions should be loaded; prebuilt
extensions are found in that environment's Jupyter data path
(``<sys.prefix>/share/jupyter/labextensions`` among ``jupyter --paths``), exactly as
JupyterLab finds the extensions users install with pip:

    <venv>/bin/python lab-host/lab_host.py --ServerApp.port=8897 --ServerApp.root_dir=DIR

Extra command-line arguments are traitlets options of the server. ``LAB_HOST_STATE``
names the folder for user settings and workspaces (default: ``lab-host/.state``).

jupyterlab_server 2.16 on jupyter_server 1.23 needs a few repairs to serve a
JupyterLab 4.6 frontend; see ``_patch_jupyterlab_server`` and the shim handlers.
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
STATE = os.environ.get("LAB_HOST_STATE", os.path.join(HERE, ".state"))

from jupyter_server.base.handlers import APIHandler, JupyterHandler  # noqa: E402
from jupyter_server.utils import url_path_join  # noqa: E402
from jupyterlab_server import LabServerApp  # noqa: E402
from tornado import web, websocket  # noqa: E402
from traitlets import default  # noqa: E402


def _patch_jupyterlab_server() -> None:
    """Repair two bugs of jupyterlab_server 2.16 that break a JupyterLab 4 frontend."""
    from jsonschema import Draft7Validator
    from jupyterlab_server import handlers, settings_utils

    # Settings are validated with Draft 4, which ignores `const`: saving any
    # `oneOf`/`const` setting of JupyterLab 4 answers 400.
    settings_utils.Validator = Draft7Validator

    # Its NotFoundHandler writes `notFoundUrl` into the page config SHARED by all
    # pages, so after one 404 under /lab/ every page shows "Path Not Found".
    class NotFoundHandler(handlers.LabHandler):
        def get_page_config(self):
            page_config = dict(super().get_page_config())
            page_config["notFoundUrl"] = self.request.path
            return page_config

        @web.authenticated
        def get(self, *args, **kwargs):
            if "/api/" in self.request.path:
                raise web.HTTPError(404)
            self.set_status(404)
            return super().get(*args, **kwargs)

    handlers.NotFoundHandler = NotFoundHandler


class MeHandler(APIHandler):
    """``GET /api/me`` (jupyter_server 2 identity API) for a server without users."""

    @web.authenticated
    def get(self):
        self.finish(
            json.dumps(
                {
                    "identity": {
                        "username": "lab-host",
                        "name": "lab-host",
                        "display_name": "lab-host",
                        "initials": "LH",
                        "avatar_url": None,
                        "color": None,
                    },
                    "permissions": {},
                }
            )
        )


class EventsHandler(APIHandler):
    """``POST /api/events``: accept and drop events (jupyter_server 1 has no event bus)."""

    @web.authenticated
    def post(self):
        self.set_status(204)
        self.finish()


class EventsSubscribeHandler(websocket.WebSocketHandler, JupyterHandler):
    """``WS /api/events/subscribe``: an event stream that never emits."""

    def on_message(self, message):
        pass


class LabHost(LabServerApp):
    """JupyterLab 4 (module-federation host) served by jupyterlab_server."""

    name = "lab_host"
    app_name = "jupyterlab-diffraction lab host"
    app_version = "4.6.4"
    load_other_extensions = False
    default_url = "/lab"

    # Where the host build and the state live (traitlets defaults: options still win).
    @default("static_dir")
    def _default_static_dir(self):
        return os.path.join(BUILD, "static")

    @default("schemas_dir")
    def _default_schemas_dir(self):
        return os.path.join(BUILD, "schemas")

    @default("themes_dir")
    def _default_themes_dir(self):
        return os.path.join(BUILD, "themes")

    @default("templates_dir")
    def _default_templates_dir(self):
        return os.path.join(HERE, "templates")

    @default("user_settings_dir")
    def _default_user_settings_dir(self):
        return os.path.join(STATE, "settings")

    @default("workspaces_dir")
    def _default_workspaces_dir(self):
        return os.path.join(STATE, "workspaces")

    @default("app_settings_dir")
    def _default_app_settings_dir(self):
        return os.path.join(STATE, "app-settings")

    @default("static_paths")
    def _default_static_paths(self):
        return [self.static_dir]

    @default("template_paths")
    def _default_template_paths(self):
        return [self.templates_dir]

    def initialize_handlers(self):
        super().initialize_handlers()
        base = self.serverapp.base_url
        self.handlers.extend(
            [
                (url_path_join(base, "api/me"), MeHandler),
                (url_path_join(base, "api/events"), EventsHandler),
                (url_path_join(base, "api/events/subscribe"), EventsSubscribeHandler),
            ]
        )


def _jupyter_server_extension_points():
    return [{"module": "lab_host", "app": LabHost}]


def main(argv: list[str] | None = None) -> None:
    if not os.path.isfile(os.path.join(BUILD, "static", "bundle.js")):
        sys.exit("lab-host/build is missing: run `node lab-host/build.js` first")
    os.environ.setdefault("JUPYTER_NO_CONFIG", "1")
    _patch_jupyterlab_server()
    args = list(sys.argv[1:] if argv is None else argv)
    defaults = ["--ServerApp.ip=127.0.0.1", "--ServerApp.open_browser=False"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        defaults.append("--ServerApp.allow_root=True")
    LabHost.launch_instance(defaults + args)


if __name__ == "__main__":
    # `name` must be the importable module name: import ourselves as `lab_host`.
    sys.path.insert(0, HERE)
    import lab_host

    lab_host.main()
