package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/filter"
)

func main() {
	p, err := filter.Compile(strings.Join(os.Args[1:], " "), layers.LinkTypeEthernet, 262144)
	if err != nil {
		fmt.Println("ERR", err)
		return
	}
	s, _ := filter.Format(p, "d")
	fmt.Print(s)
}
