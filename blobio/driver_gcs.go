//go:build !wirekit_no_gcs

package blobio

// The gs:// driver; build with -tags wirekit_no_gcs to leave it out of
// the binary (its URLs then fail to open with an unknown-scheme error).
import _ "gocloud.dev/blob/gcsblob"
