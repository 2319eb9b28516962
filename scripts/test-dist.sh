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
#     the sdist carries the built labextension and builds the same wheel without Node;
#  4. a fresh venv (--system-site-packages), the wheel installed with pip: the files
#     land in <venv>/share/jupyter/labextensions/jupyterlab-diffraction and
#     jupyterlab_server lists the extension from there;
#  5. dev/host/: a JupyterLab built as a module-federation host WITHOUT this extension,
#     served by the venv's Python; Playwright (Debian's Chromium) checks that the
#     extension activates from the wheel's files and opens a TIFF in its viewer;
#  6. pip uninstall removes the labextension again.
#
# Each check that passes counts one, each Playwright test one; the last line is
# "test-dist: N passed, N failed" (read by scripts/test.sh).
#
# Steps that read lib/ or the labextension hold /tmp/build.lock, like the builds, so that a
# parallel build cannot change them half-way.
#
# Env: DIST_PORT (default 8877), KEEP_DIST_TMP=1 keeps the temporary folder.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
PY=/usr/bin/python3
PORT="${DIST_PORT:-8877}"
NAME=jupyterlab-diffraction
PYNAME=jupyterlab_diffraction
DATA="$(cd "$ROOT/.." && pwd)/shared/data"
TIFF=graphite.tif
STARTED=$SECONDS

PASSED=0
STEP="preconditions"

log() { printf '[test-dist %3ds] %s\n' "$((SECONDS - STARTED))" "$*"; }
step() {
  STEP="$*"
  log "$STEP"
}
ok() {
  PASSED=$((PASSED + 1))
  log "ok: $STEP"
}
summary() { echo "test-dist: $PASSED passed, $1 failed ($((SECONDS - STARTED)) s)"; }
fail() {
  printf '[test-dist] FAIL (%s): %s\n' "$STEP" "$*" >&2
  trap - ERR
  summary 1
  exit 1
}
on_error() {
  local status=$?
  printf '[test-dist] FAIL (%s): a command exited with status %s\n' "$STEP" "$status" >&2
  summary 1
}
trap on_error ERR

# ---------------------------------------------------------------- preconditions
"$PY" -c 'import hatchling, jupyterlab_server, jupyter_server, venv, pip' 2>/dev/null \
  || fail "$PY lacks hatchling/jupyterlab_server/venv/pip: run scripts/setup.sh"
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium missing: run scripts/setup.sh"
[[ -f "$DATA/$TIFF" ]] || fail "$DATA/$TIFF missing (the shared test data must sit next to the repository)"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  fail "port $PORT is in use; set DIST_PORT to a free port"
fi

WORK="$(mktemp -d /tmp/jld-dist.XXXXXX)"
# Inside node_modules so that the unpacked package finds its dependencies, as installed.
PACK_DIR="$ROOT/node_modules/.cache/dist-pack-$$"
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
step "type-check the distribution test (dev/host/tsconfig.json)"
npx tsc -p dev/host/tsconfig.json
ok
step "npm run build:prod (lib/ + federated labextension)"
flock /tmp/build.lock npm run --silent build:prod
LABEXT="$ROOT/$PYNAME/labextension"
[[ -f "$LABEXT/package.json" ]] || fail "build:prod wrote no $LABEXT/package.json"
ok

# ---------------------------------------------------------------- 2. npm package
step "npm pack --dry-run: only lib/, style/, schema/ and the top-level files"
flock /tmp/build.lock node scripts/check-npm-pack.js
ok
step "npm pack: the tarball's engine imports from Node, its CLI finds the center of $TIFF"
rm -rf "$PACK_DIR" && mkdir -p "$PACK_DIR/node_modules/$NAME"
TARBALL="$(flock /tmp/build.lock npm pack --silent --ignore-scripts --pack-destination "$WORK" | tail -n 1)"
tar -xzf "$WORK/$TARBALL" -C "$PACK_DIR/node_modules/$NAME" --strip-components=1
node scripts/check-npm-pack.js "$PACK_DIR/node_modules/$NAME" "$DATA/$TIFF"
ok

