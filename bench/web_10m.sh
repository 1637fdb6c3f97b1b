#!/usr/bin/env bash
# Speed of the web cockpit on a store of about 10 million order lines: the overview page
# for 12 months, cold (first request after start) and warm, and the overview API under
# wrk (requests per second and latency percentiles) beside a static file, the server's
# own ceiling on this machine.
#
#   bash bench/web_10m.sh DB
#
# DB: a database built by `bash bench/report_10m.sh DB` (kept between runs). Needs curl,
# wrk and python3 (Debian packages curl, wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/zhanggui-target}
db=${1:?give the database built by bench/report_10m.sh}
cargo build --release
bin="$CARGO_TARGET_DIR/release/zhanggui"
port=${PORT:-8765}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

ZHANGGUI_PASSWORD=bench-password-1 "$bin" --db "$db" user add --owner bench >/dev/null 2>&1 || true
ZHANGGUI_LOG=warn "$bin" --db "$db" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
started=$(date +%s.%N)
until grep -q "serving on" "$work/server.log"; do sleep 0.2; done
echo "server ready (derived tables up to date) in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s"

curl -s -c "$work/jar" -H 'content-type: application/json' \
    -d '{"login":"bench","password":"bench-password-1"}' "$base/api/v1/session" >/dev/null
cookie=$(awk '$6 == "zg_session" {print "zg_session=" $7}' "$work/jar")
to=$(curl -s -b "$work/jar" "$base/api/v1/overview?shop=demo-taobao&period=today" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["period"]["to"])')
from=$(date -d "$to - 364 days" +%F)
q="shop=demo-taobao&period=custom&from=$from&to=$to&compare=prev"
echo "12 months: $from .. $to"

time_of() { curl -s -o /dev/null -w '%{time_total}\n' -b "$work/jar" "$1"; }
echo "overview page, cold: $(time_of "$base/?$q") s"
for _ in $(seq 20); do time_of "$base/?$q"; done | sort -n |
    awk '{a[NR]=$1} END {printf "overview page, warm (20 requests): median %.1f ms, max %.1f ms\n", a[int((NR+1)/2)]*1000, a[NR]*1000}'

echo "== wrk: overview API (12 months), 2 threads, 32 connections, 20 s"
wrk -t2 -c32 -d20s --latency -H "Cookie: $cookie" "$base/api/v1/overview?$q"
echo "== wrk: static stylesheet (the server's ceiling)"
wrk -t2 -c32 -d20s --latency "$base/static/app.css"
