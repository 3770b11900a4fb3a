package blobio

import (
	"context"
	"fmt"
	"sync"

	"gocloud.dev/blob"
)

// CreateOptions tunes Create. A nil *CreateOptions means the defaults.
type CreateOptions struct {
	// Overwrite replaces an existing object; by default Create refuses
	// it with ErrExists.
	Overwrite bool
	// ContentType is stored with the object; empty lets the service
	// guess.
	ContentType string
}

// Writer writes one object. Nothing is visible under its key until Close
// returns nil; Abort, or a Close after a failed Write, leaves the key as it
// was. It is not safe for concurrent use.
type Writer struct {
	w      *blob.Writer
	url    string
	cancel context.CancelFunc
	once   sync.Once
	err    error // the first write error: Close then aborts
}

// Create starts writing the object at rawURL. The upload is published
// only by Close: S3 (multipart or single PUT), GCS (resumable upload) and
// Azure (block list) all make an object visible only at the end, and
// file:// writes a temporary file beside the final one and renames it.
// A key ending in "/" is refused (ErrBadURL). Unless opts.Overwrite, an
// object created under the key by another writer while this one writes
// makes Close fail with ErrExists and leaves that object as it is. Errors
// name the URL and wrap ErrExists (unless opts.Overwrite), ErrNotFound
// (no such bucket), ErrCredentials, ErrUnreachable or ErrPermission.
func (s *Store) Create(ctx context.Context, rawURL string, opts *CreateOptions) (*Writer, error) {
	if opts == nil {
		opts = &CreateOptions{}
	}
	loc, err := parse(rawURL)
	if err != nil {
		return nil, err
	}
	if loc.key == "" || loc.key[len(loc.key)-1] == '/' {
		return nil, fmt.Errorf("%s: %w: the URL names a folder; give an object name", rawURL, ErrBadURL)
	}
	b, err := s.bucket(ctx, loc)
	if err != nil {
		return nil, err
	}
	// Asking first also reports a missing bucket, credentials or
	// endpoint now, before any work, rather than at Close.
	dctx, end, cancel := s.deadline(ctx)
	exists, err := b.Exists(dctx, loc.key)
	cancel()
	if err = end(err); err != nil {
		return nil, describe(rawURL, "checking the output", err)
	}
	if exists && !opts.Overwrite {
		return nil, fmt.Errorf("%s: %w: remove it or choose another name", rawURL, ErrExists)
	}
	if !exists {
		// Some services answer "no such key" for a missing bucket too.
		dctx, end, cancel := s.deadline(ctx)
		ok, err := b.IsAccessible(dctx)
		cancel()
		if err = end(err); err != nil {
			return nil, describe(rawURL, "checking the bucket", err)
		} else if !ok {
			return nil, fmt.Errorf("%s: %w (check the bucket name)", rawURL, ErrNotFound)
		}
	}
	wctx, cancel := context.WithCancel(ctx)
	// The check above is for an early, clear error; IfNotExist makes the
	// store itself refuse at Close an object another writer created in
	// the meantime (S3 If-None-Match, GCS and Azure preconditions).
	w, err := b.NewWriter(wctx, loc.key, &blob.WriterOptions{ContentType: opts.ContentType, IfNotExist: !opts.Overwrite})
	if err != nil {
		cancel()
		return nil, describe(rawURL, "creating the object", err)
	}
	return &Writer{w: w, url: rawURL, cancel: cancel}, nil
}

// Write writes p to the object. After an error every later Write fails
// too and Close discards the object.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	if err != nil {
		w.err = describe(w.url, "writing", err)
		return n, w.err
	}
	return n, nil
}

// Close finishes the upload and publishes the object; after a failed
// Write it discards it instead and returns that error. Only the first
// call (of Close and Abort) does anything.
func (w *Writer) Close() error {
	err := fmt.Errorf("%s: already closed", w.url)
	w.once.Do(func() {
		if w.err != nil {
			w.cancel()
			_ = w.w.Close()
			err = fmt.Errorf("%s: not written (discarded after an error): %w", w.url, w.err)
			return
		}
		err = describe(w.url, "finishing the upload", w.w.Close())
		w.cancel()
	})
	return err
}

// Abort discards the upload: the key keeps what it held before Create.
// It is a no-op after Close.
func (w *Writer) Abort() error {
	w.once.Do(func() {
		w.cancel() // a cancelled context makes the writer drop the upload
		_ = w.w.Close()
	})
	return nil
}

// URL is the URL the Writer was created for.
func (w *Writer) URL() string { return w.url }