# ---------------------------------------------------------------- 3. Python packages
step "version single-sourced from package.json ($VERSION -> $PYVERSION)"
"$PY" - "$ROOT" "$VERSION" "$PYVERSION" <<'PYTHON'
import sys
sys.path.insert(0, sys.argv[1])
from hatch_build import pep440_version
npm, expected = sys.argv[2:]
cases = {npm: expected, "1.2.0": "1.2.0", "1.2.0-alpha.1": "1.2.0a1", "1.2.0-beta.2": "1.2.0b2", "1.2.0-rc.3": "1.2.0rc3"}
wrong = {k: pep440_version(k) for k, v in cases.items() if pep440_version(k) != v}
try:
    pep440_version("1.2.0-next.1")
    wrong["1.2.0-next.1"] = "accepted"
except ValueError:
    pass
if wrong:
    sys.exit(f"npm -> PEP 440 conversion wrong: {wrong}")
PYTHON
ok

step "wheel (pip wheel --no-build-isolation --no-deps --no-index)"
flock /tmp/build.lock "$PY" -m pip wheel --quiet --no-build-isolation --no-deps --no-index -w "$WORK/wheel" "$ROOT"
WHEEL="$WORK/wheel/$PYNAME-$PYVERSION-py3-none-any.whl"
[[ -f "$WHEEL" ]] || fail "expected $WHEEL, got: $(ls "$WORK/wheel")"
"$PY" - "$WHEEL" "$NAME" "$PYVERSION" <<'PYTHON'
import sys, zipfile
wheel, name, version = sys.argv[1:]
files = zipfile.ZipFile(wheel).namelist()
prefix = f"jupyterlab_diffraction-{version}.data/data/share/jupyter/labextensions/{name}/"
required = [prefix + "package.json", prefix + "install.json", f"jupyterlab_diffraction-{version}.dist-info/licenses/LICENSE"]
missing = [f for f in required if f not in files]
entries = [f for f in files if f.startswith(prefix + "static/remoteEntry.")]
schemas = [f for f in files if f.startswith(prefix + "schemas/" + name + "/") and f.endswith(".json")]
stray = [f for f in files if "/labextension/" in f or f.startswith(("src/", "tests/", "dev/", "node_modules/", "hatch_build"))]
if missing or len(entries) != 1 or not schemas or stray:
    sys.exit(f"bad wheel: missing={missing} remoteEntries={entries} schemas={schemas} stray={stray[:5]}")
print(f"[test-dist] wheel: {len(files)} files, 1 remote entry, {len(schemas)} schema(s)")
PYTHON
ok

step "sdist carries the built labextension; the same wheel builds from it without Node"
(cd "$ROOT" && flock /tmp/build.lock "$PY" -c 'import sys, hatchling.build as b; b.build_sdist(sys.argv[1])' "$WORK/sdist")
SDIST="$WORK/sdist/$PYNAME-$PYVERSION.tar.gz"
[[ -f "$SDIST" ]] || fail "expected $SDIST, got: $(ls "$WORK/sdist")"
"$PY" - "$SDIST" <<'PYTHON'
import sys, tarfile
names = [n.split("/", 1)[1] for n in tarfile.open(sys.argv[1]).getnames() if "/" in n]
required = ["package.json", "pyproject.toml", "hatch_build.py", "install.json", "LICENSE", "README.md",
            "jupyterlab_diffraction/__init__.py", "jupyterlab_diffraction/labextension/package.json"]
missing = [f for f in required if f not in names]
stray = [n for n in names if n.split("/")[0] in ("node_modules", "lib", "dev", "ui-tests", "dist", ".ci")]
if missing or stray:
    sys.exit(f"bad sdist: missing={missing} stray={stray[:5]}")
