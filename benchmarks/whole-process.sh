#!/usr/bin/env bash
# The whole-process benchmark (docs/benchmarks.md, "Whole process"): the rule's periodic run as a
# process against the boto3 script of the documented pattern, over the same stand-in with 10 ms
# latency per call, and one change event against `java -version`. Not run in CI.
#
#   benchmarks/whole-process.sh [REPLICAS] [JVM flags for our process...]
#   e.g. benchmarks/whole-process.sh 1000 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
#   WHOLE_PROCESS_LAUNCHER=bin/mrk-policy-guard benchmarks/whole-process.sh 1000   # as users run it
#   WHOLE_PROCESS_ONLY=periodic ...   # our periodic run only (no boto3 script, no single event)
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=${1:-1000}
shift || true
flags="$*"
if [ ! -f rule-lambda/target/rule-lambda.jar ] || [ ! -f benchmarks/target/benchmarks.jar ]; then
  mvn -B -q package -DskipTests -pl benchmarks -am
fi
python3 -c "import boto3" || { echo "whole-process: python3 needs boto3 (pip install boto3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "whole-process: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
exec java -cp benchmarks/target/benchmarks.jar dev.mrkpolicyguard.bench.WholeProcess \
  rule-lambda/target/rule-lambda.jar benchmarks/boto3_drift.py "$replicas" "$flags"
