#!/usr/bin/env bash
# bench/filter.sh: per-packet filter cost, wirekit's executor against
# libpcap's bpf_filter (C, through cgo in a separate module: wirekit never
# links libpcap) and golang.org/x/net/bpf, on the same programs and the
# same packets, in one run. Run by hand, not by CI.
set -euo pipefail
cd "$(dirname "$0")/bpfbench"
if [ ! -e /usr/include/pcap/pcap.h ]; then
	echo "installing libpcap-dev (for this benchmark only)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y libpcap-dev >/dev/null
fi
CGO_ENABLED=1 go run . "$@"
