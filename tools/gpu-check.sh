#!/usr/bin/env bash
# The GPU check of the CUDA correlator, as one prepared script for a scarce GPU machine (issue 9).
#
#   tools/gpu-check.sh --prepare   on a build machine (JDK 25, Maven): compiles everything and writes .gpu-check/
#                                  (jars, classes, a jlinked Java 25, under 64 MiB) to carry to the GPU machine,
#                                  which has nvcc and a driver but no Java, no Maven and no network
#   tools/gpu-check.sh OUTDIR      on the GPU machine, in under 8 minutes: rebuilds the kernels with nvcc and compares
#                                  them with the committed ones (with cuobjdump's resource usage and sub-byte check),
#                                  runs every CUDA test (bit-exact GPU = CPU sums, identities at N=2048) and the
#                                  benchmark; results, a summary and the whole log land in OUTDIR. Exit 0 only if all
#                                  passed. Without a GPU driver it stops at once with one sentence (exit 2). The
#                                  steps' deadlines add up to 7.5 minutes; a normal run takes far less.
# With the device tool: run `tools/gpu-check.sh --prepare` here, then one run with carry [".gpu-check"] and the
# command `tools/gpu-check.sh $OUT` (OUTDIR keeps to 7 files, what such a run brings back).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
carry="$root/.gpu-check"

