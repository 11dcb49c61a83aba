#!/usr/bin/env bash
# Loopback benchmark of the receive path, in one command, against the C reference (shared/bench/fpeer.c):
#   1. rate:  fpeer send at full speed (chime packets, LINKS links) -> our receiver, then -> `fpeer recv ... nt`
#   2. drain: the sender fills the socket queues for DELAY - 2 s and stops; the receiver starts polling at DELAY
#      and drains them (rate = first to last packet): our receiver, then `fpeer recv ... nt DELAY`
# for each SOURCE (recvmmsg, af_packet when root, nio). Prints one line per run; compare packets/s and losses.
# Usage: tools/bench/receive-loopback.sh [SECONDS=8] [LINKS=4] [SOURCES="recvmmsg af_packet nio"]
# The receiver's GC log goes to tools/target/receive-SOURCE-DELAY.gc.log (no collections = no steady-state allocation).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_RUN="${1:-8}"
LINKS="${2:-4}"
SOURCES="${3:-recvmmsg af_packet nio}"
PORT=20000
DELAY=4
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

run_pair() { # MODE SOURCE
  local mode="$1" source="$2" delay=0
  [ "$mode" = drain ] && delay=$DELAY
  receiver "$source" "$SECONDS_RUN" "$delay" > /tmp/kj-recv.$$ &
  local pid=$!
  wait_bound; sleep 0.2
  "$FPEER" send "$PORT" 2 4 512 774 "$LINKS" "$(sender_seconds "$mode")" | sed "s/^/  [$mode] fpeer /"
  wait "$pid"; sed "s/^/  [$mode] /" /tmp/kj-recv.$$; rm -f /tmp/kj-recv.$$
}

run_reference() { # MODE
  local mode="$1" delay=0
  [ "$mode" = drain ] && delay=$DELAY
  "$FPEER" recv "$PORT" 2 4 512 774 "$LINKS" "$((SECONDS_RUN + delay))" nt "$delay" > /tmp/kj-fpeer.$$ &
  local pid=$!
  sleep 0.5
  "$FPEER" send "$PORT" 2 4 512 774 "$LINKS" "$(sender_seconds "$mode")" | sed "s/^/  [$mode] fpeer /"
  wait "$pid"; sed "s/^/  [$mode] reference fpeer /" /tmp/kj-fpeer.$$; rm -f /tmp/kj-fpeer.$$
}

for mode in rate drain; do
  echo "== $mode"
  run_reference "$mode"
  for source in $SOURCES; do
    if [ "$source" = af_packet ] && [ "$(id -u)" != 0 ]; then echo "  [$mode] af_packet skipped: needs root"; continue; fi
    run_pair "$mode" "$source"
  done
done
