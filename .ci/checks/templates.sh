#!/usr/bin/env bash
# Lints every CloudFormation template and the conformance pack with cfn-lint (AWS's linter, which
# checks resource properties, types and enum values against the CloudFormation registry schemas).
# What cfn-lint cannot check (pack resource types and size, remediation parameters against the SSM
# documents, handler classes, IAM least privilege, SnapStart/alias wiring) is checked by
# the tests in rule-lambda's dev.mrkpolicyguard.deploy package during `mvn -B verify`.
#
# Zero findings are allowed: no errors and no warnings. The conformance pack is linted as a
# CloudFormation template too; Config deploys it with the same engine.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "templates: cfn-lint is not on PATH (pip install cfn-lint; 1.51.0 is what CI uses)" >&2
  exit 1
fi

shopt -s nullglob
# The check-iac examples are real templates too: they must stay deployable as written.
templates=(cloudformation/*.yaml conformance-pack/*.yaml examples/iac/cloudformation/*.yaml
  examples/iac/cloudformation/*.json)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "templates: no templates found under cloudformation/ or conformance-pack/" >&2
  exit 1
fi

# The partitions the templates claim: commercial (two Regions), AWS GovCloud (US) and China.
# Conditions keep out what a Region lacks (SnapStart, remediation configurations, Lambda hooks);
# the remediation pack is not for GovCloud, which has no AWS::Config::RemediationConfiguration
# (mrk-policy-guard-detection-pack.yaml is), so it is linted for the other partitions only.
regions=(us-east-1 eu-west-1 us-gov-west-1 cn-north-1)
remediation_pack=conformance-pack/mrk-policy-guard-pack.yaml
remediation_pack_regions=(us-east-1 eu-west-1 cn-north-1)
rest=()
for t in "${templates[@]}"; do
  [ "$t" = "$remediation_pack" ] || rest+=("$t")
done

echo "templates: cfn-lint $(cfn-lint --version 2>&1 | awk '{print $NF}') in ${regions[*]} on ${rest[*]}"
# cfn-lint exits 0 when clean, and non-zero for errors (2), warnings (4) or informational (8)
# findings (bit mask); any finding fails CI.
if ! cfn-lint --format parseable --regions "${regions[@]}" -- "${rest[@]}"; then
  echo "templates: cfn-lint reported findings (above); fix them" >&2
  exit 1
fi
echo "templates: cfn-lint in ${remediation_pack_regions[*]} on $remediation_pack"
if ! cfn-lint --format parseable --regions "${remediation_pack_regions[@]}" -- "$remediation_pack"; then
  echo "templates: cfn-lint reported findings (above); fix them" >&2
  exit 1
fi
echo "templates: ${#templates[@]} templates lint clean"
