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
#                                  passed. Without a GPU driver it stops at once with one sentence (exit 2).
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
  # every module of the reactor writes the file; gpu comes last
  mvn -B -q -o -pl gpu -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$carry/classpath.txt"
  # only what the CUDA tests load (the carry limit is 64 MiB): no HDF5, JSON, CLI or compression jars, and of JCuda's
  # natives only the driver API's library
  tr ':' '\n' < "$carry/classpath.txt" | while read -r entry; do
    case "$(basename "$entry")" in
      jhdf-*|lz4-*|compress-lzf-*|commons-lang3-*|jackson-*|picocli-*|slf4j-*) ;;
      jcuda-natives-*.jar)
        mkdir -p "$carry/natives" && (cd "$carry/natives" && unzip -q -o "$entry" 'lib/libJCudaDriver-*' &&
          "$JAVA_HOME/bin/jar" cf "$carry/lib/jcuda-natives-driver.jar" lib) && rm -rf "$carry/natives" ;;
      *.jar) cp "$entry" "$carry/lib/" ;;
      classes) jar="$(ls "${entry%/classes}"/*.jar 2>/dev/null | head -1)"; [ -n "$jar" ] && cp "$jar" "$carry/lib/" ;;
    esac
  done
  cp -r gpu/target/classes "$carry/classes"
  cp -r gpu/target/test-classes "$carry/test-classes"
  rm -f "$carry/classpath.txt"
  modules=java.base,java.logging,java.management,java.xml,jdk.unsupported
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

if [ "${1:-}" = "--prepare" ]; then
  prepare
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
  step "kernels build (nvcc, static checks)" 180 bash "$root/gpu/src/main/cuda/build-kernels.sh" "$out/kernels"
  for f in correlator.fatbin correlator_compute_80.ptx correlator_compute_90.ptx; do
    if cmp -s "$out/kernels/$f" "$root/gpu/src/main/resources/org/kotekanj/correlator/cuda/$f"; then
      echo "$f: identical to the committed one" | tee -a "$summary"
    else
      echo "$f: DIFFERS from the committed one (another nvcc version? see kernels/resource-usage.txt)" | tee -a "$summary"
    fi
  done
else
  echo "kernels build: no nvcc on this machine, the committed kernels are used" | tee -a "$summary"
fi

cp="$carry/test-classes:$carry/classes:$carry/lib/*"
jvm=(--enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx24g)
cd "$root/gpu"   # the tests read src/main/cuda and the committed kernels relative to the module
step "CUDA tests (bit-exact GPU = CPU, identities, emulator, artifacts)" 300 \
  "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.correlator.cuda.GpuCheck "$out/tests.txt"
step "benchmark (N=2048 x 4 freq)" 180 \
  "$java" "${jvm[@]}" -cp "$cp" org.kotekanj.correlator.cuda.CudaBenchmark "$out/benchmark.txt"

echo "total: $(( $(date +%s) - start )) s" | tee -a "$summary"
cat "$summary"
exit $status
