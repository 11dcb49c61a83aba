#!/usr/bin/env bash
# Loopback benchmark of the receive path, in one command, against the C reference (shared/bench/fpeer.c):
#   1. rate:  fpeer send at full speed (chime packets, LINKS links) -> our receiver, then -> `fpeer recv ... nt`
#   2. drain: the sender queues the same number of packets for every receiver (paced at DRAIN_PPS for DELAY - 2 s,
#      so that the socket queues and the AF_PACKET ring hold all of them) and stops; the receiver starts polling at
#      DELAY and drains them (rate = first to last packet): `fpeer recv ... nt DELAY`, then our receiver
# for each SOURCE (recvmmsg, af_packet when root, nio), RUNS times (paired: the reference, then each source, in
# turn). Prints one line per run, then per mode and source the median of the per-run ratios to the reference run
# just before it, and whether both sides drained the same packets.
# Usage: [MODES="rate drain"] [RUNS=1] [DRAIN_PPS=50000] [DELAY=4] \
#          tools/bench/receive-loopback.sh [SECONDS=8] [LINKS=4] [SOURCES="recvmmsg af_packet nio"]
# The receiver's GC log goes to tools/target/receive-SOURCE-DELAY.gc.log (no collections = no steady-state allocation).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_RUN="${1:-8}"
LINKS="${2:-4}"
SOURCES="${3:-recvmmsg af_packet nio}"
PORT=20000
DELAY="${DELAY:-4}"
MODES="${MODES:-rate drain}"
RUNS="${RUNS:-1}"
DRAIN_PPS="${DRAIN_PPS:-50000}"
RESULTS="$ROOT/tools/target/receive-loopback.results"
: > "$RESULTS"
FPEER="$ROOT/tools/target/fpeer"
FPEER_SRC="${FPEER_SRC:-$ROOT/../shared/bench/fpeer.c}"
[ -f "$FPEER_SRC" ] || FPEER_SRC=/work/shared/bench/fpeer.c
mkdir -p "$ROOT/tools/target"
gcc -O2 -mavx2 -o "$FPEER" "$FPEER_SRC"
"$ROOT/tools/kotekan-j" --version >/dev/null   # builds if needed
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(find /usr/lib/jvm -maxdepth 3 -path '*25*/bin/java' | head -1)"
fi
if [ "$(id -u)" = 0 ]; then
  sysctl -qw net.core.rmem_max=268435456 net.core.wmem_max=268435456 || true
fi
echo "rmem_max=$(cat /proc/sys/net/core/rmem_max) links=$LINKS seconds=$SECONDS_RUN cpus=$(nproc)"

receiver() { # SOURCE SECONDS DELAY
  "$JAVA" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    -XX:+UseSerialGC -Xms1g -Xmx1g "-Xlog:gc:file=$ROOT/tools/target/receive-$1-$3.gc.log" -cp "$ROOT/tools/target/lib/*:$ROOT/tools/target/tools-0.1.0-SNAPSHOT.jar" \
    org.kotekanj.tools.bench.ReceiveBenchmark "$1" "$PORT" "$LINKS" "$2" "$3" 2>/dev/null
}

wait_bound() { # until something listens on UDP $PORT (the receiver has finished its warm-up and bound its sockets)
  local hex; hex="$(printf ':%04X ' "$PORT")"
  for _ in $(seq 1 600); do cat /proc/net/udp /proc/net/udp6 2>/dev/null | grep -q "$hex" && return 0; sleep 0.05; done
  echo "receiver did not bind port $PORT" >&2; return 1
}

sender_seconds() { # MODE: rate mode sends through the run; drain mode only fills the queues before polling starts
  if [ "$1" = drain ]; then awk "BEGIN{print $DELAY - 2}"; else awk "BEGIN{print $SECONDS_RUN - 2}"; fi
}

send() { # MODE: full speed for a rate run; paced for a drain run, so every receiver gets the same packets queued
  local pps=0
  [ "$1" = drain ] && pps=$DRAIN_PPS
  "$FPEER" send "$PORT" 2 4 512 774 "$LINKS" "$(sender_seconds "$1")" "$pps" | sed "s/^/  [$1] fpeer /"
}

record() { # MODE RUN SIDE < output lines: appends "MODE RUN SIDE PKTS KPPS"
  local line; line="$(cat)"
  echo "$line" | sed "s/^/  [$1] /"
  echo "$line" | awk -v m="$1" -v r="$2" -v s="$3" '/pkts=/ {
    for (i = 1; i <= NF; i++) { if ($i ~ /^pkts=/) p = substr($i, 6); if ($i ~ /^rate=/) k = substr($i, 6) }
    print m, r, s, p, k }' >> "$RESULTS"
}

run_pair() { # MODE SOURCE RUN
  local mode="$1" source="$2" delay=0
  [ "$mode" = drain ] && delay=$DELAY
  receiver "$source" "$SECONDS_RUN" "$delay" > /tmp/kj-recv.$$ &
  local pid=$!
  wait_bound; sleep 0.2
  send "$mode"
  wait "$pid"; record "$mode" "$3" "$source" < /tmp/kj-recv.$$; rm -f /tmp/kj-recv.$$
}

run_reference() { # MODE RUN
  local mode="$1" delay=0
  [ "$mode" = drain ] && delay=$DELAY
  "$FPEER" recv "$PORT" 2 4 512 774 "$LINKS" "$(awk "BEGIN{print $SECONDS_RUN + $delay}")" nt "$delay" \
    > /tmp/kj-fpeer.$$ &
  local pid=$!
  sleep 0.5
  send "$mode"
  wait "$pid"; sed "s/^/reference fpeer /" /tmp/kj-fpeer.$$ | record "$mode" "$2" reference; rm -f /tmp/kj-fpeer.$$
}

for mode in $MODES; do
  echo "== $mode"
  for run in $(seq 1 "$RUNS"); do
    run_reference "$mode" "$run"
    for source in $SOURCES; do
      if [ "$source" = af_packet ] && [ "$(id -u)" != 0 ]; then echo "  [$mode] af_packet skipped: needs root"; continue; fi
      run_pair "$mode" "$source" "$run"
    done
  done
done

echo "== medians of per-run ratios to the reference run just before (and packets each side received)"
awk '{ key = $1 " " $2; if ($3 == "reference") { ref[key] = $5; refp[key] = $4 } else {
         n = ++count[$1 " " $3]; ratio[$1 " " $3, n] = $5 / ref[key];
         pk[$1 " " $3] = pk[$1 " " $3] " " $4 "/" refp[key] } }
     END { for (k in count) { n = count[k]; for (i = 1; i <= n; i++) v[i] = ratio[k, i];
             for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
             med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2;
             s = ""; for (i = 1; i <= n; i++) s = s sprintf(" %.2f", v[i]);
             printf "  %s: median %.2fx the C peer over %d runs (sorted:%s); packets ours/reference:%s\n", k, med, n, s, pk[k] } }' \
  "$RESULTS"
