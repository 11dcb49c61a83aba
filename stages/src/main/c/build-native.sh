#!/usr/bin/env bash
# Builds the native copy helper into the module's classes (run by Maven at compile). Without gcc the build goes on:
# the receive path then uses its pure-Java copy, which produces identical frames.
set -u
src="$(dirname "$0")/kotekanj_copy.c"
out="$1/native/linux-x86_64"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[native] not Linux x86-64: skipping the native copy helper (the Java copy path will be used)"
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "[native] gcc not found: skipping the native copy helper (the Java copy path will be used)"
  exit 0
fi
mkdir -p "$out"
if gcc -O3 -msse2 -shared -fPIC -Wall -Wextra -Werror -o "$out/libkotekanj_copy.so" "$src"; then
  echo "[native] built $out/libkotekanj_copy.so"
else
  echo "[native] gcc failed: the Java copy path will be used"
fi
exit 0
