package blobio

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"gocloud.dev/blob"
)

// Object is one object found by List.
type Object struct {
	// URL opens the object (the listed URL's scheme, bucket and query
	// with the object's key).
	URL string
	// Key is the object's key in its bucket.
	Key string
	// Size is its size in bytes.
	Size int64
}

// List returns the objects whose keys start with the URL's key taken as a
// folder (a "/" is added when missing; an empty key lists the whole
// bucket), at any depth, sorted by key. Folder placeholders (keys ending
// in "/") are left out. Errors name the URL and wrap ErrNotFound (no such
// bucket), ErrCredentials, ErrUnreachable or ErrPermission.
func (s *Store) List(ctx context.Context, rawURL string) ([]Object, error) {
	loc, err := parse(rawURL)
	if err != nil {
		return nil, err
	}
	b, err := s.bucket(ctx, loc)
	if err != nil {
		return nil, err
	}
	prefix := loc.key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	it := b.List(&blob.ListOptions{Prefix: prefix})
	var out []Object
	for {
		// A page of the listing is fetched by the Next that needs it.
		dctx, end, cancel := s.deadline(ctx)
		o, err := it.Next(dctx)
		cancel()
		if err == io.EOF {
			break
		}
		if err = end(err); err != nil {
			return nil, describe(rawURL, "listing", err)
		}
		if o.IsDir || strings.HasSuffix(o.Key, "/") {
			continue
		}
		out = append(out, Object{URL: loc.urlOf(o.Key), Key: o.Key, Size: o.Size})
	}
	slices.SortFunc(out, func(a, b Object) int { return strings.Compare(a.Key, b.Key) })
	if len(out) == 0 {
		// An empty listing of a bucket that does not exist is not an
		// error on every service; ask.
		dctx, end, cancel := s.deadline(ctx)
		ok, err := b.IsAccessible(dctx)
		cancel()
		if err = end(err); err != nil {
			return nil, describe(rawURL, "listing", err)
		} else if !ok {
			return nil, fmt.Errorf("%s: listing: %w (check the bucket name)", rawURL, ErrNotFound)
		}
	}
	return out, nil
}
