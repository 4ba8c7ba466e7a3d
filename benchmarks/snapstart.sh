#!/usr/bin/env bash
# Lambda start-up benchmark (docs/benchmarks.md, "SnapStart priming, reaching the first event"):
# each SnapStart function's handler from its own jar (.ci/checks/functions/SmokeRun.java: the
# Lambda constructor, priming unless SMOKE_PRIME=0, then the same event SMOKE_EVENTS times in one
# JVM) against the stand-in, seeded as jar-smoke seeds it. Prints one line per run: function,
# event, JVM flags, CPUs, priming, init (+ priming) ms, first event ms, warm median ms and the
# ratio first / warm. Not run in CI: every figure is a ratio within one run on a shared machine.
#
#   benchmarks/snapstart.sh [JARDIR...]   # each JARDIR holds {rule,hook,trigger}-function.jar;
#                                         # default functions/*/target (jars: the last column);
#                                         # a JARDIR may hold the SmokeRun.java its jars need
#                                         # (jars built before SmokeRun last changed)
#   FLAGS='|-XX:TieredStopAtLevel=1' CPUS='0|0,1' PRIME='0 1 20' EVENTS=6 benchmarks/snapstart.sh
# FLAGS and CPUS are lists separated by '|' (an empty item: no flags; CPUS items go to taskset -c).
# PRIME items: 0 no priming, N priming with N rounds of the handler's path, default the
# function's own priming. FUNCTIONS: any of rule-change rule-periodic trigger hook remediation
# (no SnapStart: measure it with PRIME=0, its first event is its cold start). FLEET=N seeds
# N more primaries with a replica each (every fifth drifted) for the periodic run.
set -uo pipefail
cd "$(dirname "$0")/.."
jardirs=("$@")
[ ${#jardirs[@]} -eq 0 ] && jardirs=("")
flags_list=${FLAGS:-}
cpus_list=${CPUS:-0,1}
prime_list=${PRIME:-0 default}
events=${EVENTS:-6}
functions=${FUNCTIONS:-rule-change rule-periodic trigger hook}

stand_in=local-aws/target/local-aws.jar
cli=rule-lambda/target/rule-lambda.jar
for f in "$stand_in" "$cli"; do
  [ -f "$f" ] || { echo "snapstart: $f is missing; run mvn -B package -DskipTests" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${stand_in_pid:-}" ] && kill "$stand_in_pid" 2>/dev/null' EXIT
# shellcheck source=.ci/checks/lib/stand-in.sh
. .ci/checks/lib/stand-in.sh
start_stand_in "$work" || exit 1
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=eu-west-1 \
  AWS_ENDPOINT_URL="$endpoint"
SMOKE_SEED_FLEET=${FLEET:-0} java -cp "$cli" .ci/checks/functions/SmokeSeed.java "$endpoint" examples/baseline.json \
  >"$work/seed.env" || exit 1
# shellcheck disable=SC1091
. "$work/seed.env"
key_id=${PRIMARY_ARN##*/}
event() {
  sed "s/mrk-1234abcd12ab34cd56ef1234567890ab/$key_id/g" "examples/events/$1" >"$work/$1"
  echo "$work/$1"
}
jar_of() {
  if [ -n "$2" ]; then echo "$2/$1-function.jar"; else echo "functions/$1/target/$1-function.jar"; fi
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); fleet: $((${FLEET:-0} + 1)) replicas"
printf '%-14s %-44s %-5s %-7s %8s %8s %8s %7s  %s\n' function flags cpus prime init_ms first_ms warm_ms first/warm jars
IFS='|' read -r -a flag_items <<<"${flags_list}|"
[ -z "$flags_list" ] && flag_items=("")
IFS='|' read -r -a cpu_items <<<"$cpus_list"
for fn in $functions; do
  case $fn in
    rule-change) name=rule handler=dev.mrkpolicyguard.rule.ConfigRuleHandler
      input=$(event configuration-item-change.json); envs=() ;;
    rule-periodic) name=rule handler=dev.mrkpolicyguard.rule.ConfigRuleHandler
      input=$(event scheduled-notification-with-baseline.json); envs=() ;;
    trigger) name=trigger handler=dev.mrkpolicyguard.trigger.lambda.TriggerHandler
      input=$(event cloudtrail-put-key-policy.json); envs=(DEFERRAL_QUEUE_URL="$QUEUE_URL") ;;
    hook) name=hook handler=dev.mrkpolicyguard.hook.HookHandler
      input=$(event hook-replica-key-create-drifted.json)
      envs=(BASELINE_PARAMETER_NAME=/mrk-policy-guard/baseline HOOK_FAILURE_MODE=FAIL) ;;
    remediation) name=remediation handler=dev.mrkpolicyguard.remediation.RemediationHandler
      printf '{"KeyId": "%s", "DryRun": "true"}' "$key_id" >"$work/remediation.json"
      input=$work/remediation.json
      envs=(BACKUP_BUCKET=mrk-policy-guard-backups BASELINE_PARAMETER_NAME=/mrk-policy-guard/baseline
        SMOKE_PRIME_PATH=none) ;;
    *) echo "snapstart: unknown function $fn" >&2; exit 2 ;;
  esac
  for jardir in "${jardirs[@]}"; do
  for flags in "${flag_items[@]}"; do
    for cpus in "${cpu_items[@]}"; do
      for prime in $prime_list; do
        # shellcheck disable=SC2086
        case $prime in
          0) penv=(SMOKE_PRIME=0) ;;
          default) penv=(SMOKE_PRIME=1) ;;
          *) penv=(SMOKE_PRIME=1 SMOKE_PRIME_ROUNDS="$prime") ;;
        esac
        smoke=.ci/checks/functions/SmokeRun.java
        [ -n "$jardir" ] && [ -f "$jardir/SmokeRun.java" ] && smoke=$jardir/SmokeRun.java
        env "${envs[@]}" "${penv[@]}" SMOKE_EVENTS="$events" \
          taskset -c "$cpus" java $flags -cp "$(jar_of "$name" "$jardir")" "$smoke" \
          "$handler" "$input" >"$work/out" 2>"$work/err"
        rc=$?
        init=$(sed -n 's/^init and priming: \([0-9]*\) ms$/\1/p' "$work/err")
        mapfile -t times < <(sed -n 's/^event [0-9]*: \([0-9.]*\) ms$/\1/p' "$work/err")
        if [ "$rc" -ne 0 ] || [ "${#times[@]}" -lt 2 ]; then
          printf '%-14s %-44s %-5s %-7s failed (exit %s): %s\n' "$fn" "${flags:-none}" "$cpus" \
            "$prime" "$rc" "$(grep -m1 -i 'error\|exception\|failed' "$work/err")"
          continue
        fi
        first=${times[0]}
        warm=$(printf '%s\n' "${times[@]:1}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
        printf '%-14s %-44s %-5s %-7s %8s %8.1f %8.1f %7.1f  %s\n' "$fn" "${flags:-none}" "$cpus" \
          "$prime" "$init" "$first" "$warm" "$(echo "$first / $warm" | bc -l)" "${jardir:-built}"
      done
    done
  done
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
