package tarx

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
)

// Action is what Extract did with a member.
type Action int

// The actions reported in Member.Action.
const (
	Listed    Action = iota // dry run: the member would be extracted
	Extracted               // written to the output folder
	Skipped                 // a link, a device or FIFO, or an existing file (see Reason)
	Refused                 // an unsafe name (see Reason)
)

// String returns "listed", "extracted", "skipped" or "refused".
func (a Action) String() string {
	switch a {
	case Listed:
		return "listed"
	case Extracted:
		return "extracted"
	case Skipped:
		return "skipped"
	case Refused:
		return "refused"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Member describes one selected member of the tarball and what became of it.
type Member struct {
	Name    string    // the name as stored in the tarball
	Path    string    // output path relative to the output folder, slash-separated ("" when refused)
	Size    int64     // size of the member's contents
	Written int64     // bytes written to the output file (after compression)
	ModTime time.Time // the member's modification time, given to the output file
	Action  Action    // what Extract did
	Reason  error     // why it was skipped or refused; wraps ErrUnsafePath, ErrLink, ErrSpecial or ErrExists
}

// Options selects members and says how to write them. A nil *Options means
// every regular file, written uncompressed, keeping existing files.
type Options struct {
	// Match selects members whose name in the tarball it matches; nil
	// selects all.
	Match *regexp.Regexp
	// Compress compresses each output file: None, Gzip or Zstd. The
	// output name gets ".gz" or ".zst" appended.
	Compress Compression
	// Concurrency is the number of goroutines compressing; 0 means
	// runtime.GOMAXPROCS(0).
	Concurrency int
	// Overwrite replaces existing output files; without it they are kept
	// and the member is skipped with ErrExists.
	Overwrite bool
	// Flatten writes every file directly in the output folder, its
	// directories joined to its name with "-" ("a/b/c.pcap" becomes
	// "a-b-c.pcap").
	Flatten bool
	// DryRun reports the members that would be extracted as Listed and
	// writes nothing.
	DryRun bool
	// OnMember, when set, is called for each selected member after it was
	// handled, from the goroutine running Extract. m is valid only during
	// the call.
	OnMember func(m *Member)
}

// Summary counts what Extract did.
type Summary struct {
	Members   int   // entries read from the tarball (all types, selected or not)
	Selected  int   // entries selected by Options.Match (directories excepted)
	Extracted int   // files written (or listed, in a dry run)
	Skipped   int   // links, devices, FIFOs, existing files
	Refused   int   // unsafe names
	Bytes     int64 // contents of the extracted (or listed) files
	Written   int64 // bytes written to the output folder
}

// compressor is a reusable per-file compressing writer.
type compressor interface {
	io.WriteCloser
	Reset(w io.Writer)
}

type gzipCompressor struct{ *pgzip.Writer }

func (g gzipCompressor) Reset(w io.Writer) { g.Writer.Reset(w) }

type zstdCompressor struct{ *zstd.Encoder }

func (z zstdCompressor) Reset(w io.Writer) { z.Encoder.Reset(w) }

// extractor holds what one Extract call reuses across members.
type extractor struct {
	ctx  context.Context
	opts Options
	root *os.Root
	comp compressor
	buf  []byte
	sum  Summary
}

// ExtractFile opens the tarball at path ("-" is not special here) and
// calls Extract on it.
func ExtractFile(ctx context.Context, path, outDir string, opts *Options) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return Summary{}, fmt.Errorf("tarball: %w", err)
	}
	defer f.Close()
	sum, err := Extract(ctx, f, outDir, opts)
	if err != nil {
		return sum, fmt.Errorf("tarball %s: %w", path, err)
	}
	return sum, nil
}

