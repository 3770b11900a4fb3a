package shard

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrBadSpec is wrapped by Parse's errors.
var ErrBadSpec = errors.New("bad shard spec")

// Spec is one shard of a job: Index in [0, Count).
type Spec struct {
	Index, Count int
}

// String is the spec as Parse reads it, "I/N".
func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Partition is the hive-style folder name of the shard's outputs,
// "shard=I".
func (s Spec) Partition() string { return "shard=" + strconv.Itoa(s.Index) }

// Environment variables that Parse reads for "auto".
const (
	// EnvKubernetes is set by a Kubernetes Indexed Job in each pod: its
	// completion index, from 0. The count (spec.completions) is not in
	// the environment: give it as auto/N.
	EnvKubernetes = "JOB_COMPLETION_INDEX"
	// EnvSlurmID, EnvSlurmMin, EnvSlurmStep and EnvSlurmCount are set by
	// a Slurm job array (sbatch --array=MIN-MAX[:STEP]).
	EnvSlurmID    = "SLURM_ARRAY_TASK_ID"
	EnvSlurmMin   = "SLURM_ARRAY_TASK_MIN"
	EnvSlurmStep  = "SLURM_ARRAY_TASK_STEP"
	EnvSlurmCount = "SLURM_ARRAY_TASK_COUNT"
	// EnvAWSBatch is set by an AWS Batch array job in each child: its
	// index, from 0. The array size is not in the environment: give it
	// as auto/N.
	EnvAWSBatch = "AWS_BATCH_JOB_ARRAY_INDEX"
)

// Parse reads a shard spec:
//
//   - "I/N": shard I (from 0) of N.
//   - "auto/N": I from the scheduler's environment: JOB_COMPLETION_INDEX
//     (Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID less
//     SLURM_ARRAY_TASK_MIN, divided by SLURM_ARRAY_TASK_STEP (Slurm job
//     array), or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), the
//     first one set in that order. Slurm's SLURM_ARRAY_TASK_COUNT, when
//     set, must equal N.
//   - "auto": the same, N from SLURM_ARRAY_TASK_COUNT (the only
//     scheduler of the three that sets it).
//
// getenv looks variables up (os.Getenv; tests pass their own). Errors
// wrap ErrBadSpec and say what is wrong: not two numbers, N below 1, I
// outside [0, N), no scheduler variable set for auto, a variable that is
// not a number.
func Parse(spec string, getenv func(string) string) (Spec, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if is == "auto" && !ok {
		return fromEnv(spec, 0, getenv)
	}
	if !ok {
		return Spec{}, fmt.Errorf("%q: %w: give I/N (shard I of N, I from 0), auto/N or auto", spec, ErrBadSpec)
	}
	n, err := strconv.Atoi(ns)
	if err != nil {
		return Spec{}, fmt.Errorf("%q: %w: the count %q is not a number (give I/N, I from 0)", spec, ErrBadSpec, ns)
	}
	if n < 1 {
		return Spec{}, fmt.Errorf("%q: %w: the count must be 1 or more", spec, ErrBadSpec)
	}
	if is == "auto" {
		return fromEnv(spec, n, getenv)
	}
	i, err := strconv.Atoi(is)
	if err != nil {
		return Spec{}, fmt.Errorf("%q: %w: the index %q is not a number or auto (give I/N, I from 0)", spec, ErrBadSpec, is)
	}
	return check(spec, Spec{Index: i, Count: n})
}

func check(spec string, s Spec) (Spec, error) {
	if s.Index < 0 || s.Index >= s.Count {
		return Spec{}, fmt.Errorf("%q: %w: the index %d is outside 0..%d (shards are numbered from 0 to N-1)", spec, ErrBadSpec, s.Index, s.Count-1)
	}
	return s, nil
}

