#!/usr/bin/env bash
# Builds one native helper into a module's classes (run by Maven at process-classes). Without gcc, or off Linux
# x86-64, the build goes on: every helper has a pure-Java path beside it that produces identical results.
#   build-native.sh OUTPUT_DIR SOURCE.c LIBNAME WHAT FALLBACK [GCC_FLAG...]
set -u
classes="$1" src="$2" lib="$3" what="$4" fallback="$5"
shift 5
out="$classes/native/linux-x86_64"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[native] not Linux x86-64: skipping the native $what ($fallback will be used)"
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "[native] gcc not found: skipping the native $what ($fallback will be used)"
  exit 0
fi
mkdir -p "$out"
if gcc -O3 "$@" -shared -fPIC -Wall -Wextra -Werror -o "$out/lib$lib.so" "$src"; then
  echo "[native] built $out/lib$lib.so"
else
  echo "[native] gcc failed: $fallback will be used"
fi
exit 0
