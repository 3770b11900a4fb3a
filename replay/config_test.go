package replay

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"
)

// TestConfigErrorsNameTheField: values Run cannot honour are refused with
// a *ConfigError naming the Config field, before anything is sent. Before
// the fix NaN rates were ignored and rates whose schedule overflows a
// time.Duration wrapped to the past and played at top speed.
func TestConfigErrorsNameTheField(t *testing.T) {
	// Two packets 1 s apart, 60 bytes each.
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0}, {at: time.Second}}))
	for _, tc := range []struct {
		name  string
		cfg   Config
		field string
	}{
		{"NaN packet rate", Config{PPS: math.NaN()}, "PPS"},
		{"infinite packet rate", Config{PPS: math.Inf(1)}, "PPS"},
		{"NaN bit rate", Config{Mbps: math.NaN()}, "Mbps"},
		{"negative bit rate", Config{Mbps: -1}, "Mbps"},
		{"infinite modifier", Config{Modifier: math.Inf(1)}, "Modifier"},
		{"negative stats period", Config{StatsEvery: -time.Second}, "StatsEvery"},
		{"negative scale duration", Config{ScaleTo: -time.Second}, "ScaleTo"},
		{"modifier whose schedule overflows", Config{Modifier: 1e-300}, "Modifier"},
		{"modifier that overflows over loops", Config{Modifier: 1e-8, Loops: 1e9}, "Modifier"},
		{"packet rate whose schedule overflows", Config{PPS: 1e-300}, "PPS"},
		{"bit rate whose schedule overflows", Config{Mbps: 1e-300}, "Mbps"},
		{"scaled duration that overflows over loops", Config{ScaleTo: 100 * 365 * 24 * time.Hour, Loops: 4}, "ScaleTo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ce *ConfigError
			if err := tc.cfg.Validate(files); !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("Validate: %v, want a *ConfigError on %s", err, tc.field)
			}
			clk := &fakeClock{}
			sink := &recordSink{clock: clk}
			cfg := tc.cfg
			cfg.Clock = clk
			st, err := Run(context.Background(), files, sink, &cfg)
			if !errors.As(err, &ce) || ce.Field != tc.field || st.Sent != 0 || len(sink.got) != 0 {
				t.Fatalf("Run: %v after %d packets, want a *ConfigError on %s and nothing sent", err, st.Sent, tc.field)
			}
		})
	}
}

// TestDeadlineSaturates: a deadline beyond a time.Duration waits (until
// cancelled) instead of wrapping negative and sending at once, as later
// loops of an endless replay at a tiny modifier would.
func TestDeadlineSaturates(t *testing.T) {
	for _, ns := range []float64{maxSchedule, 1e19, 1e300, math.Inf(1)} {
		if d := durationOf(ns); d != math.MaxInt64 {
			t.Errorf("durationOf(%g) = %d, want the largest Duration", ns, d)
		}
	}
	if d := addDuration(time.Second, math.MaxInt64); d != math.MaxInt64 {
		t.Errorf("addDuration wrapped to %d", d)
	}
	r := &runner{cfg: Config{Modifier: 1e-12}, modifier: 1e-12, origin: time.Second, shift: int64(time.Hour)}
	if d := r.deadline(0, 60); d != math.MaxInt64 {
		t.Errorf("deadline an hour of capture away at modifier 1e-12: %d, want the largest Duration", d)
	}
}