// fromEnv finds the index (and the count when n is 0) in the environment.
func fromEnv(spec string, n int, getenv func(string) string) (Spec, error) {
	num := func(name string, def int) (int, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def, nil
		}
		x, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%q: %w: %s=%q is not a number", spec, ErrBadSpec, name, v)
		}
		return x, nil
	}
	if getenv(EnvKubernetes) != "" || getenv(EnvAWSBatch) != "" {
		name := EnvKubernetes
		if getenv(name) == "" {
			name = EnvAWSBatch
		}
		if n == 0 {
			return Spec{}, fmt.Errorf("%q: %w: %s gives the index but not the count: give auto/N", spec, ErrBadSpec, name)
		}
		i, err := num(name, 0)
		if err != nil {
			return Spec{}, err
		}
		return check(spec, Spec{Index: i, Count: n})
	}
	if getenv(EnvSlurmID) != "" {
		id, err := num(EnvSlurmID, 0)
		if err != nil {
			return Spec{}, err
		}
		lo, err := num(EnvSlurmMin, 0)
		if err != nil {
			return Spec{}, err
		}
		step, err := num(EnvSlurmStep, 1)
		if err != nil {
			return Spec{}, err
		}
		count, err := num(EnvSlurmCount, 0)
		if err != nil {
			return Spec{}, err
		}
		if step < 1 {
			return Spec{}, fmt.Errorf("%q: %w: %s=%d must be 1 or more", spec, ErrBadSpec, EnvSlurmStep, step)
		}
		switch {
		case n == 0 && count == 0:
			return Spec{}, fmt.Errorf("%q: %w: %s is set but not %s: give auto/N", spec, ErrBadSpec, EnvSlurmID, EnvSlurmCount)
		case n == 0:
			n = count
		case count != 0 && count != n:
			return Spec{}, fmt.Errorf("%q: %w: %s=%d but the spec says %d shards: the array and the spec must agree", spec, ErrBadSpec, EnvSlurmCount, count, n)
		}
		if (id-lo)%step != 0 {
			return Spec{}, fmt.Errorf("%q: %w: %s=%d is not %s=%d plus a multiple of %s=%d", spec, ErrBadSpec, EnvSlurmID, id, EnvSlurmMin, lo, EnvSlurmStep, step)
		}
		return check(spec, Spec{Index: (id - lo) / step, Count: n})
	}
	return Spec{}, fmt.Errorf("%q: %w: none of %s, %s or %s is set: run under a scheduler that sets one, or give I/N", spec, ErrBadSpec, EnvKubernetes, EnvSlurmID, EnvAWSBatch)
}

// Item is one file of the set: its name (path or URL) and size in bytes.
type Item struct {
	Name string
	Size int64
}

// Assign returns the shard of each item (out[k] for items[k]) when the
// set is split n ways by the package's rule: largest first (ties by name,
// then by position), each to the shard with the fewest bytes, then the
// fewest files, then the lowest index. The result depends only on the
// items and n, not on their order. n below 1 is taken as 1.
func Assign(items []Item, n int) []int {
	n = max(n, 1)
	order := make([]int, len(items))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(items[b].Size, items[a].Size); c != 0 {
			return c
		}
		return strings.Compare(items[a].Name, items[b].Name)
	})
	bytes := make([]int64, n)
	files := make([]int, n)
	out := make([]int, len(items))
	for _, k := range order {
		best := 0
		for s := 1; s < n; s++ {
			if bytes[s] < bytes[best] || (bytes[s] == bytes[best] && files[s] < files[best]) {
				best = s
			}
		}
		out[k] = best
		bytes[best] += max(items[k].Size, 0)
		files[best]++
	}
	return out
}

// Pick returns the positions in items of the shard's items, in the order
// of items.
func (s Spec) Pick(items []Item) []int {
	var out []int
	for k, sh := range Assign(items, s.Count) {
		if sh == s.Index {
			out = append(out, k)
		}
	}
	return out
}

// ByName returns the shard, of n, of a name by a hash of it (64-bit
// FNV-1a, its bits then mixed by SplitMix64's finalizer, since FNV's low
// bits vary little between similar names): for streams such as a tarball, whose members are not known (nor
// their sizes) before the stream has been read to its end. Every shard
// then reads the whole stream and keeps about 1/n of the members; the
// split does not depend on the other names, so it too is the same in
// every run. n below 1 is taken as 1.
func ByName(name string, n int) int {
	n = max(n, 1)
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return int(h % uint64(n))
}
