package main

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// TestOptimizerOnRandomExpressions compiles random expressions of the
// differential test's grammar with and without the optimizer and checks
// that both programs return the same on its random packets. It needs no
// tcpdump: the unoptimized program is the reference.
func TestOptimizerOnRandomExpressions(t *testing.T) {
	n, npkts := 3000, 200
	if testing.Short() {
		n = 200
	}
	for _, seed := range []uint64{1, 2, 3} {
		r := rand.New(rand.NewPCG(seed, 0x0b7))
		g := &exprGen{r: r}
		pkts := randomPackets(rand.New(rand.NewPCG(seed, 0x5eed)), npkts)
		compiled, shorter := 0, 0
		for range n {
			expr := g.expr(0)
			u, err := filter.CompileWith(expr, layers.LinkTypeEthernet, 65535, &filter.Options{NoOptimize: true})
			if err != nil {
				if !errors.Is(err, filter.ErrUnsupported) {
					if _, oerr := filter.Compile(expr, layers.LinkTypeEthernet, 65535); oerr == nil {
						t.Errorf("%q: compiles optimized only", expr)
					}
				}
				continue
			}
			// AllowRejectAll: the optimized program of an expression
			// that can match nothing is compared too.
			o, err := filter.CompileWith(expr, layers.LinkTypeEthernet, 65535, &filter.Options{AllowRejectAll: true})
			if err != nil {
				t.Fatalf("%q: compiles unoptimized only: %v", expr, err)
			}
			compiled++
			if len(o.Raw()) < len(u.Raw()) {
				shorter++
			}
			for i, p := range pkts {
				if got, want := o.Run(p, len(p)), u.Run(p, len(p)); got != want {
					text, _ := filter.Format(o, "d")
					t.Fatalf("seed %d: %q: packet %d (%x): optimized returns %d, unoptimized %d\noptimized:\n%s", seed, expr, i, p, got, want, text)
				}
			}
		}
		t.Logf("seed %d: %d expressions x %d packets agree; %d optimized programs shorter", seed, compiled, len(pkts), shorter)
	}
}
