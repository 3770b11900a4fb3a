package capture

import (
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

type nopConn struct{}

func (nopConn) Open(*stream.Conn) stream.ConnHandler { return nopConn{} }
func (nopConn) Data(*stream.Conn, stream.Chunk)      {}
func (nopConn) Close(*stream.Conn)                   {}

// TestMultiFeedsReaders: a Multi over two veth pairs feeds
// http.Transactions and stream.Assembler.ReadFrom, which read on through
// the read timeouts of the quiet second before the traffic and end when
// the Multi is closed; each sees the HTTP exchanges of both interfaces.
func TestMultiFeedsReaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		// read reads m until it ends, calling more with a label for
		// each transaction (URL, status) or connection (server, bytes
		// the client sent) as it comes.
		read func(m *Multi, more func(string)) error
	}{
		{"http.Transactions", func(m *Multi, more func(string)) error {
			for tx, err := range whttp.Transactions(m, nil) {
				if err != nil {
					return err
				}
				if tx.Request != nil && tx.Response != nil {
					more(fmt.Sprintf("%s %d", tx.Request.URL, tx.Response.Status))
				}
			}
			return nil
		}},
		{"stream.Assembler.ReadFrom", func(m *Multi, more func(string)) error {
			a := stream.New(nil, nopConn{}, func(c *stream.Conn) {
				more(fmt.Sprintf("%s %d", c.Server.Addr(), c.Half[0].Bytes))
			})
			_, err := a.ReadFrom(m)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hosts []*testutil.VethNS
			var ports []int
			for range 2 {
				n := testutil.NewVethNS(t)
				ln, err := net.Listen("tcp", n.HostIP+":0")
				if err != nil {
					t.Fatal(err)
				}
				srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					fmt.Fprint(w, "ok")
				})}
				go srv.Serve(ln)
				defer srv.Close()
				hosts, ports = append(hosts, n), append(ports, ln.Addr().(*net.TCPAddr).Port)
			}
			m, err := OpenMulti([]string{hosts[0].Host, hosts[1].Host}, &MultiConfig{Expr: "tcp"})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			var mu sync.Mutex
			var got []string
			done := make(chan error, 1)
			go func() {
				done <- tc.read(m, func(s string) { mu.Lock(); got = append(got, s); mu.Unlock() })
			}()
			time.Sleep(time.Second) // ten read timeouts with nothing
			for i, n := range hosts {
				script := fmt.Sprintf(`exec 3<>/dev/tcp/%s/%d; printf 'GET /if%d HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >&3; cat <&3 >/dev/null`, n.HostIP, ports[i], i)
				if b, err := exec.Command("ip", "netns", "exec", n.NS, "bash", "-c", script).CombinedOutput(); err != nil {
					t.Fatalf("client %d: %v: %s", i, err, b)
				}
			}
			count := func() int { mu.Lock(); defer mu.Unlock(); return len(got) }
			for end := time.Now().Add(10 * time.Second); count() < 2 && time.Now().Before(end); {
				time.Sleep(20 * time.Millisecond)
			}
			m.Close()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the reader did not end after Close")
			}
			mu.Lock()
			defer mu.Unlock()
			sort.Strings(got)
			want := "/if0 200 /if1 200"
			if tc.name != "http.Transactions" {
				req := len("GET /if0 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
				want = fmt.Sprintf("%s %d %s %d", hosts[0].HostIP, req, hosts[1].HostIP, req)
			}
			if g := strings.Join(got, " "); g != want {
				t.Errorf("got %q, want %q", g, want)
			}
		})
	}
}
