#!/usr/bin/env bash
# Regenerates tlsdecrypt/testdata/keyupdate/: a small real capture of TLS
# 1.3 with KeyUpdates in both directions, its key log, and the facts
# expected of it, for TestHTTPKeyUpdateGolden (internal/cli) and the
# KeyUpdate tests of tlsdecrypt (which then need neither openssl, root nor
# tshark).
#
# TestHTTPKeyUpdateOpenSSL (run here with -cli.keyupdate) drives OpenSSL's
# s_client (-keylogfile) and s_server across a veth pair on their standard
# input: HTTP/1.1 requests and responses in turn, with KeyUpdates from each
# side between them ('k'; 'K' asking the peer to update too; three in a
# row), captured with 'wirekit capture'. It checks that 'wirekit http
# --tls-keylog' and tshark (-o tls.keylog_file) both find every request
# and response as sent and the KeyUpdates of each direction, then writes
# keyupdate.pcap, keyupdate.keys and expected.tsv. Needs root, openssl,
# stdbuf (coreutils) and tshark.
#   scripts/gen-keyupdate-golden.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=tlsdecrypt/testdata/keyupdate
go test ./internal/cli -run '^TestHTTPKeyUpdateOpenSSL$' -count=1 -v -cli.keyupdate | grep -E 'KeyUpdates|^(---|ok|FAIL)'
echo "wrote $out: $(du -h "$out/keyupdate.pcap" | cut -f1) capture, $(grep -c '^req' "$out/expected.tsv") requests, KeyUpdates (client, server): $(grep '^keyupdates' "$out/expected.tsv" | cut -f2,3)"
