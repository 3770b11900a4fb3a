#!/usr/bin/env bash
# bench/run.sh: wirekit against tcpdump on the same ~1 GB synthetic capture,
# in one run, printing the ratio of median times (wirekit / tcpdump; below 1
# means wirekit is faster). Run by hand, not by CI:
#
#   bench/run.sh            # SIZE=1GB by default
#   SIZE=200MB RUNS=3 bench/run.sh
#
# The capture and outputs live in $BENCH_DIR (default: /dev/shm when it has
# room, so the disk does not hide the CPU cost; else bench/.data).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-1GB}
RUNS=${RUNS:-5}

need() { command -v "$1" >/dev/null 2>&1 || { echo "installing $2"; DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >/dev/null; }; }
need tcpdump tcpdump
need hyperfine hyperfine

if [ -z "${BENCH_DIR:-}" ]; then
	if [ -d /dev/shm ] && [ "$(df -k --output=avail /dev/shm | tail -1)" -gt 4000000 ]; then
		BENCH_DIR=/dev/shm/wirekit-bench
	else
		BENCH_DIR=bench/.data
	fi
fi
mkdir -p "$BENCH_DIR" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit

in="$BENCH_DIR/bench-$SIZE.pcap"
if [ ! -s "$in" ]; then
	echo "generating $in"
	"$bin" gen -w "$in" --size "$SIZE" --seed 1
fi
echo "input: $in ($(du -h "$in" | cut -f1)), $(tcpdump -r "$in" -n 2>/dev/null | wc -l) packets"
echo "machine: $(nproc) cores, $(uname -r), $(tcpdump --version 2>&1 | head -2 | tr '\n' ' ')"
echo

csv="$BENCH_DIR/results.csv"
run_pair() { # name, tcpdump command, wirekit command
	hyperfine --style basic --warmup 1 --runs "$RUNS" --export-csv "$csv" \
		-n tcpdump "$2" -n wirekit "$3" >/dev/null 2>&1
	awk -F, -v name="$1" 'NR>1 { m[$1]=$4 } END {
		printf "%-28s tcpdump %8.3fs  wirekit %8.3fs  ratio %.2f\n", name, m["tcpdump"], m["wirekit"], m["wirekit"]/m["tcpdump"] }' "$csv"
}

run_pair "read -r in -w out" \
	"tcpdump -r $in -w $BENCH_DIR/out-tcpdump.pcap 2>/dev/null" \
	"$bin read -r $in -w $BENCH_DIR/out-wirekit.pcap 2>/dev/null"
cmp -s "$BENCH_DIR/out-tcpdump.pcap" "$BENCH_DIR/out-wirekit.pcap" && echo "-w outputs: byte-identical" || echo "-w outputs: differ (see $BENCH_DIR)"
# Filtering end to end, with expressions that keep part of the traffic.
for expr in "tcp dst port 443" "udp and port 53" "host 10.0.0.1 or net 192.0.2.0/24" "tcp[tcpflags] & tcp-syn != 0"; do
	run_pair "read -w '$expr'" \
		"tcpdump -r $in -w $BENCH_DIR/out-tcpdump.pcap '$expr' 2>/dev/null" \
		"$bin read -r $in -w $BENCH_DIR/out-wirekit.pcap '$expr' 2>/dev/null"
	cmp -s "$BENCH_DIR/out-tcpdump.pcap" "$BENCH_DIR/out-wirekit.pcap" && echo "  outputs byte-identical ($(tcpdump -r $BENCH_DIR/out-wirekit.pcap 2>/dev/null | wc -l) packets)" || echo "  outputs differ (see $BENCH_DIR)"
done
run_pair "print summaries (-n -r)" \
	"tcpdump -n -r $in >/dev/null 2>&1" \
	"$bin read -r $in >/dev/null 2>&1"
run_pair "print, 1 packet in 1 file" \
	"tcpdump -n -c 1 -r $in >/dev/null 2>&1" \
	"$bin read -c 1 -r $in >/dev/null 2>&1"
cmp -s "$BENCH_DIR/out-tcpdump.pcap" "$BENCH_DIR/out-wirekit.pcap" && echo "-w outputs: byte-identical" || echo "-w outputs: differ (see $BENCH_DIR)"
rm -f "$BENCH_DIR/out-tcpdump.pcap" "$BENCH_DIR/out-wirekit.pcap"
