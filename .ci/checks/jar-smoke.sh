#!/usr/bin/env bash
# Runs the shaded jars as a user and Lambda would, after `mvn -B verify` built them: the tests run
# on Maven's classpath and cannot see a dependency that a jar left out (a test-scoped library that a
# main class needs at run time, an SDK module a function's jar excludes). Each check-iac example
# must give its documented exit code with the command-line jar; then each function's handler runs
# one event from only its own jar against the stand-in (functions/SmokeRun.java).
set -uo pipefail
cd "$(dirname "$0")/../.."

jar=rule-lambda/target/rule-lambda.jar
if [ ! -f "$jar" ]; then
  echo "jar-smoke: $jar is missing; run mvn -B verify first" >&2
  exit 1
fi
C=examples/iac/cloudformation
T=examples/iac/terraform
failed=0
# Each Lambda function's jar stays within 15 MB (15,000,000 bytes; issue 16): cold start is money.
for f in functions/*/target/*-function.jar; do
  size=$(wc -c <"$f")
  if [ "$size" -gt 15000000 ]; then
    echo "jar-smoke: $f is $size bytes, over 15,000,000" >&2
    failed=1
  fi
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
expect() {
  local want=$1
  shift
  java -jar "$jar" "$@" >"$out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "jar-smoke: exit $got, expected $want: java -jar $jar $*" >&2
    tail -20 "$out" >&2
    failed=1
  fi
}
expect 0 check-iac "$C/primary.yaml@us-east-1" "$C/replica-aligned.yaml@eu-west-1" \
  --parameter PrimaryKeyArn=primary.yaml#PaymentsKey
expect 1 check-iac "$C/primary.yaml@us-east-1" "$C/replica-drifted.yaml@eu-west-1" \
  --parameter PrimaryKeyArn=primary.yaml#PaymentsKey --format sarif
expect 4 check-iac "$C/replica-unresolvable.yaml" --region eu-west-1
expect 0 check-iac "$T/aligned.plan.json" --format json
expect 1 check-iac "$T/default-policy-replica.plan.json"
expect 4 check-iac "$T/unknown-until-apply.plan.json"
expect 0 compare --primary examples/policies/regional-values-only/primary.json \
  --replica examples/policies/regional-values-only/replica.json \
  --primary-arn arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab \
  --replica-region eu-west-1
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "jar-smoke: the jar runs every check-iac example with its documented exit code"

# Each function's handler, from only its jar, on one event against the stand-in. The seed runs on
# the command-line jar (the function jars lack the write calls); the key ID of the examples is
# replaced by the seeded key's (a primary and its replicas share it).
work=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$work"; [ -n "${stand_in_pid:-}" ] && kill "$stand_in_pid" 2>/dev/null' EXIT
# shellcheck source=.ci/checks/lib/stand-in.sh
. .ci/checks/lib/stand-in.sh
start_stand_in "$work" --lambda-function mrk-policy-guard-rule:live \
  --organization-account 111122223333=ACTIVE --organization-account 444455556666=ACTIVE \
  --organization-account 555566667777=SUSPENDED || exit 1
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=eu-west-1 \
  AWS_ENDPOINT_URL="$endpoint"
if ! java -cp "$jar" .ci/checks/functions/SmokeSeed.java "$endpoint" examples/baseline.json \
  >"$work/seed.env" 2>"$work/seed.err"; then
  echo "jar-smoke: could not seed the stand-in at $endpoint" >&2
  cat "$work/seed.err" >&2
  exit 1
fi
# shellcheck disable=SC1091
. "$work/seed.env"
key_id=${PRIMARY_ARN##*/}
event() {
  sed "s/mrk-1234abcd12ab34cd56ef1234567890ab/$key_id/g" "examples/events/$1" >"$work/$1"
  echo "$work/$1"
}
printf '{"KeyId": "%s", "DryRun": "false"}' "$key_id" >"$work/remediation.json"
# function, handler class, event file, text its output must hold; environment as the stack sets it
run_function() {
  local name=$1 handler=$2 input=$3 want=$4
  local fjar=functions/$name/target/$name-function.jar
  if [ ! -f "$fjar" ]; then
    echo "jar-smoke: $fjar is missing; run mvn -B verify first" >&2
    failed=1
    return
  fi
  if ! java -cp "$fjar" .ci/checks/functions/SmokeRun.java "$handler" "$input" \
    >"$work/$name.out" 2>"$work/$name.err"; then
    echo "jar-smoke: $name-function.jar failed its event" >&2
    grep -m3 -i "error\|exception" "$work/$name.err" >&2
    failed=1
  elif ! grep -q -- "$want" "$work/$name.out"; then
    echo "jar-smoke: $name-function.jar answered without '$want':" >&2
    head -c 2000 "$work/$name.out" >&2
    failed=1
  elif grep -q "SLF4J" "$work/$name.out" "$work/$name.err"; then
    echo "jar-smoke: $name-function.jar printed SLF4J's no-provider warning" >&2
    failed=1
  else
    echo "jar-smoke: $name-function.jar ($(stat -c %s "$fjar") bytes) ran $handler"
  fi
}
run_function rule dev.mrkpolicyguard.rule.ConfigRuleHandler \
  "$(event scheduled-notification-with-baseline.json)" '"ComplianceType":"NON_COMPLIANT"'
BASELINE_PARAMETER_NAME=/mrk-policy-guard/baseline HOOK_FAILURE_MODE=FAIL \
  run_function hook dev.mrkpolicyguard.hook.HookHandler \
  "$(event hook-replica-key-create-drifted.json)" '"hookStatus"'
DEFERRAL_QUEUE_URL=$QUEUE_URL run_function trigger dev.mrkpolicyguard.trigger.lambda.TriggerHandler \
  "$(event cloudtrail-put-key-policy.json)" 'eu-west-1'
# The remediation has no SnapStart (the SSM document calls it on demand): no handler path to prime.
SMOKE_PRIME_PATH=none BACKUP_BUCKET=mrk-policy-guard-backups BASELINE_PARAMETER_NAME=/mrk-policy-guard/baseline \
  run_function remediation dev.mrkpolicyguard.remediation.RemediationHandler \
  "$work/remediation.json" '"backupUri":"s3://mrk-policy-guard-backups/'
# The reconcile (no SnapStart, so no priming): the organisation's two ACTIVE accounts get the rule
# alias's permission, the suspended one none.
SMOKE_PRIME=0 RULE_ALIAS_ARN=arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:live \
  run_function reconcile dev.mrkpolicyguard.reconcile.ReconcileHandler \
  "$work/remediation.json" '"added":\["111122223333","444455556666"\]'
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "jar-smoke: each function's jar runs its handler on its own"
