package cli

import (
	"context"
	"io"
	"os"
	"testing"
)

// BenchmarkHTTPJSONL runs 'http -r $WIREKIT_BENCH_HTTP --jsonl' (with
// --tls-keylog $WIREKIT_BENCH_KEYS when set), output discarded: the
// command bench/http2.sh times, for profiling on a bench/h2gen capture:
//
//	WIREKIT_BENCH_HTTP=h2c.pcap go test ./internal/cli -run '^$' -bench HTTPJSONL -benchmem -cpuprofile cpu.out
func BenchmarkHTTPJSONL(b *testing.B) {
	f := os.Getenv("WIREKIT_BENCH_HTTP")
	if f == "" {
		b.Skip("WIREKIT_BENCH_HTTP names no capture (make one with bench/h2gen)")
	}
	args := []string{"http", "-r", f, "--jsonl"}
	if k := os.Getenv("WIREKIT_BENCH_KEYS"); k != "" {
		args = append(args, "--tls-keylog", k)
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := Run(context.Background(), args, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
