# System calls of one receiver over its drain window, from `perf script -F tid,time,event,trace` of the
# raw_syscalls:sys_enter/sys_exit tracepoints (read twice: pass 1 finds the window, pass 2 counts in it).
# The window runs from the first to the last recvmmsg (NR 299) that returned datagrams. Prints, per packet: recvmmsg
# calls, empty polls (-EAGAIN), other system calls by number, and on the receiving thread the mean time inside
# recvmmsg and between calls (user code: placement, bookkeeping) per call and per packet.
function nr(line) { match(line, /NR [0-9]+/); return substr(line, RSTART + 3, RLENGTH - 3) + 0 }
function ret(line) { match(line, /= -?[0-9]+/); return substr(line, RSTART + 2, RLENGTH - 2) + 0 }
function ts(field) { sub(/:$/, "", field); return field + 0 }
FNR == 1 { pass++ }
pass == 1 && /sys_exit/ && nr($0) == 299 && ret($0) > 0 {
  t = ts($2); if (!first) first = t; last = t; rx = $1
}
pass == 2 {
  t = ts($2); if (t < first || t > last) next
  tid = $1; n = nr($0)
  if (/sys_enter/) {
    if (tid == rx) { if (lastexit) { user += t - lastexit; gaps++ } entered = t }
    if (n == 299) calls++; else { other[n]++; others++; if (tid == rx) rxother[n]++ }
  } else if (/sys_exit/) {
    if (tid == rx) { if (entered && n == 299) kernel += t - entered; lastexit = t }
    if (n == 299) { r = ret($0); if (r > 0) { pkts += r; full += (r == 64) } else empty++ }
  }
}
END {
  if (!pkts) { print name ": no recvmmsg returned datagrams"; exit }
  span = last - first
  printf "%s trace: %d packets in %.1f ms: %.4f recvmmsg/packet (%.1f datagrams per non-empty call, %.0f%% full), " \
    "%.4f empty polls/packet, %.4f other syscalls/packet;\n", name, pkts, span * 1e3, calls / pkts,
    pkts / (calls - empty), 100 * full / (calls - empty), empty / pkts, others / pkts
  printf "%s trace: receiving thread per packet: %.0f ns in recvmmsg (traced), %.0f ns between calls; window %.0f ns" \
    "/packet\n", name, kernel / pkts * 1e9, user / pkts * 1e9, span / pkts * 1e9
  s = ""; for (k in other) s = s sprintf(" NR%d=%d%s", k, other[k], (k in rxother) ? "(rx " rxother[k] ")" : ""); print name " trace: other syscalls:" s
}
