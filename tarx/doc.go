// Package tarx extracts selected members from a tarball in one streaming
// pass, without seeking and without unpacking anything to a temporary
// place: the input may be a pipe, and only the members that match are
// written.
//
// The input may be a plain tar or a tar compressed with gzip, zstd, xz or
// lz4; the compression is found from the first bytes (see [NewReader]), never
// from a file name. Members can be written as they are or compressed on the
// fly with gzip (parallel blocks on all cores) or zstd.
//
// Extraction is safe against hostile archives: every file is created through
// an [os.Root] opened on the output folder, so nothing can land outside it;
// members with absolute names, ".." components or a path through an existing
// symbolic link are refused; links, devices and FIFOs are skipped; existing
// files are kept unless [Options.Overwrite] is set; and each file is written
// to a temporary name and renamed only when complete, so an interrupted run
// never leaves a truncated file under a final name.
//
// Integrity: the compressed stream is always read to its end, so that its
// checks are verified (gzip CRC-32 and length of every member, zstd content
// checksums, lz4 block and frame checksums, xz checks); a failure is a
// [*StreamError]. A file from a compressed tarball gets its final name only
// once the check covering its bytes has passed; when the check fails, the
// files it covers are removed, never published (Discarded). Names with a
// component over 255 bytes are refused ([ErrNameTooLong]). The output
// folder is created when the first file is written.
//
// Files may go somewhere other than a local folder: [Options.Folder] takes
// a [Folder] (the wirekit CLI gives one writing objects under an object
// storage prefix). The same names, refusals and integrity rule apply; a
// file is published by its [FolderFile]'s Close, and one that the check
// fails is discarded by Abort. A file waiting for its check is kept open
// until then, so a Folder that buffers (an upload's last part) holds that
// much memory per waiting file.
//
// [Extract] reports each member it sees to [Options.OnMember] and returns a
// [Summary]; a refused or skipped member does not stop the extraction.
package tarx
