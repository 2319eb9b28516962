"""Serve the JupyterLab 4 application built by dev/lab/build.js, with a real kernel.

Debian's jupyterlab_server 2.16 on jupyter_server 1.23 (no Python `jupyterlab`
package needed). Run with Debian's interpreter:

    /usr/bin/python3 dev/lab/diffraction_lab.py --root examples --port 8888
    /usr/bin/python3 dev/lab/diffraction_lab.py --root DIR --port 8899 \
        --build dev/lab/build/test --state ui-tests/.tmp/state-8899 --no-auth

Options (everything else is passed to jupyter_server, e.g. --ServerApp.base_url=/x/):
    --root DIR     the folder the file browser and the kernels start in (required)
    --port N       port on 127.0.0.1 (default 8888); never retries another port
    --build DIR    a build variant of dev/lab/build.js (default dev/lab/build/app)
    --state DIR    user settings, workspaces, runtime files (default dev/lab/.state/<port>)
    --token T      token auth (default: a random token, printed in the URL)
    --no-auth      no token, no XSRF check: for tests, only allowed on loopback

What this adds to jupyterlab_server 2.16 (see /work/shared/notes/real-jupyterlab.md):
  * settings are validated with Draft 7, not Draft 4 (Draft 4 ignores `const`, so every
    `oneOf`/`const` setting was answered 400 on save);
  * its NotFoundHandler wrote `notFoundUrl` into the page config shared by all pages, so
    after one unknown /lab/... URL every later page said "Path Not Found": the replacement
    works on a copy, and answers /lab/api/* with a plain 404;
  * shims for what the JupyterLab 4 frontend asks of jupyter_server 2 and 1.23 lacks:
    GET /api/me, POST /api/events, WS /api/events/subscribe (404s otherwise: console noise).
"""

import argparse
import getpass
import json
import os
import secrets
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Configuration files on disk (~/.jupyter, /etc/jupyter) must not change this app.
os.environ["JUPYTER_NO_CONFIG"] = "1"
# Kernels inherit this: silences debugpy's "frozen modules" warning at every kernel start.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

import jupyterlab_server.settings_utils  # noqa: E402
from jsonschema import Draft7Validator  # noqa: E402
from jupyter_server.base.handlers import APIHandler, JupyterHandler  # noqa: E402
from jupyter_server.base.zmqhandlers import WebSocketMixin  # noqa: E402
from jupyterlab_server import LabServerApp  # noqa: E402
from jupyterlab_server.handlers import LabHandler, NotFoundHandler, add_handlers  # noqa: E402
from tornado import web, websocket  # noqa: E402

# Bug 1: Draft 4 ignores `const`. The module looks `Validator` up at call time.
jupyterlab_server.settings_utils.Validator = Draft7Validator


class PageNotFoundHandler(LabHandler):
    """Unknown /lab/... URLs: the app with a "Path Not Found" dialog; /lab/api/...: 404."""

    def get_page_config(self):
        # LabHandler returns the page config shared by every page: copy before changing it.
        page_config = dict(super().get_page_config())
        page_config["notFoundUrl"] = self.request.path
        return page_config

    @web.authenticated
    def get(self, *args, **kwargs):
        api_prefix = self.extensionapp.app_url.rstrip("/") + "/api/"
        base = self.base_url.rstrip("/")
        if self.request.path.startswith(base + api_prefix):
            self.set_status(404)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"message": f"Not found: {self.request.path}"}))
            return
        return super().get()


class MeHandler(APIHandler):
    """GET /api/me: the identity jupyter_server 2 reports (one local user)."""

    @web.authenticated
    def get(self):
        username = getpass.getuser()
        self.finish(
            json.dumps(
                {
                    "identity": {
                        "username": username,
                        "name": username,
                        "display_name": username,
                        "initials": username[:1].upper() or None,
                        "avatar_url": None,
                        "color": None,
                    },
                    "permissions": {},
                }
            )
        )


