package shard

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		spec string
		env  map[string]string
		want Spec
	}{
		{"plain first shard", "0/4", nil, Spec{0, 4}},
		{"plain last shard", "3/4", nil, Spec{3, 4}},
		{"one shard", "0/1", nil, Spec{0, 1}},
		{"spaces around", " 2/5 ", nil, Spec{2, 5}},
		{"kubernetes index", "auto/8", map[string]string{EnvKubernetes: "5"}, Spec{5, 8}},
		{"aws batch index", "auto/3", map[string]string{EnvAWSBatch: "2"}, Spec{2, 3}},
		{"slurm count from env", "auto", map[string]string{EnvSlurmID: "3", EnvSlurmCount: "4"}, Spec{3, 4}},
		{"slurm array from 1", "auto", map[string]string{EnvSlurmID: "4", EnvSlurmMin: "1", EnvSlurmCount: "4"}, Spec{3, 4}},
		{"slurm array with step", "auto/4", map[string]string{EnvSlurmID: "12", EnvSlurmMin: "0", EnvSlurmStep: "4", EnvSlurmCount: "4"}, Spec{3, 4}},
		{"slurm without count, N given", "auto/6", map[string]string{EnvSlurmID: "5"}, Spec{5, 6}},
		{"kubernetes before slurm", "auto/2", map[string]string{EnvKubernetes: "1", EnvSlurmID: "0", EnvSlurmCount: "2"}, Spec{1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.spec, env(tc.env))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.spec, err)
			}
			if got != tc.want {
				t.Fatalf("Parse(%q) = %v, want %v", tc.spec, got, tc.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name string
		spec string
		env  map[string]string
	}{
		{"index past count", "5/4", nil},
		{"index equal to count", "4/4", nil},
		{"zero shards", "0/0", nil},
		{"negative index", "-1/3", nil},
		{"negative count", "0/-2", nil},
		{"letters", "a/b", nil},
		{"index not a number", "x/3", nil},
		{"no slash", "3", nil},
		{"empty", "", nil},
		{"auto with nothing set", "auto/4", nil},
		{"auto alone under kubernetes", "auto", map[string]string{EnvKubernetes: "1"}},
		{"auto alone, slurm without count", "auto", map[string]string{EnvSlurmID: "1"}},
		{"kubernetes index past count", "auto/2", map[string]string{EnvKubernetes: "2"}},
		{"kubernetes index not a number", "auto/2", map[string]string{EnvKubernetes: "one"}},
		{"slurm count disagrees with spec", "auto/4", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "8"}},
		{"slurm id off the step", "auto", map[string]string{EnvSlurmID: "3", EnvSlurmStep: "2", EnvSlurmCount: "4"}},
		{"slurm id below min", "auto", map[string]string{EnvSlurmID: "0", EnvSlurmMin: "1", EnvSlurmCount: "4"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.spec, env(tc.env))
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tc.spec, got)
			}
			if !errors.Is(err, ErrBadSpec) {
				t.Fatalf("Parse(%q): %v does not wrap ErrBadSpec", tc.spec, err)
			}
		})
	}
}

// randomItems makes n files of sizes spread over three orders of
// magnitude, some equal, some empty.
func randomItems(rng *rand.Rand, n int) []Item {
	items := make([]Item, n)
	for k := range items {
		size := rng.Int64N(1 << 30)
		switch k % 7 {
		case 3:
			size = 0
		case 5:
			size = 1 << 20
		}
		items[k] = Item{Name: fmt.Sprintf("cap-%04d.pcap", rng.IntN(10000)), Size: size}
	}
	return items
}

