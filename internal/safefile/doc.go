// Package safefile opens output files by one rule, so that no wirekit
// writer ever replaces anything but a regular file.
//
//   - A path that does not exist, or names a regular file, is written to a
//     temporary file ".NAME.tmp-*" in the same directory, which Close
//     renames over the path: readers never see a partial file under the
//     final name, and a failed or aborted write leaves the old file as it
//     was. A replaced file keeps its permission bits; a new one gets 0644.
//   - A character or block device (/dev/null, a tty), a FIFO, or one of
//     /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N is opened and
//     written in place, as tcpdump does. The /dev/fd forms write to the
//     descriptor this process already holds (so "-w /dev/stdout >> log"
//     appends to log instead of replacing it).
//   - An existing symbolic link is kept: it is resolved (through every
//     link in the chain), and its target is handled by the two rules
//     above, the temporary file going in the target's directory.
//   - A directory or a socket is refused with an error naming the path.
//
// The package is a leaf: pcapio, dataset and the CLI all write through it.
package safefile
