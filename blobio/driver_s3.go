//go:build !wirekit_no_s3

package blobio

// The s3:// driver; build with -tags wirekit_no_s3 to leave it out of
// the binary (its URLs then fail to open with an unknown-scheme error).
import _ "gocloud.dev/blob/s3blob"
