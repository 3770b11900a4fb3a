// Command bpfbench measures the per-packet cost of running a compiled
// filter: wirekit's executor, golang.org/x/net/bpf's VM, and libpcap's
// bpf_filter (through cgo, timed inside C so the cgo call is not counted).
// It is a separate module because it links libpcap; wirekit itself never
// does. Run it with bench/filter.sh.
package main

/*
#cgo LDFLAGS: -lpcap
#include <pcap/pcap.h>
#include <stdlib.h>
#include <time.h>

// compile compiles expr for Ethernet with libpcap's optimizer on or off.
static int compile(const char *expr, int optimize, struct bpf_program *fp) {
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
	if (p == NULL) return -1;
	int rc = pcap_compile(p, fp, expr, optimize, PCAP_NETMASK_UNKNOWN);
	pcap_close(p);
	return rc;
}

// run_filter runs the program over every packet reps times and returns
// the nanoseconds per packet and, in *accepted, the accepted count of one pass.
static double run_filter(struct bpf_program *fp, const unsigned char *buf, const int *offs,
		const int *lens, int n, int reps, long *accepted) {
	struct timespec t0, t1;
	long acc = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < n; i++) {
			if (bpf_filter(fp->bf_insns, buf + offs[i], lens[i], lens[i]) != 0) acc++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*accepted = acc / reps;
	double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	return ns / ((double)n * reps);
}
*/
import "C"

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/synth"
)

var exprs = []string{
	"tcp dst port 21",
	"host 10.0.1.75",
	"tcp port 80 or tcp port 443",
	"udp and port 53",
	"tcp[tcpflags] & tcp-syn != 0",
	"vlan and tcp",
	"net 10.0.0.0/8 and not port 22 and greater 100",
	"icmp or arp or (ip6 and icmp6)",
}

func main() {
	npkts := flag.Int("packets", 20000, "packets in the mix (from wirekit's generator)")
	reps := flag.Int("reps", 50, "passes over the mix per measurement")
	rounds := flag.Int("rounds", 5, "measurements per engine; the median is reported")
	flag.Parse()

	var pkts [][]byte
	err := synth.Generate(synth.Config{Seed: 3, Packets: *npkts}, func(_ gopacket.CaptureInfo, d []byte) error {
		pkts = append(pkts, append([]byte(nil), d...))
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// One C buffer holding every packet, with offsets and lengths.
	total := 0
	for _, p := range pkts {
		total += len(p)
	}
	cbuf := C.malloc(C.size_t(total))
	coffs := C.malloc(C.size_t(len(pkts) * 4))
	clens := C.malloc(C.size_t(len(pkts) * 4))
	buf := unsafe.Slice((*byte)(cbuf), total)
	offs := unsafe.Slice((*C.int)(coffs), len(pkts))
	lens := unsafe.Slice((*C.int)(clens), len(pkts))
	o := 0
	for i, p := range pkts {
		copy(buf[o:], p)
		offs[i], lens[i] = C.int(o), C.int(len(p))
		o += len(p)
	}
	// The Go engines read the very same bytes as libpcap: slices of the
	// one C buffer, so that memory layout and caching are equal.
	for i := range pkts {
		pkts[i] = buf[offs[i] : offs[i]+lens[i] : offs[i]+lens[i]]
	}

	fmt.Printf("%d packets from wirekit's generator, median of %d rounds of %d passes, ns per packet\n\n", len(pkts), *rounds, *reps)
	fmt.Printf("%-48s %9s %9s %9s %9s %12s %12s\n", "expression", "libpcap", "libpcapO", "x/net/bpf", "wirekit", "vs libpcap", "vs libpcapO")
	var ratios, ratiosO []float64
	for _, expr := range exprs {
		prog, err := filter.Compile(expr, layers.LinkTypeEthernet, 262144)
		if err != nil {
			fmt.Fprintln(os.Stderr, expr, err)
			os.Exit(1)
		}
		vm, err := bpf.NewVM(prog.Instructions())
		if err != nil {
			fmt.Fprintln(os.Stderr, expr, err)
			os.Exit(1)
		}
		// The four engines take turns within each round, so that a burst
		// of load from elsewhere on the machine hits all of them alike.
		var fps [2]C.struct_bpf_program
		for opt := range fps {
			cexpr := C.CString(expr)
			rc := C.compile(cexpr, C.int(opt), &fps[opt])
			C.free(unsafe.Pointer(cexpr))
			if rc != 0 {
				fmt.Fprintln(os.Stderr, "libpcap cannot compile", expr)
				os.Exit(1)
			}
		}
		var pcapAcc C.long
		var ours int
		var samples [4][]float64 // libpcap, libpcapO, wirekit, x/net/bpf
		for range *rounds {
			for opt := range fps {
				ns := float64(C.run_filter(&fps[opt], (*C.uchar)(cbuf), (*C.int)(coffs), (*C.int)(clens), C.int(len(pkts)), C.int(*reps), &pcapAcc))
				samples[opt] = append(samples[opt], ns)
			}
			ours = 0
			t0 := time.Now()
			for range *reps {
				for _, p := range pkts {
					if prog.Run(p, len(p)) != 0 {
						ours++
					}
				}
			}
			ours /= *reps
			samples[2] = append(samples[2], float64(time.Since(t0).Nanoseconds())/float64(len(pkts)**reps))
			t0 = time.Now()
			for range *reps {
				for _, p := range pkts {
					vm.Run(p)
				}
			}
			samples[3] = append(samples[3], float64(time.Since(t0).Nanoseconds())/float64(len(pkts)**reps))
		}
		for opt := range fps {
			C.pcap_freecode(&fps[opt])
		}
		var med [4]float64
		for i := range samples {
			sort.Float64s(samples[i])
			med[i] = median1(samples[i])
		}
		pcapNs, wk, vmNs := med[:2], med[2], med[3]
		if int64(ours) != int64(pcapAcc) {
			fmt.Fprintf(os.Stderr, "%s: wirekit accepts %d packets, libpcap %d\n", expr, ours, pcapAcc)
			os.Exit(1)
		}
		ratios = append(ratios, pcapNs[0]/wk)
		ratiosO = append(ratiosO, pcapNs[1]/wk)
		fmt.Printf("%-48s %9.1f %9.1f %9.1f %9.1f %11.2fx %11.2fx\n", expr, pcapNs[0], pcapNs[1], vmNs, wk, pcapNs[0]/wk, pcapNs[1]/wk)
	}
	sort.Float64s(ratios)
	sort.Float64s(ratiosO)
	fmt.Printf("\nwirekit runs its optimized program (filter.Compile); libpcap: bpf_filter on libpcap's unoptimized program, libpcapO: on its optimized one\n")
	fmt.Printf("median speed-up of wirekit over libpcap: %.2fx; over libpcapO: %.2fx\n", median1(ratios), median1(ratiosO))
}

// median1 returns the median of sorted values (the mean of the middle
// two for an even count).
func median1(v []float64) float64 {
	if len(v)%2 == 0 {
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return v[len(v)/2]
}
