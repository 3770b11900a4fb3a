package tarx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// memFolder is a Folder in memory that records what was published and
// what was discarded, and checks that every file is finished once.
type memFolder struct {
	mu        sync.Mutex
	published map[string][]byte
	aborted   []string
	open      int // files neither closed nor aborted
}

func newMemFolder() *memFolder { return &memFolder{published: map[string][]byte{}} }

func (f *memFolder) Create(ctx context.Context, name string, overwrite bool) (FolderFile, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.published[name]; ok && !overwrite {
		return nil, fmt.Errorf("mem:%s: %w", name, ErrExists)
	}
	f.open++
	return &memFile{f: f, name: name}, nil
}

type memFile struct {
	f    *memFolder
	name string
	buf  bytes.Buffer
	done bool
}

func (m *memFile) Write(p []byte) (int, error) { return m.buf.Write(p) }

func (m *memFile) finish(publish bool) error {
	m.f.mu.Lock()
	defer m.f.mu.Unlock()
	if m.done {
		return fmt.Errorf("%s finished twice", m.name)
	}
	m.done = true
	m.f.open--
	if publish {
		m.f.published[m.name] = bytes.Clone(m.buf.Bytes())
	} else {
		m.f.aborted = append(m.f.aborted, m.name)
	}
	return nil
}

func (m *memFile) Close() error { return m.finish(true) }
func (m *memFile) Abort() error { return m.finish(false) }

func (f *memFolder) names() []string {
	var out []string
	for k := range f.published {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// With Options.Folder, files go to the Folder under the names they get
// locally, published only once the check covering them passed: damage
// discards (Abort) what was not verified, and every file is finished once.
func TestExtractToFolder(t *testing.T) {
	random := integrityMembers(6, 200_000, true)
	raw := rawTar(t, random)
	gz := compressWith(t, Gzip, raw, false)
	split := 3 * (512 + 200_000 + (512 - 200_000%512))
	twoGz := append(compressWith(t, Gzip, raw[:split], false), flip(compressWith(t, Gzip, raw[split:], false), 20_000, 30)...)
	all := allNames(random)
	slices.Sort(all)
	tests := []struct {
		name      string
		data      []byte
		compress  Compression
		published []string
		aborted   int
		streamErr bool
	}{
		{"plain tar: not every file published", raw, None, all, 0, false},
		{"gzip: not every file published at the end", gz, None, all, 0, false},
		{"gzip, zst outputs: names lack .zst", gz, Zstd, nil, 0, false},
		{"gzip trailer wrong: unverified files were published", flip(gz, len(gz)-8, 1), None, nil, 6, true},
		{"second gzip member damaged: the first member's files were not kept", twoGz, None, all[:3], 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newMemFolder()
			var discarded int
			sum, err := Extract(context.Background(), bytes.NewReader(tc.data), "", &Options{Folder: f, Compress: tc.compress, OnMember: func(m *Member) {
				if m.Action == Discarded {
					discarded++
				}
			}})
			if _, ok := errors.AsType[*StreamError](err); ok != tc.streamErr {
				t.Fatalf("error %v, want a stream error: %v", err, tc.streamErr)
			}
			if f.open != 0 {
				t.Fatalf("%d files left neither closed nor aborted", f.open)
			}
			want := tc.published
			if tc.compress == Zstd {
				for _, n := range all {
					want = append(want, n+".zst")
				}
			}
			if got := f.names(); !slices.Equal(got, want) {
				t.Fatalf("published %v, want %v", got, want)
			}
			if len(f.aborted) != tc.aborted || discarded != tc.aborted || sum.Discarded != tc.aborted {
				t.Fatalf("aborted %v, %d reported discarded, summary %d; want %d", f.aborted, discarded, sum.Discarded, tc.aborted)
			}
			if tc.compress == None {
				for _, n := range want {
					if !bytes.Equal(f.published[n], random[n]) {
						t.Errorf("%s: %d bytes differ from the member's %d", n, len(f.published[n]), len(random[n]))
					}
				}
			}
		})
	}
	t.Run("an existing name was not skipped with ErrExists", func(t *testing.T) {
		f := newMemFolder()
		f.published[all[1]] = []byte("mine")
		var skipped []error
		sum, err := Extract(context.Background(), bytes.NewReader(raw), "", &Options{Folder: f, OnMember: func(m *Member) {
			if m.Action == Skipped {
				skipped = append(skipped, m.Reason)
			}
		}})
		if err != nil || sum.Skipped != 1 || len(skipped) != 1 || !errors.Is(skipped[0], ErrExists) {
			t.Fatalf("error %v, summary %+v, reasons %v", err, sum, skipped)
		}
		if string(f.published[all[1]]) != "mine" {
			t.Fatal("the existing file was replaced")
		}
		if _, err := Extract(context.Background(), bytes.NewReader(raw), "", &Options{Folder: f, Overwrite: true}); err != nil || !bytes.Equal(f.published[all[1]], random[all[1]]) {
			t.Fatalf("with Overwrite: %v, the file was not replaced", err)
		}
	})
	t.Run("a cancelled run published the file in progress", func(t *testing.T) {
		// Members larger than a copy buffer: the signal comes in the
		// middle of the second.
		big := integrityMembers(3, 1_000_000, true)
		f := newMemFolder()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := &cancelAfter{n: 1_500_000, cancel: cancel}
		_, err := Extract(ctx, bytes.NewReader(rawTar(t, big)), "", &Options{Folder: &writeHook{f, w}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if got := f.names(); !slices.Equal(got, []string{"set/m0.pcap"}) || !slices.Equal(f.aborted, []string{"set/m1.pcap"}) || f.open != 0 {
			t.Fatalf("published %v, aborted %v, open %d; want the file complete before the signal, the one in progress aborted", got, f.aborted, f.open)
		}
	})
}

// cancelAfter cancels once n bytes were written.
type cancelAfter struct {
	n      int
	cancel func()
}

// writeHook counts the bytes written to its folder's files.
type writeHook struct {
	f *memFolder
	c *cancelAfter
}

func (h *writeHook) Create(ctx context.Context, name string, overwrite bool) (FolderFile, error) {
	ff, err := h.f.Create(ctx, name, overwrite)
	if err != nil {
		return nil, err
	}
	return &hookFile{ff.(*memFile), h.c}, nil
}

type hookFile struct {
	*memFile
	c *cancelAfter
}

func (h *hookFile) Write(p []byte) (int, error) {
	h.c.n -= len(p)
	if h.c.n <= 0 {
		h.c.cancel()
	}
	return h.memFile.Write(p)
}
