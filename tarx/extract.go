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
	"syscall"
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
	Refused                 // an unsafe or too long name (see Reason)
	Discarded               // written, then removed unpublished: the compressed data it came from failed its check (Reason)
)

// String returns "listed", "extracted", "skipped", "refused" or
// "discarded".
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
	case Discarded:
		return "discarded"
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
	Reason  error     // why it was skipped, refused or discarded; wraps ErrUnsafePath, ErrNameTooLong, ErrLink, ErrSpecial, ErrExists, or a *StreamError
}

// Options selects members and says how to write them. A nil *Options means
// every regular file, written uncompressed, keeping existing files.
type Options struct {
	// Match selects members whose name in the tarball it matches; nil
	// selects all.
	Match *regexp.Regexp
	// Keep, when set, further selects members by name, after Match (the
	// CLI's --shard keeps the members of one shard).
	Keep func(name string) bool
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
	// Folder, when set, receives the extracted files in place of the
	// local folder outDir, which Extract then ignores: object storage,
	// say. Names, selection, refusals and the integrity rule are the
	// same; files get no modification time, and a file waiting for the
	// check of the compressed data it came from stays an unfinished
	// FolderFile (published by Close, or discarded by Abort) until then.
	Folder Folder
	// OnMember, when set, is called for each selected member after it was
	// handled, from the goroutine running Extract. m is valid only during
	// the call. An extracted member of a compressed tarball is reported
	// when it is published (see Extract), so it may come after members
	// that follow it in the tarball.
	OnMember func(m *Member)
}

// Folder is a place other than a local folder that Extract writes files
// to (Options.Folder).
type Folder interface {
	// Create starts writing the file name: slash-separated, relative,
	// and already checked by Extract (no "..", no absolute name, no
	// component over 255 bytes). Nothing may appear under name before
	// the FolderFile's Close returns nil, and its Abort must leave
	// nothing. Unless overwrite is set, an existing name is refused with
	// an error wrapping ErrExists (the member is then skipped); any
	// other error stops the extraction.
	Create(ctx context.Context, name string, overwrite bool) (FolderFile, error)
}

// FolderFile is one file being written to a Folder.
type FolderFile interface {
	io.Writer
	// Close publishes the file under its name.
	Close() error
	// Abort discards the file: its name keeps what it held before.
	Abort() error
}

// Summary counts what Extract did.
type Summary struct {
	Members   int // entries read from the tarball (all types, selected or not)
	Selected  int // entries selected by Options.Match (directories excepted)
	Extracted int // files written (or listed, in a dry run)
	Skipped   int // links, devices, FIFOs, existing files
	Refused   int // unsafe or too long names
	Discarded int // written but removed: their compressed data failed its check
	// Unverified counts the extracted files that were published although
	// the integrity check of the compressed data they came from was never
	// reached: the run stopped early (cancelled, an output error, or a
	// compressed stream cut short), and nothing showed them to be wrong.
	Unverified int
	Bytes      int64 // contents of the extracted (or listed) files
	Written    int64 // bytes written to the output folder
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
	ctx     context.Context
	opts    Options
	outDir  string
	root    *os.Root // opened at the first member to write
	comp    compressor
	buf     []byte
	sum     Summary
	dec     *stream
	pending []pending
	// made lists the folders this run created ("" for the output folder
	// itself), parents first, so that discarding files can remove the
	// folders left empty.
	made []string
}

// pending is a member written to a temporary file, complete, waiting for
// the integrity check of the compressed data it came from.
type pending struct {
	tmp  string
	file FolderFile // with Options.Folder, instead of tmp
	end  int64      // its end in the decompressed stream
	m    Member
}

// outputError marks a failure of the output side (creating, writing or
// renaming files), as opposed to damage in the tarball.
type outputError struct{ err error }

