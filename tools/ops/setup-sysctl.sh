#!/usr/bin/env bash
# Kernel settings for receiving F-engine UDP at line rate.
#   setup-sysctl.sh            print the settings (the file it would write)
#   setup-sysctl.sh --apply    write /etc/sysctl.d/90-kotekan-j.conf and load it (root)
# Why each one:
#   net.core.rmem_max / rmem_default  socket_buffer_bytes in the config is capped by rmem_max unless the process has
#                                     CAP_NET_ADMIN; a small buffer shows up as kotekan_rx_socket_drops_total.
#   net.core.netdev_max_backlog       packets queued per CPU between the NIC and the sockets during a burst.
#   net.core.netdev_budget(_usecs)    packets a softirq may handle per poll before yielding.
#   net.ipv4.udp_mem                  total pages UDP sockets may hold (pages); must cover every link's buffer.
#   vm.swappiness                     frame buffers and the ring must never be swapped out.
#   kernel.numa_balancing             moving pinned receive memory between nodes costs more than it gains.
set -euo pipefail

RMEM_MAX="${KOTEKANJ_RMEM_MAX:-268435456}"
TARGET="${KOTEKANJ_SYSCTL_FILE:-/etc/sysctl.d/90-kotekan-j.conf}"
udp_pages=$((RMEM_MAX / 4096 * 16))

settings() {
  cat <<CONF
# Written by kotekan-j tools/ops/setup-sysctl.sh
net.core.rmem_max = $RMEM_MAX
net.core.rmem_default = $RMEM_MAX
net.core.netdev_max_backlog = 250000
net.core.netdev_budget = 600
net.core.netdev_budget_usecs = 8000
net.ipv4.udp_mem = $udp_pages $udp_pages $udp_pages
vm.swappiness = 0
kernel.numa_balancing = 0
CONF
}

if [ "${1:-}" != "--apply" ]; then
  settings
  exit 0
fi
settings > "$TARGET"
sysctl -q -p "$TARGET"
echo "setup-sysctl: loaded $TARGET (rmem_max $(cat /proc/sys/net/core/rmem_max))"
