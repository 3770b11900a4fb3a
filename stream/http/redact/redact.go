// Package redact removes secrets from HTTP transactions before anything
// is written: the values of sensitive header fields, query parameters and
// JSON or form body fields, and strings that look like card numbers,
// bearer tokens, JWTs or cloud keys wherever they appear. A value is
// replaced by "<redacted:N>", N its length in bytes, so that its size stays
// visible and the value does not.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	whttp "github.com/wirekit/wirekit/stream/http"
)

// Config adds to the default lists. Names are matched without case and
// without '-' and '_' ("X-Api-Key" matches "xapikey").
type Config struct {
	// Headers are more header field names whose values are secret.
	Headers []string `yaml:"headers"`
	// Fields are more query parameter and JSON/form field names.
	Fields []string `yaml:"fields"`
	// Patterns are regular expressions (Go syntax) for secret values
	// found anywhere: header values, URLs and bodies.
	Patterns []string `yaml:"patterns"`
}

// LoadConfig reads a Config from a YAML file (keys headers, fields,
// patterns). Errors name the file; unknown keys are refused.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("redact config: %w", err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err != io.EOF {
		return nil, fmt.Errorf("redact config %s: %w", path, err)
	}
	return &c, nil
}

// Redactor redacts transactions. It is safe for concurrent use.
type Redactor struct {
	headers  map[string]bool
	fields   map[string]bool
	patterns []*regexp.Regexp
}

// defaultHeaders are header names whose whole value is secret (normalised).
var defaultHeaders = []string{"authorization", "proxyauthorization", "cookie", "setcookie",
	"xapikey", "apikey", "xauthtoken", "xaccesstoken", "xcsrftoken", "xxsrftoken",
	"xamzsecuritytoken", "xgoogapikey", "privatetoken", "xvaulttoken", "xsessionid",
	"xrefreshtoken", "ocpapimsubscriptionkey", "secwebsocketkey", "xfunctionskey"}

// defaultFields are query, form and JSON field names whose value is secret.
var defaultFields = []string{"password", "passwd", "pwd", "pass", "passphrase", "secret",
	"clientsecret", "token", "accesstoken", "refreshtoken", "idtoken", "authtoken", "apikey",
	"key", "privatekey", "auth", "authorization", "credentials", "credential", "sessionid",
	"session", "sid", "ssn", "cardnumber", "card", "ccnumber", "cc", "cvv", "cvc", "pin",
	"otp", "signature", "sig", "jwt", "bearer", "cookie"}

// nameHints mark a name as secret wherever they occur in it.
var nameHints = []string{"password", "passwd", "secret", "token", "apikey", "credential", "privatekey", "sessionid"}