func (e outputError) Error() string { return e.err.Error() }
func (e outputError) Unwrap() error { return e.err }

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
// its first bytes) and writes the selected regular files under outDir, or
// to Options.Folder when it is set (outDir is then ignored).
// outDir is created, if needed, only when the first file is about to be
// written (never in a dry run, nor for a tarball with nothing to extract).
// Members that are unsafe, have a name component longer than 255 bytes,
// are links, devices or existing files are reported and skipped, and
// extraction goes on. It returns an error, with the tar offset of the
// member, only when the tarball is damaged, an output file cannot be
// written, or ctx is done; the Summary then counts what was done before.
//
// Integrity: every file is written under a temporary name. From a plain
// tar it gets its final name as soon as it is complete. From a compressed
// tar it gets it once the integrity check covering its bytes has passed
// (the end of its gzip member; the end of the stream for zstd, xz and
// lz4), so with a single-member .tar.gz the files appear at the end. The
// whole compressed stream is read, so its checks are always verified,
// also in a dry run. When the decompressor finds damage (a checksum that
// does not match, data it cannot decode), the member being written and
// every member not yet covered by a passed check are removed and reported
// as Discarded, and the error wraps a *StreamError; members published
// before stay. When the run stops for another reason (ctx done, the
// compressed stream only cut short, an output error), complete members are
// published and counted in Summary.Unverified. A damaged tar header in a
// compressed tarball makes Extract read the rest of the stream to learn
// whether the compressed data is what is damaged.
func Extract(ctx context.Context, r io.Reader, outDir string, opts *Options) (Summary, error) {
	x := &extractor{ctx: ctx, outDir: outDir, buf: make([]byte, 256<<10)}
	if opts != nil {
		x.opts = *opts
	}
	switch x.opts.Compress {
	case None, Gzip, Zstd:
	default:
		return x.sum, fmt.Errorf("cannot write %v output: choose none, gzip or zstd", x.opts.Compress)
	}
	if !x.opts.DryRun {
		if err := x.newCompressor(); err != nil {
			return x.sum, err
		}
		if x.comp != nil {
			defer x.comp.Close()
		}
	}
	defer func() {
		if x.root != nil {
			x.root.Close()
		}
	}()
	dec, err := newStream(r)
	if err != nil {
		return x.sum, err
	}
	defer dec.Close()
	x.dec = dec
	err = x.finish(x.members(dec))
	return x.sum, err
}

// members reads the tar stream up to its end marker or the first error.
func (x *extractor) members(dec *stream) error {
	cr := &countReader{r: dec}
	tr := tar.NewReader(cr)
	for {
		if err := x.ctx.Err(); err != nil {
			return err
		}
		if err := x.flush(dec.verified()); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			if !cr.endMarker() {
				return fmt.Errorf("tar offset %d: after member %d: %w", cr.n, x.sum.Members, ErrTruncated)
			}
			return nil
		}
		if err != nil && x.sum.Members == 0 {
			return fmt.Errorf("tar offset %d: not a tarball, or damaged at its start: %w", cr.n, err)
		}
		if err != nil {
			return fmt.Errorf("tar offset %d: after member %d: %w", cr.n, x.sum.Members, err)
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
		if x.opts.Keep != nil && !x.opts.Keep(hdr.Name) {
			continue
		}
		x.sum.Selected++
		m := Member{Name: hdr.Name, Size: hdr.Size, ModTime: hdr.ModTime}
		held := len(x.pending)
		if err := x.member(hdr, tr, &m, cr); err != nil {
			return fmt.Errorf("tar offset %d: member %q: %w", off, hdr.Name, err)
		}
		if len(x.pending) > held {
			continue // reported when published
		}
		x.report(&m)
	}
}

// report counts a handled member and passes it to OnMember.
func (x *extractor) report(m *Member) {
	switch m.Action {
	case Listed, Extracted:
		x.sum.Extracted++
		x.sum.Bytes += m.Size
		x.sum.Written += m.Written
	case Skipped:
		x.sum.Skipped++
	case Refused:
		x.sum.Refused++
	case Discarded:
		x.sum.Discarded++
	}
	if x.opts.OnMember != nil {
		x.opts.OnMember(m)
	}
}

// finish decides what becomes of the pending members once the tar stream
// ended with err (nil at its end marker), and returns the error of the run.
func (x *extractor) finish(err error) error {
	compressed := x.dec.kind != None
	var oe outputError
	switch {
	case err == nil:
		// Read the rest of the compressed stream (padding, trailers): its
		// checks are verified only at its end. A plain tar has none.
		if !compressed {
			break
		}
		if derr := x.drain(); derr != nil {
			err = derr
		}
	case errors.As(err, &oe):
	case errors.Is(err, x.ctx.Err()):
	case compressed:
		if _, ok := errors.AsType[*StreamError](err); ok {
			break
		}
		// A damaged tar header: is the compressed data what is damaged?
		if derr := x.drain(); derr != nil {
			if se, ok := errors.AsType[*StreamError](derr); ok && !se.Truncated() {
				err = fmt.Errorf("%w (it made the tar stream unreadable: %v)", derr, err)
			}
		}
	}
	if err == nil {
		return x.flush(x.dec.verified())
	}
	if se, ok := errors.AsType[*StreamError](err); ok && !se.Truncated() {
		x.discard(err)
		return err
	}
	// Stopped early with nothing showing the pending members are wrong.
	x.sum.Unverified += len(x.pending)
	x.flush(-1)
	return err // a failure to publish is secondary here
}

