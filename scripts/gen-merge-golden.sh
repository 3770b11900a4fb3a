#!/bin/sh
# Regenerates pcapio/testdata/mergecap_order.txt: the order in which
# mergecap merges the inputs that pcapio's TestMergeMatchesMergecap builds.
# Needs go, mergecap and tcpdump. Run from the repository root:
#   scripts/gen-merge-golden.sh
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
WIREKIT_MERGE_INPUTS="$dir" go test ./pcapio -run '^TestMergeMatchesMergecap$' -count=1 >/dev/null
mergecap -F pcap -w "$dir/out.pcap" "$dir/in0.pcap" "$dir/in1.pcap" "$dir/in2.pcap" "$dir/in3.pcap"
out=pcapio/testdata/mergecap_order.txt
{
	echo "# Made by scripts/gen-merge-golden.sh with $(mergecap -v 2>&1 | head -1):"
	echo "#   mergecap -F pcap -w out.pcap in0.pcap in1.pcap in2.pcap in3.pcap"
	echo "#   tcpdump -tt -nn -e -r out.pcap"
	echo "# One packet a line: timestamp in microseconds, destination MAC (02:00:00:00:file:packet)."
	tcpdump -tt -nn -e -r "$dir/out.pcap" 2>/dev/null | awk '/^[0-9]/ { ts = $1; sub(/\./, "", ts); d = $4; sub(/,$/, "", d); print ts, d }'
} >"$out"
echo "wrote $out"
