#!/usr/bin/env bash
# Speed of the profit model by product over 12 months on a store of about 10 million order
# lines (with the demo's cost sheet, bill, expense sheet and ad spend), against hand-written
# DuckDB SQL computing the same per-product figures.
#
#   bash bench/profit_10m.sh [DB]
#
# Builds the demo store at 11.8 million order lines (the Taobao shop gets 85%: about 10
# million) into DB (default: a temporary file, removed afterwards; give a path to keep it
# for later runs), then runs the profit bench against it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/zhanggui-target}
cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=${1:-$work/big.duckdb}
if [ ! -e "$db" ]; then
    "$CARGO_TARGET_DIR/release/zhanggui" demo --no-serve --lines 11800000 --out "$work/files" --into "$db" >/dev/null
fi
# Two runs of each: a hand-written run takes about half a minute on this store.
ZHANGGUI_BENCH_RUNS=${ZHANGGUI_BENCH_RUNS:-2} ZHANGGUI_BENCH_DB="$db" cargo bench --workspace --bench profit
