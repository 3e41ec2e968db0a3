#!/usr/bin/env bash
# Build one qemu board of ../shared/board (cached in $BOARD_CACHE/ARCH).
# The board's cache keeps the unpacked Debian packages ("stage") once they are unpacked; when
# Debian publishes a newer kernel (a bookworm-security update moves linux-image-armmp from
# 6.1.0-50 to 6.1.0-57, say), build.sh downloads the new kernel package but keeps the old stage,
# which has no lib/modules/NEW, and fails in its modules.dep grep. A stage without the modules
# of the kernel build.sh resolved is stale: remove it and build once more. Any other failure
# stays a failure.
set -euo pipefail
arch=$1
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${BOARD_CACHE:-$HOME/.cache/mapsdiff-board}/$arch
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if bash "$here/../shared/board/build.sh" "$arch" 2>&1 | tee "$log"; then exit 0; fi
kver=$(sed -n 's/.*kernel package .* (KVER=\([^)]*\)).*/\1/p' "$log" | tail -1)
if [ -n "$kver" ] && [ -d "$cache/stage" ] && [ ! -e "$cache/stage/lib/modules/$kver/modules.dep" ]; then
  echo "== board $arch: the cached stage has no modules for kernel $kver (it holds: $(ls "$cache/stage/lib/modules" 2>/dev/null | tr '\n' ' ')); rebuilding it"
  rm -rf "$cache/stage"
  exec bash "$here/../shared/board/build.sh" "$arch"
fi
exit 1
