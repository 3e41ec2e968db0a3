#!/usr/bin/env bash
# Installs the real SSH servers and tools the SSH collector's tests start on 127.0.0.1:
# dropbear (dropbear-bin), OpenSSH sshd (openssh-server), the OpenSSH client tools
# (ssh-keygen, ssh-agent), BusyBox (the boards' ash). Installs only what is missing; safe to run again.
set -euo pipefail
need=()
command -v dropbear >/dev/null 2>&1 || [ -x /usr/sbin/dropbear ] || need+=(dropbear-bin)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 && command -v ssh-agent >/dev/null 2>&1 || need+=(openssh-client)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# BusyBox ash: the remote script is also run under the shell field boards have.
command -v busybox >/dev/null 2>&1 || need+=(busybox)
# useradd/chpasswd make the test users (a password login needs a real account).
command -v chpasswd >/dev/null 2>&1 || need+=(passwd)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-ssh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A mirror mid-sync may fail one foreign-arch index; the install below still says if it matters.
  apt-get update -qq || echo "install-ssh: apt-get update reported errors; trying the install anyway"
  # --no-install-recommends: no ssh-import-id, no xauth; policy-rc.d keeps the service off.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.mapsdiff && chmod +x /usr/sbin/policy-rc.d.mapsdiff
  if [ ! -e /usr/sbin/policy-rc.d ]; then cp /usr/sbin/policy-rc.d.mapsdiff /usr/sbin/policy-rc.d; trap 'rm -f /usr/sbin/policy-rc.d' EXIT; fi
  rm -f /usr/sbin/policy-rc.d.mapsdiff
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-ssh: dropbear $(dropbear -V 2>&1 | head -1 | tr -d '\n'); $(/usr/sbin/sshd -V 2>&1 | head -1)"
