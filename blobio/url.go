package blobio

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// ErrBadURL is wrapped by the error for a URL blobio cannot use: an
// unknown scheme, no bucket, or a relative file:// path.
var ErrBadURL = errors.New("not an object storage URL wirekit can use")

// schemes are the URL schemes blobio opens.
var schemes = []string{"s3", "gs", "azblob", "file"}

// IsURL reports whether s is an object storage URL (s3://, gs://,
// azblob:// or file://) rather than a local path. A Windows drive letter
// ("C:\x") is not a URL.
func IsURL(s string) bool {
	scheme := schemeOf(s)
	if scheme == "" {
		return false
	}
	for _, sc := range schemes {
		if scheme == sc {
			return true
		}
	}
	return false
}

// schemeOf is the lower-cased scheme of s ("" when s has no "scheme://").
func schemeOf(s string) string {
	i := strings.Index(s, "://")
	if i <= 0 {
		return ""
	}
	return strings.ToLower(s[:i])
}

// location is a parsed URL: the bucket's URL (scheme, bucket and query,
// what gocloud opens) and the key inside it.
type location struct {
	raw    string // as given, for errors
	scheme string
	bucket string // the bucket URL: scheme://host?query (file:///?...)
	key    string
	host   string
	query  string
}

// parse splits a URL into its bucket and key.
func parse(raw string) (location, error) {
	if !IsURL(raw) {
		return location{}, fmt.Errorf("%s: %w (use s3://, gs://, azblob:// or file://)", raw, ErrBadURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return location{}, fmt.Errorf("%s: %w: %w", raw, ErrBadURL, err)
	}
	loc := location{raw: raw, scheme: strings.ToLower(u.Scheme), host: u.Host, query: u.RawQuery}
	if loc.scheme == "file" {
		if u.Host != "" && u.Host != "localhost" {
			return location{}, fmt.Errorf("%s: %w: a file URL names an absolute path, file:///DIR/NAME (three slashes)", raw, ErrBadURL)
		}
		// The bucket is the root directory; the key the path under it.
		// Temporary files go next to the final file (so the rename
		// never crosses file systems) and no .attrs sidecars are
		// written beside the user's files.
		q := u.Query()
		q.Set("no_tmp_dir", "1")
		q.Set("metadata", "skip")
		loc.bucket = "file:///?" + q.Encode()
		loc.key = strings.TrimPrefix(path.Clean("/"+u.Path), "/")
		if strings.HasSuffix(u.Path, "/") && loc.key != "" {
			loc.key += "/"
		}
		return loc, nil
	}
	if u.Host == "" {
		return location{}, fmt.Errorf("%s: %w: no bucket name (%s://BUCKET/KEY)", raw, ErrBadURL, loc.scheme)
	}
	loc.bucket = loc.scheme + "://" + u.Host
	if u.RawQuery != "" {
		loc.bucket += "?" + u.RawQuery
	}
	loc.key = strings.TrimPrefix(u.Path, "/")
	return loc, nil
}

// urlOf makes the URL of another key in the same bucket, with the same
// query parameters.
func (l location) urlOf(key string) string {
	var b strings.Builder
	b.WriteString(l.scheme)
	b.WriteString("://")
	if l.scheme != "file" {
		b.WriteString(l.host)
	}
	b.WriteString("/")
	b.WriteString(key)
	if l.query != "" {
		b.WriteString("?")
		b.WriteString(l.query)
	}
	return b.String()
}

// Join appends path elements to the key of a URL, keeping its query
// parameters: Join("s3://b/out?region=x", "shard=1", "map.json") is
// "s3://b/out/shard=1/map.json?region=x". A plain path is joined as a
// path.
func Join(base string, elem ...string) string {
	if !IsURL(base) {
		return path.Join(append([]string{base}, elem...)...)
	}
	u, err := url.Parse(base)
	if err != nil {
		return base + "/" + strings.Join(elem, "/")
	}
	u.Path = path.Join(append([]string{"/", u.Path}, elem...)...)
	if u.Scheme != "file" && u.Host != "" {
		return u.Scheme + "://" + u.Host + u.EscapedPath() + queryOf(u)
	}
	return u.Scheme + "://" + u.EscapedPath() + queryOf(u)
}

func queryOf(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

// Base returns the last element of a URL's key (or of a path), the name a
// file read from it would have.
func Base(s string) string {
	if IsURL(s) {
		if u, err := url.Parse(s); err == nil {
			return path.Base(u.Path)
		}
	}
	return path.Base(s)
}
