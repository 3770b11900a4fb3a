#!/usr/bin/env bash
# bench/capture.sh: live capture rate and CPU of 'wirekit capture -w'
# against 'tcpdump -w' on a veth pair, in one run. A sender in a network
# namespace sends COUNT 64-byte UDP frames to the host end at each rate of
# RATES (frames per second, "max" for as fast as it goes); the capturer
# writes a pcap file in /dev/shm on the host end; after the send (and 1.5
# s, past libpcap's 1 s block timeout), SIGINT, and the closing counts
# ("packets captured", "dropped by kernel") are read. Each (ring, rate,
# tool) is run RUNS times, alternating the tools, and the medians printed:
# frames captured and dropped, the rate the sender reached, and the
# capturer's CPU time (user + system, from bash's time, 1 ms resolution)
# per captured packet; "CPU ratio" is wirekit's over tcpdump's. "held" is
# the highest sender rate whose median run captured every frame with no
# kernel drop. Each line ends with the 1-minute load average: the machine
# may be shared, and its other load shows in the figures.
#
# SENDER=capsend (default) is bench/capsend: wirekit's own injector,
# capture.Writer with sendmmsg batches of 64, paced per batch; it reached
# 1.9M frames/s here with no capturer. SENDER=trafgen uses netsniff-ng's
# trafgen (0.25-0.30M frames/s on the same 2-CPU machine).
#
# Needs root, iproute2, tcpdump (and trafgen for SENDER=trafgen).
#
#   bench/capture.sh                    # RATES="250000 500000 1000000 max" RINGS="32768 512" COUNT=1000000 RUNS=3
#   RATES=max RINGS=2048 RUNS=5 bench/capture.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-250000 500000 1000000 max}
RINGS=${RINGS:-32768 512}
COUNT=${COUNT:-1000000}
RUNS=${RUNS:-3}
SENDER=${SENDER:-capsend}
need=(ip tcpdump)
[ "$SENDER" = trafgen ] && need+=(trafgen)
for t in "${need[@]}"; do
	command -v "$t" >/dev/null || { echo "bench/capture.sh needs $t" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench/capture.sh needs root" >&2; exit 1; }
mkdir -p bench/.bin
bin=$PWD/bench/.bin/wirekit send=$PWD/bench/.bin/capsend
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit
CGO_ENABLED=0 go build -o "$send" ./bench/capsend

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
mac=$(cat /sys/class/net/"$host"/address)
# The same frame for trafgen: 64 bytes, 10.215.0.2:5000 -> 10.215.0.1:9.
m=$(echo "$mac" | sed 's/^/0x/; s/:/, 0x/g')
cat >"$work/udp.cfg" <<CFG
{ $m, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, c16(0x0800),
  0x45, 0x00, c16(50), c16(0), c16(0), 64, 17, csumip(14, 33),
  10, 215, 0, 2, 10, 215, 0, 1,
  c16(5000), c16(9), c16(30), c16(0),
  fill(0x77, 22) }
CFG

# sendit RATE: sends COUNT frames from the namespace; prints the rate
# reached (frames / seconds of the send).
sendit() {
	local rate=$1 t0 t1
	if [ "$SENDER" = trafgen ]; then
		local rateopt=(--rate "${rate}pps")
		[ "$rate" = max ] && rateopt=()
		t0=$(date +%s.%N)
		ip netns exec "$ns" trafgen --dev "$peer" --conf "$work/udp.cfg" --num "$COUNT" "${rateopt[@]}" --cpus 1 --no-cpu-stats >/dev/null 2>&1
		t1=$(date +%s.%N)
		awk -v n="$COUNT" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
		return
	fi
	local pps=$rate
	[ "$rate" = max ] && pps=0
	ip netns exec "$ns" "$send" -i "$peer" -n "$COUNT" -pps "$pps" -dst "$mac" | awk '{ print $NF == "pps" ? $(NF-1) : 0 }'
}

# run TOOL RING RATE: prints "captured dropped sent-rate cpu-us-per-packet"
# for one run.
run() {
	local tool=$1 ring=$2 rate=$3 out=$work/out.pcap log=$work/log pid sent
	rm -f "$out" "$log" "$work/cpu"
	TIMEFORMAT="%3U %3S"
	case $tool in
	wirekit) { time "$bin" capture -i "$host" -B "$ring" -w "$out" >/dev/null 2>"$log"; } 2>"$work/cpu" & ;;
	tcpdump) { time tcpdump -i "$host" -B "$ring" -Z root -w "$out" >/dev/null 2>"$log"; } 2>"$work/cpu" & ;;
	esac
	pid=$!
	for _ in $(seq 100); do grep -q "listening on" "$log" 2>/dev/null && break; sleep 0.05; done
	sleep 0.2
	sent=$(sendit "$rate")
	sleep 1.5
	pkill -INT -P "$pid"
	wait "$pid" || true
	local cap drop
	cap=$(awk '/packets captured/ { print $1 }' "$log")
	drop=$(awk '/dropped by kernel/ { print $1 }' "$log")
	echo "${cap:-0} ${drop:-0} $sent $(awk -v c="${cap:-0}" '{ if (c) printf "%.3f", ($1 + $2) * 1e6 / c; else print 0 }' "$work/cpu")"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "veth pair, $SENDER sending $COUNT frames of 64 bytes per run; median of $RUNS runs; $(nproc) CPUs; $(date -u +%FT%TZ)"
