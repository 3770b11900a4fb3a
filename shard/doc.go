// Package shard splits a set of files between N independent runs of the
// same job, so that a batch scheduler (a Kubernetes Indexed Job, a Slurm
// job array, an AWS Batch array job) can spread one analysis over many
// machines without any coordination between them.
//
// The assignment is a pure function of the list of files (names and
// sizes) and N: every run that sees the same list computes the same
// split, so the N shards together process every file exactly once. Give
// every run the same list (the map an earlier 'wirekit map' wrote is the
// usual way: it fixes names and sizes), and runs with another N (a
// later job on more machines) also process each file once.
//
// Files are balanced by size, so that shards take about the same time:
// sorted by size, largest first (then by name), each goes to the shard
// with the fewest bytes so far (then the fewest files, then the lowest
// index). This is the classic greedy "longest processing time first"
// rule: no shard gets more than 4/3 of the best possible largest share.
//
// Parse reads the "I/N" spec of a --shard flag, and takes I (and N) from
// the scheduler's environment for "auto/N" and "auto" (see Parse).
// Partition names the hive-style folder ("shard=I") a shard's outputs go
// to, so that an engine reads the folder above as one table.
package shard
