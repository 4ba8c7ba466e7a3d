#!/usr/bin/env bash
# Fidelity check of the local AWS stand-in: drives the standalone jar with the real AWS CLI through a
# multi-Region scenario and asserts the CLI's outputs, then runs the KMS part against moto_server to
# show where the two emulators agree. Known moto deviations are reported, not asserted (see below).
# Run from the repository root after `mvn -B verify` (needs local-aws/target/local-aws.jar).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=local-aws/target/local-aws.jar
RULE=mrk-policy-drift
TOKEN=fidelity-token

fail() { echo "local-aws-fidelity: FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "'$1' is not on PATH ($2)"; }
need aws "the AWS CLI drives both emulators"
need python3 "used to read the CLI's JSON"
need java "runs the stand-in"
need moto_server "the second emulator for the KMS cross-check (pip package moto[server])"
[ -f "$JAR" ] || fail "$JAR is missing; run 'mvn -B verify' first"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Isolate the CLI from any developer configuration; fail fast instead of retrying.
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL || true

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Polls until the endpoint accepts TCP connections, for at most 30 seconds.
wait_for_port() {
  python3 - "$1" <<'PY' || fail "nothing listens on port $1 after 30 s"
import socket, sys, time
deadline = time.time() + 30
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# wait_for_line TEXT FILE: waits (30 s at most) until FILE holds TEXT: the stand-in prints its
# ready line after it has bound the port, so the port alone is not a readiness signal.
wait_for_line() {
  python3 - "$1" "$2" <<'PY' || fail "no ready line '$1' after 30 s: $(cat "$2")"
import sys, time
deadline = time.time() + 30
while time.time() < deadline:
    try:
        if sys.argv[1] in open(sys.argv[2]).read():
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
}

# q EXPR FILE: evaluates a Python expression over the JSON document `d` in FILE.
q() { python3 -c 'import json,sys; d=json.load(open(sys.argv[2])); r=eval(sys.argv[1]); print(json.dumps(r) if isinstance(r,(list,dict,bool)) else r)' "$1" "$2"; }

expect_eq() { # actual expected what
  [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"
  echo "  ok: $3"
}

# expect_error CODE what -- command...: the command must fail with that AWS error code.
expect_error() {
  local code=$1 what=$2
  shift 3
  if "$@" >"$WORK/out" 2>"$WORK/err"; then
    fail "$what: expected $code, but the call succeeded: $(cat "$WORK/out")"
  fi
  grep -q "($code)" "$WORK/err" || fail "$what: expected $code, got: $(cat "$WORK/err")"
  echo "  ok: $what -> $code"
}

# note TEXT: a known moto deviation, reported instead of asserted.
note() { echo "  moto deviation (known, not asserted): $*"; }

cat >"$WORK/custom-policy.json" <<'JSON'
{"Version":"2012-10-17","Id":"fidelity","Statement":[{"Sid":"Admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"kms:*","Resource":"*"}]}
JSON
cat >"$WORK/lockout-policy.json" <<'JSON'
{"Version":"2012-10-17","Statement":[{"Sid":"OtherAccountOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"kms:*","Resource":"*"}]}
JSON

# kms_scenario ENDPOINT TARGET(local|moto)
kms_scenario() {
  local ep=(--endpoint-url "$1") target=$2 kms account key policy
  kms() { aws kms "${ep[@]}" "$@"; }
  account=$(aws sts get-caller-identity "${ep[@]}" --query Account --output text)
  sed "s/ACCOUNT/$account/" "$WORK/custom-policy.json" >"$WORK/custom-$target.json"
  policy=$(cat "$WORK/custom-$target.json")

  echo "[$target] create a multi-Region key in us-east-1"
  kms create-key --multi-region --description fidelity --region us-east-1 >"$WORK/create.json"
  key=$(q 'd["KeyMetadata"]["KeyId"]' "$WORK/create.json")
  expect_eq "${key:0:4}" "mrk-" "key ID starts with mrk-"
  expect_eq "$(q 'd["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"]' "$WORK/create.json")" PRIMARY "new key is PRIMARY"
  if [ "$target" = local ]; then
    expect_eq "$(q 'bool(__import__("re").fullmatch("mrk-[0-9a-f]{32}", d["KeyMetadata"]["KeyId"]))' "$WORK/create.json")" true "key ID is mrk- + 32 hex"
  else
    note "key ID $key is mrk-<uuid with dashes>, not mrk-<32 hex>"
  fi

  echo "[$target] replicate to eu-west-1 without a policy, to ap-southeast-2 with one"
  kms replicate-key --key-id "$key" --replica-region eu-west-1 --region us-east-1 >"$WORK/replica1.json"
  expect_eq "$(q '"Enable IAM User Permissions" in d["ReplicaPolicy"]' "$WORK/replica1.json")" true "replica without Policy gets the default key policy"
  kms replicate-key --key-id "$key" --replica-region ap-southeast-2 --policy "file://$WORK/custom-$target.json" \
    --description replica --region us-east-1 >"$WORK/replica2.json"
  if [ "$target" = local ]; then
    expect_eq "$(q 'd["ReplicaKeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"]' "$WORK/replica1.json")" REPLICA "ReplicaKeyMetadata says REPLICA"
    expect_eq "$(q 'd["ReplicaPolicy"]' "$WORK/replica2.json")" "$policy" "replica with Policy gets exactly that policy"
  else
    note "ReplicaKeyMetadata says $(q 'd["ReplicaKeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"]' "$WORK/replica1.json"); ReplicateKey ignores Policy (replica policy has custom Sid: $(q '"fidelity" in d["ReplicaPolicy"]' "$WORK/replica2.json"))"
  fi
  if [ "$target" = local ]; then
    expect_error AlreadyExistsException "second replica in eu-west-1" -- \
      kms replicate-key --key-id "$key" --replica-region eu-west-1 --region us-east-1
  fi

  echo "[$target] describe every related key"
  local region
  for region in us-east-1 eu-west-1 ap-southeast-2; do
    kms describe-key --key-id "$key" --region "$region" >"$WORK/describe.json"
    expect_eq "$(q 'd["KeyMetadata"]["MultiRegionConfiguration"]["PrimaryKey"]["Region"]' "$WORK/describe.json")" us-east-1 "$region: primary is us-east-1"
    expect_eq "$(q 'sorted(k["Region"] for k in d["KeyMetadata"]["MultiRegionConfiguration"]["ReplicaKeys"])' "$WORK/describe.json")" \
      '["ap-southeast-2", "eu-west-1"]' "$region: both replicas listed"
  done
  expect_error NotFoundException "describe an unknown key" -- \
    kms describe-key --key-id mrk-00000000000000000000000000000000 --region us-east-1

  echo "[$target] get and put key policies"
  kms get-key-policy --key-id "$key" --policy-name default --region eu-west-1 >"$WORK/get.json"
  expect_eq "$(q "\"arn:aws:iam::$account:root\" in d[\"Policy\"]" "$WORK/get.json")" true "eu-west-1 replica has the default policy"
  kms put-key-policy --key-id "$key" --policy-name default --policy "file://$WORK/custom-$target.json" --region eu-west-1
  kms get-key-policy --key-id "$key" --policy-name default --region eu-west-1 >"$WORK/get.json"
  expect_eq "$(q 'd["Policy"]' "$WORK/get.json")" "$policy" "put-key-policy then get-key-policy round trip"
  kms get-key-policy --key-id "$key" --policy-name default --region us-east-1 >"$WORK/get.json"
  expect_eq "$(q '"fidelity" in d["Policy"]' "$WORK/get.json")" false "primary's policy is independent of the replica's"
  if [ "$target" = local ]; then
    kms get-key-policy --key-id "$key" --region eu-west-1 >"$WORK/get.json"
    expect_eq "$(q 'd["PolicyName"]' "$WORK/get.json")" default "PolicyName defaults to default"
    expect_error MalformedPolicyDocumentException "malformed policy" -- \
      kms put-key-policy --key-id "$key" --policy '{"Statement": [' --region eu-west-1
    # Judged by the policy engine (the standalone's default lockout check).
    expect_error MalformedPolicyDocumentException "policy that locks the caller out" -- \
      kms put-key-policy --key-id "$key" --policy "file://$WORK/lockout-policy.json" --region eu-west-1
    kms put-key-policy --key-id "$key" --policy "file://$WORK/lockout-policy.json" \
      --bypass-policy-lockout-safety-check --region eu-west-1
    echo "  ok: bypassing the lockout safety check lets the same policy through"
  else
    note "Get/PutKeyPolicy need --policy-name default; a malformed policy is accepted"
  fi

  echo "[$target] page through ListKeys"
  local i
  for i in 1 2 3 4; do
    kms create-key --description "page $i" --region us-east-1 >/dev/null
  done
  kms list-keys --page-size 2 --region us-east-1 >"$WORK/all.json"
  expect_eq "$(q 'len(d["Keys"])' "$WORK/all.json")" 5 "--page-size 2 still lists all 5 keys"
  kms list-keys --max-items 2 --page-size 2 --region us-east-1 >"$WORK/page1.json"
  expect_eq "$(q 'len(d["Keys"])' "$WORK/page1.json")" 2 "--max-items 2 returns 2 keys"
  kms list-keys --max-items 10 --page-size 2 --starting-token "$(q 'd["NextToken"]' "$WORK/page1.json")" \
    --region us-east-1 >"$WORK/page2.json"
  expect_eq "$(q 'len(d["Keys"])' "$WORK/page2.json")" 3 "--starting-token continues with the other 3"
  expect_eq "$(python3 -c 'import json,sys; a=[k["KeyId"] for f in sys.argv[1:3] for k in json.load(open(f))["Keys"]]; b=[k["KeyId"] for k in json.load(open(sys.argv[3]))["Keys"]]; print(a == b)' \
    "$WORK/page1.json" "$WORK/page2.json" "$WORK/all.json")" True "pages concatenate to the full list"

  echo "[$target] schedule deletion"
  kms schedule-key-deletion --key-id "$key" --pending-window-in-days 7 --region us-east-1 >"$WORK/delete.json"
  kms describe-key --key-id "$key" --region us-east-1 >"$WORK/describe.json"
  if [ "$target" = local ]; then
    expect_eq "$(q 'd["KeyState"]' "$WORK/delete.json")" PendingReplicaDeletion "primary with replicas -> PendingReplicaDeletion"
    expect_eq "$(q 'd["KeyMetadata"]["PendingDeletionWindowInDays"]' "$WORK/describe.json")" 7 "primary shows its pending window, no date"
  else
    note "a primary with replicas goes to $(q 'd["KeyMetadata"]["KeyState"]' "$WORK/describe.json"), not PendingReplicaDeletion; the response lacks KeyState"
  fi
  kms schedule-key-deletion --key-id "$key" --region eu-west-1 >"$WORK/delete.json"
  kms describe-key --key-id "$key" --region eu-west-1 >"$WORK/describe.json"
  expect_eq "$(q 'd["KeyMetadata"]["KeyState"]' "$WORK/describe.json")" PendingDeletion "replica -> PendingDeletion"
  if [ "$target" = local ]; then
    expect_eq "$(q 'd["PendingWindowInDays"]' "$WORK/delete.json")" 30 "default waiting period is 30 days"
  fi
  if [ "$target" = local ]; then
    expect_error KMSInvalidStateException "enable a key pending deletion" -- \
      kms enable-key --key-id "$key" --region eu-west-1
  else
    note "EnableKey on a key pending deletion succeeds (KMS answers KMSInvalidStateException)"
  fi
  kms cancel-key-deletion --key-id "$key" --region eu-west-1 >/dev/null
  kms describe-key --key-id "$key" --region eu-west-1 >"$WORK/describe.json"
  expect_eq "$(q 'd["KeyMetadata"]["KeyState"]' "$WORK/describe.json")" Disabled "cancel-key-deletion leaves the key Disabled"
  LAST_KEY=$key
}

config_scenario() {
  local ep=(--endpoint-url "$1") key=$2
  echo "[local] Config evaluations and configuration items"
  python3 - "$key" >"$WORK/evals.json" <<'PY'
import json, sys
key = sys.argv[1]
print(json.dumps([
    {"ComplianceResourceType": "AWS::KMS::Key", "ComplianceResourceId": key, "ComplianceType": "NON_COMPLIANT",
     "Annotation": "REPLICA_POLICY_DIFFERS", "OrderingTimestamp": "2026-11-28T10:00:00Z"},
    {"ComplianceResourceType": "AWS::KMS::Key", "ComplianceResourceId": "mrk-other", "ComplianceType": "COMPLIANT",
     "OrderingTimestamp": "2026-11-28T10:00:00Z"}]))
PY
  aws configservice put-evaluations "${ep[@]}" --region eu-west-1 --result-token "$TOKEN" \
    --evaluations "file://$WORK/evals.json" >"$WORK/put.json"
  expect_eq "$(q 'd["FailedEvaluations"]' "$WORK/put.json")" "[]" "put-evaluations has no failed evaluations"
  expect_error InvalidResultTokenException "put-evaluations with an unknown token" -- \
    aws configservice put-evaluations "${ep[@]}" --region eu-west-1 --result-token nope --evaluations "file://$WORK/evals.json"
  aws configservice get-compliance-details-by-config-rule "${ep[@]}" --region eu-west-1 \
    --config-rule-name "$RULE" --compliance-types NON_COMPLIANT >"$WORK/details.json"
  expect_eq "$(q '[(r["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"], r["Annotation"]) for r in d["EvaluationResults"]]' "$WORK/details.json")" \
    "[[\"$key\", \"REPLICA_POLICY_DIFFERS\"]]" "compliance details filtered to NON_COMPLIANT"
  aws configservice get-compliance-details-by-config-rule "${ep[@]}" --region eu-west-1 \
    --config-rule-name "$RULE" >"$WORK/details.json"
  expect_eq "$(q 'len(d["EvaluationResults"])' "$WORK/details.json")" 2 "both evaluations stored"
  aws configservice get-resource-config-history "${ep[@]}" --region eu-west-1 --resource-type AWS::KMS::Key \
    --resource-id "$key" --limit 1 >"$WORK/history.json"
  expect_eq "$(q 'json.loads(d["configurationItems"][0]["supplementaryConfiguration"]["Policy"])["Statement"][0]["Sid"]' "$WORK/history.json")" \
    OtherAccountOnly "configuration item carries the replica's current policy"
  expect_eq "$(q 'json.loads(d["configurationItems"][0]["configuration"])["keyState"]' "$WORK/history.json")" Disabled "configuration item carries the key state"
  expect_error ResourceNotDiscoveredException "history of an unknown key" -- \
    aws configservice get-resource-config-history "${ep[@]}" --region eu-west-1 --resource-type AWS::KMS::Key --resource-id mrk-none
}

ssm_sts_s3_scenario() {
  local ep=(--endpoint-url "$1")
  echo "[local] SSM parameter round trip"
  aws ssm put-parameter "${ep[@]}" --name /mrk-policy-guard/baseline --type String --value v1 >"$WORK/put.json"
  expect_eq "$(q 'd["Version"]' "$WORK/put.json")" 1 "first version is 1"
  expect_error ParameterAlreadyExists "put without --overwrite" -- \
    aws ssm put-parameter "${ep[@]}" --name /mrk-policy-guard/baseline --type String --value v2
  aws ssm put-parameter "${ep[@]}" --name /mrk-policy-guard/baseline --value v2 --overwrite >"$WORK/put.json"
  expect_eq "$(q 'd["Version"]' "$WORK/put.json")" 2 "overwrite increments the version"
  aws ssm get-parameter "${ep[@]}" --name /mrk-policy-guard/baseline >"$WORK/get.json"
  expect_eq "$(q 'd["Parameter"]["Value"]' "$WORK/get.json")" v2 "get-parameter returns the latest value"
  expect_error ParameterNotFound "unknown parameter" -- aws ssm get-parameter "${ep[@]}" --name /missing

  echo "[local] STS assume role"
  expect_eq "$(aws sts get-caller-identity "${ep[@]}" --query Arn --output text)" "arn:aws:iam::111122223333:root" "default key is the account root"
  aws sts assume-role "${ep[@]}" --role-arn arn:aws:iam::444455556666:role/MrkAuditor --role-session-name fidelity >"$WORK/role.json"
  expect_eq "$(AWS_ACCESS_KEY_ID=$(q 'd["Credentials"]["AccessKeyId"]' "$WORK/role.json") \
    AWS_SECRET_ACCESS_KEY=$(q 'd["Credentials"]["SecretAccessKey"]' "$WORK/role.json") \
    AWS_SESSION_TOKEN=$(q 'd["Credentials"]["SessionToken"]' "$WORK/role.json") \
    aws sts get-caller-identity "${ep[@]}" --query Arn --output text)" \
    "arn:aws:sts::444455556666:assumed-role/MrkAuditor/fidelity" "assumed-role credentials act as the role session"
  expect_error ValidationError "assume a malformed role ARN" -- \
    aws sts assume-role "${ep[@]}" --role-arn arn:aws:iam::444455556666:user/not-a-role --role-session-name fidelity

  echo "[local] S3 object round trip"
  aws s3api create-bucket "${ep[@]}" --bucket fidelity-backups >/dev/null
  aws s3api put-object "${ep[@]}" --bucket fidelity-backups --key policies/a.json --body "$WORK/custom-local.json" >/dev/null
  aws s3api get-object "${ep[@]}" --bucket fidelity-backups --key policies/a.json "$WORK/s3-copy.json" >/dev/null
  cmp -s "$WORK/s3-copy.json" "$WORK/custom-local.json" || fail "S3 object round trip changed the bytes"
  echo "  ok: put-object then get-object returns the same bytes"
  expect_error NoSuchKey "get a missing object" -- \
    aws s3api get-object "${ep[@]}" --bucket fidelity-backups --key missing "$WORK/none"

  echo "[local] CloudTrail event history"
  aws cloudtrail lookup-events "${ep[@]}" --region eu-west-1 \
    --lookup-attributes AttributeKey=EventSource,AttributeValue=kms.amazonaws.com >"$WORK/events.json"
  expect_eq "$(q 'd["Events"]' "$WORK/events.json")" "[]" "lookup-events on an empty history"
  expect_error InvalidTimeRangeException "lookup-events with the start after the end" -- \
    aws cloudtrail lookup-events "${ep[@]}" --region eu-west-1 \
      --start-time 2026-11-28T10:00:00Z --end-time 2026-11-28T09:00:00Z

  echo "[local] injected fault"
  expect_error ThrottlingException "list-aliases under --fault kms:ListAliases:throttle=1" -- \
    aws kms list-aliases "${ep[@]}"
}

# The central layout's reconcile: Lambda's resource-policy calls (REST-JSON), Organizations and
# Config's organization pack status, through the real CLI.
organization_scenario() {
  local ep=(--endpoint-url "$1" --region eu-west-1)
  local fn=(--function-name mrk-policy-guard-rule --qualifier live)
  echo "[local] Lambda resource policy of an alias"
  expect_error ResourceNotFoundException "get-policy before any permission" -- \
    aws lambda get-policy "${ep[@]}" "${fn[@]}"
  aws lambda add-permission "${ep[@]}" "${fn[@]}" --statement-id config-444455556666 \
    --action lambda:InvokeFunction --principal config.amazonaws.com --source-account 444455556666 \
    >"$WORK/add.json"
  expect_eq "$(q 'json.loads(d["Statement"])["Condition"]["StringEquals"]["AWS:SourceAccount"]' "$WORK/add.json")" \
    444455556666 "add-permission answers the statement with its SourceAccount"
  expect_error ResourceConflictException "add-permission with a statement id already there" -- \
    aws lambda add-permission "${ep[@]}" "${fn[@]}" --statement-id config-444455556666 \
      --action lambda:InvokeFunction --principal config.amazonaws.com --source-account 444455556666
  aws lambda get-policy "${ep[@]}" "${fn[@]}" >"$WORK/policy.json"
  expect_eq "$(q '[s["Sid"] for s in json.loads(d["Policy"])["Statement"]]' "$WORK/policy.json")" \
    '["config-444455556666"]' "get-policy lists the alias's statement"
  expect_eq "$(q 'json.loads(d["Policy"])["Statement"][0]["Resource"]' "$WORK/policy.json")" \
    arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:live "the statement's resource is the alias ARN"
  expect_error ResourceNotFoundException "get-policy of the unqualified function (its own policy)" -- \
    aws lambda get-policy "${ep[@]}" --function-name mrk-policy-guard-rule
  aws lambda remove-permission "${ep[@]}" "${fn[@]}" --statement-id config-444455556666
  echo "  ok: remove-permission"
  expect_error ResourceNotFoundException "remove-permission of an unknown statement" -- \
    aws lambda remove-permission "${ep[@]}" "${fn[@]}" --statement-id config-444455556666

  echo "[local] Organizations and the organization pack's status"
  aws organizations list-accounts --endpoint-url "$1" >"$WORK/accounts.json"
  expect_eq "$(q '[(a["Id"], a["State"]) for a in d["Accounts"]]' "$WORK/accounts.json")" \
    '[["111122223333", "ACTIVE"], ["555566667777", "SUSPENDED"]]' "list-accounts gives every account with its state"
  expect_error NoSuchOrganizationConformancePackException "detailed status of an unknown pack" -- \
    aws configservice get-organization-conformance-pack-detailed-status "${ep[@]}" \
      --organization-conformance-pack-name mrk-policy-guard
}

LOCAL_PORT=$(free_port)
echo "== local-aws on 127.0.0.1:$LOCAL_PORT"
java -jar "$JAR" --port "$LOCAL_PORT" --config-rule "$RULE:$TOKEN" \
  --lambda-function mrk-policy-guard-rule:live \
  --organization-account 111122223333=ACTIVE --organization-account 555566667777=SUSPENDED \
  --fault 'kms:ListAliases:throttle=1' >"$WORK/local-aws.log" 2>&1 &
PIDS+=($!)
wait_for_line "local-aws listening on 127.0.0.1:$LOCAL_PORT" "$WORK/local-aws.log"
kms_scenario "http://127.0.0.1:$LOCAL_PORT" local
config_scenario "http://127.0.0.1:$LOCAL_PORT" "$LAST_KEY"
ssm_sts_s3_scenario "http://127.0.0.1:$LOCAL_PORT"
organization_scenario "http://127.0.0.1:$LOCAL_PORT"

MOTO_PORT=$(free_port)
echo "== moto_server on 127.0.0.1:$MOTO_PORT (KMS part only)"
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
PIDS+=($!)
wait_for_port "$MOTO_PORT"
kms_scenario "http://127.0.0.1:$MOTO_PORT" moto

echo "local-aws-fidelity: all checks passed"
