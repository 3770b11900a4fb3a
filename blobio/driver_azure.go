//go:build !wirekit_no_azure

package blobio

// The azblob:// driver; build with -tags wirekit_no_azure to leave it out of
// the binary (its URLs then fail to open with an unknown-scheme error).
import _ "gocloud.dev/blob/azureblob"
