#!/usr/bin/env bash
# bench/http.sh: 'wirekit http --jsonl' against 'tshark -Y http -T fields'
# on the same generated capture rich in HTTP (wirekit gen of SIZE captured
# bytes, cut to its TCP port 80 traffic: HTTP/1.1 keep-alive connections
# with Content-Length bodies), in one run, printing the ratio of median
# times (wirekit / tshark; below 1 means wirekit is faster), each tool's
# peak memory, and how many requests and responses each found. Run by hand,
# not by CI:
#
#   bench/http.sh                   # SIZE=100MB RUNS=3
#   SIZE=30MB RUNS=3 bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-100MB}
RUNS=${RUNS:-3}
for t in tshark hyperfine jq; do
	command -v "$t" >/dev/null || { echo "bench/http.sh needs $t" >&2; exit 1; }
done
BENCH_DIR=${BENCH_DIR:-bench/.data/http}
mkdir -p "$BENCH_DIR" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit
cap=$BENCH_DIR/http-$SIZE.pcap
if [ ! -f "$cap" ]; then
	"$bin" gen -w "$BENCH_DIR/mix-$SIZE.pcap" --size "$SIZE" --seed 1
	"$bin" read -r "$BENCH_DIR/mix-$SIZE.pcap" -w "$cap" 'tcp port 80' 2>/dev/null
	rm "$BENCH_DIR/mix-$SIZE.pcap"
fi
out=$BENCH_DIR/out
mkdir -p "$out"

wk="$bin http -r $cap --jsonl"
ts="tshark -r $cap -o tcp.reassemble_out_of_order:TRUE -Y http -T fields -e frame.time_epoch -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e http.request.method -e http.request.uri -e http.host -e http.response.code -e http.content_length"

# median NAME CMD: hyperfine median in seconds (output to /dev/null).
median() {
	hyperfine -N --warmup 1 --runs "$RUNS" --output null --export-json "$out/$1.json" "$2" >/dev/null 2>&1
	jq '.results[0].median' "$out/$1.json"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }

echo "capture: $cap, $(du -h "$cap" | cut -f1), $("$bin" info "$cap" 2>/dev/null | awk -F': *' '/^Number of packets/ {print $2}') packets; $(nproc) CPUs; $RUNS runs, medians"
w=$(median wirekit "$wk")
t=$(median tshark "$ts")
echo "wirekit http --jsonl: $w s"
echo "tshark -Y http -T fields: $t s"
echo "ratio wirekit/tshark: $(ratio "$w" "$t") (goal <= 0.05, i.e. >= 20x faster); tshark/wirekit: $(awk -v a="$t" -v b="$w" 'BEGIN { printf "%.1f", a / b }')x"
/usr/bin/time -f "%M" -o "$out/rss-wk" $wk >"$out/wk.jsonl" 2>/dev/null
/usr/bin/time -f "%M" -o "$out/rss-ts" $ts >"$out/ts.tsv" 2>/dev/null
echo "peak RSS: wirekit $(tail -1 "$out/rss-wk") KB, tshark $(tail -1 "$out/rss-ts") KB"
wreq=$(jq -r 'select(.request != null) | 1' "$out/wk.jsonl" | wc -l)
wresp=$(jq -r 'select(.response != null and .response.complete) | 1' "$out/wk.jsonl" | wc -l)
treq=$(awk -F'\t' '$8 != ""' "$out/ts.tsv" | wc -l)
tresp=$(awk -F'\t' '$11 != ""' "$out/ts.tsv" | wc -l)
echo "requests: wirekit $wreq, tshark $treq; complete responses: wirekit $wresp, tshark $tresp"
