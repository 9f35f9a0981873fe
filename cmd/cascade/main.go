// Command cascade is the single binary of Cascade: interpreter tools, the node and the client.
package main

import (
	"fmt"
	"os"
	"sort"
)

// subcommand is one verb of the cascade binary.
type subcommand struct {
	summary string
	run     func(args []string) int
}

// subcommands is filled by the init functions of the files that define each verb.
var subcommands = map[string]subcommand{}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: cascade COMMAND [ARGS...]\n\ncommands:")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-12s %s\n", n, subcommands[n].summary)
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := subcommands[os.Args[1]]
	if !ok {
		if os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
			usage()
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "cascade: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	os.Exit(cmd.run(os.Args[2:]))
}