print(f"[test-dist] sdist: {len(names)} files")
PYTHON
mkdir -p "$WORK/from-sdist"
tar -xzf "$SDIST" -C "$WORK/from-sdist"
# No node_modules in an unpacked sdist: the build hook cannot run npm and must not need to.
"$PY" -m pip wheel --quiet --no-build-isolation --no-deps --no-index -w "$WORK/wheel-from-sdist" \
  "$WORK/from-sdist/$PYNAME-$PYVERSION"
"$PY" - "$WHEEL" "$WORK/wheel-from-sdist/$(basename "$WHEEL")" <<'PYTHON'
import sys, zipfile
a, b = (sorted(n for n in zipfile.ZipFile(w).namelist() if not n.endswith("RECORD")) for w in sys.argv[1:])
if a != b:
    sys.exit(f"the wheel built from the sdist differs: {sorted(set(a) ^ set(b))[:5]}")
PYTHON
ok

# ---------------------------------------------------------------- 4. venv + pip install
VENV="$WORK/venv"
INSTALLED="$VENV/share/jupyter/labextensions/$NAME"
step "fresh venv (--system-site-packages), pip install the wheel, jupyterlab_server lists it"
"$PY" -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install --quiet --no-index --no-deps "$WHEEL"
for f in package.json install.json; do
  [[ -f "$INSTALLED/$f" ]] || fail "$INSTALLED/$f not installed"
done
cmp -s "$LABEXT/package.json" "$INSTALLED/package.json" || fail "installed package.json differs from the build"
# Isolate from the user's Jupyter folders: only the venv and system prefixes count.
export JUPYTER_DATA_DIR="$WORK/jupyter-data" JUPYTER_CONFIG_DIR="$WORK/jupyter-config"
export JUPYTER_RUNTIME_DIR="$WORK/jupyter-runtime" JUPYTER_NO_CONFIG=1
"$VENV/bin/python" - "$NAME" "$INSTALLED" "$PYVERSION" <<'PYTHON'
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
PYTHON
ok

# ---------------------------------------------------------------- 5. host lab + browser
step "module-federation host build without the extension (dev/host/)"
flock /tmp/build.lock node dev/host/build.js
ok
mkdir -p "$WORK/root"
cp "$DATA/$TIFF" "$WORK/root/$TIFF"
step "Playwright: the extension from the wheel in the host lab (port $PORT)"
PW_LOG="$WORK/playwright.log"
trap - ERR
set +e
DIST_VENV="$VENV" DIST_ROOT_DIR="$WORK/root" DIST_PORT="$PORT" DIST_TIFF="$TIFF" \
  LAB_HOST_STATE="$WORK/state" \
  npx playwright test -c dev/host/playwright.config.ts 2>&1 | tee "$PW_LOG"
PW_STATUS=${PIPESTATUS[0]}
set -e
trap on_error ERR
PW_PASSED="$(sed 's/\x1b\[[0-9;]*m//g' "$PW_LOG" | grep -oE '^ +[0-9]+ passed' | grep -oE '[0-9]+' | tail -1 || true)"
PW_FAILED="$(sed 's/\x1b\[[0-9;]*m//g' "$PW_LOG" | grep -oE '^ +[0-9]+ failed' | grep -oE '[0-9]+' | tail -1 || true)"
PASSED=$((PASSED + ${PW_PASSED:-0}))
if ((PW_STATUS != 0)); then
  trap - ERR
  printf '[test-dist] FAIL (%s): Playwright exited with status %s\n' "$STEP" "$PW_STATUS" >&2
  summary "${PW_FAILED:-1}"
  exit 1
fi
log "ok: $STEP (${PW_PASSED:-0} tests)"

# ---------------------------------------------------------------- 6. uninstall
step "pip uninstall removes the labextension"
"$VENV/bin/python" -m pip uninstall --quiet --yes "$PYNAME"
[[ ! -e "$INSTALLED" ]] || fail "pip uninstall left $INSTALLED behind"
ok

log "OK: npm package, wheel and sdist $PYNAME-$PYVERSION, federated extension from the wheel in a host JupyterLab"
summary 0
