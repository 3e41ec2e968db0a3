#!/usr/bin/env bash
# Installs socat, which the serial: tests use to join a pseudo-terminal (a stand-in for
# /dev/ttyUSB0) to the qemu board's UART socket. The serialport npm package needs nothing
# here: its linux x64/arm/arm64 binding ships prebuilt. Installs only what is missing.
set -euo pipefail
if ! command -v socat >/dev/null 2>&1; then
  echo "install-serial: installing socat"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || echo "install-serial: apt-get update reported errors; trying the install anyway"
  apt-get install -y -qq --no-install-recommends socat >/dev/null
fi
echo "install-serial: $(socat -V 2>/dev/null | grep -m1 'socat version')"
