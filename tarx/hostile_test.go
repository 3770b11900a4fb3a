package tarx

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestHostile builds hostile tarballs and checks that nothing lands outside
// the output folder, that each bad member is refused or skipped for the
// right reason, and that extraction goes on with the next member.
func TestHostile(t *testing.T) {
	tests := []struct {
		name    string
		entries []entry
		setup   func(t *testing.T, out, outside string) // prepares the output folder
		reason  error                                   // reason of the first member
		action  Action
		tree    []string // the output folder afterwards (besides "ok.txt")
	}{
		{"absolute", []entry{{name: "/tmp/evil", body: "x"}}, nil, ErrUnsafePath, Refused, nil},
		{"dotdot", []entry{{name: "../evil", body: "x"}}, nil, ErrUnsafePath, Refused, nil},
		{"dotdot deep", []entry{{name: "a/b/../../../evil", body: "x"}}, nil, ErrUnsafePath, Refused, nil},
		{"dotdot only", []entry{{name: "..", body: "x"}}, nil, ErrUnsafePath, Refused, nil},
		{"dot", []entry{{name: ".", body: "x"}}, nil, ErrUnsafePath, Refused, nil},
		{"symlink member then file through it", []entry{
			{name: "link", typ: tar.TypeSymlink, linkname: "../outside"},
			{name: "link/evil", body: "x"},
		}, nil, ErrLink, Skipped, []string{"link/", "link/evil"}},
		{"absolute symlink", []entry{{name: "abs", typ: tar.TypeSymlink, linkname: "/etc/passwd"}}, nil, ErrLink, Skipped, nil},
		{"hard link", []entry{{name: "hl", typ: tar.TypeLink, linkname: "/etc/passwd"}}, nil, ErrLink, Skipped, nil},
		{"char device", []entry{{name: "null", typ: tar.TypeChar}}, nil, ErrSpecial, Skipped, nil},
		{"block device", []entry{{name: "sda", typ: tar.TypeBlock}}, nil, ErrSpecial, Skipped, nil},
		{"fifo", []entry{{name: "fifo", typ: tar.TypeFifo}}, nil, ErrSpecial, Skipped, nil},
		{"path through existing symlink", []entry{{name: "esc/evil", body: "x"}},
			func(t *testing.T, out, outside string) {
				if err := os.Symlink(outside, filepath.Join(out, "esc")); err != nil {
					t.Fatal(err)
				}
			}, ErrUnsafePath, Refused, []string{"esc@"}},
		{"path through symlink inside", []entry{{name: "in/evil", body: "x"}},
			func(t *testing.T, out, outside string) {
				if err := os.Mkdir(filepath.Join(out, "real"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink("real", filepath.Join(out, "in")); err != nil {
					t.Fatal(err)
				}
			}, ErrUnsafePath, Refused, []string{"in@", "real/"}},
		{"existing symlink as the file", []entry{{name: "f", body: "x"}},
			func(t *testing.T, out, outside string) {
				if err := os.Symlink(filepath.Join(outside, "f"), filepath.Join(out, "f")); err != nil {
					t.Fatal(err)
				}
			}, ErrExists, Skipped, []string{"f@"}},
		{"file where a folder is needed", []entry{{name: "plain/evil", body: "x"}},
			func(t *testing.T, out, outside string) {
				if err := os.WriteFile(filepath.Join(out, "plain"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}, ErrUnsafePath, Refused, []string{"plain"}},
		{"folder where the file goes", []entry{{name: "d", body: "x"}},
			func(t *testing.T, out, outside string) {
				if err := os.Mkdir(filepath.Join(out, "d"), 0o755); err != nil {
					t.Fatal(err)
				}
			}, ErrUnsafePath, Refused, []string{"d/"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			out := filepath.Join(base, "out")
			outside := filepath.Join(base, "outside")
			for _, d := range []string{out, outside} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if tc.setup != nil {
				tc.setup(t, out, outside)
			}
			entries := append(slices.Clone(tc.entries), entry{name: "ok.txt", body: "fine"})
			var members []Member
			_, err := Extract(context.Background(), bytes.NewReader(buildTar(t, Gzip, entries...)), out,
				&Options{OnMember: func(m *Member) { members = append(members, *m) }})
			if err != nil {
				t.Fatalf("extract: %v", err)
			}
			if len(members) == 0 || members[0].Action != tc.action || !errors.Is(members[0].Reason, tc.reason) {
				t.Fatalf("first member %+v, want %v with %v", members, tc.action, tc.reason)
			}
			if last := members[len(members)-1]; last.Name != "ok.txt" || last.Action != Extracted {
				t.Errorf("extraction did not go on: last member %+v", last)
			}
			if got := tree(t, outside); len(got) != 0 {
				t.Errorf("files landed outside the output folder: %q", got)
			}
			if got := tree(t, base); !slices.Equal(got[len(got)-1:], []string{"outside/"}) || !slices.Contains(got, "out/") {
				t.Errorf("base folder holds %q", got)
			}
			want := append(slices.Clone(tc.tree), "ok.txt")
			slices.Sort(want)
			if got := tree(t, out); !slices.Equal(got, want) {
				t.Errorf("output folder %q, want %q", got, want)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct {
		name string
		want []string // nil: refused
	}{
		{"a", []string{"a"}},
		{"./a/./b", []string{"a", "b"}},
		{"a//b/", []string{"a", "b"}},
		{"a..b/c..", []string{"a..b", "c.."}},
		{"/a", nil},
		{"a/../b", nil},
		{"..", nil},
		{"", nil},
		{"./", nil},
		{"a\x00b", nil},
	}
	for _, tc := range tests {
		got, err := cleanName(tc.name)
		if tc.want == nil {
			if !errors.Is(err, ErrUnsafePath) {
				t.Errorf("cleanName(%q) = %q, %v; want ErrUnsafePath", tc.name, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("cleanName(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestLongNames checks that a member whose output name has a component
// over 255 bytes is refused with ErrNameTooLong and the extraction goes on
// (it used to stop there for good), and that names up to 255 bytes are
// extracted although their temporary name would be longer.
func TestLongNames(t *testing.T) {
	long := strings.Repeat("x", 300) + ".pcap"
	n250, n255 := strings.Repeat("y", 250), strings.Repeat("z", 255)
	tests := []struct {
		name    string
		opts    Options
		entries []entry
		refused []string
		tree    []string
	}{
		{"component over 255 bytes", Options{}, []entry{{name: "d/" + long, body: "x"}, {name: "ok.txt", body: "ok"}},
			[]string{"d/" + long}, []string{"ok.txt"}},
		{"folder component over 255 bytes", Options{}, []entry{{name: long + "/f", body: "x"}, {name: "ok.txt", body: "ok"}},
			[]string{long + "/f"}, []string{"ok.txt"}},
		{"250 and 255 bytes are fine", Options{}, []entry{{name: n250, body: "x"}, {name: "d/" + n255, body: "x"}},
			nil, []string{"d/", "d/" + n255, n250}},
		{"255 bytes plus .gz is too long", Options{Compress: Gzip}, []entry{{name: n255, body: "x"}, {name: n250, body: "x"}},
			[]string{n255}, []string{n250 + ".gz"}},
		{"flattened name too long", Options{Flatten: true}, []entry{{name: n250 + "/" + n250, body: "x"}, {name: "a/b", body: "x"}},
			[]string{n250 + "/" + n250}, []string{"a-b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			var refused []string
			opts := tc.opts
			opts.OnMember = func(m *Member) {
				if m.Action == Refused {
					refused = append(refused, m.Name)
					if !errors.Is(m.Reason, ErrNameTooLong) {
						t.Errorf("%s refused for %v, want ErrNameTooLong", m.Name, m.Reason)
					}
				}
			}
			sum, err := Extract(context.Background(), bytes.NewReader(buildTar(t, None, tc.entries...)), out, &opts)
			if err != nil {
				t.Fatalf("extraction stopped: %v", err)
			}
			if !slices.Equal(refused, tc.refused) || sum.Refused != len(tc.refused) {
				t.Errorf("refused %q (summary %d), want %q", refused, sum.Refused, tc.refused)
			}
			if got := tree(t, out); !slices.Equal(got, tc.tree) {
				t.Errorf("output folder %q, want %q", got, tc.tree)
			}
		})
	}
}

// TestOutDirCreatedLazily checks that the output folder is created only
// when a file is about to be written: not for an input that is not a
// tarball, a damaged compressed stream, or a tarball with nothing selected.
func TestOutDirCreatedLazily(t *testing.T) {
	good := buildTar(t, Gzip, entry{name: "a.pcap", body: "x"})
	tests := []struct {
		name    string
		data    []byte
		match   string
		created bool
	}{
		{"not a tarball", []byte(strings.Repeat("not a tarball\n", 100)), "", false},
		{"empty input", nil, "", false},
		{"gzip of text", compressBytes(t, Gzip, []byte(strings.Repeat("hello\n", 1000))), "", false},
		{"damaged gzip header", good[:5], "", false},
		{"nothing selected", good, "nomatch", false},
		{"one member", good, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			opts := &Options{}
			if tc.match != "" {
				opts.Match = regexp.MustCompile(tc.match)
			}
			Extract(context.Background(), bytes.NewReader(tc.data), out, opts)
			_, err := os.Stat(out)
			if created := err == nil; created != tc.created {
				t.Errorf("output folder created: %v, want %v", created, tc.created)
			}
		})
	}
}
