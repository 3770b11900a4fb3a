#!/usr/bin/env bash
# Makes docs/report.png, the screenshot of a report the README shows, with
# the repo's own code: bench/setgen writes a generated set (4 capture
# workers rotating files every minute, with a hole, a missing file and an
# overlap, synthetic traffic and HTTP), 'wirekit report' writes its page,
# and headless Chromium takes the picture. Needs Go and Chromium
# (scripts/test-deps.sh installs it). The PNG must stay under 300 KB.
#
#   scripts/report-screenshot.sh [OUT.png]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/report.png}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "report-screenshot: chromium not found (run scripts/test-deps.sh)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -tags disable_grpc_modules -o "$tmp/wirekit" ./cmd/wirekit && go build -o "$tmp/setgen" ./bench/setgen)
cd "$tmp"
./setgen -dir set -workers 4 -files 6 -span 1m -packets 3000 -http 40 -seed 1 >/dev/null
./wirekit report set -o report.html --points 300 --top 8 --title "wirekit report: 4 capture workers, 23 files"
# --no-sandbox: Chromium refuses to start its sandbox as root.
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
	--window-size=1100,1400 --screenshot="$tmp/report.png" "file://$tmp/report.html" 2>/dev/null
size=$(stat -c %s report.png)
if [ "$size" -ge 300000 ]; then
	echo "report-screenshot: the screenshot is $size bytes, over 300 KB: not copied" >&2
	exit 1
fi
cp report.png "$out"
echo "wrote $out ($size bytes)"
