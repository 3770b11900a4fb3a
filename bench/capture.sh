#!/usr/bin/env bash
# bench/capture.sh: live capture rate of 'wirekit capture -w' against
# 'tcpdump -w' on a veth pair, in one run. trafgen (netsniff-ng) sends
# COUNT 64-byte UDP frames from inside a network namespace at each rate of
# RATES (packets per second); the capturer writes to a pcap file in
# /dev/shm on the host end; after the send, SIGINT, and the closing counts
# ("packets captured", "dropped by kernel") are read. Each (tool, rate) is
# run RUNS times and the medians printed, with the rate trafgen achieved
# (frames / its run time) and the capturer's CPU time per captured packet
# (wirekit / tcpdump as "CPU ratio"); "held" is the highest achieved rate
# whose median run captured every frame with no kernel drop. Needs root, iproute2, trafgen, tcpdump.
# The machine's other load shows up in the figures: run it on a quiet host.
#
#   bench/capture.sh                     # RATES="100000 200000 max" COUNT=500000 RUNS=3 RING_KIB=2048
#   RATES="100000 1000000" COUNT=500000 bench/capture.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-100000 200000 max}
COUNT=${COUNT:-500000}
RUNS=${RUNS:-3}
RING_KIB=${RING_KIB:-2048}
for t in ip trafgen tcpdump; do
	command -v "$t" >/dev/null || { echo "bench/capture.sh needs $t" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench/capture.sh needs root" >&2; exit 1; }
mkdir -p bench/.bin
bin=$PWD/bench/.bin/wirekit
CGO_ENABLED=0 go build -o "$bin" ./cmd/wirekit

ns=wkcapbench$$ host=wkcb$$h peer=wkcb$$p
work=$(mktemp -d /dev/shm/wirekit-capbench.XXXXXX)
cleanup() {
	ip link del "$host" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip link add "$host" type veth peer name "$peer"
ip link set "$peer" netns "$ns"
ip link set "$host" up
ip -n "$ns" link set "$peer" up
# A UDP frame of 64 bytes to the host end's MAC (any MAC would do: the
# capture is promiscuous on both sides).
mac=$(cat /sys/class/net/"$host"/address)
m=$(echo "$mac" | sed 's/^/0x/; s/:/, 0x/g')
cat >"$work/udp.cfg" <<CFG
{ $m, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, c16(0x0800),
  0x45, 0x00, c16(50), c16(0), c16(0), 64, 17, csumip(14, 33),
  10, 215, 0, 2, 10, 215, 0, 1,
  c16(5000), c16(9), c16(30), c16(0),
  fill(0x77, 22) }
CFG

# run TOOL RATE: prints "captured dropped sent-rate cpu-us-per-packet" for
# one run (RATE max: trafgen as fast as it goes; CPU is the capturer's user
# plus system time over the packets it captured, at 10 ms resolution).
run() {
	local tool=$1 rate=$2 out=$work/out.pcap log=$work/log pid
	rm -f "$out" "$log"
	# /usr/bin/time reports the capturer's CPU time; it ignores SIGINT
	# itself, so the signal goes to its child.
	case $tool in
	wirekit) /usr/bin/time -f "%U %S" -o "$work/cpu" "$bin" capture -i "$host" -B "$RING_KIB" -w "$out" >/dev/null 2>"$log" & ;;
	tcpdump) /usr/bin/time -f "%U %S" -o "$work/cpu" tcpdump -i "$host" -B "$RING_KIB" -Z root -w "$out" >/dev/null 2>"$log" & ;;
	esac
	pid=$!
	for _ in $(seq 100); do grep -q "listening on" "$log" 2>/dev/null && break; sleep 0.05; done
	sleep 0.2
	local rateopt=(--rate "${rate}pps") t0 t1
	[ "$rate" = max ] && rateopt=()
	t0=$(date +%s.%N)
	ip netns exec "$ns" trafgen --dev "$peer" --conf "$work/udp.cfg" --num "$COUNT" "${rateopt[@]}" --cpus 1 --no-cpu-stats >/dev/null 2>&1
	t1=$(date +%s.%N)
	# libpcap retires a ring block after its 1 s timeout: wait past it.
	sleep 1.5
	pkill -INT -P "$pid"
	wait "$pid" || true
	local cap drop
	cap=$(awk '/packets captured/ { print $1 }' "$log")
	drop=$(awk '/dropped by kernel/ { print $1 }' "$log")
	echo "${cap:-0} ${drop:-0} $(awk -v n="$COUNT" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }') $(awk -v c="${cap:-0}" '{ if (c) printf "%.2f", ($1 + $2) * 1e6 / c; else print 0 }' "$work/cpu")"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "veth pair, trafgen sending $COUNT frames of 64 bytes per run at each rate; -B $RING_KIB KiB; median of $RUNS runs; $(nproc) CPUs"
printf '%-9s %10s  %-46s %-46s\n' "" "rate asked" "wirekit captured/dropped @sent, CPU/packet" "tcpdump captured/dropped @sent, CPU/packet"
declare -A held=([wirekit]=0 [tcpdump]=0) cpu=()
for rate in $RATES; do
	line=$(printf '%-9s %10s ' "" "$rate")
	for tool in wirekit tcpdump; do
		caps=() drops=() sent=() cpus=()
		for _ in $(seq "$RUNS"); do
			read -r c d r u < <(run "$tool" "$rate")
			caps+=("$c") drops+=("$d") sent+=("$r") cpus+=("$u")
		done
		mu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
		cpu[$tool]=$mu
		mc=$(printf '%s\n' "${caps[@]}" | median)
		md=$(printf '%s\n' "${drops[@]}" | median)
		ms=$(printf '%s\n' "${sent[@]}" | median)
		pct=$(awk -v c="$mc" -v d="$md" 'BEGIN { t = c + d; printf "%.2f", t ? 100 * d / t : 0 }')
		line+=$(printf ' %-46s' "$mc / $md ($pct%) @${ms}pps ${mu}us/pkt")
		if [ "$md" = 0 ] && [ "$mc" -ge "$COUNT" ] && [ "$ms" -gt "${held[$tool]}" ]; then held[$tool]=$ms; fi
	done
	echo "$line   CPU ratio $(awk -v a="${cpu[wirekit]}" -v b="${cpu[tcpdump]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
done
echo "held with zero kernel drops (every frame captured): wirekit ${held[wirekit]} pps, tcpdump ${held[tcpdump]} pps;" \
	"ratio $(awk -v a="${held[wirekit]}" -v b="${held[tcpdump]}" 'BEGIN { if (b) printf "%.2f", a / b; else print "n/a" }') (goal >= 1.5)"
