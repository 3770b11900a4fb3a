package blobio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

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
	openers map[string]blob.BucketURLOpener // per scheme; file:// is gocloud's own

	timeout    time.Duration // DefaultTimeout or TimeoutEnv's
	timeoutErr error         // TimeoutEnv's value was not a duration
	transport  *http.Transport
}

// drivers makes, per scheme, the opener a Store uses for that scheme's
// buckets: one whose client uses the Store's transport and retries, and
// writes nothing to stdout or stderr. A build tag that leaves a driver out
// leaves its scheme out.
var drivers = map[string]func(*Store) blob.BucketURLOpener{}

// NewStore returns an empty Store. Close it when done to release the
// buckets' clients. Its operations wait for the store at most
// DefaultTimeout each, or what TimeoutEnv says.
func NewStore() *Store {
	s := &Store{buckets: map[string]*blob.Bucket{}, openers: map[string]blob.BucketURLOpener{}}
	s.timeout, s.timeoutErr = storeTimeout()
	s.transport = newTransport(s.timeout)
	for scheme, mk := range drivers {
		s.openers[scheme] = mk(s)
	}
	return s
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
	if s.timeoutErr != nil {
		return nil, fmt.Errorf("%s: %w", loc.raw, s.timeoutErr)
	}
	dctx, end, cancel := s.deadline(ctx)
	defer cancel()
	var b *blob.Bucket
	var err error
	if op, ok := s.openers[loc.scheme]; ok {
		var u *url.URL
		if u, err = url.Parse(loc.bucket); err == nil {
			b, err = op.OpenBucketURL(dctx, u)
		}
	} else {
		b, err = blob.OpenBucket(dctx, loc.bucket)
	}
	if err = end(err); err != nil {
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
	dctx, end, cancel := s.deadline(ctx)
	defer cancel()
	ok, err := b.Exists(dctx, loc.key)
	if err = end(err); err != nil {
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
	scheme := schemeOf(rawURL)
	var te *timeoutError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: %s: %w (%s; for a slow link set %s, now %v): %w",
			rawURL, doing, ErrUnreachable, endpointHint(scheme), TimeoutEnv, te.d, err)
	}
	// A cancelled operation (a signal) is not the store's fault. A
	// transport timeout (no answer's headers in time) also matches
	// context.DeadlineExceeded, and is the endpoint's.
	var nerr net.Error
	if errors.Is(err, context.Canceled) || (errors.Is(err, context.DeadlineExceeded) && !(errors.As(err, &nerr) && nerr.Timeout())) {
		return fmt.Errorf("%s: %s: %w", rawURL, doing, err)
	}
	sentinel, hint := classify(scheme, err)
	if sentinel == nil {
		return fmt.Errorf("%s: %s: %w", rawURL, doing, err)
	}
	return fmt.Errorf("%s: %s: %w (%s): %w", rawURL, doing, sentinel, hint, err)
}

// endpointHint says where a scheme's endpoint is set.
func endpointHint(scheme string) string {
	switch scheme {
	case "gs":
		return "check the network, and STORAGE_EMULATOR_HOST if it is set"
	case "azblob":
		return "check the account and domain (domain=... in the URL, AZURE_STORAGE_DOMAIN) and the network"
	}
	return "check the endpoint in the URL (endpoint=...) and the network"
}

// credentialsHint says where a scheme's client looks for credentials.
func credentialsHint(scheme string) string {
	switch scheme {
	case "s3":
		return "set the cloud's credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; or add anonymous=true to the URL for a public bucket"
	case "gs":
		return "set the cloud's credentials in the environment: GOOGLE_APPLICATION_CREDENTIALS, or run gcloud auth application-default login; or add anonymous=true to the URL for a public bucket"
	case "azblob":
		return "set the cloud's credentials in the environment: AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY, or AZURE_STORAGE_SAS_TOKEN, or AZURE_STORAGE_CONNECTION_STRING"
	}
	return "set the cloud's credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE; GOOGLE_APPLICATION_CREDENTIALS; AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY"
}

// classify finds which sentinel err is, and a hint of what to do.
func classify(scheme string, err error) (error, string) {
	msg := strings.ToLower(err.Error())
	// Credentials first: the SDKs report a failed credential lookup
	// with codes (Unknown, Internal) that say nothing of it.
	for _, s := range []string{"credential", "no ec2 imds role", "could not find default", "defaultazurecredential", "access key",
		// Azure without AZURE_STORAGE_KEY on an http:// emulator.
		"authorized requests are not permitted for non-tls"} {
		if strings.Contains(msg, s) && !strings.Contains(msg, "connection refused") {
			return ErrCredentials, credentialsHint(scheme)
		}
	}
	var nerr net.Error
	var dns *net.DNSError
	var op *net.OpError
	if errors.As(err, &dns) || errors.As(err, &op) || (errors.As(err, &nerr) && nerr.Timeout()) ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") ||
		strings.Contains(msg, "timeout awaiting response headers") {
		return ErrUnreachable, endpointHint(scheme)
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
	dctx, end, cancel := s.deadline(ctx)
	defer cancel()
	return describe(rawURL, "deleting the object", end(b.Delete(dctx, loc.key)))
}
