#!/usr/bin/env bash
# Differential check: `compare` against an independent IAM evaluator (@cloud-copilot/iam-simulate,
# pinned in tools/differential/package-lock.json) over seeded random primary/replica pairs; every
# witness re-checked on both keys, sampled corresponding requests checked against the verdict. The
# oracle's own limits are listed in tools/differential/lib/oracle.mjs and excluded, not asserted.
# See tools/differential/README.md. DIFF_SEED, DIFF_PAIRS, DIFF_SAMPLES, DIFF_JOBS, DIFF_ONLY are
# passed through. Run from anywhere after `mvn -B verify` (builds the jar if it is missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=rule-lambda/target/rule-lambda.jar
fail() { echo "differential: FAIL: $*" >&2; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install nodejs npm"
    if ! { apt-get update -q && apt-get install -y -q nodejs npm; } >/tmp/ci-nodejs.log 2>&1; then
      tail -20 /tmp/ci-nodejs.log >&2
      fail "could not install nodejs and npm with apt-get (log above)"
    fi
  else
    fail "node and npm are not on PATH: install Node 18 or later"
  fi
fi
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || fail "Node $(node --version) is too old: the check needs Node 18 or later"
command -v java >/dev/null 2>&1 || fail "java is not on PATH (install a JDK 17)"

if [ ! -f "$JAR" ]; then
  echo "== $JAR is missing: mvn -q -B package -DskipTests"
  mvn -q -B package -DskipTests
fi

echo "== npm ci (tools/differential)"
(cd tools/differential && npm ci --no-audit --no-fund --loglevel=error)

echo "== node --test (tools/differential)"
(cd tools/differential && node --test --test-reporter=spec test/*.test.mjs)

echo "== differential run"
node tools/differential/run.mjs
