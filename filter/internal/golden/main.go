// Command golden regenerates filter/testdata/golden.tsv: libpcap's verdict
// (through tcpdump) for every expression in filter/testdata/exprs.txt on
// every packet of the test captures. Run it with scripts/filter-golden.sh.
// With -random N it instead compares wirekit with tcpdump on N random
// expressions and random packets (scripts/filter-random.sh).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/wirekit/wirekit/pcapio"
)

type pkt struct {
	ci   gopacket.CaptureInfo
	data []byte
}

func readAll(path string) ([]pkt, layers.LinkType, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var src interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var lt layers.LinkType
	if strings.HasSuffix(path, ".pcapng") {
		r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, 0, err
		}
		src, lt = r, r.LinkType()
	} else {
		r, err := pcapgo.NewReader(f)
		if err != nil {
			return nil, 0, err
		}
		src, lt = r, r.LinkType()
	}
	var out []pkt
	for {
		d, ci, err := src.ReadPacketData()
		if err == io.EOF {
			return out, lt, nil
		}
		if err != nil {
			// gopacket refuses a record longer than the packet was;
			// pcapio reads it, as libpcap does.
			return readLenient(path, lt)
		}
		out = append(out, pkt{ci, d})
	}
}

// readLenient reads every packet of a pcap file with pcapio.
func readLenient(path string, lt layers.LinkType) ([]pkt, layers.LinkType, error) {
	r, err := pcapio.Open(path)
	if err != nil {
		return nil, lt, err
	}
	defer r.Close()
	var out []pkt
	for {
		d, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return out, lt, nil
		}
		if err != nil {
			return out, lt, err
		}
		out = append(out, pkt{ci, append([]byte(nil), d...)})
	}
}

