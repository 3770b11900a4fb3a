#!/bin/sh
# Differential test of the filter compiler against libpcap (through
# tcpdump, which must be installed): random expressions from a grammar of
# the pcap-filter language, random and mutated Ethernet packets; prints the
# verdict agreement. Usage: scripts/filter-random.sh [EXPRESSIONS [PACKETS [SEED]]]
# (UNOPTIMIZED=1 compares with libpcap's unoptimized programs, tcpdump -O;
# LINKTYPE=N compiles for link type N and rebuilds the packets in it)
# (defaults 600 x 200 = 120,000 pairs, seed 1). Disagreements go to
# /tmp/filter-random-failures.txt. Nothing is written into the repository.
set -eu
cd "$(git rev-parse --show-toplevel)"
command -v tcpdump >/dev/null || { echo "tcpdump not found (apt-get install tcpdump)" >&2; exit 1; }
go run ./filter/internal/golden -random "${1:-600}" -packets "${2:-200}" -seed "${3:-1}" \
	-failures "${FAILURES:-/tmp/filter-random-failures.txt}" ${UNOPTIMIZED:+-O} -linktype "${LINKTYPE:-1}"
