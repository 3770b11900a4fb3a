#!/usr/bin/env bash
# tcpdump-identity.sh prints how many of the lines `tcpdump -n` prints for
# the shared corpus's captures `wirekit read` prints identically, in total
# and per protocol family, and how many UNSUPPORTED lines wirekit prints.
#   scripts/tcpdump-identity.sh [-write-golden] [-show N] [-family F] [-files]
# With -write-golden it regenerates decode/testdata/corpus-tcpdump.tsv.gz
# (tcpdump's lines for every packet of ../shared/corpus/tcpdump), which the
# decode corpus test reads; without it the figures come from tcpdump run now.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${WIREKIT_CORPUS:-$root/../shared/corpus}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -tags disable_grpc_modules -o "$bin/wirekit" ./cmd/wirekit)
golden=()
for a in "$@"; do
	if [ "$a" = -write-golden ]; then golden=(-golden "$root/decode/testdata/corpus-tcpdump.tsv.gz"); fi
done
cd "$root"
go run ./scripts/identity -corpus "$corpus" -wirekit "$bin/wirekit" "${golden[@]}" "$@"
