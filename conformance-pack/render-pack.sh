#!/usr/bin/env bash
# Prints conformance-pack/mrk-policy-guard-pack.yaml with the automation role as a literal ARN,
# which Config requires (it takes no intrinsic function for the automation role):
#   conformance-pack/render-pack.sh ACCOUNT_ID REGION [PARTITION] > pack.yaml
# ACCOUNT_ID is this account for a pack, the management account for an organization pack (Config
# replaces it with each member account's ID). PARTITION: aws (default) or aws-cn.
set -euo pipefail
usage="usage: render-pack.sh ACCOUNT_ID REGION [aws|aws-cn]"
if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
  echo "render-pack: $usage" >&2
  exit 2
fi
account=$1 region=$2 partition=${3:-aws}
if ! [[ "$account" =~ ^[0-9]{12}$ ]]; then
  echo "render-pack: ACCOUNT_ID must be 12 digits, got '$account'" >&2
  exit 2
fi
if ! [[ "$region" =~ ^[a-z]{2}(-gov)?-[a-z]+-[0-9]$ ]]; then
  echo "render-pack: REGION must look like us-east-1, got '$region'" >&2
  exit 2
fi
case "$partition" in
  aws | aws-cn) ;;
  aws-us-gov)
    echo "render-pack: AWS GovCloud (US) has no remediation configurations; deploy mrk-policy-guard-detection-pack.yaml" >&2
    exit 2
    ;;
  *)
    echo "render-pack: PARTITION must be aws or aws-cn, got '$partition'" >&2
    exit 2
    ;;
esac
pack="$(dirname "$0")/mrk-policy-guard-pack.yaml"
arn="arn:${partition}:iam::${account}:role/mrk-policy-guard-automation-${region}"
if [ "$(grep -c 'AUTOMATION_ROLE_ARN' "$pack")" -ne 1 ]; then
  echo "render-pack: $pack must hold the placeholder AUTOMATION_ROLE_ARN exactly once" >&2
  exit 1
fi
sed "s|AUTOMATION_ROLE_ARN|${arn}|" "$pack"
