package rules

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// writeASNDB builds a small MaxMind ASN database with MaxMind's writer:
// each network announced by its AS number.
func writeASNDB(tb testing.TB, nets map[string]uint32) string {
	tb.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-ASN", IncludeReservedNetworks: true, RecordSize: 24})
	if err != nil {
		tb.Fatal(err)
	}
	for cidr, asn := range nets {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			tb.Fatal(err)
		}
		rec := mmdbtype.Map{
			"autonomous_system_number":       mmdbtype.Uint32(asn),
			"autonomous_system_organization": mmdbtype.String("test"),
		}
		if err := tree.Insert(n, rec); err != nil {
			tb.Fatal(err)
		}
	}
	path := filepath.Join(tb.TempDir(), "asn.mmdb")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestASN(t *testing.T) {
	p := testPackets(t)
	db, err := OpenASN(writeASNDB(t, map[string]uint32{"10.0.0.0/8": 64512, "192.0.2.0/24": 64513, "2001:db8:1::/48": 64514}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eth := layers.LinkTypeEthernet
	for _, tc := range []struct {
		name  string
		conds []Condition
		lt    layers.LinkType
		pkt   []byte
		want  bool
	}{
		{"asn of the source", []Condition{cond(KindASN, false, "64512")}, eth, p.tcp4, true},
		{"asn of the destination", []Condition{cond(KindASN, false, "64513")}, eth, p.tcp4, true},
		{"asn of neither", []Condition{cond(KindASN, false, "64999")}, eth, p.tcp4, false},
		{"asn negated", []Condition{cond(KindASN, true, "64512")}, eth, p.tcp4, false},
		{"asn negated no hit", []Condition{cond(KindASN, true, "64999")}, eth, p.tcp4, true},
		{"asn IPv6", []Condition{cond(KindASN, false, "64514")}, eth, p.tcp6, true},
		{"asn behind a VLAN tag", []Condition{cond(KindASN, true, "1", "2")}, eth, p.udp4vlan, true},
		{"asn not in the database", []Condition{cond(KindASN, false, "64512")}, eth, p.udp4vlan, false},
		{"asn on raw IP", []Condition{cond(KindASN, false, "64512")}, layers.LinkTypeRaw, p.raw4, true},
		{"asn of ARP is none", []Condition{cond(KindASN, false, "64512")}, eth, p.arp, false},
		{"asn and port both hold", []Condition{cond(KindASN, false, "64512"), cond(KindPort, false, "80/tcp")}, eth, p.tcp4, true},
		{"asn holds, port does not", []Condition{cond(KindASN, false, "64512"), cond(KindPort, false, "81/tcp")}, eth, p.tcp4, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Compile(Rule{Name: "t", Conditions: tc.conds}, &Options{ASN: db})
			if err != nil {
				t.Fatal(err)
			}
			prog, err := m.Program(tc.lt)
			if err != nil {
				t.Fatal(err)
			}
			if got := prog.Match(gopacket.CaptureInfo{Length: len(tc.pkt)}, tc.pkt); got != tc.want {
				t.Errorf("Match = %v, want %v (%s)", got, tc.want, prog)
			}
		})
	}
}

func TestOpenASNNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.mmdb")
	os.WriteFile(path, []byte("not a database"), 0o644)
	if db, err := OpenASN(path); err == nil || db != nil {
		t.Fatalf("OpenASN = %v, %v: want an error", db, err)
	}
}
