package tlsinfo

import (
	"slices"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestCertificateCache: a chain seen again (every connection to a server
// sends the same one) comes from the cache: the same facts, a SANs slice
// of its own, a few allocations instead of an X.509 parse.
func TestCertificateCache(t *testing.T) {
	der := testutil.SelfSigned(t, "api.example", "www.api.example").Certificate[0]
	msg := []byte{0, 0, 0, byte(len(der) >> 16), byte(len(der) >> 8), byte(len(der))}
	msg = append(msg, der...)
	n := len(msg) - 3
	msg[0], msg[1], msg[2] = byte(n>>16), byte(n>>8), byte(n)
	clear(certs.m)
	first, err := parseCertificates(msg)
	if err != nil || len(first) != 1 {
		t.Fatalf("parseCertificates: %v, %d certificates", err, len(first))
	}
	if !slices.Equal(first[0].SANs, []string{"api.example", "www.api.example"}) || first[0].Subject == "" {
		t.Fatalf("first parse: %+v", first[0])
	}
	again, err := parseCertificates(msg)
	if err != nil || len(again) != 1 {
		t.Fatalf("parseCertificates again: %v, %d certificates", err, len(again))
	}
	c, w := again[0], first[0]
	if c.Subject != w.Subject || c.Issuer != w.Issuer || c.SHA256 != w.SHA256 || !c.NotBefore.Equal(w.NotBefore) || !c.NotAfter.Equal(w.NotAfter) || !slices.Equal(c.SANs, w.SANs) {
		t.Errorf("cached certificate %+v, want %+v", c, w)
	}
	again[0].SANs[0] = "changed"
	if third, _ := parseCertificates(msg); third[0].SANs[0] != "api.example" {
		t.Errorf("a change to one connection's SANs reached the cache: %q", third[0].SANs)
	}
	if allocs := testing.AllocsPerRun(100, func() { parseCertificates(msg) }); allocs > 6 {
		t.Errorf("%.0f allocations to parse a chain seen before, want <= 6 (no X.509 parse)", allocs)
	}
}
