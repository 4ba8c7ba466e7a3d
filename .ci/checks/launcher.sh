#!/usr/bin/env bash
# The command-line launcher (bin/mrk-policy-guard) after `mvn -B verify` built the jar: one change
# event through `invoke` against the stand-in, run twice with an empty cache, must give the same
# exit code and standard output both times and as `java -jar` (the log lines on standard error
# carry a request ID of their own), and the first run must leave the AppCDS archive the second
# maps. A cache that cannot be written, and a command that fails, change nothing either.
set -uo pipefail
cd "$(dirname "$0")/../.."

jar=rule-lambda/target/rule-lambda.jar
stand_in=local-aws/target/local-aws.jar
for f in "$jar" "$stand_in"; do
  [ -f "$f" ] || { echo "launcher: $f is missing; run mvn -B verify first" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${stand_in_pid:-}" ] && kill "$stand_in_pid" 2>/dev/null' EXIT
# shellcheck source=.ci/checks/lib/stand-in.sh
. .ci/checks/lib/stand-in.sh
start_stand_in "$work" || exit 1
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=eu-west-1
if ! java -cp "$jar" .ci/checks/functions/SmokeSeed.java "$endpoint" examples/baseline.json \
  >"$work/seed.env" 2>"$work/seed.err"; then
  echo "launcher: could not seed the stand-in at $endpoint" >&2
  cat "$work/seed.err" >&2
  exit 1
fi
# shellcheck disable=SC1091
. "$work/seed.env"
sed "s/mrk-1234abcd12ab34cd56ef1234567890ab/${PRIMARY_ARN##*/}/g" \
  examples/events/configuration-item-change.json >"$work/event.json"
args=(invoke --event "$work/event.json" --endpoint-url "$endpoint" --region eu-west-1)

failed=0
# run NAME CACHE ARGS...: the launcher's exit code and standard output into $work/NAME.*
run() {
  local name=$1 cache=$2
  shift 2
  XDG_CACHE_HOME=$cache bin/mrk-policy-guard "$@" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
}
same() {
  if ! cmp -s "$work/$1.rc" "$work/$2.rc" || ! cmp -s "$work/$1.out" "$work/$2.out"; then
    echo "launcher: $1 and $2 differ: exit $(cat "$work/$1.rc") and $(cat "$work/$2.rc")" >&2
    diff "$work/$1.out" "$work/$2.out" | head -20 >&2
    failed=1
  fi
}
java -jar "$jar" "${args[@]}" >"$work/plain.out" 2>"$work/plain.err"
echo $? >"$work/plain.rc"
run first "$work/cache" "${args[@]}"
archives=$(find "$work/cache/mrk-policy-guard" -name '*.jsa' 2>/dev/null | wc -l)
run second "$work/cache" "${args[@]}"
same plain first
same first second
if [ "$archives" -ne 1 ]; then
  echo "launcher: the first run left $archives archives in the cache, expected 1" >&2
  failed=1
fi
if ! grep -q '"ComplianceType" : "NON_COMPLIANT"' "$work/first.out"; then
  echo "launcher: the event's evaluation is not in the output:" >&2
  head -c 2000 "$work/first.out" >&2
  failed=1
fi
# A cache directory that cannot be made (a file in its place): the same run, without an archive.
touch "$work/not-a-directory"
run unwritable "$work/not-a-directory" "${args[@]}"
same plain unwritable
# A failing command keeps its exit code and message.
java -jar "$jar" invoke --event "$work/missing.json" >"$work/plain-failing.out" 2>&1
echo $? >"$work/plain-failing.rc"
XDG_CACHE_HOME=$work/cache bin/mrk-policy-guard invoke --event "$work/missing.json" \
  >"$work/failing.out" 2>&1
echo $? >"$work/failing.rc"
same plain-failing failing
if [ "$(cat "$work/failing.rc")" -eq 0 ]; then
  echo "launcher: invoke of a missing event file exited 0" >&2
  failed=1
fi
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "launcher: bin/mrk-policy-guard ran the event twice (exit $(cat "$work/first.rc"), same output as java -jar) and kept its class archive"
