package report

import (
	"container/heap"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
)

// lazyMerge reads a mapped set in global timestamp order, opening each
// file only when the merge reaches its first packet's time (from the map)
// and closing it at its end, so that the files open at once are those
// that overlap in time (about one per capture worker), not the whole set.
type lazyMerge struct {
	files   []dataset.File
	order   []int // files by beginning
	next    int   // next in order to open
	open    mergeHeap
	cur     *mergeIn // returned last; advanced on the next call
	errs    []error
	opened  int
	maxOpen int
	openFn  func(string) (*pcapio.Reader, error)
}

type mergeIn struct {
	file int
	r    *pcapio.Reader
	data []byte
	ci   gopacket.CaptureInfo
	lt   layers.LinkType
}

type mergeHeap []*mergeIn

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if !h[i].ci.Timestamp.Equal(h[j].ci.Timestamp) {
		return h[i].ci.Timestamp.Before(h[j].ci.Timestamp)
	}
	return h[i].file < h[j].file
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*mergeIn)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func newLazyMerge(files []dataset.File, open func(string) (*pcapio.Reader, error)) *lazyMerge {
	if open == nil {
		open = pcapio.Open
	}
	m := &lazyMerge{files: files, openFn: open}
	for i := range files {
		m.order = append(m.order, i)
	}
	// Files without a timestamp (empty, or a map without times) first.
	sort.SliceStable(m.order, func(a, b int) bool {
		return files[m.order[a]].Beginning.Before(files[m.order[b]].Beginning)
	})
	return m
}

// advance reads the next packet of in into its own buffer; false at its
// end (the error, if any, kept).
func (m *lazyMerge) advance(in *mergeIn) bool {
	data, ci, err := in.r.ZeroCopyReadPacketData()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			m.errs = append(m.errs, withPath(m.files[in.file].Path, err))
		}
		in.r.Close()
		return false
	}
	in.data = append(in.data[:0], data...)
	in.ci = ci
	in.lt = in.r.LinkType()
	if ifs := in.r.Interfaces(); ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
		in.lt = ifs[ci.InterfaceIndex].LinkType
	}
	return true
}

// openUpTo opens every file whose beginning is not after t (all the rest
// when last).
func (m *lazyMerge) openUpTo(until func(f *dataset.File) bool) {
	for m.next < len(m.order) {
		i := m.order[m.next]
		if !until(&m.files[i]) {
			return
		}
		m.next++
		r, err := m.openFn(m.files[i].Path)
		if err != nil {
			m.errs = append(m.errs, withPath(m.files[i].Path, err))
			continue
		}
		m.opened++
		in := &mergeIn{file: i, r: r}
		if m.advance(in) {
			heap.Push(&m.open, in)
		}
		m.maxOpen = max(m.maxOpen, len(m.open))
	}
}

// read returns the next packet in time order, its link type and its
// file's index; data is valid until the next call. It returns io.EOF at
// the end; errors of single files are kept for Err and do not stop it.
func (m *lazyMerge) read() ([]byte, gopacket.CaptureInfo, layers.LinkType, int, error) {
	if m.cur != nil {
		if m.advance(m.cur) {
			heap.Push(&m.open, m.cur)
		}
		m.cur = nil
	}
	for {
		if len(m.open) == 0 {
			if m.next >= len(m.order) {
				return nil, gopacket.CaptureInfo{}, 0, 0, io.EOF
			}
			// Nothing open: open the next file (and those beginning
			// with it).
			first := m.files[m.order[m.next]].Beginning
			m.openUpTo(func(f *dataset.File) bool { return !f.Beginning.After(first) })
			continue
		}
		head := m.open[0].ci.Timestamp
		before := m.next
		m.openUpTo(func(f *dataset.File) bool { return !f.Beginning.After(head) })
		if m.next != before {
			continue // a file opened may hold an earlier packet
		}
		in := heap.Pop(&m.open).(*mergeIn)
		m.cur = in
		return in.data, in.ci, in.lt, in.file, nil
	}
}

// close closes every file still open.
func (m *lazyMerge) close() {
	if m.cur != nil {
		m.cur.r.Close()
		m.cur = nil
	}
	for _, in := range m.open {
		in.r.Close()
	}
	m.open = nil
}

// err joins the errors met reading single files.
func (m *lazyMerge) err() error { return errors.Join(slices.Clip(m.errs)...) }

// withPath makes err name the file, unless it does already (pcapio's
// errors do).
func withPath(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}
