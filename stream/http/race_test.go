//go:build race

package http_test

// raceEnabled is set when the tests run under the race detector (its
// sync.Pool drops items at random: allocation counts do not hold).
const raceEnabled = true
