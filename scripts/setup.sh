#!/usr/bin/env bash
# Install what the app, the servers and the tests need, only when it is missing:
#   - Debian packages (apt-get): Jupyter server stack, ipykernel, Chromium for Playwright,
#     hatchling/pip/venv for the wheel test;
#   - node_modules (npm ci) when absent, or brought back in line with package-lock.json when stale.
# Safe to run again: a second run does nothing and takes about a second.
# Env: SETUP_SKIP_APT=1 skips the apt part, SETUP_SKIP_NPM=1 the npm part.
set -euo pipefail

cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-jupyter-server      # jupyter_server 1.23: the HTTP/WebSocket server
  python3-jupyterlab-server   # jupyterlab_server 2.16: LabServerApp, settings, workspaces
  python3-ipykernel           # the real Python kernel
  python3-nbformat            # notebooks on disk
  python3-hatchling           # wheel build (scripts/test-dist.sh)
  python3-pip                 # wheel build/install (scripts/test-dist.sh)
  python3-venv                # throw-away venv for the wheel test
  chromium                    # the browser Playwright drives (never downloaded by Playwright)
  fonts-dejavu-core           # readable text in screenshots
)

# Other parts of the project list what they need in scripts/apt-packages.txt (one per line).
if [[ -f scripts/apt-packages.txt ]]; then
  while read -r pkg _; do
    [[ -n "$pkg" && "$pkg" != \#* ]] && APT_PACKAGES+=("$pkg")
  done < scripts/apt-packages.txt
fi

log() { printf '[setup] %s\n' "$*"; }

if [[ "${SETUP_SKIP_APT:-}" != 1 ]]; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    SUDO=()
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null || { log "need root (or sudo) to install: ${missing[*]}"; exit 1; }
      SUDO=(sudo)
    fi
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # One apt at a time on a shared machine.
    flock /tmp/apt.lock "${SUDO[@]}" apt-get update -q
    flock /tmp/apt.lock "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    log "Debian packages present"
  fi
  /usr/bin/python3 -c 'import jupyter_server, jupyterlab_server, ipykernel, nbformat' \
    || { log "Debian Python packages installed but not importable by /usr/bin/python3"; exit 1; }
  [[ -x /usr/bin/chromium ]] || { log "/usr/bin/chromium missing after install"; exit 1; }
fi

# Every package of package-lock.json must be installed at its locked version.
CHECK_NODE_MODULES='
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
const bad = [];
for (const [where, meta] of Object.entries(lock.packages || {})) {
  if (!where || meta.link || meta.optional || meta.extraneous) continue;
  let version = null;
  try { version = JSON.parse(fs.readFileSync(where + "/package.json", "utf8")).version; } catch {}
  if (version !== meta.version) bad.push(`${where}: locked ${meta.version}, installed ${version}`);
}
if (bad.length) { console.log(bad.join("\n")); process.exit(1); }
'

if [[ "${SETUP_SKIP_NPM:-}" != 1 ]]; then
  if [[ ! -d node_modules ]]; then
    log "node_modules missing: npm ci"
    flock /tmp/npm.lock npm ci --no-audit --no-fund
  elif ! stale="$(node -e "$CHECK_NODE_MODULES")"; then
    log "node_modules does not match package-lock.json:"
    printf '%s\n' "$stale" | head -20
    if [[ "${CI:-}" == 1 || "${CI:-}" == true ]]; then
      log "npm ci"
      flock /tmp/npm.lock npm ci --no-audit --no-fund
    else
      # Outside CI, do not wipe a tree other processes may be using: install the lockfile in place.
      log "npm install (in place, from package-lock.json)"
      flock /tmp/npm.lock npm install --no-audit --no-fund
    fi
  else
    log "node_modules up to date"
  fi
fi
