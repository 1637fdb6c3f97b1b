#!/usr/bin/env bash
# The members bench (docs/benchmarks.md): BG/NBD plus Gamma-Gamma on CDNOW against the
# Python `lifetimes` package in the same run, and a fit on a million generated customers.
# Makes (once) a virtual environment with lifetimes and pandas<3 under the user's cache.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${XDG_CACHE_HOME:-$HOME/.cache}/zhanggui-lifetimes-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet lifetimes 'pandas<3'
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zhanggui-target}"
ZHANGGUI_LIFETIMES_PYTHON="$venv/bin/python" cargo bench --workspace --bench members
