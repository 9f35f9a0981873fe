package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cascadep2p/cascade/air/data"
)

func init() {
	subcommands["data"] = subcommand{
		summary: "convert interpreter data between its binary form and its JSON view",
		run:     runData,
	}
}

const dataUsage = `usage: cascade data decode [FILE]
       cascade data encode [FILE]

decode reads raw interpreter data (AquaVM 0.62's MessagePack envelope around an rkyv
archive) from FILE or standard input and prints its JSON view, exactly as AquaVM's
to_human_readable_data prints it (same checks, same text).
encode reads such a JSON view and writes the raw data to standard output.
Exit status: 0 on success, 1 on bad input, 2 on bad usage.
`

func runData(args []string) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Print(dataUsage)
		return 0
	}
	if len(args) < 1 || len(args) > 2 || (args[0] != "decode" && args[0] != "encode") {
		fmt.Fprint(os.Stderr, dataUsage)
		return 2
	}
	verb := args[0]
	in, err := readDataInput(args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "cascade data %s: %v\n", verb, err)
		return 1
	}
	var out []byte
	if verb == "decode" {
		out, err = data.HumanReadable(in)
		var de *data.DecodeError
		if errors.As(err, &de) {
			err = errors.New(de.HumanMessage())
		}
		out = append(out, '\n')
	} else {
		var d *data.Data
		if d, err = data.FromHumanJSON(in); err == nil {
			out = data.Encode(d)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cascade data %s: %v\n", verb, err)
		return 1
	}
	if _, err := os.Stdout.Write(out); err != nil {
		fmt.Fprintf(os.Stderr, "cascade data %s: %v\n", verb, err)
		return 1
	}
	return 0
}

// readDataInput reads the named file, or standard input when no name (or "-") is given.
func readDataInput(names []string) ([]byte, error) {
	if len(names) == 0 || names[0] == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(names[0])
}
