#!/bin/sh
# Install Debian's nginx for the test of two app copies behind one proxy where it
# is missing. The test starts a throwaway nginx of its own (a copy of
# docs/deploy/nginx.conf on free ports) and stops it; nothing here starts one.
set -e
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "nginx is missing and this user cannot install it: run 'apt-get install nginx' as root." >&2
    exit 1
fi
echo "Installing Debian's nginx package for the proxy test..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
[ -x /usr/sbin/nginx ]
