#!/bin/sh
# Regenerates filter/testdata/golden.tsv (and filter/testdata/synth.pcap)
# with libpcap as the oracle: tcpdump must be installed. Run from anywhere
# inside the repository; the shared corpus is read in place.
set -eu
cd "$(git rev-parse --show-toplevel)"
command -v tcpdump >/dev/null || { echo "tcpdump not found (apt-get install tcpdump)" >&2; exit 1; }
go run ./filter/internal/golden \
	-exprs filter/testdata/exprs.txt \
	-out filter/testdata/golden.tsv \
	-corpus "${WIREKIT_CORPUS:-../shared/corpus}/libpcap-filter" "$@"
# Record which expressions our -d output lays out differently from libpcap.
go test ./filter -run TestFormatMatchesLibpcap -update-layout >/dev/null
