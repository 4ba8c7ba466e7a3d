# Sourced by the checks and benchmarks that run the stand-in as a process of its own.
#
#   start_stand_in WORK [extra local-aws options...]
#
# Starts local-aws/target/local-aws.jar on a free port of 127.0.0.1 with the rule's Config rule
# (token example-result-token), logging to WORK/stand-in.log, and waits until it listens (10 s at
# most). Sets stand_in_pid (the caller's EXIT trap kills it) and endpoint (http://127.0.0.1:PORT);
# returns 1, with the log's tail on stderr, if it never listened.
start_stand_in() {
  local work=$1
  shift
  java -jar local-aws/target/local-aws.jar --port 0 \
    --config-rule mrk-policy-guard:example-result-token "$@" >"$work/stand-in.log" 2>&1 &
  stand_in_pid=$!
  local _
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/stand-in.log" && break
    sleep 0.1
  done
  local address
  address=$(grep -o 'listening on [0-9.:]*' "$work/stand-in.log" | cut -d' ' -f3)
  if [ -z "$address" ]; then
    echo "stand-in: local-aws did not start listening within 10 s:" >&2
    tail -20 "$work/stand-in.log" >&2
    return 1
  fi
  endpoint="http://$address"
}
