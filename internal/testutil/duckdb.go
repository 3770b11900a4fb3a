package testutil

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// DuckDB runs each SQL statement with DuckDB through Node
// (scripts/node/query.mjs and the @duckdb/node-api package that
// scripts/test-deps.sh installs in scripts/node/node_modules) and returns,
// per statement, its rows as column name to value, every value as DuckDB's
// JSON rows give it (numbers, strings for BIGINT and timestamps, nil for
// NULL, []any for lists). It skips the test, saying what to install, when
// node or the package is missing, and fails it when a query fails.
func DuckDB(tb testing.TB, sql ...string) [][]map[string]any {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tb.Skipf("DuckDB checks need Node.js (node not in PATH: %v); install nodejs and run scripts/test-deps.sh", err)
	}
	dir := filepath.Join(RepoRoot(tb), "scripts", "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		tb.Skipf("DuckDB checks need @duckdb/node-api in scripts/node/node_modules (%v); run scripts/test-deps.sh", err)
	}
	cmd := exec.Command(node, append([]string{"query.mjs"}, sql...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("duckdb: %v\n%s\nqueries: %q", err, stderr.Bytes(), sql)
	}
	var res [][]map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		tb.Fatalf("duckdb: output is not JSON: %v\n%.500s", err, stdout.Bytes())
	}
	if len(res) != len(sql) {
		tb.Fatalf("duckdb: %d results for %d queries", len(res), len(sql))
	}
	return res
}

// SQLString quotes s as an SQL string literal (for file names in queries).
func SQLString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
