#!/usr/bin/env bash
# Installs Debian's chromium, which test/browser/report.test.ts drives headless through
# playwright-core (executablePath /usr/bin/chromium). Installs only when missing; safe to run again.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  echo "install-browser: installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  # A mirror mid-sync may fail one foreign-arch index; the install below still says if it matters.
  apt-get update -qq || echo "install-browser: apt-get update reported errors; trying the install anyway"
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
