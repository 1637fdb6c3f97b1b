#!/usr/bin/env bash
# A day's export into a store of about 10 million order lines, then a report: how long the
# report after the import takes (the facts refreshed for what the import touched), against
# the first report after the store's bulk import (the facts built whole), in the same run.
#
#   bash bench/refresh_10m.sh [LINES]
#
# Generates the demo's Taobao export files at LINES order lines in all (default 11.8
# million: the Taobao shop gets 85%), and splits its 订单报表 and 宝贝报表 into
#   - the store: every order created before the last day, the six days before it shown in
#     their earlier state (交易成功 orders as 卖家已发货，等待买家确认), and their lines;
#   - the day's export: the last seven days' orders in their final state (the last day's
#     new, the six before it updated, as a seven-day export from the seller backend is),
#     and their lines.
# Then, with the release build: imports the store (both reports in one command), times
# the first 30-day report (facts built whole), imports the day's export, times the report
# after it (facts refreshed), and a third report (facts fresh).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-11800000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/zhanggui-target}
# ZHANGGUI_BIN runs another build (a debug one, to try the script on a small store).
if [ -z "${ZHANGGUI_BIN:-}" ]; then
    cargo build --release
fi
bin=${ZHANGGUI_BIN:-$CARGO_TARGET_DIR/release/zhanggui}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo --files-only --lines "$lines" --out "$work/files" >/dev/null
python3 - "$bin" "$work" <<'PY'
import csv, datetime, glob, os, subprocess, sys, time

binary, work = sys.argv[1:3]
orders_path = glob.glob(f"{work}/files/ExportOrderList*.csv")[0]
lines_path = glob.glob(f"{work}/files/ExportOrderDetailList*.csv")[0]
SHIPPED, DONE = "卖家已发货，等待买家确认", "交易成功"

# Two streaming passes over the 订单报表 (it is gigabytes: never held in memory).
def stream(path):
    with open(path, encoding="gb18030", newline="") as f:
        reader = csv.reader(f)
        yield next(reader)
        yield from reader

orders = stream(orders_path)
header = next(orders)
no, state, created = header.index("订单编号"), header.index("订单状态"), header.index("订单创建时间")
day = lambda r: datetime.date.fromisoformat(r[created][:10])
last = max(day(r) for r in orders)
week = last - datetime.timedelta(days=6)
recent, last_day_orders = set(), set()
counts = dict.fromkeys(["store_orders", "day_orders", "store_lines", "day_lines"], 0)
paths = {name: f"{work}/{name}.csv" for name in counts}
files = {name: open(path, "w", encoding="gb18030", newline="") for name, path in paths.items()}
out = {name: csv.writer(f) for name, f in files.items()}
def put(name, row):
    out[name].writerow(row)
    counts[name] += 1
orders = stream(orders_path)
next(orders)
for name in ("store_orders", "day_orders"):
    out[name].writerow(header)
for r in orders:
    d = day(r)
    if d >= week:
        put("day_orders", r)
        recent.add(r[no])
    if d == last:
        last_day_orders.add(r[no])
    else:
        if d >= week and r[state] == DONE:
            r = list(r)
            r[state] = SHIPPED
        put("store_orders", r)
lines = stream(lines_path)
lheader = next(lines)
lno, lstate = lheader.index("订单编号"), lheader.index("订单状态")
for name in ("store_lines", "day_lines"):
    out[name].writerow(lheader)
for r in lines:
    if r[lno] in recent:
        put("day_lines", r)
    if r[lno] not in last_day_orders:
        if r[lno] in recent and r[lstate] == DONE:
            r = list(r)
            r[lstate] = SHIPPED
        put("store_lines", r)
for f in files.values():
    f.close()
print(f"store: {counts['store_orders']:,} orders, {counts['store_lines']:,} lines; "
      f"the day's export ({week} .. {last}): {counts['day_orders']:,} orders "
      f"({len(last_day_orders):,} new), {counts['day_lines']:,} lines")
db = f"{work}/bench.duckdb"
def run(*args):
    started = time.monotonic()
    subprocess.run([binary, "--db", db, *args], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started

run("shop", "add", "--platform", "taobao", "--name", "bench")
bulk = run("import", "--shop", "bench", paths["store_orders"], paths["store_lines"])
report = ("report", "--shop", "bench", "--period", "30d")
full = run(*report)
imported = run("import", "--shop", "bench", paths["day_orders"], paths["day_lines"])
refreshed = run(*report)
fresh = run(*report)
print(f"bulk import of the store: {bulk:.1f} s")
print(f"first report after the bulk import (facts built whole): {full:.2f} s")
print(f"import of the day's export: {imported:.2f} s")
print(f"report after it (facts refreshed for what it touched): {refreshed:.2f} s")
print(f"import + report: {imported + refreshed:.2f} s")
print(f"report again (facts fresh): {fresh:.2f} s")
print(f"ratio, report after the day's import / after the bulk import: {refreshed / full:.3f}")
PY