prepare() {
  set -e
  java_home=""
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ]; then java_home="$candidate"; break; fi
  done
  [ -n "$java_home" ] || { echo "gpu-check --prepare: no JDK 25 with jlink found" >&2; exit 1; }
  export JAVA_HOME="$java_home"
  cd "$root"
  rm -rf "$carry"
  mkdir -p "$carry/lib"
  # the whole runtime (tools/target/lib, for the end-to-end demo) and the gpu module's test classpath (JUnit)
  mvn -B -q -o -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt   # each module's own, relative to the module
  cp gpu/target/test-classpath.txt "$carry/classpath.txt"
  # only what the checks load (the carry limit is 64 MiB): no JMH, and of JCuda's natives only the driver API's
  { ls "$root"/tools/target/lib/*.jar; tr ':' '\n' < "$carry/classpath.txt" | grep -E '/(junit-|opentest4j|apiguardian)'; } |
  while read -r entry; do
    case "$(basename "$entry")" in
      jmh-*|jopt-simple-*) ;;
      jcuda-natives-*.jar)
        mkdir -p "$carry/natives" && (cd "$carry/natives" && unzip -q -o "$entry" 'lib/libJCudaDriver-*' &&
          "$JAVA_HOME/bin/jar" cf "$carry/lib/jcuda-natives-driver.jar" lib) && rm -rf "$carry/natives" ;;
      *) cp "$entry" "$carry/lib/" ;;
    esac
  done
  cp -r gpu/target/classes "$carry/classes"
  cp -r gpu/target/test-classes "$carry/test-classes"
  rm -f "$carry/classpath.txt"
  modules=java.base,java.logging,java.management,java.net.http,jdk.unsupported,jdk.incubator.vector
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
    --strip-native-debug-symbols=objcopy="$(command -v objcopy)" --output "$carry/jdk"
  strip --strip-unneeded "$carry/jdk/lib/server/libjvm.so" 2>/dev/null || true
  size=$(du -sm "$carry" | cut -f1)
  if [ "$size" -gt 58 ]; then
    echo "gpu-check --prepare: .gpu-check is $size MiB; with the work tree it must stay under the 64 MiB carry limit" >&2
    exit 1
  fi
  echo "gpu-check: prepared $carry ($size MiB); carry .gpu-check to the GPU machine"
}

# simulator -> UDP loopback -> receiver -> cuda correlator -> files, each file verified against the simulator's answer:
# the built-in demo with backend: cuda
e2e() {
  local java="$1" cp="$2" out="$3" vis="$4"; shift 4
  local jvm=("$@")
  "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.cli.Main demo --print-config > "$out/demo-cuda.yaml" || return 1
  sed -i -e 's/^  backend: cpu.*/  backend: cuda/' -e '/^  num_threads:/d' -e "s#^  output_dir: .*#  output_dir: $vis#" \
    "$out/demo-cuda.yaml"
  grep -q '^  backend: cuda' "$out/demo-cuda.yaml" || { echo "e2e: the demo config has no correlator backend line"; return 1; }
  rm -rf "$vis"
  (cd "$root" && "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.cli.Main run "$out/demo-cuda.yaml" --no-rest) || return 1
  local files=("$vis"/vis_*.h5) agree=0
  [ -e "${files[0]}" ] || { echo "e2e: no visibility files were written"; return 1; }
  for f in "${files[@]}"; do
    "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.cli.Main verify "$out/demo-cuda.yaml" "$f" && agree=$((agree + 1))
  done
  echo "e2e: $agree of ${#files[@]} files written by the cuda backend agree with the simulator's expected visibilities"
  [ "$agree" = "${#files[@]}" ]
}

if [ "${1:-}" = "--prepare" ]; then
  prepare
  exit $?
fi
if [ "${1:-}" = "--e2e" ]; then
  shift
  e2e "$@"
  exit $?
fi

out="${1:?usage: tools/gpu-check.sh OUTDIR | --prepare}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
exec > >(tee "$out/gpu-check.log") 2>&1

if ! { [ -e /dev/nvidia0 ] || [ -e /dev/nvidiactl ] || ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; }; then
  echo "gpu-check: no NVIDIA GPU driver on this machine (no /dev/nvidia0 and no libcuda.so.1), so there is nothing to check here."
  exit 2
fi

java=""
for candidate in "$carry/jdk/bin/java" "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -q 'version "2[5-9]'; then
    java="$candidate"; break
  fi
done
if [ -z "$java" ] || [ ! -d "$carry/test-classes" ]; then
  echo "gpu-check: no prepared .gpu-check here: run tools/gpu-check.sh --prepare on a build machine and carry .gpu-check."
  exit 2
fi

start=$(date +%s)
status=0
summary="$out/summary.txt"
: > "$summary"
step() {   # step NAME SECONDS CMD...: runs CMD with a deadline, records PASS/FAIL and its time
  local name="$1" limit="$2"; shift 2
  local t0=$(date +%s)
  echo "== $name (limit ${limit}s)"
  timeout "$limit" "$@"
  local rc=$?
  local verdict=PASS
  [ $rc = 0 ] || { verdict="FAIL (exit $rc)"; status=1; }
  echo "$name: $verdict in $(( $(date +%s) - t0 )) s" | tee -a "$summary"
}

nvidia-smi -L 2>/dev/null | tee "$out/device.txt" || true
nvcc="$(command -v nvcc 2>/dev/null || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)"
if [ -n "$nvcc" ]; then
  "$nvcc" --version | tail -2
  kernels=/tmp/gpu-check-kernels   # OUTDIR stays under 8 files (what a device run brings back)
  rm -rf "$kernels"
  step "kernels build (nvcc, static checks)" 60 bash "$root/gpu/src/main/cuda/build-kernels.sh" "$kernels"
  cp "$kernels/resource-usage-cuobjdump.txt" "$out/" 2>/dev/null || true
  for f in correlator.fatbin correlator_compute_80.ptx correlator_compute_90.ptx; do
    if cmp -s "$kernels/$f" "$root/gpu/src/main/resources/org/kotekanj/correlator/cuda/$f"; then
      echo "$f: identical to the committed one" | tee -a "$summary"
    else
      echo "$f: DIFFERS from the committed one (another nvcc version?)" | tee -a "$summary"
    fi
  done
else
  echo "kernels build: no nvcc on this machine, the committed kernels are used" | tee -a "$summary"
fi

cp="$carry/test-classes:$carry/classes:$carry/lib/*"
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx24g -XX:+UseZGC)
cd "$root/gpu"   # the tests read src/main/cuda and the committed kernels relative to the module
step "CUDA tests (bit-exact GPU = CPU, identities, emulator, artifacts)" 200 \
  "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.correlator.cuda.GpuCheck "$out/tests.txt"
step "benchmark (N=2048 x 4 freq)" 100 \
  "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.correlator.cuda.CudaBenchmark "$out/benchmark.txt"
step "end to end (demo: simulator -> receiver -> cuda correlator -> files = expected)" 90 \
  bash "$root/tools/gpu-check.sh" --e2e "$java" "$cp" "$out" /tmp/gpu-check-vis "${jvm[@]}"

echo "total: $(( $(date +%s) - start )) s" | tee -a "$summary"
cat "$summary"
exit $status
