package redact

import (
	"strings"
	"testing"

	whttp "github.com/wirekit/wirekit/stream/http"
)

func TestMessage(t *testing.T) {
	r, err := New(&Config{Headers: []string{"X-Internal"}, Fields: []string{"email"}, Patterns: []string{`tok-[0-9a-f]{6}`}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		msg        whttp.Message
		wantHeader []string // name: value after redaction
		wantURL    string
		wantBody   string
	}{
		{"authorization keeps its scheme", whttp.Message{Header: []whttp.Field{{Name: "Authorization", Value: "Bearer abcdefghij"}}},
			[]string{"Authorization: Bearer <redacted:10>"}, "", ""},
		{"cookie keeps names", whttp.Message{Header: []whttp.Field{{Name: "Cookie", Value: "sid=12345; theme=dark"}}},
			[]string{"Cookie: sid=<redacted:5>; theme=<redacted:4>"}, "", ""},
		{"set-cookie keeps attributes", whttp.Message{Header: []whttp.Field{{Name: "Set-Cookie", Value: "sid=abc; Path=/; HttpOnly"}}},
			[]string{"Set-Cookie: sid=<redacted:3>; Path=/; HttpOnly"}, "", ""},
		{"api key header and configured header", whttp.Message{Header: []whttp.Field{{Name: "X-Api-Key", Value: "k123"}, {Name: "X-Internal", Value: "zz"}, {Name: "Accept", Value: "*/*"}}},
			[]string{"X-Api-Key: <redacted:4>", "X-Internal: <redacted:2>", "Accept: */*"}, "", ""},
		{"name hint", whttp.Message{Header: []whttp.Field{{Name: "X-My-Refresh-Token", Value: "r1"}}},
			[]string{"X-My-Refresh-Token: <redacted:2>"}, "", ""},
		{"query parameters", whttp.Message{URL: "/login?user=bob&password=hunter2&access_token=xyz&page=2"},
			nil, "/login?user=bob&password=%3Credacted%3A7%3E&access_token=%3Credacted%3A3%3E&page=2", ""},
		{"json body nested", whttp.Message{Header: []whttp.Field{{Name: "Content-Type", Value: "application/json"}},
			Body: []byte(`{"user":"bob","password":"hunter2","nested":{"api_key":12345,"ok":true},"list":[{"token":"t"}],"secret":{"a":1},"email":"b@x"}`)},
			nil, "", `{"user":"bob","password":"<redacted:7>","nested":{"api_key":"<redacted:number:5>","ok":true},"list":[{"token":"<redacted:1>"}],"secret":"<redacted:object:7>","email":"<redacted:3>"}`},
		{"form body", whttp.Message{Header: []whttp.Field{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
			Body: []byte("user=bob&pwd=s3cret")}, nil, "", "user=bob&pwd=%3Credacted%3A6%3E"},
		{"card number and bearer in text", whttp.Message{Body: []byte("card 4111 1111 1111 1111 and 4111111111111112, auth Bearer abcdefgh1234 end")},
			nil, "", "card <redacted:19> and 4111111111111112, auth <redacted:19> end"},
		{"configured pattern", whttp.Message{Body: []byte("x tok-a1b2c3 y")}, nil, "", "x <redacted:10> y"},
		{"undecoded body replaced whole", whttp.Message{Body: []byte("compressed"), BodyEncoding: "br"}, nil, "", "<redacted:10>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.msg
			r.Message(&m)
			for i, w := range tc.wantHeader {
				if got := m.Header[i].Name + ": " + m.Header[i].Value; got != w {
					t.Errorf("header %d: %q, want %q", i, got, w)
				}
			}
			if tc.wantURL != "" && m.URL != tc.wantURL {
				t.Errorf("URL %q, want %q", m.URL, tc.wantURL)
			}
			if tc.wantBody != "" && string(m.Body) != tc.wantBody {
				t.Errorf("body %s\nwant %s", m.Body, tc.wantBody)
			}
		})
	}
}

func TestBadConfig(t *testing.T) {
	if _, err := New(&Config{Patterns: []string{"("}}); err == nil || !strings.Contains(err.Error(), `pattern 1 "("`) {
		t.Errorf("error %v, want it to name pattern 1", err)
	}
}

func TestLuhn(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{{"4111111111111111", true}, {"4111111111111112", false}, {"5500-0000-0000-0004", true}, {"1234", false}} {
		if got := luhn([]byte(tc.s)); got != tc.want {
			t.Errorf("luhn(%s) = %v", tc.s, got)
		}
	}
}

func FuzzJSONBody(f *testing.F) {
	r, _ := New(nil)
	f.Add([]byte(`{"password":"x","a":[1,{"token":{"b":2}}]}`))
	f.Add([]byte(`[{"secret":null}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, ok := r.jsonBody(b)
		if ok && strings.Contains(string(b), `"password":"hunter2"`) && strings.Contains(string(out), "hunter2") {
			t.Errorf("password kept: %s", out)
		}
	})
}

func TestHTTP2Fields(t *testing.T) {
	r, _ := New(nil)
	m := whttp.Message{URL: "/a?token=abc", Header: []whttp.Field{{Name: ":path", Value: "/a?token=abc"}, {Name: ":authority", Value: "x"}},
		Trailer: []whttp.Field{{Name: "x-auth-token", Value: "zz"}}}
	r.Message(&m)
	if m.Header[0].Value != "/a?token=%3Credacted%3A3%3E" || m.Header[1].Value != "x" || m.Trailer[0].Value != "<redacted:2>" {
		t.Errorf("HTTP/2 fields after redaction: %+v %+v", m.Header, m.Trailer)
	}
}
