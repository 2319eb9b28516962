#!/usr/bin/env bash
# The distribution test (`npm run test:dist`): the packages a user installs, tested
# the way a user meets them.
#
#  1. `npm run build:prod`: lib/ + the prebuilt (federated) labextension;
#  2. the npm package: `npm pack --dry-run` holds lib/ (plugins, engine, CLI, Worker),
#     style/, schema/, package.json, README.md, LICENSE, CHANGELOG.md and nothing
#     else; the real tarball, unpacked, is imported from Node through `exports` and
#     its CLI runs;
#  3. the wheel, built offline with Debian's hatchling; its version is package.json's;
#  4. a fresh venv (--system-site-packages), the wheel installed with pip: the files
#     land in <venv>/share/jupyter/labextensions/jupyterlab-diffraction and
#     jupyterlab_server lists the extension from there;
#  5. lab-host/: a JupyterLab built as a module-federation host WITHOUT this extension,
#     served by the venv's Python; Playwright (Debian's Chromium) checks that the
#     extension activates from the wheel's files and opens a TIFF in its viewer;
#  6. pip uninstall removes the labextension again.
#
# Env: DIST_PORT (default 8897), KEEP_DIST_TMP=1 keeps the temporary folder.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
PY=/usr/bin/python3
PORT="${DIST_PORT:-8897}"
NAME=jupyterlab-diffraction
PYNAME=jupyterlab_diffraction
DATA="$(cd "$ROOT/.." && pwd)/shared/data"
TIFF=graphite.tif
STARTED=$SECONDS

