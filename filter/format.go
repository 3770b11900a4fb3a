package filter

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// Format renders a program in one of tcpdump's text forms: "d" (-d,
// readable), "dd" (-dd, a C array) or "ddd" (-ddd, decimal, the first line
// the instruction count). The output ends in a newline.
func Format(prog *Program, form string) (string, error) {
	return FormatRaw(prog.raw, form)
}

// FormatRaw is Format for a raw instruction slice.
func FormatRaw(raw []bpf.RawInstruction, form string) (string, error) {
	var b strings.Builder
	switch form {
	case "d":
		for i, in := range raw {
			b.WriteString(image(in, i))
			b.WriteByte('\n')
		}
	case "dd":
		for _, in := range raw {
			fmt.Fprintf(&b, "{ 0x%x, %d, %d, 0x%08x },\n", in.Op, in.Jt, in.Jf, in.K)
		}
	case "ddd":
		fmt.Fprintf(&b, "%d\n", len(raw))
		for _, in := range raw {
			fmt.Fprintf(&b, "%d %d %d %d\n", in.Op, in.Jt, in.Jf, in.K)
		}
	default:
		return "", fmt.Errorf("unknown format %q (want d, dd or ddd)", form)
	}
	return b.String(), nil
}

var aluNames = map[uint16]string{
	aluAdd: "add", aluSub: "sub", aluMul: "mul", aluDiv: "div", aluMod: "mod",
	aluAnd: "and", aluOr: "or", aluXor: "xor", aluLsh: "lsh", aluRsh: "rsh",
}

// image formats one instruction as libpcap's bpf_image.
func image(in bpf.RawInstruction, n int) string {
	k := in.K
	var op, arg string
	switch in.Op {
	case opRetK:
		op, arg = "ret", fmt.Sprintf("#%d", k)
	case opRetA:
		op, arg = "ret", "a"
	case opLdW:
		op, arg = "ld", fmt.Sprintf("[%d]", int32(k))
	case opLdH:
		op, arg = "ldh", fmt.Sprintf("[%d]", int32(k))
	case opLdB:
		op, arg = "ldb", fmt.Sprintf("[%d]", int32(k))
	case opLdLen:
		op, arg = "ld", "#pktlen"
	case opLdIW:
		op, arg = "ld", fmt.Sprintf("[x + %d]", int32(k))
	case opLdIH:
		op, arg = "ldh", fmt.Sprintf("[x + %d]", int32(k))
	case opLdIB:
		op, arg = "ldb", fmt.Sprintf("[x + %d]", int32(k))
	case opLdImm:
		op, arg = "ld", fmt.Sprintf("#0x%x", k)
	case opLdxImm:
		op, arg = "ldx", fmt.Sprintf("#0x%x", k)
	case opLdxMSH:
		op, arg = "ldxb", fmt.Sprintf("4*([%d]&0xf)", int32(k))
	case opLdMem:
		op, arg = "ld", fmt.Sprintf("M[%d]", k)
	case opLdxMem:
		op, arg = "ldx", fmt.Sprintf("M[%d]", k)
	case opSt:
		op, arg = "st", fmt.Sprintf("M[%d]", k)
	case opStx:
		op, arg = "stx", fmt.Sprintf("M[%d]", k)
	case opJa:
		op, arg = "ja", fmt.Sprintf("%d", uint32(n+1)+k) // wraps backward, as bpf_image
	case opNeg:
		op = "neg"
	case opTax:
		op = "tax"
	case opTxa:
		op = "txa"
	default:
		switch in.Op & 0x07 {
		case 0x05:
			op = map[uint16]string{0x10: "jeq", 0x20: "jgt", 0x30: "jge", 0x40: "jset"}[in.Op&0xf0]
			arg = fmt.Sprintf("#0x%x", k)
			if in.Op&0x08 != 0 {
				arg = "x"
			}
			if op != "" {
				return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", n, op, arg, n+1+int(in.Jt), n+1+int(in.Jf))
			}
		case 0x04:
			op = aluNames[in.Op&0xf0]
			switch {
			case in.Op&0x08 != 0:
				arg = "x"
			case in.Op&0xf0 == aluAnd || in.Op&0xf0 == aluOr || in.Op&0xf0 == aluXor:
				arg = fmt.Sprintf("#0x%x", k)
			default:
				arg = fmt.Sprintf("#%d", k)
			}
		}
		if op == "" {
			op, arg = "unimp", fmt.Sprintf("0x%x", in.Op)
		}
	}
	return fmt.Sprintf("(%03d) %-8s %s", n, op, arg)
}
