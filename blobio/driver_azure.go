//go:build !wirekit_no_azure

package blobio

// The azblob:// driver; build with -tags wirekit_no_azure to leave it out of
// the binary (its URLs then fail to open with an unknown-scheme error).

import (
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"gocloud.dev/blob"
	"gocloud.dev/blob/azureblob"
)

// azureRetry is the Azure client's retry policy: two retries a short
// while apart, as S3's standard retries and gcsAttempts. The SDK's default
// (three retries from 4 s apart) took about 10 s to report a refused
// connection.
var azureRetry = policy.RetryOptions{MaxRetries: 2, RetryDelay: 200 * time.Millisecond, MaxRetryDelay: 2 * time.Second}

func init() {
	drivers["azblob"] = func(s *Store) blob.BucketURLOpener {
		return &azureblob.URLOpener{
			MakeClient:        s.azureClient,
			ServiceURLOptions: *azureblob.NewDefaultServiceURLOptions(),
		}
	}
}

// azureClient makes the container client gocloud's azureblob opener
// makes, with the credentials it finds in the same environment variables
// (AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN,
// AZURE_STORAGE_CONNECTION_STRING, else azidentity's default chain), read
// for each Store rather than once per process, on the Store's transport
// and with azureRetry.
func (s *Store) azureClient(svc azureblob.ServiceURL, name azureblob.ContainerName) (*container.Client, error) {
	opts := &container.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: s.httpClient(),
		Retry:     azureRetry,
		Telemetry: policy.TelemetryOptions{ApplicationID: "wirekit"},
	}}
	containerURL, err := url.JoinPath(string(svc), string(name))
	if err != nil {
		return nil, err
	}
	account, key := os.Getenv("AZURE_STORAGE_ACCOUNT"), os.Getenv("AZURE_STORAGE_KEY")
	connection := os.Getenv("AZURE_STORAGE_CONNECTION_STRING")
	if connection == "" {
		connection = os.Getenv("AZURE_STORAGEBLOB_CONNECTIONSTRING")
	}
	switch {
	case account != "" && key != "":
		cred, err := azblob.NewSharedKeyCredential(account, key)
		if err != nil {
			return nil, fmt.Errorf("AZURE_STORAGE_KEY: %w", err)
		}
		return container.NewClientWithSharedKeyCredential(containerURL, cred, opts)
	case os.Getenv("AZURE_STORAGE_SAS_TOKEN") != "":
		// The service URL carries the token.
		return container.NewClientWithNoCredential(containerURL, opts)
	case connection != "":
		return container.NewClientFromConnectionString(connection, string(name), opts)
	}
	cred, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: opts.ClientOptions})
	if err != nil {
		return nil, fmt.Errorf("DefaultAzureCredential: %w", err)
	}
	return container.NewClient(containerURL, cred, opts)
}
