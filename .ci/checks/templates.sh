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

echo "templates: cfn-lint $(cfn-lint --version 2>&1 | awk '{print $NF}') on ${templates[*]}"
# cfn-lint exits 0 when clean, and non-zero for errors (2), warnings (4) or informational (8)
# findings (bit mask); any finding fails CI.
if ! cfn-lint --format parseable -- "${templates[@]}"; then
  echo "templates: cfn-lint reported findings (above); fix them" >&2
  exit 1
fi
echo "templates: ${#templates[@]} templates lint clean"
