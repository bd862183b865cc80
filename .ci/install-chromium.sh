#!/usr/bin/env bash
# Install Debian's headless Chromium for the HTML writer's browser tests (tests/browser.py).
# Idempotent: does nothing when a chromium binary is already on PATH. Needs root (CI runs as root).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    echo "install-chromium: $(chromium --version 2>/dev/null || echo chromium) already installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium: must run as root to apt-get install chromium; browser tests will be skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
echo "install-chromium: $(chromium --version)"
