#!/usr/bin/env bash
# bench/http2.sh: 'wirekit http --jsonl' against 'tshark -Y "http2.header or
# http.request" -T fields' on the same HTTP/2 and TLS captures, in one run:
# an h2c capture (Go's HTTP/2 client and server, prior knowledge) and a TLS
# capture (TLS 1.3 and 1.2, HTTP/1.1 and h2, read with the key log Go
# wrote), both made by bench/h2gen at SIZE each. Prints the median times,
# the ratios (goal: wirekit >= 20x faster), each tool's peak memory and
# how many requests each found; then runs the two tools in turn PAIRS times
# and prints the median of the pairs' ratios. Run by hand, not by CI:
#
#   bench/http2.sh                  # SIZE=150MB RUNS=3
#   SIZE=20MB RUNS=3 bench/http2.sh
#   WIREKIT_BASE=/path/to/older/wirekit bench/http2.sh   # also times an older build, in the same run
#
# Each time is printed with its CPU time (user + system) beside: on a
# loaded machine wall time is mostly waiting.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-150MB}
RUNS=${RUNS:-3}
PAIRS=${PAIRS:-9}
for t in tshark hyperfine jq; do
	command -v "$t" >/dev/null || { echo "bench/http2.sh needs $t" >&2; exit 1; }
done
BENCH_DIR=${BENCH_DIR:-bench/.data/http2}
mkdir -p "$BENCH_DIR" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit
CGO_ENABLED=0 go build -o bench/.bin/h2gen ./bench/h2gen
h2c=$BENCH_DIR/h2c-$SIZE.pcap
tlsf=$BENCH_DIR/tls-$SIZE.pcap
keys=$BENCH_DIR/tls-$SIZE.keys
[ -f "$h2c" ] || bench/.bin/h2gen -mode h2c -w "$h2c" -size "$SIZE"
[ -f "$tlsf" ] || bench/.bin/h2gen -mode tls -w "$tlsf" -keylog "$keys" -size "$SIZE"
out=$BENCH_DIR/out
mkdir -p "$out"

# The same facts from both tools: each request's method, path and
# authority/host, each response's status.
fields="-e frame.time_epoch -e tcp.stream -e http2.streamid -e http2.headers.method -e http2.headers.path -e http2.headers.authority -e http2.headers.status -e http.request.method -e http.request.uri -e http.host -e http.response.code"
filter="http2.header or http.request or http.response"

median() {
	hyperfine -N --runs "$RUNS" --output null --export-json "$out/$1.json" "$2" >/dev/null 2>&1
	jq '.results[0].median' "$out/$1.json"
}
# cpu: the mean CPU time (user + system) of the runs median timed, for a
# figure less at the mercy of the machine's load than wall time.
cpu() { jq '.results[0].user + .results[0].system' "$out/$1.json"; }
x() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "$(nproc) CPUs; $RUNS runs, medians"
for kind in h2c tls; do
	if [ $kind = h2c ]; then
		f=$h2c
		wk="$bin http -r $f --jsonl"
		ts="tshark -r $f -o tcp.reassemble_out_of_order:TRUE -Y '$filter' -T fields $fields"
		tsa=(tshark -r "$f" -o tcp.reassemble_out_of_order:TRUE -Y "$filter" -T fields $fields)
		# tshark needs to be told that port 8080 is HTTP/2.
		ts="$ts -d tcp.port==8080,http2"
		tsa+=(-d tcp.port==8080,http2)
	else
		f=$tlsf
		wk="$bin http -r $f --tls-keylog $keys --jsonl"
		ts="tshark -r $f -o tcp.reassemble_out_of_order:TRUE -o tls.keylog_file:$keys -Y '$filter' -T fields $fields"
		tsa=(tshark -r "$f" -o tcp.reassemble_out_of_order:TRUE -o "tls.keylog_file:$keys" -Y "$filter" -T fields $fields)
	fi
	echo "capture $kind: $f, $(du -h "$f" | cut -f1), $("$bin" info "$f" 2>/dev/null | awk -F': *' '/^Number of packets/ {print $2}') packets"
	w=$(median "wk-$kind" "$wk")
	if [ -n "${WIREKIT_BASE:-}" ]; then
		wb=$(median "base-$kind" "${wk/#$bin/$WIREKIT_BASE}")
	fi
	# hyperfine -N splits on spaces: give tshark through a script.
	printf '#!/bin/sh\nexec %s\n' "$ts" >"$out/ts-$kind.sh"
	chmod +x "$out/ts-$kind.sh"
	t=$(median "ts-$kind" "$out/ts-$kind.sh")
	echo "  wirekit http --jsonl: $w s; tshark -Y '$filter' -T fields: $t s; tshark/wirekit: $(x "$t" "$w")x (goal >= 20x)"
	echo "  CPU (user + system, mean): wirekit $(cpu "wk-$kind") s, tshark $(cpu "ts-$kind") s; tshark/wirekit: $(x "$(cpu "ts-$kind")" "$(cpu "wk-$kind")")x"
	if [ -n "${WIREKIT_BASE:-}" ]; then
		echo "  $WIREKIT_BASE http --jsonl: $wb s; tshark/it: $(x "$t" "$wb")x; it/wirekit: $(x "$wb" "$w")x"
		echo "  CPU: $WIREKIT_BASE $(cpu "base-$kind") s; tshark/it: $(x "$(cpu "ts-$kind")" "$(cpu "base-$kind")")x; it/wirekit: $(x "$(cpu "base-$kind")" "$(cpu "wk-$kind")")x"
	fi
	# The two tools in turn, PAIRS times: the ratio of each pair's times,
	# and the median of those ratios, which the machine's load changing
	# between hyperfine's blocks of runs above does not skew.
	ratios=()
	for ((i = 0; i < PAIRS; i++)); do
		s=$EPOCHREALTIME
		$wk >/dev/null 2>&1
		m=$EPOCHREALTIME
		"$out/ts-$kind.sh" >/dev/null 2>&1
		e=$EPOCHREALTIME
		ratios+=("$(awk -v s="$s" -v m="$m" -v e="$e" 'BEGIN { printf "%.2f", (e - m) / (m - s) }')")
	done
	echo "  in turn, $PAIRS pairs: tshark/wirekit $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median %.1fx, least %.1fx, most %.1fx", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR] }')"
	/usr/bin/time -f "%M" -o "$out/rss-wk-$kind" $wk >"$out/wk-$kind.jsonl" 2>/dev/null
	/usr/bin/time -f "%M" -o "$out/rss-ts-$kind" "${tsa[@]}" >"$out/ts-$kind.tsv" 2>/dev/null
	wreq=$(jq -r 'select(.request != null) | 1' "$out/wk-$kind.jsonl" | wc -l)
	wresp=$(jq -r 'select(.response != null) | 1' "$out/wk-$kind.jsonl" | wc -l)
	# Count header blocks: one tshark line may carry several (comma-joined).
	treq=$(awk -F'\t' '{ n += ($4 != "") ? split($4, a, ",") : 0; n += ($8 != "") ? split($8, b, ",") : 0 } END { print n + 0 }' "$out/ts-$kind.tsv")
	tresp=$(awk -F'\t' '{ n += ($7 != "") ? split($7, a, ",") : 0; n += ($11 != "") ? split($11, b, ",") : 0 } END { print n + 0 }' "$out/ts-$kind.tsv")
	echo "  peak RSS: wirekit $(tail -1 "$out/rss-wk-$kind") KB, tshark $(tail -1 "$out/rss-ts-$kind") KB; requests: wirekit $wreq, tshark $treq; responses: wirekit $wresp, tshark $tresp"
done
