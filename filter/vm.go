package filter

import "golang.org/x/net/bpf"

// run interprets a classic BPF program with libpcap's bpf_filter
// semantics: a load outside the captured data, or a division by zero,
// ends the program with 0; scratch memory starts zeroed; "len" is wire.
// Programs here come from assemble or validate, so jumps are in range.
func run(prog []bpf.RawInstruction, pkt []byte, wire uint32) uint32 {
	var a, x uint32
	var mem [16]uint32
	n := uint32(len(pkt))
	budget := 8*uint64(n) + 256 // backward jumps allowed, as in Executor.Run
	for pc := 0; pc < len(prog); pc++ {
		in := &prog[pc]
		k := in.K
		switch in.Op {
		case 0x06: // ret #k
			return k
		case 0x16: // ret a
			return a
		case 0x20: // ld [k]
			if k >= n || n-k < 4 {
				return 0
			}
			a = uint32(pkt[k])<<24 | uint32(pkt[k+1])<<16 | uint32(pkt[k+2])<<8 | uint32(pkt[k+3])
		case 0x28:
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
		case 0x30:
			if k >= n {
				return 0
			}
			a = uint32(pkt[k])
		case 0x40, 0x48, 0x50: // ld [x+k]
			off := uint64(x) + uint64(k)
			size := uint64(4)
			if in.Op == 0x48 {
				size = 2
			} else if in.Op == 0x50 {
				size = 1
			}
			if off+size > uint64(n) {
				return 0
			}
			switch size {
			case 4:
				a = uint32(pkt[off])<<24 | uint32(pkt[off+1])<<16 | uint32(pkt[off+2])<<8 | uint32(pkt[off+3])
			case 2:
				a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
			default:
				a = uint32(pkt[off])
			}
		case 0x00:
			a = k
		case 0x01:
			x = k
		case 0x80:
			a = wire
		case 0x81:
			x = wire
		case 0x60:
			a = mem[k&15]
		case 0x61:
			x = mem[k&15]
		case 0xb1: // ldxb 4*([k]&0xf)
			if k >= n {
				return 0
			}
			x = uint32(pkt[k]&0xf) << 2
		case 0x02:
			mem[k&15] = a
		case 0x03:
			mem[k&15] = x
		case 0x07:
			x = a
		case 0x87:
			a = x
		case 0x84:
			a = -a
		case 0x05:
			if int32(k) < 0 {
				if budget == 0 {
					return 0
				}
				budget--
			}
			pc += int(int32(k))
		default:
			cls := in.Op & 0x07
			src := k
			if in.Op&0x08 != 0 {
				src = x
			}
			switch cls {
			case 0x04: // ALU
				switch in.Op & 0xf0 {
				case 0x00:
					a += src
				case 0x10:
					a -= src
				case 0x20:
					a *= src
				case 0x30:
					if src == 0 {
						return 0
					}
					a /= src
				case 0x90:
					if src == 0 {
						return 0
					}
					a %= src
				case 0x40:
					a |= src
				case 0x50:
					a &= src
				case 0xa0:
					a ^= src
				case 0x60:
					a <<= src & 31
					if src >= 32 {
						a = 0
					}
				case 0x70:
					a >>= src & 31
					if src >= 32 {
						a = 0
					}
				default:
					return 0
				}
			case 0x05: // conditional jumps
				var cond bool
				switch in.Op & 0xf0 {
				case 0x10:
					cond = a == src
				case 0x20:
					cond = a > src
				case 0x30:
					cond = a >= src
				case 0x40:
					cond = a&src != 0
				default:
					return 0
				}
				if cond {
					pc += int(in.Jt)
				} else {
					pc += int(in.Jf)
				}
			default:
				return 0
			}
		}
	}
	return 0
}
