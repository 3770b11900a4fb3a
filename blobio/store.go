package blobio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file://
	"gocloud.dev/gcerrors"
)

// Sentinels wrapped by the errors of Store's methods.
var (
	// ErrNotFound: no such bucket, or no such object.
	ErrNotFound = errors.New("no such bucket or object")
	// ErrExists: Create was asked not to replace an existing object.
	ErrExists = errors.New("the object already exists")
	// ErrCredentials: the cloud's client found no usable credentials.
	ErrCredentials = errors.New("no usable credentials")
	// ErrUnreachable: the endpoint could not be reached (DNS, refused
	// connection, timeout).
	ErrUnreachable = errors.New("the storage endpoint cannot be reached")
	// ErrPermission: the credentials are not allowed to do this.
	ErrPermission = errors.New("permission denied")
)

// Store opens buckets by URL and keeps them open for the objects that
// follow. It is safe for concurrent use. The zero Store is not usable:
// call NewStore.
type Store struct {
	mu      sync.Mutex
	buckets map[string]*blob.Bucket
}

// NewStore returns an empty Store. Close it when done to release the
// buckets' clients.
func NewStore() *Store {
	return &Store{buckets: map[string]*blob.Bucket{}}
}

// Close closes every bucket the Store opened. Readers and Writers still
// open fail after it.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for k, b := range s.buckets {
		errs = append(errs, b.Close())
		delete(s.buckets, k)
	}
	return errors.Join(errs...)
}

// bucket opens (once) the bucket of loc.
func (s *Store) bucket(ctx context.Context, loc location) (*blob.Bucket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.buckets[loc.bucket]; ok {
		return b, nil
	}
	b, err := blob.OpenBucket(ctx, loc.bucket)
	if err != nil {
		return nil, describe(loc.raw, "opening the bucket", err)
	}
	s.buckets[loc.bucket] = b
	return b, nil
}

// Exists reports whether the object at rawURL exists. Its errors are
// those of reaching the bucket (ErrCredentials, ErrUnreachable,
// ErrPermission, ErrNotFound for a missing bucket).
func (s *Store) Exists(ctx context.Context, rawURL string) (bool, error) {
	loc, err := parse(rawURL)
	if err != nil {
		return false, err
	}
	b, err := s.bucket(ctx, loc)
	if err != nil {
		return false, err
	}
	ok, err := b.Exists(ctx, loc.key)
	if err != nil {
		return false, describe(rawURL, "looking for the object", err)
	}
	return ok, nil
}

// describe turns a gocloud or SDK error into one that names the URL, says
// what was being done, and wraps the matching sentinel and the cause.
func describe(rawURL, doing string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %s: %w", rawURL, doing, err)
	}
	sentinel, hint := classify(err)
	if sentinel == nil {
		return fmt.Errorf("%s: %s: %w", rawURL, doing, err)
	}
	return fmt.Errorf("%s: %s: %w (%s): %w", rawURL, doing, sentinel, hint, err)
}

// classify finds which sentinel err is, and a hint of what to do.
func classify(err error) (error, string) {
	msg := strings.ToLower(err.Error())
	// Credentials first: the SDKs report a failed credential lookup
	// with codes (Unknown, Internal) that say nothing of it.
	for _, s := range []string{"credential", "no ec2 imds role", "could not find default", "defaultazurecredential", "access key"} {
		if strings.Contains(msg, s) && !strings.Contains(msg, "connection refused") {
			return ErrCredentials, "set the cloud's credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE; GOOGLE_APPLICATION_CREDENTIALS; AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY"
		}
	}
	var nerr net.Error
	var dns *net.DNSError
	var op *net.OpError
	if errors.As(err, &dns) || errors.As(err, &op) || (errors.As(err, &nerr) && nerr.Timeout()) ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") {
		return ErrUnreachable, "check the endpoint in the URL (endpoint=...) and the network"
	}
	switch gcerrors.Code(err) {
	case gcerrors.NotFound:
		return ErrNotFound, "check the bucket and key names"
	case gcerrors.PermissionDenied:
		return ErrPermission, "the credentials may not do this; check the bucket's policy"
	case gcerrors.AlreadyExists, gcerrors.FailedPrecondition:
		return ErrExists, "remove it or choose another name"
	}
	if strings.Contains(msg, "nosuchbucket") || strings.Contains(msg, "bucket does not exist") {
		return ErrNotFound, "check the bucket name"
	}
	return nil, ""
}

// Delete removes the object at rawURL. It is how a writer that reuses
// names (a ring of rotated captures) makes room for the next round: Create
// refuses an existing object unless told to overwrite it. Errors name the
// URL and wrap ErrBadURL (not a URL, or one naming a folder: a key ending
// in "/" or none), ErrNotFound (no such object or bucket), ErrCredentials,
// ErrUnreachable or ErrPermission.
func (s *Store) Delete(ctx context.Context, rawURL string) error {
	loc, err := parse(rawURL)
	if err != nil {
		return err
	}
	if loc.key == "" || loc.key[len(loc.key)-1] == '/' {
		return fmt.Errorf("%s: %w: the URL names a folder; give an object name", rawURL, ErrBadURL)
	}
	if loc.scheme == "file" {
		// The file system has folders: never remove one (an empty one
		// would go).
		if fi, err := os.Lstat("/" + loc.key); err == nil && fi.IsDir() {
			return fmt.Errorf("%s: %w: the URL names a folder; give an object name", rawURL, ErrBadURL)
		}
	}
	b, err := s.bucket(ctx, loc)
	if err != nil {
		return err
	}
	return describe(rawURL, "deleting the object", b.Delete(ctx, loc.key))
}
