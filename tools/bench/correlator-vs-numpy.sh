#!/usr/bin/env bash
# The CPU correlator against numpy + OpenBLAS (complex64 X X^H), side by side in one command: JMH runs ours
# (CorrelatorBenchmark: native VNNI kernel and the Vector API kernel, N = 16 .. 2048, 1 and 2 threads), the numpy
# script runs the peer on the same shapes, then one table gives both rates in useful complex MACs/s (upper triangle
# incl. autos, N(N+1)/2 x samples) with the ratio, and how many inputs x frequencies one core keeps up with at
# CHIME's 390,625 samples/s. Needs Debian's python3-numpy, libopenblas0-pthread and python3-threadpoolctl.
#
#   tools/bench/correlator-vs-numpy.sh [--quick]      (about 2.5 minutes; --quick: N = 256 and 2048 only)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZES="16,64,256,512,2048"
[ "${1:-}" = "--quick" ] && SIZES="256,2048"
OUT="$ROOT/tools/target/bench"
mkdir -p "$OUT"
"$ROOT/tools/kotekan-j" --version >/dev/null 2>&1
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
CP="$ROOT/tools/target/classes:$ROOT/tools/target/lib/*"
JMH=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main
  CorrelatorBenchmark -foe true)

echo "== ours (JMH), 1 thread"
"${JMH[@]}" -p inputs="$SIZES" -p kernel=native,vector -p threads=1 -rf json -rff "$OUT/corr-1.json" \
  2>&1 | grep -E "^CorrelatorBenchmark|Error|Exception" || true
echo "== ours (JMH), 2 threads (native)"
"${JMH[@]}" -p inputs=256,2048 -p kernel=native -p threads=2 -rf json -rff "$OUT/corr-2.json" \
  2>&1 | grep -E "^CorrelatorBenchmark|Error|Exception" || true

echo "== numpy (OpenBLAS), 1 and 2 threads; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for this command only"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/tools/bench/numpy_correlate.py" 1 5 \
  ${SIZES//,/ } | tee "$OUT/numpy-1.txt"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/tools/bench/numpy_correlate.py" 2 5 \
  256 2048 | grep -v "^numpy [0-9]" | tee "$OUT/numpy-2.txt"

/usr/bin/python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
def samples(n): return 1024 if n >= 1024 else 4096
ours = {}
for name in ("corr-1.json", "corr-2.json"):
    try:
        runs = json.load(open(out + "/" + name))
    except (OSError, ValueError):
        continue
    for run in runs:
        p = run["params"]
        n = int(p["inputs"])
        ours[(p["kernel"], int(p["threads"]), n)] = run["primaryMetric"]["score"] * n * (n + 1) / 2 * samples(n) / 1e9
peer = {}
for threads in (1, 2):
    for line in open(out + "/numpy-%d.txt" % threads):
        m = re.match(r"numpy N=(\d+) threads=(\d+): ([\d.]+)", line)
        if m:
            peer[(int(m.group(2)), int(m.group(1)))] = float(m.group(3))
print()
print("useful complex MACs/s (G), N(N+1)/2 x samples; JMH scores are means of 3 x 1 s, numpy medians of 5")
print("%6s %8s | %8s %8s %8s | %8s | %s" % ("N", "threads", "native", "vector", "numpy", "nat/np", "one core in real time"))
for threads in (1, 2):
    for n in sorted({k[2] for k in ours if k[1] == threads}):
        nat = ours.get(("native", threads, n)); vec = ours.get(("vector", threads, n)); np_ = peer.get((threads, n))
        realtime = ""
        if threads == 1 and nat:
            freqs = nat * 1e9 / (n * (n + 1) / 2 * 390625)
            realtime = "%d inputs x %.2f freqs" % (n, freqs)
        f = lambda v: "%8.2f" % v if v else "%8s" % "-"
        print("%6d %8d | %s %s %s | %s | %s" % (n, threads, f(nat), f(vec), f(np_),
              ("%7.2fx" % (nat / np_)) if nat and np_ else "%8s" % "-", realtime))
best = ours.get(("native", 1, 2048)) or 0
if best:
    inputs = int((2 * best * 1e9 / 390625) ** 0.5)
    print("one core, one frequency in real time: up to %d inputs (at the N=2048 rate)" % inputs)
PY
