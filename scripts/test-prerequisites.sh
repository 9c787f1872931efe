#!/usr/bin/env bash
# What the test suite drives besides Node: Debian's docker-compose (validates the compose file),
# promtool from the prometheus package (checks the alert rules) and Chromium (the console's
# browser tests). `npm test` runs this first (npm's pretest hook), and so does CI through it.
# Missing tools are installed with apt when this runs as root; otherwise it stops with one line
# naming them, never a silent skip.
set -euo pipefail

missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test prerequisites missing: ${missing[*]}; install them (Debian: sudo apt-get install -y ${missing[*]}) and run again" >&2
  exit 1
fi

echo "[test] installing ${missing[*]} with apt"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi
# Debian's prometheus package may start a server; the tests need only promtool.
pkill -x prometheus >/dev/null 2>&1 || true
