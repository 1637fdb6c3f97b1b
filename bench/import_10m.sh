#!/usr/bin/env bash
# Peak memory of importing a generated Taobao 宝贝报表 of about 10 million order lines.
#
#   bash bench/import_10m.sh [LINES]
#
# Generates the demo export files (the Taobao shop gets 85% of the lines), imports the
# 宝贝报表 into a fresh database with the release build, and prints the time and the peak
# resident memory of the import process.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-11800000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/zhanggui-target}
cargo build --release
bin=$CARGO_TARGET_DIR/release/zhanggui
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo --files-only --lines "$lines" --out "$work/files" >/dev/null
lines_file=$(ls "$work"/files/ExportOrderDetailList*.csv)
echo "file: $(basename "$lines_file"), $(du -h "$lines_file" | cut -f1), $(($(wc -l < "$lines_file") - 1)) lines"
"$bin" --db "$work/bench.duckdb" shop add --platform taobao --name bench >/dev/null
python3 - "$bin" "$work/bench.duckdb" "$lines_file" <<'PY'
import resource, subprocess, sys, time
binary, db, path = sys.argv[1:4]
started = time.monotonic()
subprocess.run([binary, "--db", db, "import", "--shop", "bench", path], check=True, stdout=subprocess.DEVNULL)
elapsed = time.monotonic() - started
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"import: {elapsed:.1f} s, peak resident memory {peak_kib / 1024:.0f} MiB")
PY
