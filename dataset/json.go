package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wirekit/wirekit/internal/safefile"
)

// Save writes s as indented JSON to path by internal/safefile's rules: a
// new path or a regular file is written to a temporary file in the same
// directory, synced, then renamed over path, so a reader never sees a
// half-written map; a device, FIFO or /dev/stdout is written in place, and
// a symbolic link is kept, its target written. Errors name path.
func (s *Set) Save(path string) error {
	data, err := s.marshal()
	if err != nil {
		return err
	}
	if err := safefile.WriteFile(path, data); err != nil {
		return fmt.Errorf("writing map: %w", err)
	}
	return nil
}

// Encode writes s to w as Save writes it to a file (indented JSON and a
// final newline), for standard output or a stream.
func (s *Set) Encode(w io.Writer) error {
	data, err := s.marshal()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("writing map: %w", err)
	}
	return nil
}

func (s *Set) marshal() ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding map: %w", err)
	}
	return append(data, '\n'), nil
}

// Load reads a map written by Save (or by GopherCap: fields it does not
// have stay zero). A file that is not such a map gets an error naming it
// and, for malformed JSON, the line and column of the fault; a map whose
// values cannot describe a capture file (no path, a negative count, an end
// before the beginning) gets an error naming the file entry and field.
//
// "-" reads the map from standard input, as pcapio.Open does a capture.
func Load(path string) (*Set, error) {
	if path == "-" {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return nil, fmt.Errorf("reading map from stdin: %w", err)
		}
		return Parse(data, "stdin")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading map: %w", err)
	}
	return Parse(data, path)
}

// Parse is Load on bytes already read; name is used in errors.
func Parse(data []byte, name string) (*Set, error) {
	var s Set
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("map %s: %s: %w (is it a JSON file written by 'wirekit map --dump-json'?)", name, jsonPosition(data, err), err)
	}
	for i := range s.Files {
		if err := s.Files[i].check(); err != nil {
			return nil, fmt.Errorf("map %s: files[%d] (%q): %w", name, i, s.Files[i].Path, err)
		}
	}
	return &s, nil
}

// check refuses values no scan can produce.
func (f *File) check() error {
	switch {
	case f.Path == "":
		return errors.New(`"path" is empty`)
	case f.Packets < 0, f.Size < 0, f.WireBytes < 0, f.OutOfOrder < 0, f.NoTimestamp < 0, f.FileSize < 0, f.MaxPacketSize < 0:
		return errors.New("a count or size is negative")
	case f.Duration < 0:
		return errors.New(`"duration" is negative`)
	case !f.Beginning.IsZero() && f.End.Before(f.Beginning):
		return fmt.Errorf(`"end" %s is before "beginning" %s`, f.End.Format(time.RFC3339Nano), f.Beginning.Format(time.RFC3339Nano))
	}
	return nil
}

// jsonPosition turns the offset of a decoding error into "line L, column
// C" (1-based) of the last byte the decoder read: the offending character
// of a syntax error, the end of a value of the wrong type. It is "JSON"
// when the error carries no offset (input cut short).
func jsonPosition(data []byte, err error) string {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 1 || off > int64(len(data)) {
		return "JSON"
	}
	before := data[:off-1]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int64(len(before)) - int64(bytes.LastIndexByte(before, '\n'))
	return fmt.Sprintf("line %d, column %d", line, col)
}
