module github.com/wirekit/wirekit/bench/bpfbench

go 1.26.8

require (
	github.com/gopacket/gopacket v1.7.7
	github.com/wirekit/wirekit v0.0.0
	golang.org/x/net v0.62.0
)

replace github.com/wirekit/wirekit => ../..
