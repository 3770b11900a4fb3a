package compress

import "testing"

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want Kind
	}{
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0}, Gzip},
		{"zstd", []byte{0x28, 0xb5, 0x2f, 0xfd, 0x24, 0}, Zstd},
		{"lz4", []byte{0x04, 0x22, 0x4d, 0x18, 0x64, 0x40}, LZ4},
		{"xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0}, XZ},
		{"xz cut short", []byte{0xfd, '7', 'z', 'X', 'Z'}, None},
		{"gzip's first byte only", []byte{0x1f}, None},
		{"pcap", []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0}, None},
		{"empty", nil, None},
	}
	for _, tc := range tests {
		if got := Detect(tc.head); got != tc.want {
			t.Errorf("%s: Detect = %v, want %v", tc.name, got, tc.want)
		}
	}
	for k, want := range map[Kind][2]string{None: {"none", ""}, Gzip: {"gzip", ".gz"}, Zstd: {"zstd", ".zst"}, LZ4: {"lz4", ".lz4"}, XZ: {"xz", ".xz"}, 9: {"Compression(9)", ""}} {
		if k.String() != want[0] || k.Ext() != want[1] {
			t.Errorf("%d: %q %q, want %q %q", int(k), k.String(), k.Ext(), want[0], want[1])
		}
	}
}
