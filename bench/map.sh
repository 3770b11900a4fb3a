#!/usr/bin/env bash
# bench/map.sh: 'wirekit map' against capinfos, cat, gzip -dc and zstd -dc on
# the same generated set (FILES files of FILESIZE captured bytes each: a
# quarter .pcap.gz, a quarter .pcapng.zst, the rest plain .pcap), in one
# run, printing ratios of median times (wirekit / peer; below 1 means
# wirekit is faster). The set lives in /dev/shm when it has room (else
# bench/.data/map) and every command gets a warm-up run, so the figures are
# CPU cost with the files in memory, not disk speed. Max RSS is measured
# with /usr/bin/time on one small and one BIG file, one worker each.
# Run by hand, not by CI:
#
#   bench/map.sh                          # FILES=40 FILESIZE=100MB (4 GB captured)
#   FILES=8 FILESIZE=50MB RUNS=5 bench/map.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${FILES:-40}
FILESIZE=${FILESIZE:-100MB}
BIG=${BIG:-1GB}
RUNS=${RUNS:-3}
for t in capinfos gzip zstd jq /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench/map.sh needs $t" >&2; exit 1; }
done
if [ -z "${BENCH_DIR:-}" ]; then
	BENCH_DIR=bench/.data/map
	# 6 GB free in /dev/shm: the set (2.6 GB stored for 4 GB captured), the BIG file and slack.
	if [ "$(df --output=avail -B1G /dev/shm 2>/dev/null | tail -1)" -ge 6 ] 2>/dev/null; then
		BENCH_DIR=/dev/shm/wirekit-bench-map
	fi
fi
mkdir -p "$BENCH_DIR/set" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit

plain=() gz=() zst=()
for i in $(seq 0 $((FILES - 1))); do
	case $((i % 4)) in
	0) f=$BENCH_DIR/set/w$i.pcap.gz ;;
	1) f=$BENCH_DIR/set/w$i.pcapng.zst ;;
	*) f=$BENCH_DIR/set/w$i.pcap ;;
	esac
	[ -f "$f" ] || "$bin" gen -w "$f" --size "$FILESIZE" --seed "$i"
	case $f in
	*.gz) gz+=("$f") ;;
	*.zst) zst+=("$f") ;;
	*) plain+=("$f") ;;
	esac
done
all=("${plain[@]}" "${gz[@]}" "${zst[@]}")
out=$BENCH_DIR/out
mkdir -p "$out"

# pair CMD1 CMD2: runs each once to warm up, then RUNS times alternating
# (so that load from elsewhere falls on both alike), and prints the two
# median wall times in seconds.
secs() { local t0 t1; t0=$(date +%s%N); bash -c "$1" >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000))e-6; }
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", v[int((NR + 1) / 2)] }'; }
pair() {
	local a=() b=()
	bash -c "$1" >/dev/null 2>&1
	bash -c "$2" >/dev/null 2>&1
	for _ in $(seq "$RUNS"); do
		a+=("$(secs "$1")")
		b+=("$(secs "$2")")
	done
	echo "$(med "${a[@]}") $(med "${b[@]}")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
row() { # row LABEL WIREKIT-TIME PEER PEER-TIME GOAL
	printf '%-34s wirekit %7.3f s  %-22s %7.3f s  ratio %s  (goal %s)\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$4")" "$5"
}

echo "set: ${#all[@]} files (${#plain[@]} pcap, ${#gz[@]} pcap.gz, ${#zst[@]} pcapng.zst), $FILESIZE captured each, $(du -shL "$BENCH_DIR/set" | cut -f1) stored, in $BENCH_DIR"
echo "$(nproc) CPUs; wirekit and its peer run alternately, $RUNS times each after a warm-up, medians; ratio = wirekit / peer (below 1: wirekit faster)"
n=$(nproc)
wk() { echo "$bin map --file-workers $1 --dump-json $out/$2.json ${*:3}"; }
ci() { echo "capinfos -c -s -d -a -e -o $*"; }
read -r w c < <(pair "$(wk "$n" all "${all[@]}")" "$(ci "${all[@]}")")
row "all files ($n workers)" "$w" "capinfos" "$c" "<= 0.1"
read -r w c < <(pair "$(wk 1 all1 "${all[@]}")" "$(ci "${all[@]}")")
row "all files (1 worker)" "$w" "capinfos" "$c" "-"
read -r w c < <(pair "$(wk 1 plain "${plain[@]}")" "$(ci "${plain[@]}")")
row "plain pcap (1 worker)" "$w" "capinfos" "$c" "<= 0.1"
read -r w k < <(pair "$(wk 1 plain "${plain[@]}")" "cat ${plain[*]}")
row "plain pcap (1 worker)" "$w" "cat > /dev/null" "$k" "<= 1.5"
read -r w c < <(pair "$(wk 1 gz "${gz[@]}")" "$(ci "${gz[@]}")")
row "pcap.gz (1 worker)" "$w" "capinfos" "$c" "<= 0.1"
read -r w g < <(pair "$(wk 1 gz "${gz[@]}")" "gzip -dc ${gz[*]}")
row "pcap.gz (1 worker)" "$w" "gzip -dc > /dev/null" "$g" "<= 1"
read -r w c < <(pair "$(wk 1 zst "${zst[@]}")" "$(ci "${zst[@]}")")
row "pcapng.zst (1 worker)" "$w" "capinfos" "$c" "<= 0.1"
read -r w z < <(pair "$(wk 1 zst "${zst[@]}")" "zstd -qdc ${zst[*]}")
row "pcapng.zst (1 worker)" "$w" "zstd -dc > /dev/null" "$z" "-"

# The maps must agree with capinfos on packet counts.
want=$(capinfos -T -r -c "${all[@]}" | awk -F'\t' '{ s += $2 } END { print s }')
got=$(jq '.packets' "$out/all.json")
[ "$got" = "$want" ] || { echo "packet counts differ: wirekit $got, capinfos $want" >&2; exit 1; }
echo "packets: wirekit $got, capinfos $want (equal)"

# Memory per worker: one small file, one set file, one BIG file.
small=$BENCH_DIR/small.pcap big=$BENCH_DIR/big.pcap
[ -f "$small" ] || "$bin" gen -w "$small" --packets 100
[ -f "$big" ] || "$bin" gen -w "$big" --size "$BIG" --seed 99
for f in "$small" "${plain[0]}" "${gz[0]}" "${zst[0]}" "$big"; do
	/usr/bin/time -f "%M" -o "$out/rss" "$bin" map --file-workers 1 --dump-json "$out/rss.json" "$f" >/dev/null
	printf 'max RSS, 1 worker, %-40s %6s KB\n' "$(basename "$f") ($(du -hL "$f" | cut -f1)):" "$(cat "$out/rss")"
done
for w in 1 "$n"; do
	/usr/bin/time -f "%M" -o "$out/rss" "$bin" map --file-workers "$w" --dump-json "$out/rss.json" "${all[@]}" >/dev/null
	printf 'max RSS, %d worker(s), whole set: %s KB\n' "$w" "$(cat "$out/rss")"
done
