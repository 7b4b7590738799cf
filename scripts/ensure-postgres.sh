#!/bin/sh
# Install Debian's PostgreSQL server for the storage tests where it is missing.
# The tests start a throwaway server of their own (tests/postgres.py) on a free
# local port and stop it when they end; nothing here starts a server.
set -e
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
sh "$(dirname "$0")/debian-install.sh" postgresql "the storage tests"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
