#!/usr/bin/env bash
# The command line's start-up (docs/benchmarks.md, "The command line's start-up"): one change event
# through `invoke` against the stand-in, as `java -jar`, as `java -jar` with the launcher's flags,
# and through bin/mrk-policy-guard with an empty cache (the run that makes the class archive) and
# then RUNS times more (the archive mapped), each against `java -version` in the same run. Prints
# wall milliseconds and the ratio to `java -version`. Not run in CI.
#
#   benchmarks/launcher.sh [RUNS]        # JAVA / JAVA_HOME choose the JDK, as for the launcher
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=rule-lambda/target/rule-lambda.jar
stand_in=local-aws/target/local-aws.jar
for f in "$jar" "$stand_in"; do
  [ -f "$f" ] || { echo "launcher: $f is missing; run mvn -B package -DskipTests" >&2; exit 1; }
done
if [ -n "${JAVA:-}" ]; then java=$JAVA; elif [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${stand_in_pid:-}" ] && kill "$stand_in_pid" 2>/dev/null' EXIT
# shellcheck source=.ci/checks/lib/stand-in.sh
. .ci/checks/lib/stand-in.sh
start_stand_in "$work" || exit 1
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=eu-west-1
java -cp "$jar" .ci/checks/functions/SmokeSeed.java "$endpoint" examples/baseline.json \
  >"$work/seed.env" || exit 1
# shellcheck disable=SC1091
. "$work/seed.env"
sed "s/mrk-1234abcd12ab34cd56ef1234567890ab/${PRIMARY_ARN##*/}/g" \
  examples/events/configuration-item-change.json >"$work/event.json"
args=(invoke --event "$work/event.json" --endpoint-url "$endpoint" --region eu-west-1)
export XDG_CACHE_HOME=$work/cache

# ms COMMAND...: wall milliseconds of one run, output discarded; a failed run is reported.
ms() {
  local start end
  start=$(date +%s%N)
  if ! "$@" >/dev/null 2>&1; then
    echo "launcher: failed: $*" >&2
  fi
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
version=$(ms "$java" -version)
row() {
  local t
  t=$(ms "${@:2}")
  printf '%-44s %8s ms %6.1fx\n' "$1" "$t" "$(echo "$t / $version" | bc -l)"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$java" -version 2>&1 | head -n 1)"
printf '%-44s %8s ms\n' "java -version" "$version"
row "java -jar" "$java" -jar "$jar" "${args[@]}"
row "java C1 + serial GC -jar" "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" "${args[@]}"
row "launcher, first run (makes the archive)" env JAVA="$java" bin/mrk-policy-guard "${args[@]}"
for i in $(seq 1 "$runs"); do
  row "launcher, run $((i + 1)) (maps the archive)" env JAVA="$java" bin/mrk-policy-guard "${args[@]}"
done
version=$(ms "$java" -version)
printf '%-44s %8s ms (again, at the end)\n' "java -version" "$version"
du -h "$XDG_CACHE_HOME"/mrk-policy-guard/*.jsa | sed 's/^/archive: /'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
