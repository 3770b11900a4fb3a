package capture

import (
	"fmt"
	"os/user"
	"strconv"
	"syscall"
)

// DropPrivileges switches the process to the named user, with that user's
// primary and supplementary groups (tcpdump -Z). Call it after Open: an
// open capture socket keeps working. Errors name the user: unknown, or a
// switch the system refused (not running as root, for example).
func DropPrivileges(name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("capture: dropping privileges: %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("capture: dropping privileges: user %s has uid %q and gid %q, not numbers", name, u.Uid, u.Gid)
	}
	groups := []int{gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if g, err := strconv.Atoi(s); err == nil && g != gid {
				groups = append(groups, g)
			}
		}
	}
	// Groups first: once the user id changes, they can no longer be set.
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("capture: dropping privileges to %s: setgroups: %w", name, err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("capture: dropping privileges to %s: setgid %d: %w", name, gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("capture: dropping privileges to %s: setuid %d: %w", name, uid, err)
	}
	return nil
}