// Every file goes to exactly one shard, for every N, and the split does
// not depend on the order the files were listed in.
func TestAssignCoversOnceAndIgnoresOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 4, 7, 16, 64} {
		for _, files := range []int{0, 1, 5, 100, 1000} {
			t.Run(fmt.Sprintf("%d files in %d shards", files, n), func(t *testing.T) {
				items := randomItems(rng, files)
				seen := make([]int, files)
				for i := range n {
					for _, k := range (Spec{i, n}).Pick(items) {
						seen[k]++
					}
				}
				for k, c := range seen {
					if c != 1 {
						t.Fatalf("file %d (%s) is in %d shards, want 1", k, items[k].Name, c)
					}
				}
				// The same files listed in another order land in
				// the same shards.
				a := Assign(items, n)
				perm := rng.Perm(files)
				shuffled := make([]Item, files)
				for to, from := range perm {
					shuffled[to] = items[from]
				}
				b := Assign(shuffled, n)
				for to, from := range perm {
					if b[to] != a[from] && !sameItem(items, from) {
						t.Fatalf("file %s: shard %d listed one way, %d another", items[from].Name, a[from], b[to])
					}
				}
			})
		}
	}
}

// sameItem reports whether another item has the same name and size as
// items[k] (two such items may swap shards between orders).
func sameItem(items []Item, k int) bool {
	for j, it := range items {
		if j != k && it == items[k] {
			return true
		}
	}
	return false
}

// The largest shard holds at most 4/3 of the ideal share plus one file
// (the greedy bound), and empty files are spread, not piled on shard 0.
func TestAssignBalances(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{2, 4, 8} {
		t.Run(fmt.Sprintf("%d shards", n), func(t *testing.T) {
			items := randomItems(rng, 400)
			load := make([]int64, n)
			var total, largest int64
			for k, s := range Assign(items, n) {
				load[s] += items[k].Size
				total += items[k].Size
				largest = max(largest, items[k].Size)
			}
			ideal := max(total/int64(n), largest)
			if m := slices.Max(load); float64(m) > float64(ideal)*4/3 {
				t.Fatalf("largest shard %d bytes, ideal %d: loads %v", m, ideal, load)
			}
		})
	}
	t.Run("empty files", func(t *testing.T) {
		items := make([]Item, 8)
		for k := range items {
			items[k] = Item{Name: fmt.Sprintf("e%d", k)}
		}
		count := make([]int, 4)
		for _, s := range Assign(items, 4) {
			count[s]++
		}
		if !slices.Equal(count, []int{2, 2, 2, 2}) {
			t.Fatalf("8 empty files in 4 shards: %v per shard, want 2 each", count)
		}
	})
}

// The rule is the documented one: largest first, to the least loaded.
func TestAssignRule(t *testing.T) {
	items := []Item{{"a", 10}, {"b", 70}, {"c", 40}, {"d", 40}, {"e", 5}}
	// b(70) to 0; c(40) to 1; d(40) to 1 (40 < 70); a(10) to 0 (70 < 80);
	// e(5): 80 bytes and 2 files each, so the lowest index, 0.
	got := Assign(items, 2)
	want := []int{0, 0, 1, 1, 0}
	if !slices.Equal(got, want) {
		t.Fatalf("Assign = %v, want %v", got, want)
	}
}

func TestPartition(t *testing.T) {
	if got := (Spec{3, 8}).Partition(); got != "shard=3" {
		t.Fatalf("Partition = %q, want shard=3", got)
	}
}

// ByName puts every name in one shard in [0, n), the same one every time,
// and spreads many names about evenly.
func TestByName(t *testing.T) {
	for _, n := range []int{1, 3, 8} {
		count := make([]int, n)
		for k := range 8000 {
			name := fmt.Sprintf("set/day-%d/cap-%05d.pcap", k%3, k)
			s := ByName(name, n)
			if s < 0 || s >= n || ByName(name, n) != s {
				t.Fatalf("ByName(%q, %d) = %d, not a stable shard in range", name, n, s)
			}
			count[s]++
		}
		for s, c := range count {
			if want := 8000 / n; c < want*9/10 || c > want*11/10 {
				t.Fatalf("%d shards: shard %d got %d names, want about %d", n, s, c, want)
			}
		}
	}
}
