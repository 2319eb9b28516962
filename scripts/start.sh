#!/usr/bin/env bash
# `npm start`: set up, build, write the examples and serve JupyterLab with the extension at
# http://127.0.0.1:${DIFFRACTION_PORT:-8888}/lab, rooted at examples/. Ctrl-C stops it.
#
# Env: DIFFRACTION_PORT (default 8888); DIFFRACTION_NO_AUTH=1 serves without a token (loopback
# only); SKIP_SETUP=1 skips scripts/setup.sh; SKIP_BUILD=1 serves the existing build.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO="$PWD"
PORT="${DIFFRACTION_PORT:-8888}"
EXAMPLES="$REPO/examples"
SHARED_DATA="$(cd "$REPO/.." && pwd)/shared/data"

step() { printf '\n[start] %s\n' "$*"; }
fail() { printf '\n[start] FAILED: %s\n' "$*" >&2; exit 1; }

if [[ "${SKIP_SETUP:-}" != 1 ]]; then
  step "setup (Debian packages, node_modules)"
  bash scripts/setup.sh || fail "scripts/setup.sh"
fi

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  step "build the extension (lib/)"
  flock /tmp/build.lock npm run --silent build:lib || fail "npm run build:lib"
  step "build the app (dev/lab/build/app/)"
  flock /tmp/build.lock npm run --silent build:lab || fail "npm run build:lab"
fi

step "examples/"
mkdir -p "$EXAMPLES"
if [[ -f scripts/make-examples.ts ]]; then
  npm run --silent examples || fail "npm run examples"
else
  echo "scripts/make-examples.ts not there yet: examples/ holds only what is already in it"
fi
if [[ -d "$SHARED_DATA" ]]; then
  # The real measurements, copied (examples/ is gitignored, so they never enter the
  # repository). Not symlinked: the server would list a link's own size, not the file's.
  mkdir -p "$EXAMPLES/real"
  for file in "$SHARED_DATA"/*.tif "$SHARED_DATA"/README.md; do
    if [[ -e "$file" ]]; then
      rm -f "$EXAMPLES/real/$(basename "$file")"
      cp --preserve=timestamps "$file" "$EXAMPLES/real/"
    fi
  done
  echo "copied $(ls "$EXAMPLES/real" | wc -l) files of $SHARED_DATA into examples/real/"
else
  echo "$SHARED_DATA not found: no real images in examples/real/"
fi

ARGS=(--root "$EXAMPLES" --port "$PORT" --build "$REPO/dev/lab/build/app")
if [[ "${DIFFRACTION_NO_AUTH:-}" == 1 ]]; then
  ARGS+=(--no-auth)
  URL="http://127.0.0.1:$PORT/lab"
else
  TOKEN="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')"
  ARGS+=(--token "$TOKEN")
  URL="http://127.0.0.1:$PORT/lab?token=$TOKEN"
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  fail "port $PORT is in use (another server?): set DIFFRACTION_PORT"
fi

cat <<BANNER

  JupyterLab with jupyterlab-diffraction, serving $EXAMPLES
  Open:  $URL
  Stop:  Ctrl-C

BANNER
exec /usr/bin/python3 dev/lab/diffraction_lab.py "${ARGS[@]}"
