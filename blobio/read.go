package blobio

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"time"

	"gocloud.dev/blob"
)

// Reader reads one object. Read streams it; Seek moves the position, and
// the next Read then fetches the rest of the object from there with a
// range read (seeking back and forth without reading costs nothing). It
// is not safe for concurrent use.
type Reader struct {
	r      *blob.Reader
	cancel func() // ends the context the object is read with
	url    string
	name   string
	size   int64
	pos    int64
	mod    time.Time
}

// Open opens the object at rawURL for reading. Its errors name the URL
// and wrap ErrNotFound (no such bucket or key), ErrCredentials,
// ErrUnreachable, ErrPermission or ErrBadURL.
func (s *Store) Open(ctx context.Context, rawURL string) (*Reader, error) {
	loc, err := parse(rawURL)
	if err != nil {
		return nil, err
	}
	if loc.key == "" || loc.key[len(loc.key)-1] == '/' {
		return nil, fmt.Errorf("%s: %w: the URL names a folder, not an object", rawURL, ErrBadURL)
	}
	b, err := s.bucket(ctx, loc)
	if err != nil {
		return nil, err
	}
	// The deadline is for the answer; the object is then read with
	// the same context, without one, until Close.
	dctx, end, cancel := s.deadline(ctx)
	r, err := b.NewReader(dctx, loc.key, nil)
	if err = end(err); err != nil {
		cancel()
		return nil, describe(rawURL, "opening the object", err)
	}
	return &Reader{r: r, cancel: cancel, url: rawURL, name: Base(rawURL), size: r.Size(), mod: r.ModTime()}, nil
}

// Read reads the next bytes of the object. Errors other than io.EOF name
// the URL.
func (r *Reader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	n, err := r.r.Read(p)
	r.pos += int64(n)
	if err != nil && err != io.EOF {
		err = describe(r.url, fmt.Sprintf("reading at offset %d", r.pos), err)
	}
	return n, err
}

// Seek sets the position for the next Read (io.Seeker). A position past
// the end is kept at the end (the next Read returns io.EOF); one before
// the start is an error.
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.pos + offset
	case io.SeekEnd:
		abs = r.size + offset
	default:
		return r.pos, fmt.Errorf("%s: seek: bad whence %d", r.url, whence)
	}
	if abs < 0 {
		return r.pos, fmt.Errorf("%s: seek to offset %d, before the start", r.url, abs)
	}
	abs = min(abs, r.size)
	if _, err := r.r.Seek(abs, io.SeekStart); err != nil {
		return r.pos, describe(r.url, fmt.Sprintf("seeking to offset %d", abs), err)
	}
	r.pos = abs
	return abs, nil
}

// Size is the object's size in bytes.
func (r *Reader) Size() int64 { return r.size }

// URL is the URL the Reader was opened with.
func (r *Reader) URL() string { return r.url }

// Stat describes the object as a regular file (its name, size and
// modification time), so that code written for *os.File (pcapio.OpenFile)
// treats it as one it may seek in.
func (r *Reader) Stat() (fs.FileInfo, error) { return objectInfo{r}, nil }

// Close ends the read. It does not close the Store's bucket.
func (r *Reader) Close() error {
	err := r.r.Close()
	r.cancel()
	return err
}

// objectInfo is a Reader's fs.FileInfo.
type objectInfo struct{ r *Reader }

func (o objectInfo) Name() string       { return o.r.name }
func (o objectInfo) Size() int64        { return o.r.size }
func (o objectInfo) Mode() fs.FileMode  { return 0o444 }
func (o objectInfo) ModTime() time.Time { return o.r.mod }
func (o objectInfo) IsDir() bool        { return false }
func (o objectInfo) Sys() any           { return nil }
