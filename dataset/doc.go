// Package dataset maps sets of capture files: for every file, when its
// packets begin and end, how many there are, how big they are, whether
// their timestamps go backwards, and what format holds them; for the set,
// the global first and last timestamp and each file's delay from the
// global start. Replay uses a map to interleave files written by
// multi-threaded capture (N workers each rotating their own files in one
// folder) in their true time order.
//
// ScanFile reads one file's record headers through pcapio without decoding
// packets. Scan maps many files concurrently, Discover finds them in
// directories, and Save and Load keep a map as JSON whose field names match
// GopherCap's map output where the two overlap (files, path, snaplen,
// packets, size, max_packet_size, out_of_order, beginning, end, pps,
// duration, duration_human, delay, delay_human).
//
// A damaged file does not stop a scan: its File keeps what was read before
// the damage and names the damage in Error. An error that is not the
// file's (out of file descriptors or memory, permission denied) is never
// recorded as damage: Scan bounds the files it reads at once by the
// process's limit on open files, waits for descriptors when it runs short,
// and otherwise stops with an *EnvironmentError.
package dataset
