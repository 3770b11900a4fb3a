#!/usr/bin/env bash
# bench/gcfilter.sh: 'wirekit filter --yaml' against GopherCap's 'filter'
# on the same set and filter file: 4 named filters (subnet, port with
# negate, port, ether) over SIZE of generated traffic in FILES files
# ('wirekit gen', seeds 1..FILES), WORKERS workers, with FLAGS added to
# both command lines (e.g. "--decap --dedup"). Each tool runs RUNS times,
# alternating, outputs to a fresh folder on the same disk; the median wall
# time, the median MB/s of input, the peak resident memory (GNU time's
# maximum RSS) and that divided by WORKERS are printed, then the ratio of
# GopherCap's median time to wirekit's. The page cache is warm: the set is
# read once before the runs. The load average ends the report, as the
# machine may be shared.
#
# GopherCap is not built here: set GOPHERCAP to its binary (built from
# StamusNetworks/gophercap elsewhere; it needs cgo and libpcap-dev).
# Without it only wirekit runs.
#
#   GOPHERCAP=/tmp/gophercap/gopherCap bench/gcfilter.sh        # SIZE=2GB FILES=8 WORKERS=4 RUNS=3
#   SIZE=200MB FILES=4 RUNS=1 FLAGS="--decap --dedup" bench/gcfilter.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-2GB}
FILES=${FILES:-8}
WORKERS=${WORKERS:-4}
RUNS=${RUNS:-3}
FLAGS=${FLAGS:-}
GOPHERCAP=${GOPHERCAP:-}
[ -x /usr/bin/time ] || { echo "bench/gcfilter.sh needs GNU time (/usr/bin/time)" >&2; exit 1; }
mkdir -p bench/.bin
go build -tags disable_grpc_modules -o bench/.bin/wirekit ./cmd/wirekit
wk=$PWD/bench/.bin/wirekit

# The set: FILES files of SIZE/FILES each, made once per (SIZE, FILES).
data=$PWD/bench/.data/gcfilter-$SIZE-$FILES
per=$(python3 -c "
import re,sys
m=re.fullmatch(r'(\d+)(KB|MB|GB)?','$SIZE'); n=int(m.group(1))*{'KB':10**3,'MB':10**6,'GB':10**9,None:1}[m.group(2)]
print(str(n//$FILES//10**6)+'MB')")
if [ ! -f "$data/.done" ]; then
	rm -rf "$data"; mkdir -p "$data/in"
	for i in $(seq 1 "$FILES"); do
		"$wk" gen -w "$data/in/part$i.pcap" --size "$per" --seed "$i" >/dev/null
	done
	touch "$data/.done"
fi
cat > "$data/filters.yml" <<'YML'
internal:
  conditions:
    - kind: subnet
      match: [10.0.0.0/8, 192.168.0.0/16]
no-dns:
  conditions:
    - kind: subnet
      match: [10.0.0.0/8, "2001:db8::/32"]
    - kind: port
      negate: true
      match: [53/udp, 53/tcp]
web:
  conditions:
    - kind: port
      match: [80/tcp, 443/tcp, 8443/tcp]
YML
# GopherCap prints the source MAC of every packet an ether condition sees
# to stdout (a debug line left in its code), which slows it down; MAC=0
# leaves the ether filter out to measure without that.
if [ "${MAC:-1}" != 0 ]; then
	cat >> "$data/filters.yml" <<'YML'
host-mac:
  conditions:
    - kind: ether
      match: ["02:42:0a:00:02:2d"]
YML
fi
bytes=$(du -sb "$data/in" | cut -f1)
cat "$data"/in/* >/dev/null

declare -A times rss
run() { # tool run
	local tool=$1 out=$data/out-$1
	rm -rf "$out"; mkdir -p "$out"
	local bin=$wk
	[ "$tool" = gophercap ] && bin=$GOPHERCAP
	# shellcheck disable=SC2086
	if ! /usr/bin/time -f '%e %M' -o "$data/time" "$bin" filter --yaml "$data/filters.yml" --input "$data/in" --output "$out" --workers "$WORKERS" $FLAGS >"$data/$tool.log" 2>&1; then
		echo "bench/gcfilter.sh: $tool failed; the end of $data/$tool.log:" >&2
		tail -5 "$data/$tool.log" >&2
		exit 1
	fi
	read -r t m <"$data/time"
	times[$tool]+="$t "
	rss[$tool]+="$m "
}
tools=(wirekit)
[ -n "$GOPHERCAP" ] && tools+=(gophercap)
for _ in $(seq 1 "$RUNS"); do
	for t in "${tools[@]}"; do run "$t"; done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "set: $FILES files, $((bytes / 1000000)) MB ($data/in); workers $WORKERS; flags: ${FLAGS:-none}; runs $RUNS"
for t in "${tools[@]}"; do
	mt=$(echo "${times[$t]}" | median)
	mr=$(echo "${rss[$t]}" | median)
	printf '%-10s median %6.2f s  %7.1f MB/s  peak RSS %6.1f MB  (%.1f MB per worker)\n' "$t" "$mt" \
		"$(echo "$bytes / 1000000 / $mt" | bc -l)" "$(echo "$mr / 1024" | bc -l)" "$(echo "$mr / 1024 / $WORKERS" | bc -l)"
done
if [ -n "$GOPHERCAP" ]; then
	a=$(echo "${times[gophercap]}" | median) b=$(echo "${times[wirekit]}" | median)
	printf 'ratio: wirekit is %.1fx faster than GopherCap (goal: 5x)\n' "$(echo "$a / $b" | bc -l)"
fi
grep -h 'files,' "$data/wirekit.log" || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
