package http

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// decodeBody undoes m's content codings on body (already without transfer
// coding) and stores the result in m. cut says body is not the whole
// content.
func decodeBody(m *Message, body []byte, cut bool, limit int) {
	m.Body, m.BodyTruncated = body, cut
	// Content codings were applied first, then transfer codings (chunked,
	// already removed, is the last of those); undo them from the end.
	var codings []string
	for _, list := range []string{m.Get("Content-Encoding"), m.Get("Transfer-Encoding")} {
		for _, c := range strings.Split(list, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c != "" && c != "identity" && c != "chunked" {
				codings = append(codings, c)
			}
		}
	}
	for i := len(codings) - 1; i >= 0 && len(m.Body) > 0; i-- {
		out, truncated, err := decompress(codings[i], m.Body, limit)
		if err != nil {
			m.DecodeError = err.Error()
			if len(out) > 0 { // a cut body decodes as far as it goes
				m.Body, m.BodyTruncated = out, true
			} else {
				m.BodyEncoding = strings.Join(codings[:i+1], ", ")
			}
			break
		}
		m.Body = out
		m.BodyTruncated = m.BodyTruncated || truncated
	}
	if !m.BodyTruncated && m.DecodeError == "" {
		m.DecodedBytes = int64(len(m.Body))
	}
}

// decompress undoes one content coding, keeping at most limit bytes. A
// body cut short decodes as far as it goes, with an error.
func decompress(coding string, b []byte, limit int) ([]byte, bool, error) {
	var r io.Reader
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, false, codingErr("gzip", err)
		}
		zr.Multistream(true)
		r = zr
	case "deflate":
		// RFC 9110 deflate is zlib-wrapped; some servers send raw deflate.
		if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(b))
		}
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(limit)+1<<20))
		if err != nil {
			return nil, false, codingErr("zstd", err)
		}
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		return nil, false, fmt.Errorf("content coding %q not decoded", coding)
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	truncated := len(out) > limit
	if truncated {
		out = out[:limit]
	}
	if err != nil {
		return out, truncated, codingErr(coding, err)
	}
	return out, truncated, nil
}

// codingErr names the coding in err, unless its message already starts
// with it ("gzip: invalid checksum").
func codingErr(coding string, err error) error {
	if strings.HasPrefix(err.Error(), coding+":") {
		return err
	}
	return fmt.Errorf("%s: %w", coding, err)
}
