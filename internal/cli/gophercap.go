package cli

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/wirekit/wirekit/internal/safefile"
)

// gopherCapDumpJSON is where GopherCap's map writes its map and its replay
// reads it when --dump-json is not given (the default of its global
// --dump-json flag). A variable so that tests can move it.
var gopherCapDumpJSON = "/tmp/mapped-files.json"

// configKey maps one key of GopherCap's configuration file (the viper key
// its cmd/ binds to a flag) onto a wirekit flag of the commands that use it.
type configKey struct {
	key  string   // dotted path in the YAML, as GopherCap's configs/gophercap.yml
	cmds []string // wirekit commands the key applies to (by cobra name)
	flag string   // wirekit flag the value goes to
	// unless lists flags that, given on the command line, make the key
	// not apply (a config's out.interface is not a second output when -w
	// or --null chooses one).
	unless []string
	// def is what exampleConfig writes when the flag has no default of
	// its own in wirekit (GopherCap's default), "" to write wirekit's.
	def string
}

// gopherCapKeys is GopherCap's configuration layout (its cmd/*.go
// viper.BindPFlag calls, master after 0.3.2), in the order exampleConfig
// writes it, plus replay.out.file and replay.out.discard for wirekit's other
// outputs. Keys of commands wirekit does not have (yet) are known, so that
// a GopherCap file loads, and ignored.
var gopherCapKeys = []configKey{
	{key: "global.dump.json", cmds: []string{"map", "replay"}, flag: "dump-json"},
	{key: "global.file.regexp", cmds: []string{"map", "replay", "tar-extract"}, flag: "file-regexp"},
	{key: "map.dir.src", cmds: []string{"map"}, flag: "dir-src"},
	{key: "map.file.suffix", cmds: []string{"map"}, flag: "file-suffix"},
	{key: "map.file.workers", cmds: []string{"map"}, flag: "file-workers"},
	{key: "replay.disable_wait", cmds: []string{"replay"}, flag: "wait-disable"},
	{key: "replay.loop.count", cmds: []string{"replay"}, flag: "loop-count"},
	{key: "replay.loop.infinite", cmds: []string{"replay"}, flag: "loop-infinite"},
	{key: "replay.out.bpf", cmds: []string{"replay"}, flag: "out-bpf"},
	{key: "replay.out.interface", cmds: []string{"replay"}, flag: "out-interface", unless: []string{"write", "null"}},
	{key: "replay.out.file", cmds: []string{"replay"}, flag: "write", unless: []string{"out-interface", "null"}},
	{key: "replay.out.discard", cmds: []string{"replay"}, flag: "null", unless: []string{"out-interface", "write"}},
	{key: "replay.reorder.enabled", cmds: []string{"replay"}, flag: "reorder"},
	{key: "replay.skip.mtu", cmds: []string{"replay"}, flag: "skip-mtu"},
	{key: "replay.skip.out_of_order", cmds: []string{"replay"}, flag: "skip-ooo"},
	{key: "replay.time.from", cmds: []string{"replay"}, flag: "time-from"},
	{key: "replay.time.modifier", cmds: []string{"replay"}, flag: "time-modifier"},
	{key: "replay.time.scale.duration", cmds: []string{"replay"}, flag: "time-scale-duration", def: "1h0m0s"},
	{key: "replay.time.scale.enabled", cmds: []string{"replay"}, flag: "time-scale-enabled"},
	{key: "replay.time.to", cmds: []string{"replay"}, flag: "time-to"},
	{key: "tarball.dryrun", cmds: []string{"tar-extract"}, flag: "dryrun"},
	{key: "tarball.in.file", cmds: []string{"tar-extract"}, flag: "in-tarball"},
	{key: "tarball.out.dir", cmds: []string{"tar-extract"}, flag: "out-dir"},
	{key: "tarball.out.gzip", cmds: []string{"tar-extract"}, flag: "out-gzip"},
	// GopherCap's later commands: applied when wirekit's command of that
	// name has the flag.
	{key: "filter.yaml", cmds: []string{"filter"}, flag: "yaml"},
	{key: "filter.workers", cmds: []string{"filter"}, flag: "workers"},
	{key: "filter.input", cmds: []string{"filter"}, flag: "input"},
	{key: "filter.output", cmds: []string{"filter"}, flag: "output"},
	{key: "filter.decap.enabled", cmds: []string{"filter"}, flag: "decap"},
	{key: "filter.decap.depth", cmds: []string{"filter"}, flag: "decap-depth"},
	{key: "filter.compress", cmds: []string{"filter"}, flag: "compress"},
	{key: "filter.dedup", cmds: []string{"filter"}, flag: "dedup"},
	{key: "filter.maxmind.asn", cmds: []string{"filter"}, flag: "maxmind-asn"},
	{key: "filter.suffix", cmds: []string{"filter"}, flag: "suffix"},
	{key: "extract.event", cmds: []string{"extract"}, flag: "event"},
	{key: "extract.dump.pcap", cmds: []string{"extract"}, flag: "dump-pcap"},
	{key: "extract.skip.bpf", cmds: []string{"extract"}, flag: "skip-bpf"},
	{key: "extract.file.format", cmds: []string{"extract"}, flag: "file-format"},
	{key: "eve2filter.path.eve", cmds: []string{"eve2filter"}, flag: "path-eve"},
	{key: "eve2filter.path.filter", cmds: []string{"eve2filter"}, flag: "path-filter"},
}

