package cli

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// maxSnapLen is the largest -s tcpdump takes (its MAXIMUM_SNAPLEN).
const maxSnapLen = filter.DefaultSnapLen

// snapLenFlag checks -s as tcpdump does (0 to 262144) and returns the
// snapshot length it stands for: 0 means 262144, as in tcpdump. cmd names
// the command in the error.
func snapLenFlag(cmd string, s int) (int, error) {
	if s < 0 || s > maxSnapLen {
		return 0, usagef("%s: -s %d: the snapshot length must be 0 to %d (0 means %d), as tcpdump's", cmd, s, maxSnapLen, maxSnapLen)
	}
	if s == 0 {
		return maxSnapLen, nil
	}
	return s, nil
}

// parseLinkTypeNumber reads a link type given as a number. ok is false
// when s is not a number at all (it may be a name); a number outside the
// 16 bits a link type has is an error, never wrapped around.
func parseLinkTypeNumber(s string) (lt layers.LinkType, ok bool, err error) {
	digits := strings.TrimLeft(s, "+-")
	if digits == "" || len(s)-len(digits) > 1 || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false, nil
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || n < 0 || n > 0xffff {
		return 0, true, errLinkTypeRange
	}
	return layers.LinkType(n), true, nil
}

// errLinkTypeRange is the error for a link type number that does not fit.
var errLinkTypeRange = errors.New("link type numbers go from 0 to 65535 (see tcpdump -L, or use a name such as EN10MB)")