class EventsHandler(APIHandler):
    """POST /api/events: accepted and dropped (no event bus in jupyter_server 1.23)."""

    @web.authenticated
    def post(self):
        self.set_status(204)
        self.finish()


class EventsSocketHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """WS /api/events/subscribe: an open socket on which no event ever arrives."""

    async def get(self, *args, **kwargs):
        if self.current_user is None:
            raise web.HTTPError(403)
        return await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


def make_app(build_dir, state_dir):
    """The LabServerApp subclass serving `build_dir`, keeping its state in `state_dir`."""

    class DiffractionLabApp(LabServerApp):
        # jupyter_server finds the extension by module name: both must agree.
        name = __name__
        app_name = "JupyterLab Diffraction"
        extension_url = "/lab"
        default_url = "/lab"
        app_url = "/lab"
        load_other_extensions = False
        app_version = _package_version()
        static_dir = os.path.join(build_dir, "static")
        schemas_dir = os.path.join(build_dir, "schemas")
        themes_dir = os.path.join(build_dir, "themes")
        templates_dir = os.path.join(HERE, "templates")
        app_settings_dir = os.path.join(state_dir, "app_settings")
        user_settings_dir = os.path.join(state_dir, "user_settings")
        workspaces_dir = os.path.join(state_dir, "workspaces")

        def initialize_handlers(self):
            add_handlers(self.handlers, self)
            # Bug 2: swap jupyterlab_server's NotFoundHandler for the fixed one.
            self.handlers[:] = [
                (h[0], PageNotFoundHandler, *h[2:]) if h[1] is NotFoundHandler else h
                for h in self.handlers
            ]
            self.handlers.extend(
                [
                    (r"/api/me", MeHandler),
                    (r"/api/events", EventsHandler),
                    (r"/api/events/subscribe", EventsSocketHandler),
                ]
            )

    return DiffractionLabApp


APP = None


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": APP}]


def _package_version():
    with open(os.path.join(ROOT, "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


def main(argv=None):
    global APP
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--build", default=os.path.join(HERE, "build", "app"))
    parser.add_argument("--state")
    parser.add_argument("--token")
    parser.add_argument("--no-auth", action="store_true")
    parser.add_argument("--ip", default="127.0.0.1")
    args, server_args = parser.parse_known_args(argv)

    root = os.path.abspath(args.root)
    build = os.path.abspath(args.build)
    state = os.path.abspath(args.state or os.path.join(HERE, ".state", str(args.port)))
    if not os.path.isdir(root):
        parser.error(f"--root {root}: no such directory")
    missing = [d for d in ("static/bundle.js", "schemas", "themes") if not os.path.exists(os.path.join(build, d))]
    if missing:
        parser.error(f"--build {build} lacks {', '.join(missing)}: run `npm run build:lab` first")
    if args.no_auth and args.ip not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--no-auth is only allowed on a loopback address")
    os.makedirs(state, exist_ok=True)
    # Kernel connection files and the server info file stay with the state.
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(state, "runtime")

    token = "" if args.no_auth else (args.token or secrets.token_hex(24))
    server_argv = [
        f"--ServerApp.ip={args.ip}",
        f"--ServerApp.port={args.port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.token={token}",
        "--ServerApp.password=",
        # Ctrl-C stops the server (and its kernels) without the "Shutdown (y/[n])?" prompt.
        "--ServerApp.answer_yes=True",
    ]
    if args.no_auth:
        server_argv.append("--ServerApp.disable_check_xsrf=True")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        server_argv.append("--ServerApp.allow_root=True")

    APP = make_app(build, state)
    APP.launch_instance(argv=server_argv + server_args)


if __name__ == "__main__":
    # Re-import under the module's own name so that the extension name, the module
    # name and the static URL (/static/diffraction_lab/) are the same everywhere.
    sys.path.insert(0, HERE)
    import diffraction_lab

    diffraction_lab.main()
