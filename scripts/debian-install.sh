#!/bin/sh
# Install one of Debian's packages, as root or with sudo; used by the ensure-*.sh
# scripts once they have found the package missing.
# Usage: sh scripts/debian-install.sh PACKAGE "what it is for"
set -e
PACKAGE="$1"
PURPOSE="$2"
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "$PACKAGE is missing and this user cannot install it: run 'apt-get install $PACKAGE' as root." >&2
    exit 1
fi
echo "Installing Debian's $PACKAGE package for $PURPOSE..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$PACKAGE" >/dev/null
