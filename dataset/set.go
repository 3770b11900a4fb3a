package dataset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirekit/wirekit/internal/osenv"
	"github.com/wirekit/wirekit/pcapio"
)

// Set is the map of a set of capture files. Beginning and End span every
// file's packets; each File's Delay is its Beginning minus the set's.
type Set struct {
	Beginning     time.Time     `json:"beginning"`
	End           time.Time     `json:"end"`
	Duration      time.Duration `json:"duration"`
	DurationHuman string        `json:"duration_human"`
	// Packets, Size and FileSize add up the files' counts.
	Packets  int64 `json:"packets"`
	Size     int64 `json:"size"`
	FileSize int64 `json:"file_size"`
	// Errors counts the files whose Error is set.
	Errors int `json:"errors"`
	// Files are in the order they were given to Scan.
	Files []File `json:"files"`
}

// Config tunes Scan. A nil *Config means the defaults.
type Config struct {
	// Workers is how many files are read at once; less than 1 means all
	// of them at once (GopherCap's --file-workers semantics).
	Workers int
	// Progress, when set, is called as bytes are read (every few thousand
	// packets) and after each file is mapped, from the goroutine reading
	// it; calls may be concurrent.
	Progress func(Progress)
	// Open, when set, opens each path instead of the local file system
	// (an object storage URL, with blobio); the File's Stat gives the
	// file's size. Its errors are recorded as the file's damage, except
	// those that are *EnvironmentError.
	Open func(ctx context.Context, path string) (pcapio.File, error)
	// Sizes, when set, gives the size of the paths Scan cannot stat
	// (for the progress report).
	Sizes map[string]int64
}

// Progress reports how far a Scan has come.
type Progress struct {
	Files, FilesDone int
	// Bytes is the total on-disk size of the files; BytesDone how much of
	// it has been read (the whole size of each file mapped, and the part
	// read so far of those being mapped).
	Bytes, BytesDone int64
}

// headroom is osenv.Headroom; tests replace it to play a system that
// cannot count open files.
var headroom = osenv.Headroom

// fdReserve is how many file descriptors Scan leaves to the rest of the
// process (the map being written, a log, a terminal) when it bounds its
// workers by the limit on open files.
const fdReserve = 8

// Scan maps paths concurrently and returns the set, with Files in the order
// of paths. Damaged files do not stop it (their Error is set).
//
// Files read at once are bounded by the process's limit on open files
// (RLIMIT_NOFILE, less what is already open), whatever cfg.Workers says,
// and an open that still fails for want of descriptors (other parts of
// the program hold them) waits for another file of the scan to be closed
// and tries again. An error that is not the file's (out of descriptors
// with no file of the scan left to wait for, out of memory, permission
// denied) is never recorded as damage: Scan stops and returns an
// *EnvironmentError. The error is ctx.Err() when the scan was cancelled,
// nil otherwise.
func Scan(ctx context.Context, paths []string, cfg *Config) (*Set, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	workers := cfg.Workers
	if workers < 1 || workers > len(paths) {
		workers = len(paths)
	}
	if free, _, ok := headroom(); ok {
		workers = max(min(workers, free-fdReserve), 1)
	}
	var total int64
	for _, p := range paths {
		if sz, ok := cfg.Sizes[p]; ok {
			total += sz
		} else if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	scanCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	gate, stop := newOpenGate(scanCtx)
	gate.openFile = cfg.Open
	defer stop()
	var (
		envOnce sync.Once
		envErr  error
	)
	files := make([]File, len(paths))
	var next, done atomic.Int64
	var bytesDone atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) || scanCtx.Err() != nil {
					return
				}
				var onBytes func(int64)
				if cfg.Progress != nil {
					onBytes = func(n int64) {
						b := bytesDone.Add(n)
						cfg.Progress(Progress{Files: len(paths), FilesDone: int(done.Load()), Bytes: total, BytesDone: b})
					}
				}
				var err error
				files[i], err = scanFile(scanCtx, paths[i], onBytes, gate)
				var ee *EnvironmentError
				if errors.As(err, &ee) {
					envOnce.Do(func() { envErr = ee; cancel() })
					return
				}
				d := done.Add(1)
				if cfg.Progress != nil {
					cfg.Progress(Progress{Files: len(paths), FilesDone: int(d), Bytes: total, BytesDone: bytesDone.Load()})
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if envErr != nil {
		return nil, envErr
	}
	return NewSet(files), nil
}

// NewSet builds a Set from mapped files: the global span, the totals and
// each file's delay. Files without timestamped packets do not move the span and have no delay.
func NewSet(files []File) *Set {
	s := &Set{Files: files}
	for i := range s.Files {
		f := &s.Files[i]
		s.Packets += f.Packets
		s.Size += f.Size
		s.FileSize += f.FileSize
		if f.Error != "" {
			s.Errors++
		}
		if f.Beginning.IsZero() {
			continue
		}
		if s.Beginning.IsZero() || f.Beginning.Before(s.Beginning) {
			s.Beginning = f.Beginning
		}
		if f.End.After(s.End) {
			s.End = f.End
		}
	}
	for i := range s.Files {
		f := &s.Files[i]
		f.Delay = 0
		if !f.Beginning.IsZero() {
			f.Delay = f.Beginning.Sub(s.Beginning)
		}
		f.DelayHuman = f.Delay.String()
	}
	s.Duration = s.End.Sub(s.Beginning)
	s.DurationHuman = s.Duration.String()
	return s
}

// ErrNoFiles is wrapped by Discover when no file is selected.
var ErrNoFiles = errors.New("no capture files selected")

// Select chooses files during Discover. A nil *Select takes every regular
// file.
type Select struct {
	// Suffix, when not empty, keeps names ending with it.
	Suffix string
	// Regexp, when set, keeps paths it matches.
	Regexp *regexp.Regexp
}

func (sel *Select) keep(path string) bool {
	if sel == nil {
		return true
	}
	if sel.Suffix != "" && !strings.HasSuffix(path, sel.Suffix) {
		return false
	}
	return sel.Regexp == nil || sel.Regexp.MatchString(path)
}

// Discover expands roots into a sorted list of files: a directory is walked
// recursively and its regular files kept when sel selects them; a file named
// directly is always kept. It fails, wrapping ErrNoFiles with what was
// searched and what removed the candidates, when nothing is left, and names
// the root when one cannot be read.
func Discover(roots []string, sel *Select) ([]string, error) {
	var out []string
	seen, dropped := 0, 0
	for _, root := range roots {
		st, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", root, err)
		}
		if !st.IsDir() {
			out = append(out, root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("walking %s: %w", p, err)
			}
			if !d.Type().IsRegular() {
				return nil
			}
			seen++
			if !sel.keep(p) {
				dropped++
				return nil
			}
			found = append(found, p)
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		where := strings.Join(roots, ", ")
		if seen == 0 {
			return nil, fmt.Errorf("%s: no files found (the directory tree is empty): %w", where, ErrNoFiles)
		}
		return nil, fmt.Errorf("%s: none of the %d files found match%s: %w", where, seen, sel.describe(), ErrNoFiles)
	}
	return out, nil
}

func (sel *Select) describe() string {
	var parts []string
	if sel != nil && sel.Suffix != "" {
		parts = append(parts, fmt.Sprintf(" suffix %q", sel.Suffix))
	}
	if sel != nil && sel.Regexp != nil {
		parts = append(parts, fmt.Sprintf(" regexp %q", sel.Regexp.String()))
	}
	return strings.Join(parts, " and")
}
