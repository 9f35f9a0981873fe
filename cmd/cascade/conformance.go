package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/cascadep2p/cascade/air"
	"github.com/cascadep2p/cascade/air/sim"
)

func init() {
	subcommands["conformance"] = subcommand{
		summary: "run oracle cases (../shared/oracle) on Go interpreters, print or check the results",
		run:     conformanceMain,
	}
}

const conformanceUsage = `usage: cascade conformance CASE.json
       cascade conformance --out DIR CASE.json|DIR ...
       cascade conformance --check [--strict-cids] [--strict-data] [--loose-errors] CASE.json|DIR ...

Runs each case of the AIR oracle's schema with the oracle's simulation of a network, every
peer running Cascade's interpreter, and
  - with one case and no option: prints the result JSON on stdout, in the oracle's output
    schema (for node compare.mjs --run 'cascade conformance' ...);
  - with --out DIR: writes DIR/NAME.result.json for each case NAME.json;
  - with --check: compares each result with NAME.expected.json beside the case by
    compare.mjs's rules, printing one ok/FAIL line a case and "N passed, N failed".
A directory stands for the *.json cases in it (*.expected.json excluded).
`

func conformanceMain(args []string) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "")
	check := fs.Bool("check", false, "")
	var opts sim.CompareOptions
	fs.BoolVar(&opts.StrictCIDs, "strict-cids", false, "")
	fs.BoolVar(&opts.StrictData, "strict-data", false, "")
	fs.BoolVar(&opts.LooseErrors, "loose-errors", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 || (*out != "" && *check) {
		if err == flag.ErrHelp {
			fmt.Print(conformanceUsage)
			return 0
		}
		fmt.Fprint(os.Stderr, conformanceUsage)
		return 2
	}
	if *out == "" && !*check {
		if fs.NArg() != 1 {
			fmt.Fprint(os.Stderr, conformanceUsage)
			return 2
		}
		res, err := runConformanceCase(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(os.Stderr, "cascade conformance: %v\n", err)
			return 1
		}
		if err := res.WriteJSON(os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "cascade conformance: %v\n", err)
			return 1
		}
		return 0
	}
	files, err := sim.CaseFiles(fs.Args()...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cascade conformance: %v\n", err)
		return 2
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "cascade conformance: %v\n", err)
			return 1
		}
	}
	passed, failed := 0, 0
	for _, f := range files {
		base := filepath.Base(f)
		res, err := runConformanceCase(f)
		var d string
		switch {
		case err != nil:
			d = err.Error()
			if i := strings.LastIndexByte(d, '\n'); i >= 0 {
				fmt.Fprintln(os.Stderr, d)
				d = d[i+1:]
			}
		case *out != "":
			err = os.WriteFile(filepath.Join(*out, strings.TrimSuffix(base, ".json")+".result.json"), res.JSON(), 0o644)
			if err != nil {
				d = err.Error()
			}
		default:
			expected, err := os.ReadFile(sim.ExpectedPath(f))
			if err != nil {
				d = fmt.Sprintf("no %s beside the case", filepath.Base(sim.ExpectedPath(f)))
			} else if d, err = sim.CompareResult(expected, res, opts); err != nil {
				d = err.Error()
			}
		}
		if d != "" {
			failed++
			fmt.Printf("FAIL %s: %s\n", base, d)
		} else {
			passed++
			if *check {
				fmt.Printf("ok   %s\n", base)
			}
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// runConformanceCase loads and runs one case on Go interpreters; an interpreter panic is
// returned as an error whose last line names it.
func runConformanceCase(path string) (res *sim.Result, err error) {
	c, err := sim.LoadCase(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s\n%s: interpreter panic: %v", debug.Stack(), filepath.Base(path), r)
		}
	}()
	return sim.Run(c, air.Invoke)
}
