package dataset

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"time"

	"github.com/wirekit/wirekit/internal/osenv"
)

// File is the map of one capture file. Beginning and End are the earliest
// and latest packet timestamps (not the first and last in file order, which
// differ when timestamps go backwards); they are zero when the file has no
// timestamped packet.
type File struct {
	// Path is the file as it was given or found.
	Path string `json:"path"`
	// Format is "pcap" or "pcapng"; Compression is "none", "gzip", "zstd",
	// "lz4" or "xz". Both are empty when the file could not be opened.
	Format      string `json:"format"`
	Compression string `json:"compression"`
	// LinkTypes names each distinct link type of the file's interfaces,
	// in the order they appear.
	LinkTypes []string `json:"link_types"`
	// Snaplen is the largest snapshot length of the file's interfaces.
	Snaplen uint32 `json:"snaplen"`
	// Packets counts the packets read.
	Packets int64 `json:"packets"`
	// Size is the sum of captured lengths (GopherCap's size; capinfos'
	// data size). WireBytes is the sum of original lengths on the wire.
	Size      int64 `json:"size"`
	WireBytes int64 `json:"wire_bytes"`
	// MaxPacketSize is the largest captured length.
	MaxPacketSize int `json:"max_packet_size"`
	// OutOfOrder counts packets whose timestamp is earlier than the
	// previous timestamped packet's in the file.
	OutOfOrder int64 `json:"out_of_order"`
	// NoTimestamp counts packets without a timestamp (pcapng Simple
	// Packet Blocks); they count in Packets and sizes but not in
	// Beginning, End or OutOfOrder.
	NoTimestamp int64     `json:"no_timestamp,omitempty"`
	Beginning   time.Time `json:"beginning"`
	End         time.Time `json:"end"`
	// Duration is End minus Beginning.
	Duration      time.Duration `json:"duration"`
	DurationHuman string        `json:"duration_human"`
	// PPS and BitsPerSecond are averages over Duration (captured bytes),
	// 0 when Duration is 0.
	PPS           float64 `json:"pps"`
	BitsPerSecond float64 `json:"bits_per_second"`
	// FileSize is the size of the file on disk.
	FileSize int64 `json:"file_size"`
	// Delay is Beginning minus the set's Beginning (0 outside a set).
	Delay      time.Duration `json:"delay"`
	DelayHuman string        `json:"delay_human"`
	// Error describes the damage that ended the scan early, or why the file
	// could not be read at all; empty for a clean file.
	Error string `json:"error,omitempty"`
}

// ctxCheckEvery is how many packets ScanFile reads between looks at ctx.
const ctxCheckEvery = 1 << 14

// ScanFile maps the capture file at path, reading record headers only
// (pcapio's NextHeader: the packet bytes are skipped, sought over on plain
// files, never decoded or copied). It always returns a File: on a damaged
// or unreadable file, the File holds what was read before the damage and
// Error says what went wrong (the same error is returned, wrapping a
// *pcapio.FormatError or the I/O error). A cancelled ctx stops the scan
// with ctx.Err().
//
// A file that cannot be opened for a reason that is not the file's (out
// of file descriptors or memory, permission denied) is not damaged: Error
// stays empty and the error returned is an *EnvironmentError.
func ScanFile(ctx context.Context, path string) (File, error) {
	return scanFile(ctx, path, nil, nil)
}

// scanFile is ScanFile calling progress, when not nil, with how many more
// bytes of the file (as stored, compressed or not) were read since the
// last call: every ctxCheckEvery packets, and once at the end with the
// rest of FileSize, so that the calls add up to FileSize. With a gate, an
// open that fails for want of file descriptors waits for another file of
// the scan to be closed and tries again.
func scanFile(ctx context.Context, path string, progress func(int64), gate *openGate) (File, error) {
	f := File{Path: path, LinkTypes: []string{}}
	if st, err := os.Stat(path); err == nil {
		f.FileSize = st.Size()
	}
	var reported int64
	if progress != nil {
		defer func() { progress(f.FileSize - reported) }()
	}
	r, err := gate.open(ctx, path)
	if err != nil {
		f.finish()
		if osenv.IsEnvironment(err) {
			return f, environmentError(path, err)
		}
		f.Error = err.Error()
		return f, err
	}
	defer gate.close(r)
	if n, ok := gate.sizeOf(path); ok {
		f.FileSize = n
	}
	f.Format = r.Format().String()
	f.Compression = r.Compression().String()

	var prev, minT, maxT time.Time
	var scanErr error
	for {
		if f.Packets%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				scanErr = err
				break
			}
			if progress != nil {
				if in := min(r.InputOffset(), f.FileSize); in > reported {
					progress(in - reported)
					reported = in
				}
			}
		}
		ci, err := r.NextHeader()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				scanErr = err
			}
			break
		}
		f.Packets++
		f.Size += int64(ci.CaptureLength)
		f.WireBytes += int64(ci.Length)
		f.MaxPacketSize = max(f.MaxPacketSize, ci.CaptureLength)
		ts := ci.Timestamp
		if ts.IsZero() {
			f.NoTimestamp++
			continue
		}
		if minT.IsZero() {
			minT, maxT = ts, ts
		} else {
			if ts.Before(prev) {
				f.OutOfOrder++
			}
			if ts.Before(minT) {
				minT = ts
			}
			if ts.After(maxT) {
				maxT = ts
			}
		}
		prev = ts
	}
	for _, ifc := range r.Interfaces() {
		if name := ifc.LinkType.String(); !slices.Contains(f.LinkTypes, name) {
			f.LinkTypes = append(f.LinkTypes, name)
		}
		f.Snaplen = max(f.Snaplen, ifc.SnapLen)
	}
	if !minT.IsZero() {
		f.Beginning = minT.UTC()
		f.End = maxT.UTC()
	}
	f.finish()
	if scanErr != nil {
		f.Error = scanErr.Error()
	}
	return f, scanErr
}

// finish fills the fields derived from the counts.
func (f *File) finish() {
	f.Duration = f.End.Sub(f.Beginning)
	f.DurationHuman = f.Duration.String()
	f.PPS, f.BitsPerSecond = 0, 0
	if s := f.Duration.Seconds(); s > 0 {
		f.PPS = float64(f.Packets) / s
		f.BitsPerSecond = float64(f.Size) * 8 / s
	}
	f.DelayHuman = f.Delay.String()
}
