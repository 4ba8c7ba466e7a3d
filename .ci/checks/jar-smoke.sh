#!/usr/bin/env bash
# Runs the shaded jar as a user would, after `mvn -B verify` built it: the tests run on Maven's
# classpath and cannot see a dependency that the jar left out (a test-scoped library that a main
# class needs at run time). Each check-iac example must give its documented exit code.
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
