// Package tlsinfo reads the facts a TLS handshake shows in clear: the
// ClientHello's server name (SNI), ALPN list, offered versions and cipher
// suites; the ServerHello's chosen version, cipher suite and ALPN; the
// server's certificates where the handshake sends them in clear (TLS 1.2
// and older); and the JA3, JA3S and JA4 fingerprints. Conn follows the two
// reassembled byte streams of one connection; the Parse functions take
// single handshake messages. Nothing here decrypts.
package tlsinfo
