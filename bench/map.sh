#!/usr/bin/env bash
# bench/map.sh: 'wirekit map' against capinfos, cat and gzip -dc on the same
# generated set (FILES files, each FILESIZE of captured bytes; a quarter
# gzip, a quarter zstd, the rest plain pcap), in one run, printing ratios of
# median times (wirekit / peer; below 1 means wirekit is faster). Files are
# in the page cache (warm-up runs), so the figures are CPU cost, not disk.
# Run by hand, not by CI:
#
#   bench/map.sh                          # FILES=40 FILESIZE=100MB (4 GB)
#   FILES=8 FILESIZE=50MB RUNS=3 bench/map.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${FILES:-40}
FILESIZE=${FILESIZE:-100MB}
RUNS=${RUNS:-5}
for t in capinfos hyperfine gzip zstd jq; do
	command -v "$t" >/dev/null || { echo "bench/map.sh needs $t" >&2; exit 1; }
done
BENCH_DIR=${BENCH_DIR:-bench/.data/map}
mkdir -p "$BENCH_DIR/set" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -o "$bin" ./cmd/wirekit

plain=() gz=()
for i in $(seq 0 $((FILES - 1))); do
	case $((i % 4)) in
	0) f=$BENCH_DIR/set/w$i.pcap.gz ;;
	1) f=$BENCH_DIR/set/w$i.pcapng.zst ;;
	*) f=$BENCH_DIR/set/w$i.pcap ;;
	esac
	[ -f "$f" ] || "$bin" gen -w "$f" --size "$FILESIZE" --seed "$i"
	case $f in
	*.gz) gz+=("$f") ;;
	*.pcap) plain+=("$f") ;;
	esac
done
all=("$BENCH_DIR"/set/*)
out=$BENCH_DIR/out
mkdir -p "$out"

# median NAME CMD: hyperfine median in seconds.
median() {
	hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out/$1.json" "$2" >/dev/null 2>&1 ||
		hyperfine --warmup 1 --runs "$RUNS" --export-json "$out/$1.json" "$2" >/dev/null
	jq '.results[0].median' "$out/$1.json"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "set: ${#all[@]} files, $(du -shL "$BENCH_DIR/set" | cut -f1) on disk ($FILESIZE captured each); $(nproc) CPUs; $RUNS runs, medians"
w_all=$(median wk-all "$bin map --file-workers $(nproc) --dump-json $out/all.json ${all[*]}")
c_all=$(median capinfos "capinfos -c -s -d -a -e -o ${all[*]}")
echo "all files:    wirekit map $w_all s, capinfos $c_all s: ratio $(ratio "$w_all" "$c_all") (goal <= 0.1)"
w_pl=$(median wk-plain "$bin map --file-workers 1 --dump-json $out/plain.json ${plain[*]}")
cat_pl=$(median cat "bash -c 'cat ${plain[*]} >/dev/null'")
echo "plain pcap:   wirekit map (1 worker) $w_pl s, cat $cat_pl s: ratio $(ratio "$w_pl" "$cat_pl") (goal <= 1.5)"
w_gz=$(median wk-gz "$bin map --file-workers 1 --dump-json $out/gz.json ${gz[*]}")
g_gz=$(median gzip "bash -c 'gzip -dc ${gz[*]} >/dev/null'")
echo "gzip pcap:    wirekit map (1 worker) $w_gz s, gzip -dc $g_gz s: ratio $(ratio "$w_gz" "$g_gz") (goal <= 1)"
for n in 1 4; do
	/usr/bin/time -f "%M" -o "$out/rss$n" "$bin" map --file-workers "$n" --dump-json "$out/rss.json" "${all[@]}" >/dev/null
	echo "max RSS with $n worker(s): $(cat "$out/rss$n") KB"
done
