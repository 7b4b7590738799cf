#!/bin/sh
# Install Debian's PostgreSQL server for the storage tests where it is missing.
# The tests start a throwaway server of their own (tests/postgres.py) on a free
# local port and stop it when they end; nothing here starts a server.
set -e
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "PostgreSQL is missing and this user cannot install it: run 'apt-get install postgresql' as root." >&2
    exit 1
fi
echo "Installing Debian's postgresql package for the storage tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