// Extract reads the tarball r in one pass (plain or compressed, found from
// its first bytes) and writes the selected regular files under outDir,
// which it creates if needed (outDir is not used in a dry run). Members
// that are unsafe, links, devices or existing files are reported and
// skipped, and extraction goes on. It returns an error, with the tar offset
// of the member, only when the tarball is damaged, an output file cannot be
// written, or ctx is done; the Summary then counts what was done before.
func Extract(ctx context.Context, r io.Reader, outDir string, opts *Options) (Summary, error) {
	x := &extractor{ctx: ctx, buf: make([]byte, 256<<10)}
	if opts != nil {
		x.opts = *opts
	}
	switch x.opts.Compress {
	case None, Gzip, Zstd:
	default:
		return x.sum, fmt.Errorf("cannot write %v output: choose none, gzip or zstd", x.opts.Compress)
	}
	if !x.opts.DryRun {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return x.sum, fmt.Errorf("output folder: %w", err)
		}
		root, err := os.OpenRoot(outDir)
		if err != nil {
			return x.sum, fmt.Errorf("output folder: %w", err)
		}
		defer root.Close()
		x.root = root
		if err := x.newCompressor(); err != nil {
			return x.sum, err
		}
		if x.comp != nil {
			defer x.comp.Close()
		}
	}
	dec, _, err := NewReader(r)
	if err != nil {
		return x.sum, err
	}
	defer dec.Close()
	cr := &countReader{r: dec}
	tr := tar.NewReader(cr)
	for {
		if err := ctx.Err(); err != nil {
			return x.sum, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			if !cr.endMarker() {
				return x.sum, fmt.Errorf("tar offset %d: after member %d: %w", cr.n, x.sum.Members, ErrTruncated)
			}
			return x.sum, nil
		}
		if err != nil && x.sum.Members == 0 {
			return x.sum, fmt.Errorf("tar offset %d: not a tarball, or damaged at its start: %w", cr.n, err)
		}
		if err != nil {
			return x.sum, fmt.Errorf("tar offset %d: after member %d: %w", cr.n, x.sum.Members, err)
		}
		off := cr.n
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		x.sum.Members++
		if hdr.Typeflag == tar.TypeDir {
			continue // directories are made as files need them
		}
		if x.opts.Match != nil && !x.opts.Match.MatchString(hdr.Name) {
			continue
		}
		x.sum.Selected++
		m := Member{Name: hdr.Name, Size: hdr.Size, ModTime: hdr.ModTime}
		if err := x.member(hdr, tr, &m); err != nil {
			return x.sum, fmt.Errorf("tar offset %d: member %q: %w", off, hdr.Name, err)
		}
		switch m.Action {
		case Listed, Extracted:
			x.sum.Extracted++
			x.sum.Bytes += m.Size
			x.sum.Written += m.Written
		case Skipped:
			x.sum.Skipped++
		case Refused:
			x.sum.Refused++
		}
		if x.opts.OnMember != nil {
			x.opts.OnMember(&m)
		}
	}
}

func (x *extractor) newCompressor() error {
	n := x.opts.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	switch x.opts.Compress {
	case Gzip:
		w, err := pgzip.NewWriterLevel(io.Discard, pgzip.DefaultCompression)
		if err != nil {
			return fmt.Errorf("gzip writer: %w", err)
		}
		if err := w.SetConcurrency(1<<20, 2*n); err != nil {
			return fmt.Errorf("gzip writer: %w", err)
		}
		x.comp = gzipCompressor{w}
	case Zstd:
		w, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(n))
		if err != nil {
			return fmt.Errorf("zstd writer: %w", err)
		}
		x.comp = zstdCompressor{w}
	}
	return nil
}

// member handles one selected entry; it sets m.Action and returns an error
// only for a failure that must stop the extraction.
func (x *extractor) member(hdr *tar.Header, tr io.Reader, m *Member) error {
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA:
	case tar.TypeSymlink, tar.TypeLink:
		m.Action, m.Reason = Skipped, fmt.Errorf("%w (-> %q)", ErrLink, hdr.Linkname)
		return nil
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		m.Action, m.Reason = Skipped, fmt.Errorf("%w: device or FIFO", ErrSpecial)
		return nil
	default:
		m.Action, m.Reason = Skipped, fmt.Errorf("%w: tar type %q", ErrSpecial, hdr.Typeflag)
		return nil
	}
	parts, err := cleanName(hdr.Name)
	if err != nil {
		m.Action, m.Reason = Refused, err
		return nil
	}
	if x.opts.Flatten {
		parts = []string{strings.Join(parts, "-")}
	}
	parts[len(parts)-1] += x.opts.Compress.Ext()
	m.Path = strings.Join(parts, "/")
	if x.opts.DryRun {
		m.Action = Listed
		return nil
	}
	if err := checkParents(x.root, parts); err != nil {
		m.Action, m.Reason = Refused, err
		return nil
	}
	if fi, err := x.root.Lstat(m.Path); err == nil {
		if fi.IsDir() {
			m.Action, m.Reason = Refused, fmt.Errorf("%w: %q in the output folder is a directory", ErrUnsafePath, m.Path)
			return nil
		}
		if !x.opts.Overwrite {
			m.Action, m.Reason = Skipped, ErrExists
			return nil
		}
	}
	if dir := path.Dir(m.Path); dir != "." {
		if err := x.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("making its folder: %w", err)
		}
	}
	return x.write(hdr, tr, m)
}

