#!/bin/sh
# Install Debian's nginx for the test of two app copies behind one proxy where it
# is missing. The test starts a throwaway nginx of its own (a copy of
# docs/deploy/nginx.conf on free ports) and stops it; nothing here starts one.
set -e
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    exit 0
fi
sh "$(dirname "$0")/debian-install.sh" nginx "the proxy test"
[ -x /usr/sbin/nginx ]
