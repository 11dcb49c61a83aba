#!/usr/bin/env bash
# The sender benchmark: builds fpeer (shared/bench/fpeer.c, the C sendmmsg reference) and runs `fpeer send` and the
# simulator's sender one after the other, alternating, with the chime profile to loopback sinks, and prints
# packets/s and Gb/s side by side with the medians. Bounded: REPEATS x 2 runs of SECONDS each (defaults 5 x 2 x 3 s).
#
#   tools/bench/sender-vs-fpeer.sh [--seconds S] [--repeats N] [--signal const|tpluse] [--transport sendmmsg|nio]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FPEER_SRC="${FPEER_SRC:-$ROOT/../shared/bench/fpeer.c}"
[ -f "$FPEER_SRC" ] || FPEER_SRC="$ROOT/shared/bench/fpeer.c"
if [ ! -f "$FPEER_SRC" ]; then
  echo "fpeer.c not found (set FPEER_SRC=/path/to/fpeer.c)" >&2
  exit 2
fi
command -v gcc >/dev/null || { echo "the benchmark builds fpeer with gcc: install it" >&2; exit 2; }

BENCH="$ROOT/tools/target/bench"
mkdir -p "$BENCH"
gcc -O2 -mavx2 -o "$BENCH/fpeer" "$FPEER_SRC"

"$ROOT/tools/kotekan-j" --version >/dev/null
JAVA=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && \
     "$candidate/bin/java" -XshowSettings:properties -version 2>&1 | grep -q 'java.specification.version = 2[5-9]'; then
    JAVA="$candidate/bin/java"
    break
  fi
done
[ -n "$JAVA" ] || { echo "the benchmark needs a JDK 25 (set JAVA_HOME)" >&2; exit 2; }
exec "$JAVA" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
  --add-opens java.base/java.nio=ALL-UNNAMED -XX:+UseZGC -Xmx1g \
  -cp "$ROOT/tools/target/classes:$ROOT/tools/target/lib/*" org.kotekanj.tools.bench.SenderVsFpeer "$BENCH/fpeer" "$@"
