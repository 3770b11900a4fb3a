package dataset_test

import (
	"strings"
	"testing"

	"github.com/wirekit/wirekit/dataset"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, json, want string
	}{
		{"not JSON", "pcap\n", "line 1, column 1"},
		{"cut short", "{\n  \"files\": [\n    {\"path\": \"a.pcap\",", "JSON"},
		{"bad character on line 3", "{\n  \"files\": [\n    {\"path\" \"a.pcap\"}]}", "line 3, column 13"},
		{"wrong type", "{\"files\": [{\"path\": \"a.pcap\", \"packets\": \"ten\"}]}", "line 1, column 46"},
		{"no path", `{"files": [{"packets": 3}]}`, `files[0] (""): "path" is empty`},
		{"negative packets", `{"files": [{"path": "a", "packets": -1}]}`, `files[0] ("a"): a count or size is negative`},
		{"negative duration", `{"files": [{"path": "a"}, {"path": "b", "duration": -5}]}`, `files[1] ("b"): "duration" is negative`},
		{"end before beginning", `{"files": [{"path": "a", "beginning": "2024-03-01T10:00:00Z", "end": "2024-03-01T09:00:00Z"}]}`, `"end" 2024-03-01T09:00:00Z is before "beginning" 2024-03-01T10:00:00Z`},
	}
	for _, c := range cases {
		_, err := dataset.Parse([]byte(c.json), "m.json")
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "m.json") {
			t.Errorf("%s: error %q, want the file name and %q", c.name, err, c.want)
		}
	}
}

func TestParseGopherCapMap(t *testing.T) {
	// The fields GopherCap writes; ours it lacks stay zero.
	const m = `{"files": [{"path": "/data/a.pcap", "beginning": "2021-01-01T00:00:00.000001Z",
		"end": "2021-01-01T00:01:00Z", "packets": 10, "size": 1000, "max_packet_size": 150,
		"out_of_order": 0, "snaplen": 65535, "pps": 0.16, "duration": 59999999000,
		"duration_human": "59.999999s", "delay": 0, "delay_human": "0s"}]}`
	s, err := dataset.Parse([]byte(m), "g.json")
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Files[0]; f.Packets != 10 || f.Snaplen != 65535 || f.Beginning.Nanosecond() != 1000 || f.Format != "" {
		t.Errorf("parsed %+v", f)
	}
}

// FuzzParse: any bytes give a set or an error, never a panic, and a set
// that parses has files a replay can schedule (NewSet over them holds).
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"files": [{"path": "a", "beginning": "2024-03-01T10:00:00Z", "end": "2024-03-01T10:00:01Z", "packets": 2}]}`))
	f.Add([]byte(`{"files": [{"path": "a"}, {"path": "b", "error": "truncated"}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"files": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := dataset.Parse(data, "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the map: %v", err)
			}
			return
		}
		set := dataset.NewSet(s.Files)
		for i, fl := range set.Files {
			if fl.Delay < 0 {
				t.Fatalf("file %d has a negative delay %v", i, fl.Delay)
			}
		}
	})
}
