#!/usr/bin/env bash
# Reserves 2 MiB hugepages for kotekan-j's frame buffers and baseband ring, per NUMA node.
#   setup-hugepages.sh                 print what would be reserved and what is reserved now
#   setup-hugepages.sh --apply         reserve it (root), then check the kernel gave all of it
# Sizes: KOTEKANJ_HUGEPAGES_GIB ("40" for every node, or "40,0" per node in order), from /etc/default/kotekan-j.
# Reserve at boot (kotekan-j-hugepages.service) before memory fragments; 1 GiB pages need the kernel command line
# (default_hugepagesz=1G hugepagesz=1G hugepages=N) instead. Buffers with `hugepages: auto` fall back to
# transparent hugepages (madvise) without a reservation, `hugepages: required` refuses to start without one.
set -euo pipefail

SYS="${KOTEKANJ_SYSFS:-/sys}"
GIB_SPEC="${KOTEKANJ_HUGEPAGES_GIB:-0}"
APPLY=0
[ "${1:-}" = "--apply" ] && APPLY=1

nodes=()
for dir in "$SYS"/devices/system/node/node[0-9]*; do
  [ -d "$dir/hugepages/hugepages-2048kB" ] && nodes+=("${dir##*/node}")
done
if [ "${#nodes[@]}" -eq 0 ]; then
  echo "setup-hugepages: no NUMA node exposes 2 MiB hugepages under $SYS/devices/system/node" >&2
  exit 1
fi

IFS=',' read -r -a per_node <<< "$GIB_SPEC"
status=0
for i in "${!nodes[@]}"; do
  node="${nodes[$i]}"
  gib="${per_node[$i]:-${per_node[0]}}"
  if ! [[ "$gib" =~ ^[0-9]+$ ]]; then
    echo "setup-hugepages: KOTEKANJ_HUGEPAGES_GIB must be whole GiB per node, got '$gib'" >&2
    exit 1
  fi
  want=$((gib * 512))
  file="$SYS/devices/system/node/node$node/hugepages/hugepages-2048kB/nr_hugepages"
  have="$(cat "$file")"
  if [ "$APPLY" -eq 1 ] && [ "$have" -lt "$want" ]; then
    if [ "$SYS" = /sys ]; then
      echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true   # free page cache so the pages can be contiguous
      echo 1 > /proc/sys/vm/compact_memory 2>/dev/null || true
    fi
    echo "$want" > "$file"
    have="$(cat "$file")"
  fi
  echo "node $node: want $want x 2 MiB ($gib GiB), reserved $have"
  if [ "$APPLY" -eq 1 ] && [ "$have" -lt "$want" ]; then
    echo "setup-hugepages: node $node reserved only $have of $want pages: memory is fragmented or too small;" \
         "reserve at boot or lower KOTEKANJ_HUGEPAGES_GIB" >&2
    status=1
  fi
done
exit "$status"
