#!/usr/bin/env bash
# Validates HAR files against the HAR 1.2 JSON schema with the npm package
# har-validator (installed into a temporary directory; needs node and npm).
# With no argument, validates what 'wirekit http --har' writes for a
# generated capture (clean and with every 97th packet dropped) and for the
# corpus capture whose response has no request.
#   scripts/har-validate.sh [FILE.har...]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent har-validator@5.1.5 >/dev/null)
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
	go build -tags disable_grpc_modules -o "$tmp/wirekit" ./cmd/wirekit
	go test ./stream -run '^TestWriteGoldenCaptures$' -count=1 -stream.gen "$tmp" >/dev/null
	for c in gen-s1 gen-s1-loss; do
		"$tmp/wirekit" http -r "$tmp/$c.pcap" --har "$tmp/$c.har" >/dev/null 2>&1
		files+=("$tmp/$c.har")
	done
	orphan=../shared/corpus/tcpdump/ipv4_tcp_http_xml.pcap
	if [ -f "$orphan" ]; then
		"$tmp/wirekit" http -r "$orphan" --har "$tmp/no-request.har" >/dev/null 2>&1
		files+=("$tmp/no-request.har")
	fi
fi
cat >"$tmp/v.js" <<'JS'
const v = require('har-validator');
const fs = require('fs');
for (const f of process.argv.slice(2)) {
  const har = JSON.parse(fs.readFileSync(f));
  v.har(har).then(() => console.log(f + ': valid HAR 1.2, ' + har.log.entries.length + ' entries'))
    .catch(e => { console.log(f + ': INVALID ' + JSON.stringify(e.errors || e.message)); process.exitCode = 1; });
}
JS
NODE_PATH=$tmp/node_modules node "$tmp/v.js" "${files[@]}"
