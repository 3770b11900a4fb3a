#!/usr/bin/env bash
# bench/parquet.sh: each table's Parquet output against the JSON output of
# the same command on the same input, in one run: 'http --jsonl' against
# 'http --parquet' on two captures (wirekit gen of SIZE cut to its TCP port
# 80 traffic, as bench/http.sh: few transactions with large bodies; and
# bench/h2gen's h2c capture of SIZE: HTTP/2, 20 requests a connection,
# many transactions), 'map --dump-json' against 'map --parquet' (a
# set of FILES small generated files, so that the table has rows to
# speak of), and 'read --json' against 'read --index'. Printed per table:
# median wall and CPU (user+sys) times and their ratio Parquet / JSON
# (goal <= 1.3 for http and map), the sizes and their ratio JSON /
# Parquet (goal >= 5), rows/s and bytes/row. JSON and Parquet runs
# alternate, RUNS times each after a warm-up, so that load from elsewhere
# falls on both alike. The JSONL keeps header values and the Parquet
# table header names only: the size ratio compares the outputs as
# shipped, not the same fields. Run by hand, not by CI:
#
#   bench/parquet.sh                     # SIZE=100MB FILES=2000 RUNS=5
#   SIZE=30MB FILES=500 RUNS=3 bench/parquet.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-100MB}
FILES=${FILES:-2000}
RUNS=${RUNS:-5}
command -v /usr/bin/time >/dev/null || { echo "bench/parquet.sh needs /usr/bin/time" >&2; exit 1; }
BENCH_DIR=${BENCH_DIR:-bench/.data/parquet}
mkdir -p "$BENCH_DIR/set" bench/.bin
bin=bench/.bin/wirekit
CGO_ENABLED=0 go build -tags disable_grpc_modules -o "$bin" ./cmd/wirekit
cap=$BENCH_DIR/http-$SIZE.pcap
if [ ! -f "$cap" ]; then
	"$bin" gen -w "$BENCH_DIR/mix-$SIZE.pcap" --size "$SIZE" --seed 1
	"$bin" read -r "$BENCH_DIR/mix-$SIZE.pcap" -w "$cap" 'tcp port 80' 2>/dev/null
	rm "$BENCH_DIR/mix-$SIZE.pcap"
fi
h2c=$BENCH_DIR/h2c-$SIZE.pcap
if [ ! -f "$h2c" ]; then
	CGO_ENABLED=0 go build -o bench/.bin/h2gen ./bench/h2gen
	bench/.bin/h2gen -mode h2c -w "$h2c" -size "$SIZE"
fi
if [ "$(find "$BENCH_DIR/set" -name '*.pcap' | wc -l)" -ne "$FILES" ]; then
	rm -rf "$BENCH_DIR/set" && mkdir -p "$BENCH_DIR/set"
	for i in $(seq 0 $((FILES - 1))); do
		"$bin" gen -w "$BENCH_DIR/set/f$i.pcap" --packets 20 --seed "$i"
	done
fi
out=$BENCH_DIR/out
mkdir -p "$out"

# secs CMD: wall and CPU (user+sys) seconds of one run, output discarded.
secs() {
	/usr/bin/time -f "%e %U %S" -o "$out/time" bash -c "$1" >/dev/null 2>&1
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out/time"
}
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'; }
# pair CMD1 CMD2: the median wall and CPU times of each, alternating.
pair() {
	local aw=() ac=() bw=() bc=() w c
	bash -c "$1" >/dev/null 2>&1
	bash -c "$2" >/dev/null 2>&1
	for _ in $(seq "$RUNS"); do
		read -r w c < <(secs "$1") && aw+=("$w") && ac+=("$c")
		read -r w c < <(secs "$2") && bw+=("$w") && bc+=("$c")
	done
	echo "$(med "${aw[@]}") $(med "${ac[@]}") $(med "${bw[@]}") $(med "${bc[@]}")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# report LABEL ROWS JSON-FILE PARQUET-FILE JW JC PW PC
report() {
	local js pq
	js=$(stat -c %s "$3") pq=$(stat -c %s "$4")
	printf '%-6s %8d rows  JSON %7.3f s wall %7.3f s CPU  Parquet %7.3f s wall %7.3f s CPU  ratio wall %s CPU %s (goal <= 1.3)\n' \
		"$1" "$2" "$5" "$6" "$7" "$8" "$(ratio "$7" "$5")" "$(ratio "$8" "$6")"
	printf '%-6s size JSON %d B (%.0f B/row), Parquet %d B (%.1f B/row): JSON/Parquet %s (goal >= 5); Parquet %.0f rows/s (wall)\n' \
		"$1" "$js" "$(ratio "$js" "$2")" "$pq" "$(ratio "$pq" "$2")" "$(ratio "$js" "$pq")" "$(ratio "$2" "$7")"
}

echo "http captures: $cap, $(du -h "$cap" | cut -f1); $h2c, $(du -h "$h2c" | cut -f1); map set: $FILES files in $BENCH_DIR/set, $(du -sh "$BENCH_DIR/set" | cut -f1)"
echo "$(nproc) CPUs; JSON and Parquet alternate, $RUNS runs each after a warm-up, medians; ratio = Parquet / JSON"

read -r jw jc pw pc < <(pair "$bin http -r $cap --jsonl > $out/http.jsonl" "rm -f $out/http.parquet; $bin http -r $cap --parquet $out/http.parquet")
report http "$(grep -vc '"type":"tls"' "$out/http.jsonl")" "$out/http.jsonl" "$out/http.parquet" "$jw" "$jc" "$pw" "$pc"

read -r jw jc pw pc < <(pair "$bin http -r $h2c --jsonl > $out/h2c.jsonl" "rm -f $out/h2c.parquet; $bin http -r $h2c --parquet $out/h2c.parquet")
report h2c "$(grep -vc '"type":"tls"' "$out/h2c.jsonl")" "$out/h2c.jsonl" "$out/h2c.parquet" "$jw" "$jc" "$pw" "$pc"

read -r jw jc pw pc < <(pair "$bin map --file-workers 1 --dump-json $out/map.json $BENCH_DIR/set" "rm -f $out/map.parquet; $bin map --file-workers 1 --parquet $out/map.parquet $BENCH_DIR/set")
report map "$FILES" "$out/map.json" "$out/map.parquet" "$jw" "$jc" "$pw" "$pc"

read -r jw jc pw pc < <(pair "$bin read -r $cap --json > $out/read.jsonl" "rm -f $out/index.parquet; $bin read -r $cap --index $out/index.parquet")
report index "$(wc -l < "$out/read.jsonl")" "$out/read.jsonl" "$out/index.parquet" "$jw" "$jc" "$pw" "$pc"
