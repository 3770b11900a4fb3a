// Package blobio reads and writes capture files and results in object
// storage through gocloud.dev/blob, so that every wirekit input and output
// may be a URL as well as a local path:
//
//	s3://BUCKET/KEY        Amazon S3 and S3-compatible stores
//	gs://BUCKET/KEY        Google Cloud Storage
//	azblob://CONTAINER/KEY Azure Blob Storage
//	file:///ABS/PATH       the local file system, through the same code
//
// Query parameters after the key are the bucket's (gocloud's URL openers
// take them): for example an S3-compatible store on another endpoint is
// s3://bucket/key?endpoint=http://127.0.0.1:9000&region=us-east-1&use_path_style=true.
// Credentials come from each cloud's usual environment (AWS_ACCESS_KEY_ID,
// AWS_PROFILE, the instance role...; GOOGLE_APPLICATION_CREDENTIALS;
// AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or a managed identity), as
// gocloud's default openers read them. Plain paths are not URLs: callers
// keep their local code for them (IsURL says which is which).
//
// A Store opens each bucket once and keeps it for its other objects:
//
//   - Open returns a Reader that reads the object as a stream and, when
//     Seek moves it, asks for the rest from the new offset (a range read),
//     so a reader that skips over large records fetches only what it
//     needs. It has Stat, so pcapio.OpenFile treats it as a plain file.
//   - Create returns a Writer whose object appears only when Close
//     succeeds: S3 multipart uploads, GCS resumable uploads and Azure block
//     lists all publish an object only at the end, and Abort (or a failed
//     Write) cancels the upload, so no reader ever sees a half-written
//     object. An existing object is refused (ErrExists) unless
//     CreateOptions.Overwrite is set.
//   - List returns the objects under a "directory" URL (a key prefix),
//     sorted by key, with their sizes.
//   - Delete removes one object (a ring of rotated captures reusing its
//     names deletes the oldest before writing it again).
//
// Every request to a store ends: each operation that asks the store
// something has DefaultTimeout (20 s; TimeoutEnv changes it) to be
// answered, retries included, and the clients' transports bound
// connecting and the wait for an answer's headers the same way. Each
// client makes at most three attempts at a failed request. The clouds'
// SDKs print nothing to stdout or stderr: what their logs said (no
// credentials found) is in the error of the operation that failed.
//
// Errors name the URL and wrap one of the sentinels ErrNotFound,
// ErrExists, ErrCredentials, ErrUnreachable or ErrPermission when the
// cause is one of those, so callers can say what to do.
package blobio
