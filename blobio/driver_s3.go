//go:build !wirekit_no_s3

package blobio

// The s3:// driver; build with -tags wirekit_no_s3 to leave it out of
// the binary (its URLs then fail to open with an unknown-scheme error).

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/logging"
	gcaws "gocloud.dev/aws"
	"gocloud.dev/blob"
	"gocloud.dev/blob/s3blob"
)

func init() {
	drivers["s3"] = func(s *Store) blob.BucketURLOpener { return s3Opener{s} }
}

// s3Opener opens s3:// buckets as gocloud's s3blob opener does, taking the
// same URL parameters, with three changes: the SDK's logger is silenced
// (it wrote "SDK ... WARN falling back to IMDSv1" to stderr while looking
// for credentials; a failed lookup is in the operation's error instead),
// and the client's transport gets the Store's bounds, which keep an endpoint
// that never answers from holding a request forever. The SDK's standard
// retries (3 attempts, jittered backoff) are kept: a refused connection
// fails in a few seconds.
type s3Opener struct{ s *Store }

// OpenBucketURL opens the bucket u names.
func (o s3Opener) OpenBucketURL(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	q := u.Query()
	var opts s3blob.Options
	var clientOpts []func(*s3.Options)
	boolParam := func(key string) (v, set bool, err error) {
		s := q.Get(key)
		q.Del(key)
		if s == "" {
			return false, false, nil
		}
		v, err = strconv.ParseBool(s)
		if err != nil {
			return false, false, fmt.Errorf("query parameter %s=%q: %w", key, s, err)
		}
		return v, true, nil
	}
	// The parameters of s3blob itself; the rest are gocloud's AWS ones.
	if v := q.Get("ssetype"); v != "" {
		q.Del("ssetype")
		for _, t := range types.ServerSideEncryptionAes256.Values() {
			if strings.EqualFold(string(t), v) {
				opts.EncryptionType = t
			}
		}
		if opts.EncryptionType == "" {
			return nil, fmt.Errorf("query parameter ssetype=%q: not one of %v", v, types.ServerSideEncryptionAes256.Values())
		}
	}
	if v := q.Get("kmskeyid"); v != "" {
		q.Del("kmskeyid")
		opts.KMSEncryptionID = v
	}
	accelerate, _, err := boolParam("accelerate")
	if err != nil {
		return nil, err
	}
	clientOpts = append(clientOpts, func(o *s3.Options) { o.UseAccelerate = accelerate })
	if v, set, err := boolParam("disable_https"); err != nil {
		return nil, err
	} else if set {
		clientOpts = append(clientOpts, func(o *s3.Options) { o.EndpointOptions.DisableHTTPS = v })
	}
	for _, key := range []string{"use_path_style", "s3ForcePathStyle"} {
		if v, set, err := boolParam(key); err != nil {
			return nil, err
		} else if set {
			clientOpts = append(clientOpts, func(o *s3.Options) { o.UsePathStyle = v })
		}
	}
	cfg, err := gcaws.V2ConfigFromURLParams(ctx, q)
	if err != nil {
		return nil, err
	}
	quiet := logging.Nop{}
	cfg.Logger = quiet
	// The SDK's own client (it carries AWS_CA_BUNDLE's roots), with the
	// Store's bounds.
	if bc, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok {
		d := o.s.timeout
		cfg.HTTPClient = bc.WithDialerOptions(func(n *net.Dialer) { n.Timeout = d }).
			WithTransportOptions(func(t *http.Transport) {
				t.TLSHandshakeTimeout = d
				t.ResponseHeaderTimeout = d
			})
	} else {
		cfg.HTTPClient = o.s.httpClient()
	}
	anonymous, _ := strconv.ParseBool(q.Get("anonymous"))
	if q.Get("role") == "" && !anonymous {
		// The default credential chain was made with the SDK's
		// logger on stderr (its EC2 metadata client warns there);
		// make it again with the quiet one.
		load := []func(*config.LoadOptions) error{config.WithLogger(quiet), config.WithHTTPClient(cfg.HTTPClient), config.WithRegion(cfg.Region)}
		if p := q.Get("profile"); p != "" {
			load = append(load, config.WithSharedConfigProfile(p))
		}
		base, err := config.LoadDefaultConfig(ctx, load...)
		if err != nil {
			return nil, err
		}
		cfg.Credentials = base.Credentials
	}
	client := s3.NewFromConfig(cfg, clientOpts...)
	opts.RequestChecksumCalculation = cfg.RequestChecksumCalculation
	return s3blob.OpenBucket(ctx, client, u.Host, &opts)
}
