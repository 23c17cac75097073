#!/usr/bin/env bash
# Installs what the build needs from Debian 12's packages, and nothing when everything is there.
# Idempotent: asks dpkg which packages are missing and runs apt-get only for those.
# Usage: deploy/setup.sh [extra-package ...]
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libboost1.81-dev libboost-json1.81-dev  # Beast, Asio (header-only) and Boost.JSON
  libssl-dev                              # HMAC-SHA256 and constant-time compare
  libsqlitecpp-dev libsqlite3-dev         # SQLite through SQLiteCpp
  libtomlplusplus-dev                     # the TOML configuration file
  libpoppler-cpp-dev libzip-dev libpugixml-dev  # PDF and DOCX proposals: PDF text, DOCX archive, its XML
  prometheus-cpp-dev                      # /metrics in Prometheus text format (core library only)
  libgtest-dev                            # the test suite
  libyaml-cpp-dev                         # the deploy tests parse the Kubernetes and Slack manifests
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
