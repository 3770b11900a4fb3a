package blobio

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse: a URL either gives a bucket and key or an ErrBadURL error
// naming it; a parsed location's own URLs parse again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"s3://b/k", "s3://b/dir/?region=x&endpoint=http://h:1", "gs://b", "azblob://c/a/b", "file:///tmp/x", "file://h/x", "s3:///k", "S3://B/K", "file:///", "s3://b/%zz", "/tmp/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		loc, err := parse(raw)
		if err != nil {
			if !errors.Is(err, ErrBadURL) {
				t.Fatalf("parse(%q): %v does not wrap ErrBadURL", raw, err)
			}
			return
		}
		if loc.bucket == "" || !strings.Contains(loc.bucket, "://") {
			t.Fatalf("parse(%q): bucket URL %q", raw, loc.bucket)
		}
		if loc.key != "" && loc.scheme != "file" {
			if _, err := parse(loc.urlOf(loc.key)); err != nil {
				t.Fatalf("parse(%q) ok, but its urlOf(%q) = %q fails: %v", raw, loc.key, loc.urlOf(loc.key), err)
			}
		}
	})
}
