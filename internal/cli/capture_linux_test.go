package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// TestCaptureZHelper runs 'wirekit capture' in a child process for
// TestCaptureDropPrivileges (a process cannot get root back after -Z).
func TestCaptureZHelper(t *testing.T) {
	args := os.Getenv("WIREKIT_TEST_CAPTURE_ARGS")
	if args == "" {
		t.Skip("run by TestCaptureDropPrivileges")
	}
	code := Run(context.Background(), strings.Split(args, "\n"), nil, os.Stdout, os.Stderr)
	fmt.Printf("euid=%d egid=%d\n", os.Geteuid(), os.Getegid())
	os.Exit(code)
}

// TestCaptureDropPrivileges: with -Z nobody the capture still receives
// packets (the socket was opened as root), the process ends as nobody,
// and the output file is made by nobody.
func TestCaptureDropPrivileges(t *testing.T) {
	n := testutil.NewVethNS(t)
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody here")
	}
	dir, err := os.MkdirTemp("", "wirekit-Z")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "z.pcap")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCaptureZHelper$")
	cmd.Env = append(os.Environ(), "WIREKIT_TEST_CAPTURE_ARGS="+strings.Join([]string{"capture", "-i", n.Host, "-Z", "nobody", "-c", "3", "-w", out, "udp", "dst", "port", "9999"}, "\n"))
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
wait:
	for deadline := time.After(15 * time.Second); ; {
		select {
		case werr = <-done:
			break wait
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("capture did not end: %s %s", stdout.String(), stderr.String())
		case <-time.After(300 * time.Millisecond):
			n.SendUDP(t, 9999, 1)
		}
	}
	if werr != nil {
		t.Fatalf("child: %v\n%s\n%s", werr, stdout.String(), stderr.String())
	}
	if want := fmt.Sprintf("euid=%s egid=%s", nobody.Uid, nobody.Gid); !strings.Contains(stdout.String(), want) {
		t.Errorf("child ended with %q, want %q", stdout.String(), want)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if uid := st.Sys().(*syscall.Stat_t).Uid; strconv.Itoa(int(uid)) != nobody.Uid {
		t.Errorf("output owned by uid %d, want nobody (%s)", uid, nobody.Uid)
	}
	r, err := pcapio.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := 0
	for {
		if _, err := r.NextHeader(); err != nil {
			break
		}
		got++
	}
	if got != 3 {
		t.Errorf("%d packets in the output, want 3", got)
	}
}

// TestCaptureAny: 'capture -i any' prints packets of a veth with a cooked
// header ('-e' shows the direction as tcpdump does for LINUX_SLL).
func TestCaptureAny(t *testing.T) {
	n := testutil.NewVethNS(t)
	var out, errb syncBuffer
	done := make(chan int, 1)
	expr := []string{"udp", "dst", "port", "9999", "and", "src", "host", n.NSIP}
	go func() {
		done <- Run(context.Background(), append([]string{"capture", "-i", "any", "-c", "3", "-e"}, expr...), nil, &out, &errb)
	}()
	for deadline := time.After(15 * time.Second); ; {
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			if !strings.Contains(errb.String(), "listening on any, link-type LINUX_SLL2 (Linux cooked v2)") {
				t.Errorf("stderr: %s", errb.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 3 {
				t.Fatalf("%d lines, want 3:\n%s", len(lines), out.String())
			}
			for _, l := range lines {
				// LINUX_SLL2, printed live: the interface's name, then the
				// direction, as tcpdump prints them.
				if !strings.Contains(l, n.NSIP) || !strings.Contains(l, n.HostIP+".9999: UDP") || !strings.Contains(l, " "+n.Host+" In  ifindex ") {
					t.Errorf("line: %s", l)
				}
			}
			return
		case <-deadline:
			t.Fatalf("no end: %s %s", out.String(), errb.String())
		case <-time.After(300 * time.Millisecond):
			n.SendUDP(t, 9999, 1)
		}
	}
}

// TestCaptureLinkTypeFlag: -y picks LINUX_SLL or LINUX_SLL2 on "any" and
// refuses what an interface does not offer.
func TestCaptureLinkTypeFlag(t *testing.T) {
	for _, tc := range []struct {
		iface, y string
		want     layers.LinkType
		ok       bool
	}{
		{"any", "", layers.LinkTypeLinuxSLL2, true},
		{"any", "LINUX_SLL", layers.LinkTypeLinuxSLL, true},
		{"any", "linux_sll2", layers.LinkTypeLinuxSLL2, true},
		{"any", "EN10MB", 0, false},
		{"lo", "EN10MB", layers.LinkTypeEthernet, true},
		{"lo", "LINUX_SLL", 0, false},
	} {
		lt, err := captureLinkType(tc.iface, tc.y)
		if (err == nil) != tc.ok || (tc.ok && lt != tc.want) {
			t.Errorf("-i %s -y %q: %v, %v; want %v (ok %v)", tc.iface, tc.y, lt, err, tc.want, tc.ok)
		}
	}
}

// TestCaptureTwoInterfaces: 'capture -i A -i B -w out.pcapng' writes the
// datagrams sent over both veth pairs, each with its own interface, in
// timestamp order.
func TestCaptureTwoInterfaces(t *testing.T) {
	a, b := testutil.NewVethNS(t), testutil.NewVethNS(t)
	out := filepath.Join(t.TempDir(), "two.pcapng")
	var stdout, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(context.Background(), []string{"capture", "-i", a.Host, "-i", b.Host, "-c", "4", "-w", out, "udp", "dst", "port", "9999"}, nil, &stdout, &errb)
	}()
	waitFor(t, func() bool { return strings.Count(errb.String(), "listening on") == 2 }, "listening on both")
	a.SendUDP(t, 9999, 2)
	b.SendUDP(t, 9999, 2)
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("no end: %s", errb.String())
	}
	r, err := pcapio.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	var last time.Time
	for {
		_, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if ci.Timestamp.Before(last) {
			t.Errorf("packet at %v after one at %v", ci.Timestamp, last)
		}
		last = ci.Timestamp
		got = append(got, r.Interfaces()[ci.InterfaceIndex].Name)
	}
	if g, w := strings.Join(got, " "), strings.Join([]string{a.Host, a.Host, b.Host, b.Host}, " "); g != w {
		t.Errorf("interfaces of the packets %q, want %q", g, w)
	}
}
