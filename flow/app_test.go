package flow

import "testing"

// appSeeds are packets carrying application payloads, for the fuzz test.
func appSeeds(tb testing.TB) [][]byte {
	return nil
}
