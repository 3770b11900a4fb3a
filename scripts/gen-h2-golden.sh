#!/usr/bin/env bash
# Regenerates internal/cli/testdata/h2golden/: a small real capture of
# HTTPS and HTTP/2 traffic, its TLS key log, and tshark's facts about it,
# for TestHTTPTsharkGolden (which then needs neither tshark nor root).
#
# TestWriteH2GoldenCapture (run here with -cli.h2capture) makes the
# traffic across a veth pair: curl with SSLKEYLOGFILE against nginx with a
# self-signed certificate (TLS 1.3 and 1.2, HTTP/1.1 and h2), nginx's h2c
# (prior knowledge) and Go's h2c server (a gRPC-style POST with prior
# knowledge; Upgrade: h2c), captured with 'wirekit capture'. Then
# TestHTTPTsharkGolden -cli.h2golden asks tshark (-o tls.keylog_file) for
# every request's method, path, :authority or Host, status and response
# body hash, and each ClientHello's SNI, ALPN and JA3, and writes them to
# tshark.tsv. Needs root, nginx, curl and tshark.
#   scripts/gen-h2-golden.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=internal/cli/testdata/h2golden
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test ./internal/cli -run '^TestWriteH2GoldenCapture$' -count=1 -cli.h2capture "$tmp"
for f in h2golden.pcap h2golden.keys h2golden.h2c-ports; do
	mv "$tmp/$f" "$out/$f"
done
go test ./internal/cli -run '^TestHTTPTsharkGolden$' -count=1 -cli.h2golden
echo "wrote $out: $(du -h "$out/h2golden.pcap" | cut -f1) capture, $(grep -c '^req' "$out/tshark.tsv") requests, $(grep -c '^tls' "$out/tshark.tsv") TLS handshakes"
