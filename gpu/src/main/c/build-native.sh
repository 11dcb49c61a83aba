#!/usr/bin/env bash
# Builds the native correlator helper into the module's classes (run by Maven at compile). Without gcc the build goes on:
# the CPU correlator then uses its Vector API kernel, which computes identical sums.
set -u
src="$(dirname "$0")/kotekanj_corr.c"
out="$1/native/linux-x86_64"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[native] not Linux x86-64: skipping the native correlator helper (the Vector API kernel will be used)"
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "[native] gcc not found: skipping the native correlator helper (the Vector API kernel will be used)"
  exit 0
fi
mkdir -p "$out"
if gcc -O3 -shared -fPIC -Wall -Wextra -Werror -o "$out/libkotekanj_corr.so" "$src"; then
  echo "[native] built $out/libkotekanj_corr.so"
else
  echo "[native] gcc failed: the Vector API kernel will be used"
fi
exit 0
