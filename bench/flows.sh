#!/usr/bin/env bash
# bench/flows.sh: 'wirekit flows' against 'tshark -q -z conv,tcp' on the
# same ~1 GB 'wirekit gen' capture, in one run, printing the ratio of
# median times (tshark / wirekit: how many times faster wirekit is; the
# goal is >= 20), each tool's peak RSS (/usr/bin/time -v), the
# conversation counts, and wirekit's peak RSS at several --max-flows caps
# on a capture of many short UDP conversations (bench/flowgen): memory is
# bounded by the cap. Run by hand, not by CI:
#
#   bench/flows.sh                  # SIZE=1GB RUNS=3
#   SIZE=200MB RUNS=3 bench/flows.sh
#
# The capture lives in $BENCH_DIR (default /dev/shm when it has room, so
# the disk does not hide the CPU cost; else bench/.data).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-1GB}
RUNS=${RUNS:-3}
for t in tshark hyperfine jq /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench/flows.sh needs $t" >&2; exit 1; }
done
if [ -z "${BENCH_DIR:-}" ]; then
	if [ -d /dev/shm ] && [ "$(df -k --output=avail /dev/shm | tail -1)" -gt 3000000 ]; then
		BENCH_DIR=/dev/shm/wirekit-bench
	else
		BENCH_DIR=bench/.data
	fi
fi
mkdir -p "$BENCH_DIR" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit
cap=$BENCH_DIR/mix-$SIZE.pcap
[ -f "$cap" ] || "$bin" gen -w "$cap" --size "$SIZE" --seed 1 2>/dev/null
out=$BENCH_DIR/flows-out
mkdir -p "$out"

wk="$bin flows -r $cap --zeek"
ts="tshark -n -r $cap -q -z conv,tcp"

# median NAME CMD: hyperfine median in seconds (output to /dev/null).
median() {
	hyperfine -N --warmup 0 --runs "$RUNS" --output null --export-json "$out/$1.json" "$2" >/dev/null 2>&1
	jq '.results[0].median' "$out/$1.json"
}
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'; }

echo "capture: $cap, $(du -h "$cap" | cut -f1); $(nproc) CPUs; $RUNS runs, medians"
w=$(median wirekit "$wk")
t=$(median tshark "$ts")
echo "wirekit flows --zeek: $w s"
echo "tshark -q -z conv,tcp: $t s"
echo "ratio tshark/wirekit: $(awk -v a="$t" -v b="$w" 'BEGIN { printf "%.1f", a / b }')x (goal >= 20x)"
cpu() { jq '.results[0].user + .results[0].system' "$out/$1.json"; }
echo "CPU time (user+system, mean): wirekit $(cpu wirekit) s, tshark $(cpu tshark) s, ratio $(awk -v a="$(cpu tshark)" -v b="$(cpu wirekit)" 'BEGIN { printf "%.1f", a / b }')x"
echo "peak RSS: wirekit $(rss $wk) KB, tshark $(rss $ts) KB"
$wk >"$out/conn.log" 2>/dev/null
$ts >"$out/conv.txt" 2>/dev/null
echo "TCP conversations: wirekit $(awk -F'\t' '$7 == "tcp"' "$out/conn.log" | wc -l), tshark $(grep -c '<->' "$out/conv.txt")"

# Memory bounded by the cap: a capture of DNS lookups only (flowgen:
# about 2 million two-packet conversations in 4 million packets), with a
# 24 h UDP timeout so that every conversation stays open until the cap
# ends it.
many=$BENCH_DIR/many-conversations.pcap
if [ ! -f "$many" ]; then
	go build -o bench/.bin/flowgen ./bench/flowgen
	bench/.bin/flowgen -w "$many" -n 4000000
fi
echo "many conversations: $many, $(du -h "$many" | cut -f1)"
for cap_n in 1000 10000 100000 1000000 4000000; do
	line=$(/usr/bin/time -v $bin flows -r "$many" --json --max-flows "$cap_n" --udp-timeout 24h 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {rss = $2} /^[0-9]+ packets, / {sum = $0} END {print rss " KB; " sum}')
	echo "--max-flows $cap_n: peak RSS $line"
done
