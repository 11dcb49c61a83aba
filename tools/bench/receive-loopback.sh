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
# TRACE=1 also records every system call of each receiver (perf raw_syscalls tracepoints: counts, not timings, are
# what to trust) and prints, over its drain window (first to last recvmmsg that returned datagrams), the calls and
# datagrams per call, the empty polls, the other system calls, and the time inside recvmmsg vs between calls on the
# receiving thread, per packet (tools/bench/syscall-profile.awk).
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
TRACE="${TRACE:-0}"
: > "$RESULTS"
FPEER="$ROOT/tools/target/fpeer"
FPEER_SRC="${FPEER_SRC:-$ROOT/../shared/bench/fpeer.c}"
[ -f "$FPEER_SRC" ] || FPEER_SRC=/work/shared/bench/fpeer.c
mkdir -p "$ROOT/tools/target"
gcc -O2 -mavx2 -o "$FPEER" "$FPEER_SRC"
# The sender, paced: fpeer checks its budget before each link and breaks out of the round, so a paced send puts
# nearly every batch on the first link (the other sockets stay empty, and the receiver fills the 3 missing links'
# cells of every frame as lost: 500 MB of fill writes per drain that fpeer's receive loop never does). This copy
# checks the budget once per round, so every link gets a batch per round; the receiving side stays fpeer.c as is.
FPEER_SEND="$ROOT/tools/target/fpeer-send"
sed 's/if (pps > 0 \&\& sent > (t - t0) \* pps) break;/if (pps > 0 \&\& l == 0 \&\& sent > (t - t0) * pps) break;/' \
  "$FPEER_SRC" > "$ROOT/tools/target/fpeer-send.c"
grep -q 'l == 0 && sent >' "$ROOT/tools/target/fpeer-send.c" || { echo "fpeer.c's pacing changed: update the sed" >&2; exit 1; }
gcc -O2 -mavx2 -o "$FPEER_SEND" "$ROOT/tools/target/fpeer-send.c"
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
  "$FPEER_SEND" send "$PORT" 2 4 512 774 "$LINKS" "$(sender_seconds "$1")" "$pps" | sed "s/^/  [$1] fpeer /"
}

trace_start() { # PID NAME: records the process's system calls until it exits
  [ "$TRACE" = 1 ] || return 0
  perf record -q -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -m 16M -p "$1" \
    -o "$ROOT/tools/target/trace-$2.data" >/dev/null 2>&1 &
  TRACER=$!
}

trace_report() { # NAME
  [ "$TRACE" = 1 ] || return 0
  wait "$TRACER" 2>/dev/null || true
  perf script -i "$ROOT/tools/target/trace-$1.data" -F tid,time,event,trace > "$ROOT/tools/target/trace-$1.txt" 2>/dev/null
  awk -v name="$1" -f "$ROOT/tools/bench/syscall-profile.awk" "$ROOT/tools/target/trace-$1.txt" \
    "$ROOT/tools/target/trace-$1.txt" | sed "s/^/    /"
  rm -f "$ROOT/tools/target/trace-$1.data" "$ROOT/tools/target/trace-$1.txt"
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
  wait_bound; trace_start "$(pgrep -f -n "ReceiveBenchmark $source $PORT")" "$source-$mode-$3"; sleep 0.2
  send "$mode"
  wait "$pid"; record "$mode" "$3" "$source" < /tmp/kj-recv.$$; rm -f /tmp/kj-recv.$$
  trace_report "$source-$mode-$3"
}

run_reference() { # MODE RUN
  local mode="$1" delay=0
  [ "$mode" = drain ] && delay=$DELAY
  "$FPEER" recv "$PORT" 2 4 512 774 "$LINKS" "$(awk "BEGIN{print $SECONDS_RUN + $delay}")" nt "$delay" \
    > /tmp/kj-fpeer.$$ &
  local pid=$!
  trace_start "$pid" "reference-$mode-$2"; sleep 0.5
  send "$mode"
  wait "$pid"; sed "s/^/reference fpeer /" /tmp/kj-fpeer.$$ | record "$mode" "$2" reference; rm -f /tmp/kj-fpeer.$$
  trace_report "reference-$mode-$2"
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
