package http_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/wirekit/wirekit/internal/testutil"
)

// rawCodec passes []byte messages through, so the test needs no
// generated protobuf code.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(b []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), b...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// oneConn is a listener that hands out one connection, then waits until
// closed.
type oneConn struct {
	c    chan net.Conn
	done chan struct{}
	once sync.Once
}

func (l *oneConn) Accept() (net.Conn, error) {
	select {
	case c := <-l.c:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l *oneConn) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *oneConn) Addr() net.Addr { return &net.TCPAddr{} }

// closeNotify closes its listener when the server closes the connection.
type closeNotify struct {
	net.Conn
	l *oneConn
}

func (c closeNotify) Close() error {
	c.l.Close()
	return c.Conn.Close()
}

var echoDesc = grpc.ServiceDesc{
	ServiceName: "wk.test.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "Unary", Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		var in []byte
		if err := dec(&in); err != nil {
			return nil, err
		}
		if string(in) == "fail" {
			return nil, status.Error(codes.NotFound, "no such thing")
		}
		out := append([]byte("echo:"), in...)
		return &out, nil
	}}},
	Streams: []grpc.StreamDesc{{StreamName: "Chat", ServerStreams: true, ClientStreams: true, Handler: func(_ any, st grpc.ServerStream) error {
		n := 0
		for {
			var in []byte
			if err := st.RecvMsg(&in); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			n++
			for i := range n {
				out := []byte(fmt.Sprintf("%s-%d", in, i))
				if err := st.SendMsg(&out); err != nil {
					return err
				}
			}
		}
	}}},
}

// TestGRPCGo runs grpc-go's server and client (unary calls, one failing
// with a status, and a bidirectional stream) and reads the calls back from
// the capture of their connection.
func TestGRPCGo(t *testing.T) {
	conv := grpcConv(t)
	var got []string
	for _, tx := range transactions(t, frames2pcap(t, conv.Frames)) {
		if tx.Request == nil || tx.Response == nil {
			t.Fatalf("transaction %d: %+v (note %q)", tx.Index, tx, tx.Note)
		}
		q, s := tx.Request, tx.Response
		var qm, sm []int64
		for _, m := range q.GRPCMessages {
			qm = append(qm, m.Length)
		}
		for _, m := range s.GRPCMessages {
			sm = append(sm, m.Length)
		}
		got = append(got, fmt.Sprintf("%s %s %d grpc-status=%s %q %v/%v", q.Method, q.URL, s.Status, s.Get("grpc-status"), s.Get("grpc-message"), qm, sm))
	}
	want := []string{
		`POST /wk.test.Echo/Unary 200 grpc-status=0 "" [5]/[10]`,
		`POST /wk.test.Echo/Unary 200 grpc-status=5 "no such thing" [4]/[]`,
		`POST /wk.test.Echo/Unary 200 grpc-status=0 "" [70000]/[70005]`,
		`POST /wk.test.Echo/Chat 200 grpc-status=0 "" [1 1 1]/[3 3 3 3 3 3]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls:\n got %q\nwant %q", got, want)
	}
}

// grpcConv runs grpc-go's server and client over a pipe: three unary
// calls (one failing with a status) and a bidirectional stream.
func grpcConv(t *testing.T) *testutil.TCPConv {
	return testutil.PipeConv(t, "10.0.0.1:40000", "10.0.0.2:50051",
		func(c net.Conn) {
			l := &oneConn{c: make(chan net.Conn, 1), done: make(chan struct{})}
			l.c <- closeNotify{c, l}
			srv := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}))
			srv.RegisterService(&echoDesc, nil)
			srv.Serve(l) // until the connection closes, which closes l
			srv.Stop()
		},
		func(c net.Conn) {
			used := false
			cc, err := grpc.NewClient("passthrough:///pipe", grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithContextDialer(func(context.Context, string) (net.Conn, error) {
					if used {
						return nil, errors.New("one connection only")
					}
					used = true
					return c, nil
				}), grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for _, msg := range []string{"hello", "fail", strings.Repeat("x", 70000)} {
				in, out := []byte(msg), []byte(nil)
				err := cc.Invoke(ctx, "/wk.test.Echo/Unary", &in, &out)
				if (msg == "fail") != (err != nil) {
					t.Errorf("unary %q: %v", msg[:min(len(msg), 8)], err)
				}
			}
			st, err := cc.NewStream(ctx, &echoDesc.Streams[0], "/wk.test.Echo/Chat")
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []string{"a", "b", "c"} {
				b := []byte(m)
				st.SendMsg(&b)
			}
			st.CloseSend()
			for {
				var b []byte
				if err := st.RecvMsg(&b); err != nil {
					break
				}
			}
			cc.Close()
		})
}