// write copies the member to a temporary file next to its final name, sets
// its times and renames it.
func (x *extractor) write(hdr *tar.Header, tr io.Reader, m *Member) error {
	perm := fs.FileMode(hdr.Mode).Perm()&0o755 | 0o600
	dir, base := path.Split(m.Path)
	var (
		f   *os.File
		tmp string
		err error
	)
	for range 10 {
		tmp = dir + "." + base + ".tmp-" + strconv.FormatUint(rand.Uint64(), 36)
		f, err = x.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("creating a temporary file: %w", err)
	}
	fail := func(err error) error {
		f.Close()
		x.root.Remove(tmp)
		return err
	}
	cw := &countWriter{w: f}
	var w io.Writer = cw
	if x.comp != nil {
		x.comp.Reset(cw)
		w = x.comp
	}
	if err := x.copy(w, tr); err != nil {
		return fail(err)
	}
	if x.comp != nil {
		if err := x.comp.Close(); err != nil {
			return fail(fmt.Errorf("writing %s: %w", tmp, err))
		}
	}
	if err := f.Close(); err != nil {
		x.root.Remove(tmp)
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	atime := hdr.AccessTime
	if atime.IsZero() {
		atime = hdr.ModTime
	}
	if err := x.root.Chtimes(tmp, atime, hdr.ModTime); err != nil {
		x.root.Remove(tmp)
		return fmt.Errorf("setting the times of %s: %w", tmp, err)
	}
	if err := x.publish(tmp, m.Path); err != nil {
		x.root.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			m.Action, m.Reason = Skipped, ErrExists
			return nil
		}
		return fmt.Errorf("renaming %s to %s: %w", tmp, m.Path, err)
	}
	m.Action, m.Written = Extracted, cw.n
	return nil
}

// publish gives tmp its final name. Without Overwrite it links then
// unlinks, which fails if the name appeared meanwhile.
func (x *extractor) publish(tmp, final string) error {
	if x.opts.Overwrite {
		return x.root.Rename(tmp, final)
	}
	err := x.root.Link(tmp, final)
	if err == nil {
		return x.root.Remove(tmp)
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	// The file system may not support hard links: check, then rename.
	if _, err := x.root.Lstat(final); err == nil {
		return fs.ErrExist
	}
	return x.root.Rename(tmp, final)
}

// copy moves a member's contents with the extractor's buffer, checking ctx
// between chunks.
func (x *extractor) copy(w io.Writer, r io.Reader) error {
	for {
		n, rerr := r.Read(x.buf)
		if n > 0 {
			if _, err := w.Write(x.buf[:n]); err != nil {
				return fmt.Errorf("writing: %w", err)
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("reading its contents: %w", rerr)
		}
		if err := x.ctx.Err(); err != nil {
			return err
		}
	}
}

// countReader counts the bytes of the tar stream and keeps the last 1024,
// to tell a proper end of archive (two zero blocks) from a truncated one.
type countReader struct {
	r    io.Reader
	n    int64
	tail [1024]byte
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n >= len(c.tail) {
		copy(c.tail[:], p[n-len(c.tail):n])
	} else if n > 0 {
		copy(c.tail[:], c.tail[n:])
		copy(c.tail[len(c.tail)-n:], p[:n])
	}
	return n, err
}

// endMarker reports whether the stream read so far ends with two zero
// blocks.
func (c *countReader) endMarker() bool {
	if c.n < int64(len(c.tail)) || c.n%512 != 0 {
		return false
	}
	for _, b := range c.tail {
		if b != 0 {
			return false
		}
	}
	return true
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
