#!/bin/sh
# Install Debian's Chromium for the browser tests where it is missing.
# Browsers cannot be downloaded by Playwright here; Debian's package is used
# through Playwright's executable_path instead.
set -e
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
sh "$(dirname "$0")/debian-install.sh" chromium "the browser tests"
command -v chromium >/dev/null 2>&1
