package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/setgen"
	"github.com/wirekit/wirekit/report"
)

// chromium returns the path of Chromium, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Skip("chromium not installed (scripts/test-deps.sh installs it): the page is not checked in a browser")
	return ""
}

// buildPage writes a generated multi-file set, its report and its page.
func buildPage(t *testing.T, dir string, cfg setgen.Config) (*setgen.Truth, *report.Report, string) {
	t.Helper()
	cfg.Dir = filepath.Join(dir, "set")
	tr, err := setgen.Write(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range tr.Files {
		paths = append(paths, f.Path)
	}
	set, err := dataset.Scan(context.Background(), paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), set, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return tr, r, page
}

// TestPageInChromium opens the page of a generated set in headless
// Chromium: no console error or exception, every chart drew its series,
// zoom by dragging changes every chart's time range, and a screenshot is
// saved under the test's temporary directory.
func TestPageInChromium(t *testing.T) {
	exe := chromium(t)
	dir := t.TempDir()
	tr, r, page := buildPage(t, dir, setgen.Config{Workers: 4, Files: 5, FileSpan: time.Minute, Packets: 1500, HTTP: 30, Offset: 4 * time.Second, Seed: 5,
		Holes: []setgen.Edit{{Worker: 1, File: 2, By: 15 * time.Second}}, Missing: []setgen.Edit{{Worker: 3, File: 3}},
		Overlaps: []setgen.Edit{{Worker: 2, File: 1, By: 5 * time.Second}}})

	ctx, cancel := startChromium(t, exe)
	defer cancel()
	// The console is read from before the page loads.
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 60*time.Second)
		defer scancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			t.Fatalf("chromium: %s: %v", what, err)
		}
	}
	eval := func(expr string, v any) {
		t.Helper()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
		if err != nil {
			t.Fatalf("chromium: %s: %v", expr, err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("chromium: %s: %v", expr, err)
		}
	}

	type counts struct {
		Files, Gaps, Overlaps, Lanes                int
		PPS, BPS, TCP, HTTP                         int
		EmptyPaths                                  int
		Protocols, Talkers, Conversations, Endpoint int
		Fetches                                     int
	}
	var got counts
	var zoomed, labelBefore, labelAfter string
	var bbox struct{ W, H float64 }
	step("load the page", chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.ID("http")))
	eval(`(() => {
			const q = s => document.querySelectorAll(s).length;
			let empty = 0;
			document.querySelectorAll("path.series").forEach(p => { const b = p.getBBox(); if (!p.getAttribute("d") || b.width <= 0) empty++; });
			return {Files: q(".timeline rect.file"), Gaps: q(".timeline rect.gap"), Overlaps: q(".timeline rect.overlap"), Lanes: q(".timeline .series-group"),
				PPS: q("#pps path.series"), BPS: q("#bps path.series"), TCP: q("#tcphealth path.series"), HTTP: q("#httpstatus path.series"),
				EmptyPaths: empty, Protocols: q("tr.proto"), Talkers: q("tr.talker"), Conversations: q("tr.conversation"), Endpoint: q("tr.endpoint"),
				Fetches: performance.getEntriesByType("resource").length};
		})()`, &got)
	eval(`(() => { const b = document.querySelector("#pps svg.plot").getBoundingClientRect(); return {W: b.width, H: b.height}; })()`, &bbox)
	eval(`document.querySelector("#bps .xaxis text").textContent`, &labelBefore)
	// Drag across the middle of the packets chart: every chart zooms.
	step("scroll", chromedp.ScrollIntoView(chromedp.ID("pps")))
	var box struct{ X, Y, W, H float64 }
	eval(`(() => { const b = document.querySelector("#pps .overlay").getBoundingClientRect(); return {X: b.x, Y: b.y, W: b.width, H: b.height}; })()`, &box)
	y := box.Y + box.H/2
	left := chromedp.ButtonType(input.MouseButtonLeft)
	step("drag on the chart",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box.X+box.W*0.3, y),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, box.X+box.W*0.3, y, left),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box.X+box.W*0.5, y, left),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, box.X+box.W*0.6, y, left))
	eval(`document.querySelector("#tcphealth svg.plot").getAttribute("viewBox")`, &zoomed)
	eval(`document.querySelector("#bps .xaxis text").textContent`, &labelAfter)
	eval(`(window.wirekitZoom(0, 1e9), true)`, new(bool))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	shotPath := filepath.Join(dir, "report.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shotPath, len(shot))
	time.Sleep(200 * time.Millisecond) // let the last console messages arrive
	cancel()
	<-done

	mu.Lock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	mu.Unlock()
	gaps, overlaps := 0, 0
	for _, s := range r.Timeline.Series {
		gaps += len(s.Gaps)
		overlaps += len(s.Overlaps)
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"timeline files", got.Files, len(tr.Files)},
		{"timeline series", got.Lanes, 4},
		{"timeline gaps", got.Gaps, len(tr.Gaps)},
		{"timeline overlaps", got.Overlaps, len(tr.Overlaps)},
		{"gaps drawn as found", got.Gaps, gaps},
		{"overlaps drawn as found", got.Overlaps, overlaps},
		{"talkers", got.Talkers, min(report.DefaultTop, len(r.Talkers))},
		{"conversations", got.Conversations, min(report.DefaultTop, len(r.Conversations))},
		{"tcp health series", got.TCP, 4},
		{"resources fetched", got.Fetches, 0},
		{"empty series paths", got.EmptyPaths, 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d in the page, want %d", c.name, c.got, c.want)
		}
	}
	atLeast := []struct {
		name      string
		got, want int
	}{
		{"packets/s series (http, dns, tcp, icmp, arp at least)", got.PPS, 5},
		{"bits/s series", got.BPS, 5},
		{"http status class series (2xx, 3xx, 4xx, 5xx)", got.HTTP, 4},
		{"protocol hierarchy rows", got.Protocols, 10},
		{"http endpoints", got.Endpoint, 5},
	}
	for _, c := range atLeast {
		if c.got < c.want {
			t.Errorf("%s: %d drawn, want at least %d", c.name, c.got, c.want)
		}
	}
	if bbox.W < 500 || bbox.H < 100 {
		t.Errorf("packets chart drawn %vx%v px, want at least 500x100", bbox.W, bbox.H)
	}
	var a, w float64
	if _, err := fmt.Sscanf(zoomed, "%g 0 %g 100", &a, &w); err != nil || a <= 0 || w >= float64(len(r.TCP.Resets)) {
		t.Errorf("after dragging on the packets chart the TCP chart's viewBox is %q: want a zoomed range", zoomed)
	}
	if labelBefore == labelAfter {
		t.Errorf("time axis label %q did not change with the zoom", labelAfter)
	}
	if len(shot) < 10000 {
		t.Errorf("screenshot of %d bytes", len(shot))
	}
}

// startChromium starts a headless Chromium and returns a chromedp context
// whose browser runs, trying up to three times on a loaded machine. A
// context whose start failed is never used again: chromedp would start a
// second browser on it and panic when both stop.
func startChromium(t *testing.T, exe string) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900))
	var errs []error
	for attempt := 1; attempt <= 3; attempt++ {
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		err := chromedp.Do(ctx)
		if err == nil {
			return ctx, func() { cancel(); acancel() }
		}
		cancel()
		acancel()
		errs = append(errs, fmt.Errorf("attempt %d: %w", attempt, err))
		t.Logf("chromium %s did not start (attempt %d): %v", exe, attempt, err)
	}
	t.Fatalf("chromium %s did not start: %v", exe, errors.Join(errs...))
	return nil, nil
}