func main() {
	exprsPath := flag.String("exprs", "filter/testdata/exprs.txt", "expressions, one per line")
	out := flag.String("out", "filter/testdata/golden.tsv", "golden output")
	dout := flag.String("unoptimized", "filter/testdata/unoptimized.txt", "tcpdump -O -d output")
	corpus := flag.String("corpus", "../shared/corpus/libpcap-filter", "libpcap filter test captures")
	random := flag.Int("random", 0, "instead of the golden files: compare verdicts on this many random expressions")
	npkts := flag.Int("packets", 200, "with -random: number of random packets")
	seed := flag.Uint64("seed", 1, "with -random: random seed")
	unopt := flag.Bool("O", false, "libpcap's unoptimized programs' verdicts (tcpdump -O): with -random, compare with them; else record them")
	failures := flag.String("failures", "", "with -random: write disagreements to this file")
	linktype := flag.Int("linktype", 1, "with -random: link type of the packets (the random Ethernet frames relinked as the synthetic captures are)")
	captures := flag.String("captures", "", "comma-separated capture names: write the rows of these only (and not the unoptimized code file)")
	only := flag.String("only", "", "comma-separated capture names (synth-chdlc.pcap, corpus:x.pcap): recompute only their rows, copying the others from the existing golden file")
	flag.Parse()
	if *random > 0 {
		if err := runRandom(*random, *npkts, *seed, *failures, *unopt, layers.LinkType(*linktype)); err != nil {
			log.Fatal(err)
		}
		return
	}

	synth := "filter/testdata/synth.pcap"
	if err := writeEthernet(synth, synthPackets()); err != nil {
		log.Fatal(err)
	}
	files := []string{synth}
	names := []string{"synth.pcap"}
	for _, o := range append([]struct {
		name string
		lt   layers.LinkType
	}{{"synth-raw.pcap", layers.LinkTypeRaw}, {"synth-ipv4.pcap", 228}, {"synth-loop.pcap", layers.LinkTypeLoop},
		{"synth-sll.pcap", layers.LinkTypeLinuxSLL}, {"synth-sll2.pcap", 276},
		{"synth-null.pcap", layers.LinkTypeNull}, {"synth-null-be.pcap", linkNullBE},
		{"synth-ppp.pcap", layers.LinkTypePPP}, {"synth-ppp-ether.pcap", 51},
		{"synth-pflog.pcap", layers.LinkTypePFLog}, {"synth-wlan.pcap", layers.LinkTypeIEEE802_11},
		{"synth-radiotap.pcap", layers.LinkTypeIEEE80211Radio}, {"synth-chdlc.pcap", 104},
		{"synth-slip.pcap", layers.LinkTypeSLIP}, {"synth-fddi.pcap", layers.LinkTypeFDDI},
		{"synth-tokenring.pcap", layers.LinkTypeTokenRing}, {"synth-ipfc.pcap", layers.LinkTypeIPOverFC},
		{"synth-ppp-serial.pcap", layers.LinkTypePPP_HDLC}, {"synth-ppp-bsdos.pcap", 16},
		{"synth-frelay.pcap", 107}, {"synth-arcnet.pcap", layers.LinkTypeArcNet}, {"synth-arcnet-linux.pcap", 129}}, moreSynth...) {
		p := filepath.Join("filter/testdata", o.name)
		if err := writeLink(p, o.lt, relink(synthPackets(), o.lt)); err != nil {
			log.Fatal(err)
		}
		files = append(files, p)
		names = append(names, o.name)
	}
	files, names, err := addOtherSynth("filter/testdata", filepath.Join(filepath.Dir(*corpus), "tcpdump"), files, names)
	if err != nil {
		log.Fatal(err)
	}
	ents, err := os.ReadDir(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range ents {
		p := filepath.Join(*corpus, e.Name())
		_, lt, err := readAll(p)
		if err != nil || !corpusLink[lt] {
			continue
		}
		files = append(files, p)
		names = append(names, "corpus:"+e.Name())
	}
	raw, err := os.ReadFile(*exprsPath)
	if err != nil {
		log.Fatal(err)
	}
	var exprs []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			exprs = append(exprs, l)
		}
	}
	ver, _ := exec.Command("tcpdump", "--version").CombinedOutput()
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Code generated by scripts/filter-golden.sh; DO NOT EDIT.\n")
	fmt.Fprintf(&b, "# For each expression and capture: tcpdump -r FILE -w OUT -- EXPR, then the\n")
	fmt.Fprintf(&b, "# 0-based indexes of the packets in OUT (\"match:\") or tcpdump's error (\"error:\").\n")
	for _, l := range strings.Split(strings.TrimSpace(string(ver)), "\n") {
		fmt.Fprintf(&b, "# %s\n", l)
	}
	redo := map[string]bool{}
	var kept map[string][]string
	if *only != "" {
		for _, n := range strings.Split(*only, ",") {
			redo[n] = true
		}
		if kept, err = oldRows(*out); err != nil {
			log.Fatal(err)
		}
	}
	tmp, err := os.MkdirTemp("", "filter-golden")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	outp := filepath.Join(tmp, "out.pcap")
	only2 := map[string]bool{}
	for _, n := range strings.Split(*captures, ",") {
		only2[n] = n != ""
	}
	for fi, file := range files {
		if *captures != "" && !only2[names[fi]] || *captures == "" && moreCapture(names[fi]) {
			continue
		}
		if *only != "" && !redo[names[fi]] && len(kept[names[fi]]) > 0 {
			for _, l := range kept[names[fi]] {
				fmt.Fprintln(&b, l)
			}
			continue
		}
		pkts, _, err := readAll(file)
		if err != nil {
			log.Fatal(err)
		}
		for _, expr := range exprs {
			b.WriteString(verdictRow(file, names[fi], expr, outp, pkts, *unopt))
		}
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	if *only != "" {
		fmt.Fprintf(os.Stderr, "%d expressions x %d captures (%s recomputed) -> %s\n", len(exprs), len(files), *only, *out)
		return
	}
	if *captures != "" {
		fmt.Fprintf(os.Stderr, "%d expressions x %s -> %s\n", len(exprs), *captures, *out)
		return
	}
	// libpcap's unoptimized code (tcpdump -O -d) for every expression it
	// accepts on Ethernet: the reference for our own -d output.
	var d bytes.Buffer
	fmt.Fprintf(&d, "# Code generated by scripts/filter-golden.sh; DO NOT EDIT.\n")
	fmt.Fprintf(&d, "# tcpdump -O -d -- EXPR (link type EN10MB, snaplen 262144) for each accepted expression.\n")
	for _, expr := range exprs {
		o, err := exec.Command("tcpdump", "-O", "-d", "--", expr).Output()
		if err != nil {
			continue
		}
		fmt.Fprintf(&d, "### %s\n%s", expr, o)
	}
	if err := os.WriteFile(*dout, d.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(os.Stderr)
	fmt.Fprintf(w, "%d expressions x %d captures -> %s\n", len(exprs), len(files), *out)
	w.Flush()
}

// corpusLink lists the link types of the corpus captures used.
var corpusLink = map[layers.LinkType]bool{
	layers.LinkTypeEthernet: true, layers.LinkTypeIEEE802_11: true, layers.LinkTypeIEEE80211Radio: true,
	layers.LinkTypeSLIP: true, layers.LinkTypeArcNet: true,
	104: true, // C_HDLC
	129: true, // ARCNET_LINUX
	// PPI, DSA_TAG_BRCM, DSA_TAG_BRCM_PREPEND, DSA_TAG_DSA, DSA_TAG_EDSA
	192: true, 281: true, 282: true, 284: true, 285: true,
}

// verdictRow is the golden row of expr on the capture file (named name,
// with packets pkts): the packets tcpdump -r keeps (with -O when unopt),
// or its error. outp is a scratch file.
func verdictRow(file, name, expr, outp string, pkts []pkt, unopt bool) string {
	args := []string{"-r", file, "-w", outp}
	if unopt {
		args = append(args, "-O")
	}
	cmd := exec.Command("tcpdump", append(args, "--", expr)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := ""
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.HasPrefix(l, "tcpdump: ") {
				msg = strings.TrimPrefix(l, "tcpdump: ")
			}
		}
		return fmt.Sprintf("%s\t%s\terror:%s\n", expr, name, msg)
	}
	got, _, err := readAll(outp)
	if err != nil {
		log.Fatal(err)
	}
	var idx []string
	j := 0
	for i, p := range pkts {
		if j < len(got) && p.ci.Timestamp.Equal(got[j].ci.Timestamp) && bytes.Equal(p.data, got[j].data) {
			idx = append(idx, fmt.Sprint(i))
			j++
		}
	}
	if j != len(got) {
		log.Fatalf("%s %q: could not map %d output packets", file, expr, len(got)-j)
	}
	return fmt.Sprintf("%s\t%s\tmatch:%s\n", expr, name, strings.Join(idx, ","))
}

// oldRows reads the rows of an existing golden file by capture name, in
// their order.
func oldRows(path string) (map[string][]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rows := map[string][]string{}
	for _, l := range strings.Split(string(raw), "\n") {
		f := strings.Split(l, "\t")
		if l == "" || strings.HasPrefix(l, "#") || len(f) != 3 {
			continue
		}
		rows[f[1]] = append(rows[f[1]], l)
	}
	return rows, nil
}
