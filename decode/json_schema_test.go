package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/internal/testutil"
)

// jsonSchemaValidator checks JSON lines against docs/json-schema.json and
// counts the layers it saw.
type jsonSchemaValidator struct {
	t      *testing.T
	schema *jsonschema.Schema
	out    bytes.Buffer
	w      *JSONWriter
	layers map[string]int
	lines  int
	failed int
}

func newJSONSchemaValidator(t *testing.T) *jsonSchemaValidator {
	t.Helper()
	path := filepath.Join(testutil.RepoRoot(t), "docs", "json-schema.json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("json-schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("json-schema.json")
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	v := &jsonSchemaValidator{t: t, schema: sch, layers: map[string]int{}}
	v.w = NewJSONWriter(&v.out, &JSONOptions{Data: true})
	return v
}

// check writes one packet and validates its line; what names the packet
// in a failure.
func (v *jsonSchemaValidator) check(what string, ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) {
	v.t.Helper()
	v.out.Reset()
	if err := v.w.Write(ci, data, lt); err != nil {
		v.t.Fatalf("%s: %v", what, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(v.out.Bytes()))
	if err != nil {
		v.t.Fatalf("%s: invalid JSON: %v", what, err)
	}
	v.lines++
	if err := v.schema.Validate(inst); err != nil {
		v.failed++
		if v.failed <= 10 {
			v.t.Errorf("%s: record does not match docs/json-schema.json: %v\n%s", what, err, v.out.Bytes())
		}
		return
	}
	if m, ok := inst.(map[string]any); ok {
		ls, _ := m["layers"].([]any)
		for _, l := range ls {
			if o, ok := l.(map[string]any); ok {
				name, _ := o["layer"].(string)
				v.layers[name]++
			}
		}
	}
}

// file validates the records of up to max packets of a capture.
func (v *jsonSchemaValidator) file(path string, max int) bool {
	f, err := os.Open(path)
	if err != nil {
		v.t.Fatal(err)
	}
	defer f.Close()
	src, lt, err := jsonOpenCapture(f)
	if err != nil {
		return false // not a capture pcapio reads
	}
	for n := 0; n < max; n++ {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			break
		}
		v.check(filepath.Base(path)+": packet "+strconv.Itoa(n+1), ci, data, lt)
	}
	return true
}

func (v *jsonSchemaValidator) summary() string {
	names := make([]string, 0, len(v.layers))
	for k := range v.layers {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k + "=" + strconv.Itoa(v.layers[k]) + " ")
	}
	return b.String()
}

// TestJSONSchema validates against docs/json-schema.json every record the
// JSON writer gives for generated packets (synthetic traffic, tunnels,
// application and 802.11 packets) and for the captures in
// decode/testdata, so that the schema cannot drift from the writer.
func TestJSONSchema(t *testing.T) {
	v := newJSONSchemaValidator(t)
	ci := func(d []byte) gopacket.CaptureInfo {
		return gopacket.CaptureInfo{CaptureLength: len(d), Length: len(d) + 3, InterfaceIndex: 1}
	}
	_ = synth.Generate(synth.Config{Seed: 5, Packets: 1000}, func(c gopacket.CaptureInfo, data []byte) error {
		v.check("synth", c, data, layers.LinkTypeEthernet)
		v.check("synth cut", c, data[:len(data)*2/3], layers.LinkTypeEthernet)
		return nil
	})
	for _, p := range tunnelPackets(t) {
		v.check("tunnel", ci(p.data), p.data, layers.LinkTypeEthernet)
	}
	for i, p := range jsonAppPackets(t) {
		v.check("app "+strconv.Itoa(i), ci(p), p, layers.LinkTypeEthernet)
		for cut := 1; cut < len(p); cut += 7 {
			v.check("app "+strconv.Itoa(i)+" cut "+strconv.Itoa(cut), ci(p[:cut]), p[:cut], layers.LinkTypeEthernet)
		}
	}
	for i, p := range jsonWifiPackets(t) {
		v.check("wifi "+strconv.Itoa(i), ci(p.data), p.data, p.lt)
		for cut := 1; cut < len(p.data); cut += 5 {
			v.check("wifi "+strconv.Itoa(i)+" cut "+strconv.Itoa(cut), ci(p.data[:cut]), p.data[:cut], p.lt)
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.pcap*"))
	for _, f := range files {
		v.file(f, 100000)
	}
	t.Logf("%d records valid of %d, from generated packets and %d testdata captures; layers: %s",
		v.lines-v.failed, v.lines, len(files), v.summary())
}

// TestJSONSchemaCorpus validates the records of the first packets of every
// capture of the shared corpus against docs/json-schema.json.
func TestJSONSchemaCorpus(t *testing.T) {
	dir := testutil.CorpusDir(t)
	v := newJSONSchemaValidator(t)
	max := 300
	if testing.Short() {
		max = 50
	}
	opened := 0
	for _, sub := range []string{"tcpdump", "libpcap-filter"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		for _, f := range files {
			if v.file(f, max) {
				opened++
			}
		}
	}
	t.Logf("%d records valid of %d, from %d corpus captures; layers: %s", v.lines-v.failed, v.lines, opened, v.summary())
}
