#!/bin/sh
# Start N copies of the app on ports 8601, 8602, ... for a proxy to share out
# (docs/deploy.md). Usage: sh scripts/replicas.sh [N]   (default 2; Ctrl+C stops all)
set -eu
cd "$(dirname "$0")/.."
N="${1:-2}"
[ -x .venv/bin/python ] || { echo "Run 'make run' or 'make test' once first to install."; exit 1; }
# One secret for every copy, so a cookie signed by one is valid on all (made
# fresh at each start, kept only in this shell's environment).
STREAMLIT_SERVER_COOKIE_SECRET="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')"
export STREAMLIT_SERVER_COOKIE_SECRET
pids=""
trap 'kill $pids 2>/dev/null' INT TERM EXIT
i=1
while [ "$i" -le "$N" ]; do
    .venv/bin/python -m ui.launch --no-browser --address 127.0.0.1 --port $((8600 + i)) &
    pids="$pids $!"
    i=$((i + 1))
done
wait
