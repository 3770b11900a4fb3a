//go:build !race

package tlsdecrypt

// raceEnabled is set when the tests run under the race detector (its
// sync.Pool drops items at random: allocation counts do not hold).
const raceEnabled = false
