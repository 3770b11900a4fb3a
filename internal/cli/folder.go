package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/pcapio"
)

// folderOutput is a folder that a command writes many files in (filter
// --yaml's outputs, tar-extract's members, http's bodies, read's rotated
// captures): a local directory or an object storage URL prefix. Every file
// goes through e.createOutput, so it appears under its name only when
// Close succeeds and Abort (or a failed write) leaves nothing; in object
// storage an existing object is refused (blobio.ErrExists), where a local
// file is replaced, as it always was.
type folderOutput struct {
	e    *env
	flag string // the flag that names the folder, for errors
	dir  string // a local path or a URL (its query kept)
}

// folder returns the folder dir named by flag.
func (e *env) folder(flag, dir string) *folderOutput {
	return &folderOutput{e: e, flag: flag, dir: dir}
}

// isURL reports whether the folder is in object storage.
func (o *folderOutput) isURL() bool { return blobio.IsURL(o.dir) }

// path is where the file name (slash-separated, relative) goes: a local
// path or a URL.
func (o *folderOutput) path(name string) string {
	if o.isURL() {
		return blobio.Join(o.dir, name)
	}
	return filepath.Join(o.dir, filepath.FromSlash(name))
}

// create starts the file name in the folder (making local folders as
// needed). Errors name the flag and the path or URL; in object storage
// they wrap blobio's sentinels (ErrExists for an existing object).
func (o *folderOutput) create(ctx context.Context, name string) (pcapio.Output, error) {
	return o.e.createOutput(ctx, o.flag, o.path(name))
}

// createOver is create that replaces an existing object in object
// storage (as a local file always is).
func (o *folderOutput) createOver(ctx context.Context, name string) (pcapio.Output, error) {
	if !o.isURL() {
		return o.create(ctx, name)
	}
	w, err := o.e.store().Create(ctx, o.path(name), &blobio.CreateOptions{Overwrite: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.flag, err)
	}
	return w, nil
}

// remove deletes the file name from the folder. Errors name the flag and
// the path or URL and wrap fs.ErrNotExist or blobio.ErrNotFound when it is
// not there.
func (o *folderOutput) remove(ctx context.Context, name string) error {
	p := o.path(name)
	if o.isURL() {
		if err := o.e.store().Delete(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", o.flag, err)
		}
		return nil
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("%s: %w", o.flag, err)
	}
	return nil
}

// check reaches a URL folder's bucket before any work, so that a missing
// bucket, missing credentials or an endpoint that cannot be reached are
// reported at once, naming the flag and the URL, rather than at the first
// file. A local folder needs no check (it is made as files need it).
func (o *folderOutput) check(ctx context.Context) error {
	if !o.isURL() {
		return nil
	}
	if _, err := o.e.store().List(ctx, o.dir); err != nil {
		return fmt.Errorf("%s: %w", o.flag, err)
	}
	return nil
}

// existing returns which of names are already in the folder, with one
// listing in object storage (a stat per name locally), so that a command
// can refuse to start rather than fail half-way. A folder that does not
// exist yet holds none of them.
func (o *folderOutput) existing(ctx context.Context, names []string) ([]string, error) {
	var out []string
	if !o.isURL() {
		for _, n := range names {
			if _, err := os.Lstat(o.path(n)); err == nil {
				out = append(out, o.path(n))
			}
		}
		return out, nil
	}
	objs, err := o.e.store().List(ctx, o.dir)
	if err != nil {
		// No such bucket among them: said now, naming the URL, rather
		// than at the first file.
		return nil, fmt.Errorf("%s: %w", o.flag, err)
	}
	have := make(map[string]bool, len(objs))
	for _, obj := range objs {
		have[urlKey(obj.URL)] = true
	}
	for _, n := range names {
		if p := o.path(n); have[urlKey(p)] {
			out = append(out, p)
		}
	}
	return out, nil
}

// nameOf is the name an output's format and compression are chosen by:
// a URL without its query (s3://b/x.pcap.gz?region=... is a gzip'd pcap),
// a local path as it is.
func nameOf(p string) string {
	if blobio.IsURL(p) {
		return urlKey(p)
	}
	return p
}

// urlKey is a URL without its query, for comparing object names.
func urlKey(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

// splitOutputURL splits an output URL into its folder (with the query)
// and the last element of its key, taken as written (not URL-decoded: a
// -G name holds strftime's % conversions). ok is false when the URL names
// no object (no key, or a key ending in "/").
func splitOutputURL(raw string) (dir, base string, ok bool) {
	p, q := raw, ""
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		p, q = raw[:i], raw[i:]
	}
	start := strings.Index(p, "://")
	if start < 0 {
		return "", "", false
	}
	start += 3
	if strings.HasPrefix(strings.ToLower(p), "file://") {
		start-- // file:///ABS: the path's first "/" begins the key
	}
	j := strings.LastIndexByte(p, '/')
	if j < start || j == len(p)-1 {
		return "", "", false
	}
	// The host (the bucket) must be followed by a key.
	if !strings.HasPrefix(strings.ToLower(p), "file://") && !strings.Contains(p[start:j+1], "/") {
		return "", "", false
	}
	return p[:j+1] + q, p[j+1:], true
}
