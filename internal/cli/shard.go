package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/shard"
)

// shardFlags is --shard (and, on the commands that read a set, --input-map).
type shardFlags struct {
	spec     string
	inputMap string
	s        shard.Spec
	on       bool
}

// addShardFlags adds --shard; withMap adds --input-map too.
func addShardFlags(fl *pflag.FlagSet, sf *shardFlags, withMap bool) {
	fl.StringVar(&sf.spec, "shard", "", "process shard I of N of the input files (I from 0; auto/N or auto take I from JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX); file outputs become folders holding shard=I/part.EXT (see docs/shards.md)")
	if withMap {
		fl.StringVar(&sf.inputMap, "input-map", "", "take the input files and their sizes from this map ('wirekit map --dump-json'), so that every shard of a job splits the same list")
	}
}

// parse reads --shard (usage error naming the flag).
func (sf *shardFlags) parse(cmd string) error {
	if sf.spec == "" {
		return nil
	}
	s, err := shard.Parse(sf.spec, os.Getenv)
	if err != nil {
		return usagef("%s: --shard %w", cmd, err)
	}
	sf.s, sf.on = s, true
	return nil
}

// mapInputs returns the files of --input-map, or nil when it is not given.
func (sf *shardFlags) mapInputs(ctx context.Context, e *env) ([]inputFile, error) {
	if sf.inputMap == "" {
		return nil, nil
	}
	set, err := e.loadMap(ctx, sf.inputMap)
	if err != nil {
		return nil, fmt.Errorf("--input-map: %w", err)
	}
	if len(set.Files) == 0 {
		return nil, fmt.Errorf("--input-map %s: the map lists no files: %w", sf.inputMap, dataset.ErrNoFiles)
	}
	out := make([]inputFile, len(set.Files))
	for i, f := range set.Files {
		out[i] = inputFile{f.Path, f.FileSize}
	}
	return out, nil
}

// pick returns the names of the shard's files (all of them when not
// sharded), in the order given.
func (sf *shardFlags) pick(files []inputFile) []string {
	if !sf.on {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.name
		}
		return names
	}
	items := make([]shard.Item, len(files))
	for i, f := range files {
		items[i] = shard.Item{Name: f.name, Size: f.size}
	}
	var names []string
	for _, k := range sf.s.Pick(items) {
		names = append(names, files[k].name)
	}
	return names
}

// output returns where an output named by flag goes: out itself when not
// sharded; when sharded, out is a folder (local or URL) and the output is
// out/shard=I/part, refused (usage error naming the flag) when that
// partition already holds anything. "-" (standard output) stays "-".
func (sf *shardFlags) output(ctx context.Context, e *env, cmd, flag, out, part string) (string, error) {
	if !sf.on || out == "" || out == "-" {
		return out, nil
	}
	dir := blobio.Join(out, sf.s.Partition())
	if blobio.IsURL(out) {
		objs, err := e.store().List(ctx, dir)
		if err != nil && !errors.Is(err, blobio.ErrNotFound) {
			return "", fmt.Errorf("%s: %s: %w", cmd, flag, err)
		}
		if len(objs) > 0 {
			return "", usagef("%s: %s %s: the partition %s already holds %d objects (%s...): a shard writes its partition once; remove it or write to another folder", cmd, flag, out, dir, len(objs), objs[0].Key)
		}
	} else {
		if st, err := os.Stat(out); err == nil && !st.IsDir() {
			return "", usagef("%s: %s %s: with --shard this names a folder (the output goes to %s), and it is a file", cmd, flag, out, blobio.Join(dir, part))
		}
		if _, err := os.Lstat(dir); err == nil {
			return "", usagef("%s: %s %s: the partition %s already exists: a shard writes its partition once; remove it or write to another folder", cmd, flag, out, dir)
		}
	}
	return blobio.Join(dir, part), nil
}

// loadMap reads a map from a local path or a URL.
func (e *env) loadMap(ctx context.Context, name string) (*dataset.Set, error) {
	if !blobio.IsURL(name) {
		return dataset.Load(name)
	}
	r, err := e.store().Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data := make([]byte, r.Size())
	if _, err := readFull(r, data); err != nil {
		return nil, fmt.Errorf("reading map %s: %w", name, err)
	}
	return dataset.Parse(data, name)
}

// noFilesNote says a shard has nothing to do (more shards than files).
func (sf *shardFlags) noFilesNote(e *env, cmd string, total int) {
	fmt.Fprintf(e.stderr, "wirekit: %s: shard %s has none of the %d input files (more shards than files, or the others are larger); nothing to do\n", cmd, sf.s, total)
}

// files applies --shard and --input-map to the -r inputs: with either,
// each -r may be a folder (local, searched recursively for capture file
// names, or a URL prefix) and the shard's part of the files is returned.
// ok is false when the shard has no file (a note says so).
func (sf *shardFlags) files(ctx context.Context, e *env, cmd string, files, ifaces []string) (_ []string, ok bool, _ error) {
	if !sf.on && sf.inputMap == "" {
		return files, true, nil
	}
	if len(ifaces) > 0 {
		return nil, false, usagef("%s: --shard and --input-map split sets of files; they do not apply to -i", cmd)
	}
	if sf.inputMap != "" && len(files) > 0 {
		return nil, false, usagef("%s: give the inputs either with --input-map or with -r, not both", cmd)
	}
	list, err := sf.mapInputs(ctx, e)
	if err == nil && list == nil {
		for _, f := range files {
			if f == "-" {
				return nil, false, usagef("%s: --shard splits files: standard input (-r -) cannot be split", cmd)
			}
		}
		list, err = e.expandInputs(ctx, files, captureName.MatchString)
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", cmd, err)
	}
	picked := sf.pick(list)
	if len(picked) == 0 {
		sf.noFilesNote(e, cmd, len(list))
		return nil, false, nil
	}
	return picked, true, nil
}

// tableOutput is output for a Parquet table (part.parquet): with --shard
// on a local path, the partition's folder is made, as createOutput makes
// it for the other outputs.
func (sf *shardFlags) tableOutput(ctx context.Context, e *env, cmd, flag, out string) (string, error) {
	name, err := sf.output(ctx, e, cmd, flag, out, "part.parquet")
	if err != nil || !sf.on || name == "" || blobio.IsURL(name) {
		return name, err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return "", fmt.Errorf("%s: %s %s: %w", cmd, flag, name, err)
	}
	return name, nil
}
