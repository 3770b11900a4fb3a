//go:build !wirekit_no_gcs

package blobio

// The gs:// driver; build with -tags wirekit_no_gcs to leave it out of
// the binary (its URLs then fail to open with an unknown-scheme error).

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"cloud.google.com/go/storage"
	"github.com/googleapis/gax-go/v2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/option"

	"gocloud.dev/blob"
	"gocloud.dev/blob/gcsblob"
	"gocloud.dev/gcp"
)

// gcsAttempts is how many times the GCS client sends a request that failed
// in a way worth retrying (a refused connection, a 503): the library's
// default retries without a limit until the context ends, so a refused
// connection took the whole timeout to report. Three attempts with the
// backoff below take about a second, as S3's standard retries do.
const gcsAttempts = 3

// gcsBackoff is the wait between attempts.
var gcsBackoff = gax.Backoff{Initial: 100 * time.Millisecond, Max: 2 * time.Second, Multiplier: 2}

func init() {
	drivers["gs"] = func(s *Store) blob.BucketURLOpener { return &gcsOpener{s: s} }
}

// gcsOpener opens gs:// buckets as gocloud's gcsblob opener does, taking
// the same URL parameters, with these changes: the default credentials
// are looked up without printing (gocloud printed "Warning: unable to load
// GCP Default Credentials" to stdout, into a capture written there), and
// their absence is the error of opening the bucket, naming what to set,
// unless the URL asks for no credentials (anonymous=true, access_id=-) or
// STORAGE_EMULATOR_HOST names an emulator; the client uses the Store's
// transport (gocloud's emulator client had no bound at all) and retries
// gcsAttempts times.
type gcsOpener struct {
	s       *Store
	once    sync.Once
	creds   *google.Credentials
	credErr error
}

// OpenBucketURL opens the bucket u names.
func (o *gcsOpener) OpenBucketURL(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	q := u.Query()
	anonymous := q.Get("access_id") == "-"
	if v := q.Get("anonymous"); v != "" {
		a, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("query parameter anonymous=%q: %w", v, err)
		}
		anonymous = anonymous || a
	}
	emulator := os.Getenv("STORAGE_EMULATOR_HOST") != "" || os.Getenv("STORAGE_EMULATOR_HOST_GRPC") != ""
	var uo gcsblob.URLOpener
	var hc *gcp.HTTPClient
	if anonymous || emulator {
		hc = gcp.NewAnonymousHTTPClient(o.s.transport)
	} else {
		o.once.Do(func() { o.creds, o.credErr = gcp.DefaultCredentials(ctx) })
		if o.credErr != nil {
			return nil, fmt.Errorf("looking for Google credentials: %w (or add anonymous=true to the URL for a public bucket)", o.credErr)
		}
		var err error
		if hc, err = gcp.NewHTTPClient(o.s.transport, o.creds.TokenSource); err != nil {
			return nil, err
		}
		uo.TokenSource = gcp.CredentialsTokenSource(o.creds)
		if ud, err := o.creds.GetUniverseDomain(); err == nil && ud != "" {
			uo.Options.ClientOptions = append(uo.Options.ClientOptions, option.WithUniverseDomain(ud))
		}
	}
	uo.Client = hc
	if grpc, _ := strconv.ParseBool(q.Get("grpc")); !grpc && q.Get("zonal") == "" {
		// Last, so that it replaces the client gcsblob picks for an
		// emulator or an anonymous URL (the default one, without
		// bounds). The gRPC client has its own.
		uo.Options.ClientOptions = append(uo.Options.ClientOptions, option.WithHTTPClient(&hc.Client))
	}
	b, err := uo.OpenBucketURL(ctx, u)
	if err != nil {
		return nil, err
	}
	var c *storage.Client
	if b.As(&c) {
		c.SetRetry(storage.WithMaxAttempts(gcsAttempts), storage.WithBackoff(gcsBackoff))
	}
	return b, nil
}
