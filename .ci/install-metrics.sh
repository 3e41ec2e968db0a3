#!/usr/bin/env bash
# Installs the real metrics engines the fleet tests start on 127.0.0.1: Debian's prometheus
# (prometheus and promtool) and victoria-metrics (victoria-metrics). Installs only what is
# missing; safe to run again. The packages' services are kept off: the tests start their own.
set -euo pipefail
need=()
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || need+=(prometheus)
command -v victoria-metrics >/dev/null 2>&1 || [ -x /usr/bin/victoria-metrics ] || need+=(victoria-metrics)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-metrics: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || echo "install-metrics: apt-get update reported errors; trying the install anyway"
  # policy-rc.d keeps the packages' own services from starting on install.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-metrics: $(prometheus --version 2>&1 | head -1); victoria-metrics $(dpkg-query -W -f '${Version}' victoria-metrics 2>/dev/null)"
