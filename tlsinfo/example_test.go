package tlsinfo_test

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"

	"github.com/wirekit/wirekit/tlsinfo"
)

// capture is a net.Conn that keeps what is written and reads nothing.
type capture struct {
	net.Conn
	buf bytes.Buffer
}

func (c *capture) Write(b []byte) (int, error) { return c.buf.Write(b) }
func (c *capture) Read([]byte) (int, error)    { return 0, io.EOF }
func (c *capture) Close() error                { return nil }

// Example reads the server name and ALPN list out of the first bytes a TLS
// client sends, as they would come out of a reassembled TCP stream.
func Example() {
	conn := &capture{}
	tls.Client(conn, &tls.Config{ServerName: "api.example", NextProtos: []string{"h2", "http/1.1"}}).Handshake()

	var c tlsinfo.Conn
	c.Feed(true, conn.buf.Bytes())
	fmt.Println(c.Client.ServerName, c.Client.ALPN, tlsinfo.VersionName(c.Client.Version))
	// Output: api.example [h2 http/1.1] TLS 1.2
}