// readConfig reads a GopherCap-layout YAML file into its dotted keys
// (lower-cased, as viper does) and their values as flag text. It fails on
// a file that cannot be read, YAML that does not parse (the error has the
// line), a list where a value belongs, and keys GopherCap does not have.
func readConfig(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root map[string]any
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("not GopherCap's YAML layout: %w", err)
	}
	known := make(map[string]bool, len(gopherCapKeys))
	for _, k := range gopherCapKeys {
		known[k.key] = true
	}
	out := map[string]string{}
	var unknown []string
	var walk func(prefix string, v any) error
	walk = func(prefix string, v any) error {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				key := strings.ToLower(k)
				if prefix != "" {
					key = prefix + "." + key
				}
				if err := walk(key, sub); err != nil {
					return err
				}
			}
		case nil:
			// An empty key: the flag keeps its default.
		case []any:
			return fmt.Errorf("key %s: a list where a single value belongs", prefix)
		default:
			if !known[prefix] {
				unknown = append(unknown, prefix)
				return nil
			}
			out[prefix] = fmt.Sprint(v)
		}
		return nil
	}
	if err := walk("", root); err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown key(s) %s: 'wirekit exampleConfig' prints every key wirekit reads", strings.Join(unknown, ", "))
	}
	return out, nil
}

// applyConfig sets the flags of cmd from the config file at path, for the
// keys that apply to cmd and whose flag was not given on the command line
// (the command line wins). Values are set without marking the flag as
// given, so a config's defaults (GopherCap's example file has them all)
// do not count as choices: a scale duration with scaling off, for one.
// Errors are usage errors naming the file, the key and the flag.
func applyConfig(cmd *cobra.Command, args []string, path string) error {
	vals, err := readConfig(path)
	if err != nil {
		return usagef("--config %s: %v", path, err)
	}
	flags := cmd.Flags()
	for _, k := range gopherCapKeys {
		v, ok := vals[k.key]
		if !ok || !appliesTo(k, cmd.Name()) {
			continue
		}
		f := flags.Lookup(k.flag)
		if f == nil || f.Changed || anyChanged(flags, k.unless) {
			continue
		}
		if k.flag == "dump-json" && cmd.Name() == "replay" && len(args) > 0 {
			continue // files on the command line are the set
		}
		if err := f.Value.Set(v); err != nil {
			return usagef("--config %s: key %s (flag --%s): %q: %v", path, k.key, k.flag, v, err)
		}
	}
	return nil
}

func appliesTo(k configKey, name string) bool {
	for _, c := range k.cmds {
		if c == name {
			return true
		}
	}
	return false
}

func anyChanged(fs *pflag.FlagSet, names []string) bool {
	for _, n := range names {
		if f := fs.Lookup(n); f != nil && f.Changed {
			return true
		}
	}
	return false
}

// exampleConfig writes GopherCap's configuration layout with the defaults
// of wirekit's flags (GopherCap's where wirekit's flag has none), for the
// commands root has.
func exampleConfig(root *cobra.Command) ([]byte, error) {
	doc := map[string]any{}
	for _, k := range gopherCapKeys {
		var value any
		found := false
		for _, name := range k.cmds {
			c, _, err := root.Find([]string{name})
			if err != nil || c == root {
				continue
			}
			if f := c.Flags().Lookup(k.flag); f != nil {
				value, found = typedDefault(f), true
				break
			}
		}
		if !found {
			continue
		}
		if k.def != "" {
			value = k.def
		}
		if k.flag == "dump-json" {
			value = gopherCapDumpJSON // wirekit's default too, as GopherCap's
		}
		node := doc
		parts := strings.Split(k.key, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = value
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// typedDefault is a flag's default as YAML should show it: booleans and
// numbers bare, the rest as strings.
func typedDefault(f *pflag.Flag) any {
	switch f.Value.Type() {
	case "bool":
		return f.DefValue == "true"
	case "int":
		var n int
		fmt.Sscan(f.DefValue, &n)
		return n
	}
	return f.DefValue
}

// version is wirekit's version from the build information: the module
// version when built with 'go install ...@version', else the VCS revision
// (with "-dirty" for uncommitted changes), else "devel".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		return "devel " + rev + dirty
	}
	return "devel"
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print wirekit's version (also --version)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(e.stdout, "wirekit %s\n", version())
			return err
		},
	}
}

func newExampleConfigCmd(e *env, cfgFile *string) *cobra.Command {
	return &cobra.Command{
		Use:   "exampleConfig",
		Short: "Print a configuration file in GopherCap's layout with wirekit's defaults",
		Long: `exampleConfig prints a configuration file for --config: GopherCap's YAML
layout (the keys of its configs/gophercap.yml) holding the defaults of
wirekit's flags. With --config FILE it writes FILE instead, as GopherCap
does ('gopherCap --config example.yml exampleConfig'), replacing it whole
or leaving it as it was.

Every key maps onto a flag of map, replay or tar-extract (see
docs/gophercap.md); a flag given on the command line overrides the file.`,
		Example: `  wirekit exampleConfig > gophercap.yml
  wirekit --config gophercap.yml exampleConfig
  wirekit --config gophercap.yml replay --null`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := exampleConfig(cmd.Root())
			if err != nil {
				return fmt.Errorf("exampleConfig: %w", err)
			}
			if *cfgFile == "" || *cfgFile == "-" {
				_, err = e.stdout.Write(data)
				return err
			}
			if err := safefile.WriteFile(*cfgFile, data); err != nil {
				return fmt.Errorf("exampleConfig: %w", err)
			}
			fmt.Fprintf(e.stderr, "wirekit: exampleConfig: wrote %s\n", *cfgFile)
			return nil
		},
	}
}
