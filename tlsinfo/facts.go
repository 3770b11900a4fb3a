package tlsinfo

import (
	"crypto/tls"
	"sync"
	"time"
)

// Facts is the summary of a connection's handshake that wirekit's JSON
// outputs carry: what the client offered, what the server chose, the
// fingerprints and the certificates seen in clear.
type Facts struct {
	SNI             string      `json:"sni,omitempty"`
	ALPNOffered     []string    `json:"alpn_offered,omitempty"`
	ALPN            string      `json:"alpn,omitempty"` // chosen (in clear up to TLS 1.2 only)
	VersionsOffered []string    `json:"versions_offered,omitempty"`
	Version         string      `json:"version,omitempty"` // chosen
	CipherSuites    int         `json:"cipher_suites_offered,omitempty"`
	CipherSuite     string      `json:"cipher_suite,omitempty"` // chosen
	JA3             string      `json:"ja3,omitempty"`
	JA3S            string      `json:"ja3s,omitempty"`
	JA4             string      `json:"ja4,omitempty"`
	Certificates    []CertFacts `json:"certificates,omitempty"`
	Alert           string      `json:"alert,omitempty"`
	Error           string      `json:"error,omitempty"`
}

// CertFacts is a Certificate in Facts, times in RFC 3339.
type CertFacts struct {
	Subject   string   `json:"subject"`
	Issuer    string   `json:"issuer"`
	SANs      []string `json:"sans,omitempty"`
	NotBefore string   `json:"not_before"`
	NotAfter  string   `json:"not_after"`
	SHA256    string   `json:"sha256"`
}

// Facts summarises what c found, or returns nil when it saw neither hello
// and met no error.
func (c *Conn) Facts() *Facts {
	if c.Client == nil && c.Server == nil && c.Err == nil {
		return nil
	}
	f := &Facts{Alert: c.Alert}
	if c.Err != nil {
		f.Error = c.Err.Error()
	}
	if h := c.Client; h != nil {
		f.SNI, f.ALPNOffered = h.ServerName, h.ALPN
		vs := h.SupportedVersions
		if len(vs) == 0 {
			vs = []uint16{h.Version}
		}
		for _, v := range vs {
			if !IsGREASE(v) {
				f.VersionsOffered = append(f.VersionsOffered, VersionName(v))
			}
		}
		f.CipherSuites = len(noGREASE(h.CipherSuites))
		_, f.JA3 = h.JA3()
		f.JA4 = h.JA4()
	}
	if s := c.Server; s != nil {
		f.Version = VersionName(s.NegotiatedVersion())
		f.CipherSuite = suiteName(s.CipherSuite)
		f.ALPN = s.ALPN
		_, f.JA3S = s.JA3S()
	}
	for _, x := range c.Certificates {
		f.Certificates = append(f.Certificates, CertFacts{Subject: x.Subject, Issuer: x.Issuer, SANs: x.SANs,
			NotBefore: x.NotBefore.UTC().Format(time.RFC3339), NotAfter: x.NotAfter.UTC().Format(time.RFC3339), SHA256: x.SHA256})
	}
	return f
}

// suiteNames caches tls.CipherSuiteName, which builds Go's list of suites
// at each call.
var suiteNames sync.Map // uint16 -> string

func suiteName(id uint16) string {
	if n, ok := suiteNames.Load(id); ok {
		return n.(string)
	}
	n := tls.CipherSuiteName(id)
	suiteNames.Store(id, n)
	return n
}