// defaultPatterns find secret values by their shape.
var defaultPatterns = []string{
	`(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{8,}=*`,
	`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`, // JWT
	`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,                             // AWS access key id
	`\bgh[pousr]_[A-Za-z0-9]{30,}\b`,                            // GitHub token
	`\bxox[abprs]-[A-Za-z0-9-]{10,}`,                            // Slack token
	`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`,
}

// New returns a Redactor with the default lists and cfg's additions (cfg
// may be nil). It fails when a pattern does not compile, naming it.
func New(cfg *Config) (*Redactor, error) {
	r := &Redactor{headers: map[string]bool{}, fields: map[string]bool{}}
	for _, h := range defaultHeaders {
		r.headers[h] = true
	}
	for _, f := range defaultFields {
		r.fields[f] = true
	}
	pats := defaultPatterns
	if cfg != nil {
		for _, h := range cfg.Headers {
			r.headers[norm(h)] = true
		}
		for _, f := range cfg.Fields {
			r.fields[norm(f)] = true
		}
		pats = append(append([]string(nil), pats...), cfg.Patterns...)
	}
	for i, p := range pats {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("redact: pattern %d %q: %w", i+1-len(defaultPatterns), p, err)
		}
		r.patterns = append(r.patterns, re)
	}
	return r, nil
}

// Mask is the replacement of a secret value of n bytes.
func Mask(n int) string { return "<redacted:" + strconv.Itoa(n) + ">" }

// Transaction redacts the request and the response in place.
func (r *Redactor) Transaction(tx *whttp.Transaction) {
	if tx.Request != nil {
		r.Message(tx.Request)
	}
	if tx.Response != nil {
		r.Message(tx.Response)
	}
}

// Message redacts one message in place: header values, the request
// target's query and the body. A body whose content coding could not be
// undone (BodyEncoding set) cannot be inspected and is replaced whole.
func (r *Redactor) Message(m *whttp.Message) {
	for i := range m.Header {
		m.Header[i].Value = r.headerValue(m.Header[i].Name, m.Header[i].Value)
	}
	for i := range m.Trailer {
		m.Trailer[i].Value = r.headerValue(m.Trailer[i].Name, m.Trailer[i].Value)
	}
	if m.URL != "" {
		m.URL = r.target(m.URL)
	}
	if len(m.Body) == 0 {
		return
	}
	if m.BodyEncoding != "" {
		m.Body = []byte(Mask(len(m.Body)))
		return
	}
	ct := strings.ToLower(m.Get("Content-Type"))
	switch {
	case strings.Contains(ct, "json") || looksJSON(m.Body):
		if b, ok := r.jsonBody(m.Body); ok {
			m.Body = b
		}
	case strings.Contains(ct, "x-www-form-urlencoded"):
		m.Body = []byte(r.form(string(m.Body)))
	}
	m.Body = r.values(m.Body)
}

// secretHeader reports whether a header's whole value is secret.
func (r *Redactor) secretHeader(name string) bool {
	n := norm(name)
	return r.headers[n] || hinted(n)
}

// secretField reports whether a query, form or JSON field is secret.
func (r *Redactor) secretField(name string) bool {
	n := norm(name)
	return r.fields[n] || hinted(n)
}

func hinted(n string) bool {
	for _, h := range nameHints {
		if strings.Contains(n, h) {
			return true
		}
	}
	return false
}

func norm(s string) string {
	s = strings.ToLower(s)
	if strings.ContainsAny(s, "-_ .") {
		s = strings.NewReplacer("-", "", "_", "", " ", "", ".", "").Replace(s)
	}
	return s
}

// headerValue redacts one header field's value: the whole value of a
// secret field (keeping an Authorization scheme and cookie names), and
// secret-shaped strings in any field.
func (r *Redactor) headerValue(name, v string) string {
	if name == ":path" { // HTTP/2's request target
		return r.target(v)
	}
	if !r.secretHeader(name) {
		return string(r.values([]byte(v)))
	}
	switch norm(name) {
	case "authorization", "proxyauthorization":
		if sp := strings.IndexByte(v, ' '); sp > 0 {
			cred := strings.TrimLeft(v[sp:], " ")
			return v[:sp] + " " + Mask(len(cred))
		}
	case "cookie":
		parts := strings.Split(v, ";")
		for i, p := range parts {
			parts[i] = maskPair(p)
		}
		return strings.Join(parts, ";")
	case "setcookie":
		first, rest, _ := strings.Cut(v, ";")
		if rest != "" {
			return maskPair(first) + ";" + rest
		}
		return maskPair(first)
	}
	return Mask(len(v))
}

// maskPair masks the value of "name=value" (keeping leading spaces and
// the name), or the whole when there is no '='.
func maskPair(p string) string {
	k, v, ok := strings.Cut(p, "=")
	if !ok {
		return Mask(len(p))
	}
	return k + "=" + Mask(len(v))
}

// target redacts a request target's query parameters and secret-shaped
// strings in it.
func (r *Redactor) target(t string) string {
	path, q, ok := strings.Cut(t, "?")
	if ok {
		t = path + "?" + r.form(q)
	}
	return string(r.values([]byte(t)))
}

// form redacts the values of secret fields of a query string or a form
// body (name=value pairs joined by '&'), keeping everything else as sent.
func (r *Redactor) form(s string) string {
	parts := strings.Split(s, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if r.secretField(name) {
			parts[i] = k + "=" + url.QueryEscape(Mask(len(v)))
		}
	}
	return strings.Join(parts, "&")
}

// values replaces every secret-shaped string in b: matches of the
// patterns and digit runs that pass the Luhn check (card numbers).
func (r *Redactor) values(b []byte) []byte {
	for _, re := range r.patterns {
		if re.Match(b) {
			b = re.ReplaceAllFunc(b, func(m []byte) []byte { return []byte(Mask(len(m))) })
		}
	}
	return cards(b)
}

// cardRE finds runs of 13 to 19 digits, optionally grouped by single
// spaces or dashes, as card numbers are written.
var cardRE = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)

func cards(b []byte) []byte {
	if !cardRE.Match(b) {
		return b
	}
	return cardRE.ReplaceAllFunc(b, func(m []byte) []byte {
		if !luhn(m) {
			return m
		}
		return []byte(Mask(len(m)))
	})
}

// luhn reports whether the digits of s (other bytes skipped) pass the
// Luhn checksum.
func luhn(s []byte) bool {
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return n >= 13 && sum%10 == 0
}

func looksJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// jsonBody replaces the values of secret fields in a JSON document,
// keeping the rest byte for byte. ok is false when b is not JSON.
func (r *Redactor) jsonBody(b []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type span struct{ start, end int }
	var spans []span
	// One frame per open container: whether it is an object, and whether
	// the next token in it is a key.
	type frame struct{ object, key bool }
	var stack []frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].key = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			stack[n-1].key = false
			if name, _ := tok.(string); r.secretField(name) {
				start := int(dec.InputOffset())
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return nil, false
				}
				spans = append(spans, span{start, int(dec.InputOffset())})
				stack[n-1].key = true
			}
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, key: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim(']'), json.Delim('}'):
			if len(stack) == 0 {
				return nil, false
			}
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
	if len(spans) == 0 {
		return b, true
	}
	var out []byte
	last := 0
	for _, s := range spans {
		v := b[s.start:s.end]
		// The span starts after the key: keep the ':' and spaces.
		lead := 0
		for lead < len(v) && (v[lead] == ':' || v[lead] == ' ' || v[lead] == '\t' || v[lead] == '\r' || v[lead] == '\n') {
			lead++
		}
		out = append(out, b[last:s.start+lead]...)
		out = append(out, jsonMask(v[lead:])...)
		last = s.end
	}
	return append(out, b[last:]...), true
}

// jsonMask is the JSON replacement of a secret value v: a string saying
// its type and length. true, false and null are kept.
func jsonMask(v []byte) string {
	switch {
	case len(v) == 0:
		return string(v)
	case v[0] == '"':
		s, err := strconv.Unquote(string(v))
		n := len(v) - 2
		if err == nil {
			n = len(s)
		}
		return strconv.Quote(Mask(n))
	case v[0] == '{':
		return `"<redacted:object:` + strconv.Itoa(len(v)) + `>"`
	case v[0] == '[':
		return `"<redacted:array:` + strconv.Itoa(len(v)) + `>"`
	case string(v) == "true" || string(v) == "false" || string(v) == "null":
		return string(v)
	default:
		return `"<redacted:number:` + strconv.Itoa(len(v)) + `>"`
	}
}
