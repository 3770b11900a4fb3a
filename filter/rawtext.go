package filter

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// ParseDDD reads a program in tcpdump's -ddd form: a first line with the
// instruction count, then one "code jt jf k" line per instruction, all in
// decimal (what "tc" and iptables' bpf match also take; commas between
// numbers and blank lines are accepted). The program is checked with
// Validate. Errors name the line.
func ParseDDD(text string) ([]bpf.RawInstruction, error) {
	lines := strings.Split(strings.ReplaceAll(text, ",", " "), "\n")
	var fields [][]string
	var lineNo []int
	for i, l := range lines {
		if f := strings.Fields(l); len(f) > 0 {
			fields = append(fields, f)
			lineNo = append(lineNo, i+1)
		}
	}
	if len(fields) == 0 {
		return nil, ErrEmptyProgram
	}
	if len(fields[0]) != 1 {
		return nil, fmt.Errorf("line %d: want the instruction count alone, got %q", lineNo[0], strings.Join(fields[0], " "))
	}
	count, err := strconv.ParseUint(fields[0][0], 10, 16)
	if err != nil || count == 0 || count > maxInsns {
		return nil, fmt.Errorf("line %d: instruction count %q: want 1 to %d", lineNo[0], fields[0][0], maxInsns)
	}
	if int(count) != len(fields)-1 {
		return nil, fmt.Errorf("line %d: the count says %d instructions, but %d follow", lineNo[0], count, len(fields)-1)
	}
	prog := make([]bpf.RawInstruction, 0, count)
	for i, f := range fields[1:] {
		ln := lineNo[i+1]
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 4 numbers \"code jt jf k\", got %d", ln, len(f))
		}
		var v [4]uint64
		for j, bits := range [4]int{16, 8, 8, 32} {
			if v[j], err = strconv.ParseUint(f[j], 10, bits); err != nil {
				return nil, fmt.Errorf("line %d: field %d %q: not a %d-bit decimal number", ln, j+1, f[j], bits)
			}
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
	}
	if err := Validate(prog); err != nil {
		return nil, err
	}
	return prog, nil
}
