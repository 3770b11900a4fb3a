#!/usr/bin/env bash
# Installs what wirekit's tests compare with or drive, when it is missing:
# Debian's tcpdump, tshark (capinfos, mergecap, editcap), curl, nghttp2's
# client and server, nginx, chromium, tcpreplay and openssl (s_client and
# s_server), and the npm packages in
# scripts/node (DuckDB's Node API, which reads wirekit's Parquet files back).
# Tests that need one of these skip with a message where it cannot be had;
# run as root (CI does) to install them. Safe to run again: it installs only
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# command:package pairs for Debian.
wanted="tcpdump:tcpdump tshark:tshark capinfos:tshark curl:curl nghttp:nghttp2-client
nghttpd:nghttp2-server nginx:nginx-light chromium:chromium tcpreplay:tcpreplay
node:nodejs openssl:openssl"
missing=()
for pair in $wanted; do
	cmd=${pair%%:*} pkg=${pair#*:}
	if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1; then
		missing+=("$pkg")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "test-deps: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections || true
		apt-get update -q || echo "test-deps: apt-get update failed; trying the install anyway"
		apt-get install -y -q --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) ||
			echo "test-deps: apt-get install failed; the tests that need these will skip"
	else
		echo "test-deps: missing ${missing[*]}; not root or no apt-get, so the tests that need them will skip"
	fi
fi

# npm packages, pinned by scripts/node/package-lock.json.
if [ -f scripts/node/package.json ] && command -v npm >/dev/null 2>&1; then
	if [ ! -d scripts/node/node_modules ] || [ scripts/node/package-lock.json -nt scripts/node/node_modules ]; then
		echo "test-deps: npm ci in scripts/node"
		(cd scripts/node && npm ci --no-audit --no-fund --loglevel=error) ||
			echo "test-deps: npm ci failed; the DuckDB tests will skip"
	fi
fi
