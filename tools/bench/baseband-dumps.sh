#!/usr/bin/env bash
# Baseband dumps while the receive path ingests over loopback (UDP 12300-12303), in one command: trigger -> first
# byte copied p50/p99, dump write throughput against dd oflag=direct to the same directory under the same load, and
# the packets lost meanwhile (BasebandBenchmark). Run it through kj-cpu bench.
# Usage: tools/bench/baseband-dumps.sh [ARCHIVE_DIR=tools/target/bb-archive] [LATENCY_TRIGGERS=200] [BIG_DUMPS=6] [RATE=x0.1]
#        [WARM_DUMPS=6] (dumps before the measured ones, not counted) [RECEIVER_IDLE=busy_spin]
#        (the receiver's idle_strategy: busy_spin as on a node's pinned receive cores, or backoff/sleep/yield, which
#        leave this small machine's cores to the dump threads; 0 lost samples and 0 socket drops asserted either way)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ARCHIVE="${1:-$ROOT/tools/target/bb-archive}"
"$ROOT/tools/kotekan-j" --version >/dev/null   # builds if needed
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(find /usr/lib/jvm -maxdepth 3 -path '*25*/bin/java' | head -1)"
fi
rm -rf "$ARCHIVE"
# The service's JVM flags (tools/kotekan-j's JVM_FLAGS: ZGC, 2 GiB heap), so that GC pauses are the service's.
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xms256m -Xmx2g -XX:+UseZGC -XX:+PerfDisableSharedMem \
  -cp "$ROOT/tools/target/lib/*:$ROOT/tools/target/tools-0.1.0-SNAPSHOT.jar" \
  org.kotekanj.tools.bench.BasebandBenchmark "$ARCHIVE" "${2:-200}" "${3:-6}" "${4:-x0.1}" "${5:-6}" "${6:-busy_spin}" 2> >(grep -E "Exception|^\s+at org.kotekanj" >&2) |
  grep -E "^(warm|trigger|dump|dd|ingest|phases)"
