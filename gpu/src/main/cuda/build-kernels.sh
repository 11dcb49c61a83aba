#!/usr/bin/env bash
# Builds the X-engine kernels with nvcc into OUTDIR and runs the static checks on what it built:
#   correlator_compute_80.ptx, correlator_compute_90.ptx   PTX for the driver's JIT
#   correlator.fatbin                                      sm_80, sm_89, sm_90 cubins + compute_90 PTX
#   resource-usage.txt                                     registers, spills, shared memory per kernel and arch
# and fails (exit 1) if any cubin holds the compiler's emulated sub-byte MMA helper (`mma_sub_byte`): the kernels
# must run on the tensor cores, never on an int4 emulation. Run by Maven at generate-resources; without nvcc it says
# so and exits 0 (the committed kernels under src/main/resources are used; a test compares the two when nvcc exists).
# Refresh the committed copies after changing a kernel:
#   gpu/src/main/cuda/build-kernels.sh gpu/src/main/resources/org/kotekanj/correlator/cuda
#   build-kernels.sh --check CUBIN...   only the sub-byte check (exit 1 if any cubin holds the helper)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

check_sub_byte() {
  if grep -a -q mma_sub_byte "$1"; then
    echo "[cuda] $(basename "$1") holds the emulated sub-byte MMA (mma_sub_byte)" >&2
    return 1
  fi
}

if [ "${1:-}" = "--check" ]; then
  shift
  rc=0
  for cubin in "$@"; do check_sub_byte "$cubin" || rc=1; done
  exit $rc
fi
out="${1:?usage: build-kernels.sh OUTDIR | --check CUBIN...}"

nvcc="${NVCC:-}"
if [ -z "$nvcc" ]; then
  for candidate in "$(command -v nvcc 2>/dev/null || true)" /usr/local/cuda/bin/nvcc /usr/local/bin/nvcc; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then nvcc="$candidate"; break; fi
  done
fi
if [ -z "$nvcc" ]; then
  echo "[cuda] nvcc not found: using the committed kernels"
  exit 0
fi
cuobjdump="$(dirname "$(readlink -f "$nvcc")")/cuobjdump"
[ -x "$cuobjdump" ] || cuobjdump="$(command -v cuobjdump 2>/dev/null || true)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Sources are compiled from a fixed relative path inside a copy so that no absolute path reaches the outputs.
cp "$here/correlator.cu" "$here/kj_layout.cuh" "$work/"
cd "$work"
flags=(-O3 -std=c++17 -Xptxas -Werror)

"$nvcc" "${flags[@]}" -ptx -arch=compute_80 -o correlator_compute_80.ptx correlator.cu
"$nvcc" "${flags[@]}" -ptx -arch=compute_90 -o correlator_compute_90.ptx correlator.cu
gencode=()
for sm in 80 89 90; do
  gencode+=(-gencode "arch=compute_${sm},code=sm_${sm}")
  "$nvcc" "${flags[@]}" -cubin -arch="sm_${sm}" --resource-usage -o "correlator_sm_${sm}.cubin" correlator.cu \
    2> "ptxas_sm_${sm}.txt"
done
gencode+=(-gencode "arch=compute_90,code=compute_90")
# Uncompressed, so that the sub-byte check below reads the very cubins the driver will load (and loading skips a step).
"$nvcc" "${flags[@]}" -fatbin --no-compress "${gencode[@]}" -o correlator.fatbin correlator.cu

# The sub-byte check: the helper (e.g. __cuda_sm_9x_mma_sub_byte_internal_m16n8k64_s4_s4 for an s4 mma on sm_90)
# is named in the symbol and string tables of any cubin that calls it; with cuobjdump the fatbin's SASS is searched too.
bad=0
for cubin in correlator_sm_*.cubin correlator.fatbin; do
  check_sub_byte "$cubin" || bad=1
done
grep -a -q 'mma.sync.aligned.m16n8k32' correlator.fatbin || { echo "[cuda] correlator.fatbin is not readable for the check" >&2; exit 1; }
if [ -n "$cuobjdump" ] && "$cuobjdump" -sass correlator.fatbin | grep -q mma_sub_byte; then
  echo "[cuda] correlator.fatbin holds the emulated sub-byte MMA (mma_sub_byte)" >&2; bad=1
fi
[ "$bad" = 0 ] || exit 1

# resource-usage.txt (committed, compared by a test): what ptxas reports for each cubin, the same on every machine
# with this nvcc; resource-usage-cuobjdump.txt besides where cuobjdump is installed (read from the fatbin itself).
{
  echo "# Per-kernel resources of correlator.cu, written by gpu/src/main/cuda/build-kernels.sh"
  echo "# $("$nvcc" --version | grep -m1 release)"
  echo "# ptxas --resource-usage of each cubin in correlator.fatbin (the same compilation)"
  for sm in 80 89 90; do
    awk -v sm="sm_${sm}" '
      /Compiling entry function/ { split($0, q, "\047"); fn = q[2] }
      /bytes stack frame/ { sub(/^ +/, ""); print sm, fn ":", $0 }
      /Used [0-9]+ registers/ { sub(/.*: /, ""); print sm, fn ":", $0 }' "ptxas_sm_${sm}.txt"
  done
} > resource-usage.txt
if [ -n "$cuobjdump" ]; then
  "$cuobjdump" --dump-resource-usage correlator.fatbin > resource-usage-cuobjdump.txt
  cp resource-usage-cuobjdump.txt "$out/"
fi
grep -q "spill stores" resource-usage.txt || {
  echo "[cuda] no resource usage found in the compiler output" >&2; exit 1; }

cp correlator_compute_80.ptx correlator_compute_90.ptx correlator.fatbin resource-usage.txt "$out/"
echo "[cuda] built PTX (compute_80, compute_90) and correlator.fatbin (sm_80, sm_89, sm_90) into $out; no mma_sub_byte"
