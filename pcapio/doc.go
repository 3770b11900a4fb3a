// Package pcapio reads, writes and merges capture files.
//
// Open reads classic pcap (microsecond and nanosecond magics, either byte
// order, Kuznetzov's modified format) and pcapng (any number of sections
// and interfaces, each with its own link type, timestamp resolution and
// offset; EPB, SPB and the obsolete PB; other blocks skipped), plain or
// compressed with gzip, zstd, lz4 or xz. Compression and format are found
// from the first bytes of the stream, never from the file name.
//
// Every reader is a Source, which is also a gopacket PacketDataSource and
// ZeroCopyPacketDataSource. ZeroCopyReadPacketData does not allocate: the
// bytes it returns stay valid until the next call. A damaged file delivers
// every packet before the damage, then a *FormatError naming the file, the
// byte offset and the packet number, wrapping ErrTruncated, ErrBadRecord,
// ErrBadMagic or ErrUnsupported. The error is returned once; every later
// read returns io.EOF (as does a read after Close), and Err keeps it. A
// truncated file's error also wraps io.ErrUnexpectedEOF. So the gopacket
// idiom ends on damaged files as on good ones:
//
//	for p := range gopacket.NewPacketSource(r, r.LinkType()).Packets() {
//		...
//	}
//	if err := r.Err(); err != nil { // the channel drops errors
//		...
//	}
//
// Packets(src) is a range loop over any Source that keeps the error:
// for data, ci := range pkts.All() { ... }, then pkts.Err().
//
// Create writes pcap or pcapng, optionally gzip or zstd compressed, to a
// temporary file renamed into place on Close. Merge and MergeSources give
// one time-ordered Source over many inputs (a k-way merge; ties go to the
// input given first).
package pcapio
