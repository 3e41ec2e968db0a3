#!/usr/bin/env bash
# Installs what the completion and man page tests run: zsh and fish (the completion scripts
# are run in each real shell), man-db and groff-base (`man -l man/mapsdiff.1` renders the page).
# Installs only what is missing; safe to run again.
set -euo pipefail
need=()
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
command -v man >/dev/null 2>&1 || need+=(man-db)
command -v groff >/dev/null 2>&1 || need+=(groff-base)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-shells: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || echo "install-shells: apt-get update reported errors; trying the install anyway"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-shells: $(zsh --version); $(fish --version); $(man --version)"
