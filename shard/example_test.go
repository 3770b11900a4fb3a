package shard_test

import (
	"fmt"
	"os"

	"github.com/wirekit/wirekit/shard"
)

// Each of 2 shards takes its part of a set, balanced by size.
func Example() {
	files := []shard.Item{{Name: "a.pcap", Size: 900}, {Name: "b.pcap", Size: 500}, {Name: "c.pcap", Size: 400}, {Name: "d.pcap", Size: 100}}
	for _, spec := range []string{"0/2", "1/2"} {
		s, err := shard.Parse(spec, os.Getenv)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(s.Partition(), ":")
		for _, k := range s.Pick(files) {
			fmt.Print(" ", files[k].Name)
		}
		fmt.Println()
	}
	// Output:
	// shard=0: a.pcap d.pcap
	// shard=1: b.pcap c.pcap
}
