package eve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest line a Scanner reads (16 MiB); longer lines are
// skipped with a LineError. Suricata's events are far shorter, except with
// very large payload or packet fields.
const MaxLine = 16 << 20

// Scanner reads EVE events one line at a time. Bad lines do not stop it:
// each becomes a *LineError in Skipped.
type Scanner struct {
	r       *bufio.Reader
	line    int
	ev      Event
	skipped []*LineError
	err     error
	// KeepNoFlow makes Scan report events with no flow (ErrNoFlow) as
	// skipped lines; by default they are ignored silently, as stats
	// events are no mistake.
	KeepNoFlow bool
}

// NewScanner returns a Scanner over r.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// Scan advances to the next event, skipping blank and bad lines. It
// returns false at the end of the input or on a read error (see Err).
func (s *Scanner) Scan() bool {
	for s.err == nil {
		line, long, err := s.readLine()
		if err != nil && len(line) == 0 && !long {
			if !errors.Is(err, io.EOF) {
				s.err = fmt.Errorf("line %d: %w", s.line+1, err)
			}
			return false
		}
		s.line++
		if err != nil && !errors.Is(err, io.EOF) {
			s.err = fmt.Errorf("line %d: %w", s.line, err)
		}
		if long {
			s.skipped = append(s.skipped, &LineError{Line: s.line, Err: fmt.Errorf("longer than %d bytes", MaxLine)})
			continue
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		ev, perr := Parse(line)
		if perr != nil {
			if errors.Is(perr, ErrNoFlow) && !s.KeepNoFlow {
				continue
			}
			s.skipped = append(s.skipped, &LineError{Line: s.line, Err: perr})
			continue
		}
		s.ev = ev
		return true
	}
	return false
}

// readLine returns the next line without its newline. long reports a line
// over MaxLine, which is consumed and dropped.
func (s *Scanner) readLine() (line []byte, long bool, err error) {
	var buf []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if !long {
			if len(buf)+len(chunk) > MaxLine {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(buf, []byte("\n")), long, err
	}
}

// Event returns the event Scan found.
func (s *Scanner) Event() Event { return s.ev }

// Line returns the number of the line the last event came from.
func (s *Scanner) Line() int { return s.line }

// Skipped returns the lines skipped so far, in order.
func (s *Scanner) Skipped() []*LineError { return s.skipped }

// Err returns the read error that ended the scan, nil at a clean end.
func (s *Scanner) Err() error { return s.err }