// drain reads what is left of the decompressed stream, checking ctx.
func (x *extractor) drain() error {
	for {
		_, err := x.dec.Read(x.buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := x.ctx.Err(); err != nil {
			return err
		}
	}
}

// flush publishes the pending members whose bytes are verified up to
// upTo; -1 publishes them all. A member whose name appeared meanwhile is
// skipped with ErrExists; it returns the first other failure to rename
// (an outputError), after trying every member.
func (x *extractor) flush(upTo int64) error {
	var first error
	i := 0
	for ; i < len(x.pending); i++ {
		p := &x.pending[i]
		if upTo >= 0 && p.end > upTo {
			break
		}
		if p.file != nil {
			if err := p.file.Close(); err != nil {
				p.m.Written = 0
				p.m.Action, p.m.Reason = Skipped, fmt.Errorf("writing %s: %w", p.m.Path, err)
				if first == nil {
					first = outputError{fmt.Errorf("member %q: %w", p.m.Name, p.m.Reason)}
				}
			}
		} else if err := x.publish(p.tmp, p.m.Path); err != nil {
			x.root.Remove(p.tmp)
			p.m.Written = 0
			p.m.Action, p.m.Reason = Skipped, ErrExists
			if !errors.Is(err, fs.ErrExist) {
				p.m.Reason = fmt.Errorf("renaming %s to %s: %w", p.tmp, p.m.Path, err)
				if first == nil {
					first = outputError{fmt.Errorf("member %q: %w", p.m.Name, p.m.Reason)}
				}
			}
		}
		x.report(&p.m)
	}
	x.pending = x.pending[:copy(x.pending, x.pending[i:])]
	return first
}

// discard removes every pending member, reporting each as Discarded, and
// then the folders this run made that are left empty.
func (x *extractor) discard(reason error) {
	for i := range x.pending {
		p := &x.pending[i]
		if p.file != nil {
			p.file.Abort()
		} else {
			x.root.Remove(p.tmp)
		}
		p.m.Action, p.m.Reason, p.m.Written = Discarded, reason, 0
		x.report(&p.m)
	}
	x.pending = x.pending[:0]
	for i := len(x.made) - 1; i >= 0; i-- {
		if x.made[i] != "" {
			x.root.Remove(x.made[i]) // fails, as it should, when not empty
		} else if x.root != nil {
			x.root.Close()
			x.root = nil
			os.Remove(x.outDir) // likewise
		}
	}
	x.made = nil
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

// openRoot creates the output folder and opens it, once.
func (x *extractor) openRoot() error {
	if x.root != nil {
		return nil
	}
	if _, err := os.Lstat(x.outDir); errors.Is(err, fs.ErrNotExist) {
		x.made = append(x.made, "")
	}
	if err := os.MkdirAll(x.outDir, 0o755); err != nil {
		return outputError{fmt.Errorf("output folder: %w", err)}
	}
	root, err := os.OpenRoot(x.outDir)
	if err != nil {
		return outputError{fmt.Errorf("output folder: %w", err)}
	}
	x.root = root
	return nil
}

// member handles one selected entry; it sets m.Action and returns an error
// only for a failure that must stop the extraction.
func (x *extractor) member(hdr *tar.Header, tr io.Reader, m *Member, cr *countReader) error {
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
	if err := checkLengths(parts); err != nil {
		m.Action, m.Reason = Refused, err
		return nil
	}
	m.Path = strings.Join(parts, "/")
	if x.opts.DryRun {
		m.Action = Listed
		return nil
	}
	if x.opts.Folder != nil {
		return x.writeFolder(tr, m, cr)
	}
	if err := x.openRoot(); err != nil {
		return err
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
		for i := range parts[:len(parts)-1] {
			d := strings.Join(parts[:i+1], "/")
			if _, err := x.root.Lstat(d); errors.Is(err, fs.ErrNotExist) {
				x.made = append(x.made, d)
			}
		}
		if err := x.root.MkdirAll(dir, 0o755); err != nil {
			if errors.Is(err, syscall.ENAMETOOLONG) {
				m.Action, m.Reason = Refused, fmt.Errorf("%w: %v", ErrNameTooLong, err)
				return nil
			}
			return outputError{fmt.Errorf("making its folder: %w", err)}
		}
	}
	return x.write(hdr, tr, m, cr)
}

// write copies the member to a temporary file next to its final name and
// sets its times; then it publishes it, or leaves it pending when the
// compressed data it came from is not verified yet.
func (x *extractor) write(hdr *tar.Header, tr io.Reader, m *Member, cr *countReader) error {
	perm := fs.FileMode(hdr.Mode).Perm()&0o755 | 0o600
	dir, base := path.Split(m.Path)
	var (
		f   *os.File
		tmp string
		err error
	)
	for range 10 {
		tmp = dir + tempName(base)
		f, err = x.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if errors.Is(err, syscall.ENAMETOOLONG) {
		m.Action, m.Reason = Refused, fmt.Errorf("%w: %v", ErrNameTooLong, err)
		return nil
	}
	if err != nil {
		return outputError{fmt.Errorf("creating a temporary file: %w", err)}
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
			return fail(outputError{fmt.Errorf("writing %s: %w", tmp, err)})
		}
	}
	if err := f.Close(); err != nil {
		x.root.Remove(tmp)
		return outputError{fmt.Errorf("writing %s: %w", tmp, err)}
	}
	atime := hdr.AccessTime
	if atime.IsZero() {
		atime = hdr.ModTime
	}
	if err := x.root.Chtimes(tmp, atime, hdr.ModTime); err != nil {
		x.root.Remove(tmp)
		return outputError{fmt.Errorf("setting the times of %s: %w", tmp, err)}
	}
	m.Action, m.Written = Extracted, cw.n
	if end := cr.n; len(x.pending) > 0 || end > x.dec.verified() {
		x.pending = append(x.pending, pending{tmp: tmp, end: end, m: *m})
		return nil
	}
	if err := x.publish(tmp, m.Path); err != nil {
		x.root.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			m.Action, m.Reason, m.Written = Skipped, ErrExists, 0
			return nil
		}
		return outputError{fmt.Errorf("renaming %s to %s: %w", tmp, m.Path, err)}
	}
	return nil
}

// writeFolder copies the member to a new file of Options.Folder; then it
// publishes it, or leaves it pending when the compressed data it came from
// is not verified yet.
func (x *extractor) writeFolder(tr io.Reader, m *Member, cr *countReader) error {
	f, err := x.opts.Folder.Create(x.ctx, m.Path, x.opts.Overwrite)
	if errors.Is(err, ErrExists) {
		m.Action, m.Reason = Skipped, err
		return nil
	}
	if err != nil {
		return outputError{fmt.Errorf("creating %s: %w", m.Path, err)}
	}
	cw := &countWriter{w: f}
	var w io.Writer = cw
	if x.comp != nil {
		x.comp.Reset(cw)
		w = x.comp
	}
	if err := x.copy(w, tr); err != nil {
		f.Abort()
		return err
	}
	if x.comp != nil {
		if err := x.comp.Close(); err != nil {
			f.Abort()
			return outputError{fmt.Errorf("writing %s: %w", m.Path, err)}
		}
	}
	m.Action, m.Written = Extracted, cw.n
	if end := cr.n; len(x.pending) > 0 || end > x.dec.verified() {
		x.pending = append(x.pending, pending{file: f, end: end, m: *m})
		return nil
	}
	if err := f.Close(); err != nil {
		return outputError{fmt.Errorf("writing %s: %w", m.Path, err)}
	}
	return nil
}

// tempName returns a fresh temporary name for a file called base, in the
// same folder: hidden, marked ".tmp-", and no longer than a name may be
// (base is shortened if needed).
func tempName(base string) string {
	suffix := ".tmp-" + strconv.FormatUint(rand.Uint64(), 36)
	if n := maxNameLen - 1 - len(suffix); len(base) > n {
		base = strings.ToValidUTF8(base[:n], "")
	}
	return "." + base + suffix
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
				return outputError{fmt.Errorf("writing: %w", err)}
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
