#!/usr/bin/env bash
# `npm test`: every check of the project, in order, stopping at the first failure.
#   types -> lint -> build:lib -> unit tests (jest) -> Python package tests (pytest, Debian's
#   python3; they run the CLI from lib/ and a Dask LocalCluster) -> test build of the app ->
#   ui-tests (Playwright, real JupyterLab + kernel + Chromium) -> distribution test (if present).
# Ends with one line: "<N> passed, <N> failed" over the test suites that ran (jest, pytest, Playwright,
# test:dist steps), plus the time of each stage.
#
# Env: UI_TEST_PORT (default 8899) for the ui-tests' server; UI_TEST_WORKERS and UNIT_TEST_WORKERS
# (default 2 each) for Playwright's and jest's workers; TEST_SKIP="dist ui ..." skips
# stages by name (types types-ui lint build-lib unit python build-lab-test ui dist).
set -uo pipefail

cd "$(dirname "$0")/.."
LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/diffraction-test.XXXXXX")"
PASSED=0
FAILED=0
TIMES=()
STARTED=$SECONDS

skip() { [[ " ${TEST_SKIP:-} " == *" $1 "* ]]; }

summary() {
  echo
  echo "== stage times: ${TIMES[*]:-none} (total $((SECONDS - STARTED)) s)"
  echo "== $PASSED passed, $FAILED failed"
}

# stage NAME COMMAND...: run, tee the output to a log, count its tests, stop on failure.
stage() {
  local name="$1"
  shift
  if skip "$name"; then
    echo
    echo "== $name: skipped (TEST_SKIP)"
    TIMES+=("$name=skipped")
    return
  fi
  local log="$LOGDIR/$name.log" begin=$SECONDS
  echo
  echo "== $name: $*"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  TIMES+=("$name=$((SECONDS - begin))s")
  count "$name" "$log"
  if ((status != 0)); then
    echo
    echo "== FAILED at stage '$name' (exit $status): $*"
    echo "== full output: $log"
    summary
    exit "$status"
  fi
}

# Add the numbers of a stage's own summary line to the totals.
count() {
  local name="$1" log="$2" p=0 f=0 line
  line="$(sed 's/\x1b\[[0-9;]*m//g' "$log")"
  case "$name" in
    unit) # jest: "Tests:       2 failed, 118 passed, 120 total"
      p=$(grep -oE '^Tests: .*' <<<"$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' | tail -1)
      f=$(grep -oE '^Tests: .*' <<<"$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' | tail -1) ;;
    ui) # Playwright: "  3 passed (1.0m)", "  1 failed"
      p=$(grep -oE '^ +[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' | tail -1)
      f=$(grep -oE '^ +[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' | tail -1) ;;
    python) # pytest: "== 1 failed, 14 passed, 1 warning in 139.83s ==" (or "-q": without the ==)
      p=$(grep -E '[0-9]+ (passed|failed)' <<<"$line" | tail -1 | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
      f=$(grep -E '[0-9]+ (passed|failed)' <<<"$line" | tail -1 | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+') ;;
    dist) # scripts/test-dist.sh prints its own "N passed, N failed"
      p=$(grep -oE '[0-9]+ passed, [0-9]+ failed' <<<"$line" | tail -1 | grep -oE '^[0-9]+')
      f=$(grep -oE '[0-9]+ passed, [0-9]+ failed' <<<"$line" | tail -1 | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+') ;;
  esac
  PASSED=$((PASSED + ${p:-0}))
  FAILED=$((FAILED + ${f:-0}))
}

[[ -d node_modules ]] || { echo "node_modules missing: run scripts/setup.sh (or npm ci)"; exit 1; }

stage types npm run --silent test:types
stage types-ui npx tsc -p ui-tests/tsconfig.json
stage lint npm run --silent lint
stage build-lib flock /tmp/build.lock npm run --silent build:lib
# Both cores: jest's default leaves one of two idle; the ui-tests are isolated per test (own
# folder, settings and state mocked in the page) and two workers share the server.
stage unit npm run --silent test:unit -- --maxWorkers="${UNIT_TEST_WORKERS:-2}"
stage python env PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m pytest tests/python -q -p no:cacheprovider
if ! skip ui; then
  stage build-lab-test env LAB_TEST=1 flock /tmp/build.lock npm run --silent build:lab
fi
stage ui env UI_TEST_WORKERS="${UI_TEST_WORKERS:-2}" npm run --silent test:ui
if [[ -f scripts/test-dist.sh ]]; then
  stage dist npm run --silent test:dist
fi
summary
