#!/usr/bin/env bash
# bench/replay.sh: 'wirekit replay' against tcpreplay, in one run, on a
# generated set of three captures whose packets interleave in time (and
# their merge, for tcpreplay, which takes one file):
#
#  1. top speed: median time (hyperfine) of replaying the set onto a veth
#     pair, wirekit / tcpreplay --topspeed (below 1: wirekit is faster);
#     wirekit into its null sink and into a file (vs mergecap) for scale;
#  2. pacing at the original timing: each tool replays the merged set onto
#     the veth while 'wirekit capture' records it on the peer inside a
#     network namespace; bench/replaycmp compares the capture with the
#     original: error of each packet's offset from the first and of each
#     gap (median/p99/max, µs), of the last packet, and of the whole span
#     (%), median over RUNS;
#  3. the same at time modifiers 0.5, 2 and 3.7 (tcpreplay -x);
#  4. the same on a bursty set (replaycmp -bursty: gaps from 1 µs to 1 s)
#     of BURSTY_SECONDS (default 60; 0 skips it; it takes 3 x RUNS x that).
# wirekit is run twice in 2-4: as is, and with --realtime (SCHED_FIFO).
#
# Needs root, iproute2, tcpreplay, mergecap, hyperfine, jq. The veth peer
# lives in a namespace of its own, so replayed packets go nowhere else.
# Run by hand, not by CI:
#
#   sudo bench/replay.sh                        # PACKETS=20000 per file, RUNS=3
#   PACKETS=5000 BURSTY_SECONDS=0 sudo bench/replay.sh   # quick
set -euo pipefail
cd "$(dirname "$0")/.."
PACKETS=${PACKETS:-20000}
RUNS=${RUNS:-3}
for t in ip tcpreplay mergecap hyperfine jq; do
	command -v "$t" >/dev/null || { echo "bench/replay.sh needs $t" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench/replay.sh needs root (veth, namespace, AF_PACKET)" >&2; exit 1; }

BENCH_DIR=${BENCH_DIR:-/dev/shm/wirekit-bench-replay}
mkdir -p "$BENCH_DIR/set" bench/.bin
bin=bench/.bin/wirekit cmp=bench/.bin/replaycmp
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit
CGO_ENABLED=0 go build -o "$cmp" ./bench/replaycmp

files=()
for i in 1 2 3; do
	f=$BENCH_DIR/set/w$i-$PACKETS.pcap
	[ -f "$f" ] || "$bin" gen -w "$f" --packets "$PACKETS" --seed "$i" >/dev/null
	files+=("$f")
done
merged=$BENCH_DIR/merged-$PACKETS.pcap
[ -f "$merged" ] || "$bin" read -r "${files[0]}" -r "${files[1]}" -r "${files[2]}" -w "$merged"
total=$((3 * PACKETS))

ns=wkbench$$ host=wkbh$$ peer=wkbp$$
cleanup() {
	ip link del "$host" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip link add "$host" type veth peer name "$peer"
ip link set "$peer" netns "$ns"
ip link set "$host" up
ip -n "$ns" link set "$peer" up
# No IPv6 on the host side: no router or neighbour solicitations in the way.
sysctl -qw "net.ipv6.conf.$host.disable_ipv6=1" || true

out=$BENCH_DIR/out
mkdir -p "$out"
median() {
	hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out/$1.json" "$2" >/dev/null 2>&1 ||
		hyperfine --warmup 1 --runs "$RUNS" --export-json "$out/$1.json" "$2" >/dev/null
	jq '.results[0].median' "$out/$1.json"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
secs() { awk -v a="$1" 'BEGIN { printf "%.4f", a }'; }
pps() { awk -v n="$total" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }

echo "bench/replay.sh $(git rev-parse --short HEAD 2>/dev/null), $(date -u +%FT%TZ)"
echo "set: 3 files x $PACKETS packets ($(du -shL "$merged" | cut -f1) merged), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg); $(tcpreplay -V 2>&1 | head -1); $RUNS runs, medians"
echo
echo "== top speed ($total packets)"
t_tr=$(median tcpreplay "tcpreplay -q --topspeed -i $host $merged")
t_wk=$(median wk-veth "$bin replay --topspeed --skip-oversize --out-interface $host ${files[*]}")
t_wm=$(median wk-veth-merged "$bin replay --topspeed --skip-oversize --out-interface $host $merged")
t_null=$(median wk-null "$bin replay --topspeed --null ${files[*]}")
t_file=$(median wk-file "$bin replay --topspeed --keep-timestamps -w $BENCH_DIR/replayed.pcap ${files[*]}")
t_mc=$(median mergecap "mergecap -w $BENCH_DIR/mergecap.pcap ${files[*]}")
printf "%-44s %9s s %10s pps\n" "tcpreplay --topspeed, veth (merged file)" "$(secs "$t_tr")" "$(pps "$t_tr")"
printf "%-44s %9s s %10s pps   ratio %s (goal <= 1)\n" "wirekit --topspeed, veth (3 files)" "$(secs "$t_wk")" "$(pps "$t_wk")" "$(ratio "$t_wk" "$t_tr")"
printf "%-44s %9s s %10s pps   ratio %s\n" "wirekit --topspeed, veth (merged file)" "$(secs "$t_wm")" "$(pps "$t_wm")" "$(ratio "$t_wm" "$t_tr")"
printf "%-44s %9s s %10s pps   ratio %s (vs tcpreplay on veth)\n" "wirekit --topspeed --null (3 files)" "$(secs "$t_null")" "$(pps "$t_null")" "$(ratio "$t_null" "$t_tr")"
printf "%-44s %9s s %10s pps   ratio %s (vs mergecap %s s)\n" "wirekit --topspeed -w file (3 files)" "$(secs "$t_file")" "$(pps "$t_file")" "$(ratio "$t_file" "$t_mc")" "$(secs "$t_mc")"

# Frames over the MTU (the generator's QinQ frames at 1522 bytes): tcpreplay
# counts them as failed, wirekit (--skip-oversize) as oversize.
echo "tcpreplay: $(tcpreplay --topspeed -i "$host" "$merged" 2>&1 | grep -o 'Failed packets: *[0-9]*')"
echo "wirekit:   $("$bin" replay --topspeed --skip-oversize --out-interface "$host" "${files[@]}" | grep -o 'oversize [0-9]* (skipped)')"
echo
echo "== pacing at the original timing, generated set (errors in µs, medians of $RUNS runs)"
# paced NAME ORIGINAL MODIFIER CMD...: capture on the peer while CMD
# replays; compare with ORIGINAL at MODIFIER.
paced() {
	local name=$1 orig=$2 mod=$3
	shift 3
	: >"$out/$name.txt"
	for r in $(seq "$RUNS"); do
		local capf=$BENCH_DIR/cap-$name.pcap
		rm -f "$capf"
		ip netns exec "$ns" "$bin" capture -i "$peer" -p -w "$capf" 2>/dev/null &
		local cpid=$!
		sleep 0.5
		"$@" >/dev/null 2>&1
		sleep 0.3
		kill -INT "$cpid"
		wait "$cpid" || true
		"$cmp" -modifier "$mod" "$orig" "$capf" >>"$out/$name.txt"
	done
}
field() { grep -o "\(^\| \)$2=[^ ]*" "$out/$1.txt" | cut -d= -f2 | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
header() { printf "%-16s %9s %9s %9s %9s %9s %9s %9s %9s %13s %s\n" tool off_p50 off_p99 off_max gap_p50 gap_p99 gap_max last span_err% matched span_s; }
row() {
	printf "%-16s %9s %9s %9s %9s %9s %9s %9s %9s %13s %s\n" "$1" "$(field "$1" off_p50)" "$(field "$1" off_p99)" "$(field "$1" off_max)" \
		"$(field "$1" gap_p50)" "$(field "$1" gap_p99)" "$(field "$1" gap_max)" "$(field "$1" last)" "$(field "$1" span_err_pct)" \
		"$(field "$1" matched)/$(field "$1" total)" "$(field "$1" span_s)"
}
paced tcpreplay "$merged" 1 tcpreplay -q -i "$host" "$merged"
paced wirekit "$merged" 1 "$bin" replay --skip-oversize --out-interface "$host" "${files[@]}"
paced wirekit-rt "$merged" 1 "$bin" replay --realtime --skip-oversize --out-interface "$host" "${files[@]}"
header
row tcpreplay
row wirekit
row wirekit-rt
for m in off_p50 off_p99 gap_p50 gap_p99; do
	printf "%s ratio wirekit/tcpreplay: %s\n" "$m" "$(ratio "$(field wirekit $m)" "$(field tcpreplay $m)")"
done

echo
echo "== time modifiers on the generated set (wirekit --time-modifier X vs tcpreplay -x X; medians of $RUNS runs)"
header
for x in 0.5 2 3.7; do
	paced "tcpreplay-x$x" "$merged" "$x" tcpreplay -q -x "$x" -i "$host" "$merged"
	paced "wirekit-x$x" "$merged" "$x" "$bin" replay --time-modifier "$x" --skip-oversize --out-interface "$host" "${files[@]}"
	paced "wirekit-rt-x$x" "$merged" "$x" "$bin" replay --realtime --time-modifier "$x" --skip-oversize --out-interface "$host" "${files[@]}"
	row "tcpreplay-x$x"
	row "wirekit-x$x"
	row "wirekit-rt-x$x"
done

if [ "${BURSTY_SECONDS:-60}" != 0 ]; then
	echo
	echo "== bursty set: gaps log-uniform from 1 µs to 1 s over ${BURSTY_SECONDS:-60} s, 3 interleaved files (medians of $RUNS runs)"
	b=$BENCH_DIR/bursty-${BURSTY_SECONDS:-60}
	[ -f "$b.0.pcap" ] || "$cmp" -bursty "$b" -seconds "${BURSTY_SECONDS:-60}"
	[ -f "$b.merged.pcap" ] || "$bin" read -r "$b.0.pcap" -r "$b.1.pcap" -r "$b.2.pcap" -w "$b.merged.pcap" 2>/dev/null
	paced tcpreplay-bursty "$b.merged.pcap" 1 tcpreplay -q -i "$host" "$b.merged.pcap"
	paced wirekit-bursty "$b.merged.pcap" 1 "$bin" replay --out-interface "$host" "$b.0.pcap" "$b.1.pcap" "$b.2.pcap"
	paced wirekit-rt-bursty "$b.merged.pcap" 1 "$bin" replay --realtime --out-interface "$host" "$b.0.pcap" "$b.1.pcap" "$b.2.pcap"
	header
	row tcpreplay-bursty
	row wirekit-bursty
	row wirekit-rt-bursty
fi
echo "(goals from the issue: gap error median < 10 µs, p99 < 100 µs; last packet within 1000 µs; span within 0.5 %)"