log() { printf '[test-dist %3ds] %s\n' "$((SECONDS - STARTED))" "$*"; }
fail() {
  printf '[test-dist] FAIL: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------- preconditions
"$PY" -c 'import hatchling, jupyterlab_server, jupyter_server, venv, pip' 2>/dev/null \
  || fail "$PY lacks hatchling/jupyterlab_server/venv/pip: run scripts/setup.sh"
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium missing: run scripts/setup.sh"
[[ -f "$DATA/$TIFF" ]] || fail "$DATA/$TIFF missing (the shared test data must sit next to the repository)"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  fail "port $PORT is in use; set DIST_PORT to a free port"
fi

WORK="$(mktemp -d /tmp/jld-dist.XXXXXX)"
PACK_DIR="$ROOT/node_modules/.cache/dist-pack"
cleanup() {
  rm -rf "$PACK_DIR"
  if [[ "${KEEP_DIST_TMP:-}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

VERSION="$(node -p 'require("./package.json").version')"
PYVERSION="$("$PY" -c 'import sys; from packaging.version import Version; print(Version(sys.argv[1]))' "$VERSION")"

# ---------------------------------------------------------------- 1. build:prod
log "npm run build:prod"
flock /tmp/build.lock npm run --silent build:prod
LABEXT="$ROOT/$PYNAME/labextension"
[[ -f "$LABEXT/package.json" ]] || fail "build:prod wrote no $LABEXT/package.json"

# ---------------------------------------------------------------- 2. npm package
log "npm pack --dry-run: contents"
node lab-host/check-npm-pack.js
log "npm pack: import the engine from the unpacked tarball"
rm -rf "$PACK_DIR" && mkdir -p "$PACK_DIR/node_modules/$NAME"
TARBALL="$(npm pack --silent --ignore-scripts --pack-destination "$WORK" | tail -n 1)"
tar -xzf "$WORK/$TARBALL" -C "$PACK_DIR/node_modules/$NAME" --strip-components=1
node lab-host/check-npm-pack.js "$PACK_DIR/node_modules/$NAME"

# ---------------------------------------------------------------- 3. wheel
log "wheel (pip wheel --no-build-isolation --no-deps --no-index)"
"$PY" -m pip wheel --quiet --no-build-isolation --no-deps --no-index -w "$WORK/wheel" "$ROOT"
WHEEL="$WORK/wheel/$PYNAME-$PYVERSION-py3-none-any.whl"
[[ -f "$WHEEL" ]] || fail "expected $WHEEL, got: $(ls "$WORK/wheel")"
"$PY" - "$WHEEL" "$NAME" "$PYVERSION" <<'EOF'
import sys, zipfile
wheel, name, version = sys.argv[1:]
files = zipfile.ZipFile(wheel).namelist()
prefix = f"jupyterlab_diffraction-{version}.data/data/share/jupyter/labextensions/{name}/"
required = [prefix + "package.json", prefix + "install.json", f"jupyterlab_diffraction-{version}.dist-info/licenses/LICENSE"]
missing = [f for f in required if f not in files]
entries = [f for f in files if f.startswith(prefix + "static/remoteEntry.")]
schemas = [f for f in files if f.startswith(prefix + "schemas/" + name + "/") and f.endswith(".json")]
stray = [f for f in files if "/labextension/" in f or f.startswith(("src/", "tests/", "lab/", "lab-host/", "node_modules/"))]
if missing or len(entries) != 1 or not schemas or stray:
    sys.exit(f"bad wheel: missing={missing} remoteEntries={entries} schemas={schemas} stray={stray[:5]}")
print(f"[test-dist] wheel: {len(files)} files, 1 remote entry, {len(schemas)} schema(s)")
EOF

# ---------------------------------------------------------------- 4. venv + pip install
VENV="$WORK/venv"
log "fresh venv (--system-site-packages) + pip install the wheel"
"$PY" -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install --quiet --no-index --no-deps "$WHEEL"
INSTALLED="$VENV/share/jupyter/labextensions/$NAME"
for f in package.json install.json; do
  [[ -f "$INSTALLED/$f" ]] || fail "$INSTALLED/$f not installed"
done
cmp -s "$LABEXT/package.json" "$INSTALLED/package.json" || fail "installed package.json differs from the build"
# Isolate from the user's Jupyter folders: only the venv and system prefixes count.
export JUPYTER_DATA_DIR="$WORK/jupyter-data" JUPYTER_CONFIG_DIR="$WORK/jupyter-config"
export JUPYTER_RUNTIME_DIR="$WORK/jupyter-runtime" JUPYTER_NO_CONFIG=1
"$VENV/bin/python" - "$NAME" "$INSTALLED" "$PYVERSION" <<'EOF'
import os, sys
from importlib.metadata import version
from jupyter_core.paths import jupyter_path
from jupyterlab_server.config import get_federated_extensions
name, installed, expected = sys.argv[1:]
found = get_federated_extensions(jupyter_path("labextensions")).get(name)
if found is None:
    sys.exit(f"jupyterlab_server does not list {name} from {jupyter_path('labextensions')}")
if os.path.realpath(found["ext_path"]) != os.path.realpath(installed):
    sys.exit(f"{name} listed from {found['ext_path']}, expected {installed}")
if found.get("install", {}).get("packageName") != "jupyterlab_diffraction":
    sys.exit(f"install.json not picked up: {found.get('install')}")
import jupyterlab_diffraction
if version("jupyterlab_diffraction") != expected or jupyterlab_diffraction.__version__ != expected:
    sys.exit(f"version {version('jupyterlab_diffraction')} / {jupyterlab_diffraction.__version__} != {expected}")
print(f"[test-dist] jupyterlab_server lists {name} {found['version']} from {found['ext_path']} (python package {expected})")
EOF

# ---------------------------------------------------------------- 5. host lab + browser
log "module-federation host build (lab-host/)"
flock /tmp/build.lock node lab-host/build.js
mkdir -p "$WORK/root"
cp "$DATA/$TIFF" "$WORK/root/$TIFF"
log "Playwright: the extension from the wheel in the host lab (port $PORT)"
DIST_VENV="$VENV" DIST_ROOT_DIR="$WORK/root" DIST_PORT="$PORT" DIST_TIFF="$TIFF" \
  LAB_HOST_STATE="$WORK/state" \
  npx playwright test -c lab-host/playwright.config.ts

# ---------------------------------------------------------------- 6. uninstall
"$VENV/bin/python" -m pip uninstall --quiet --yes "$PYNAME"
[[ ! -e "$INSTALLED" ]] || fail "pip uninstall left $INSTALLED behind"

log "OK: npm package, wheel $PYNAME-$PYVERSION, federated extension from the wheel in a host JupyterLab"