for ring in $RINGS; do
	echo "-B $ring KiB"
	printf '  %10s  %-44s %-44s %-9s %s\n' "rate asked" "wirekit captured/dropped @sent, CPU/packet" "tcpdump captured/dropped @sent, CPU/packet" "CPU ratio" "load"
	declare -A held=([wirekit]=0 [tcpdump]=0) cpu=() caps=() drops=() sent=() cpus=() lastpct=()
	for rate in $RATES; do
		for tool in wirekit tcpdump; do caps[$tool]="" drops[$tool]="" sent[$tool]="" cpus[$tool]=""; done
		for _ in $(seq "$RUNS"); do
			for tool in wirekit tcpdump; do
				read -r c d r u < <(run "$tool" "$ring" "$rate")
				caps[$tool]+="$c " drops[$tool]+="$d " sent[$tool]+="$r " cpus[$tool]+="$u "
			done
		done
		line=$(printf '  %10s ' "$rate")
		for tool in wirekit tcpdump; do
			mc=$(printf '%s\n' ${caps[$tool]} | median)
			md=$(printf '%s\n' ${drops[$tool]} | median)
			ms=$(printf '%s\n' ${sent[$tool]} | median)
			mu=$(printf '%s\n' ${cpus[$tool]} | median)
			cpu[$tool]=$mu
			pct=$(awk -v c="$mc" -v d="$md" 'BEGIN { t = c + d; printf "%.2f", t ? 100 * d / t : 0 }')
			lastpct[$tool]="$pct% @${ms}pps"
			line+=$(printf ' %-44s' "$mc/$md ($pct%) @${ms}pps ${mu}us")
			if [ "$md" = 0 ] && [ "$mc" -ge "$COUNT" ] && [ "$ms" -gt "${held[$tool]}" ]; then held[$tool]=$ms; fi
		done
		echo "$line $(printf '%-9s' "$(awk -v a="${cpu[wirekit]}" -v b="${cpu[tcpdump]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')") $(cut -d' ' -f1 /proc/loadavg)"
	done
	echo "  held with zero kernel drops (every frame captured): wirekit ${held[wirekit]} pps, tcpdump ${held[tcpdump]} pps," \
		"ratio $(awk -v a="${held[wirekit]}" -v b="${held[tcpdump]}" 'BEGIN { if (b) printf "%.2f", a / b; else print "n/a" }') (goal >= 1.5);" \
		"drops at the highest rate: wirekit ${lastpct[wirekit]}, tcpdump ${lastpct[tcpdump]}"
	unset held cpu caps drops sent cpus lastpct
done
