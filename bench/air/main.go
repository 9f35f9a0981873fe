// Command air benchmarks Cascade's AIR interpreter against the real AquaVM (avm.wasm 0.62.0)
// on AquaVM's own benchmark scenarios, rebuilt by gen.mjs on the real AVM.
//
//	go run ./bench/air -quick   # under a minute: inputs up to 5 MB, the oracle up to 1 MB
//	go run ./bench/air          # everything, the 100 MB scenarios included (minutes)
//
// It runs gen.mjs (scenario inputs, cached), then, scenario by scenario, takes turns in
// five rounds between avm.mjs (the AVM's timings, direct and through marine-js) and
// air.Invoke on the same inputs in this process, and prints one table. The last line is
//
//	air-bench: scenarios=N min-speedup-direct=X min-speedup-oracle=Z max-mem-ratio=Y
//
// preceded by the codec benchmark's line
//
//	air-codec-bench: scenarios=N min-decode-speedup=X min-encode-speedup=Y
//
// See bench/README.md for the method and the numbers.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/cascadep2p/cascade/air"
)

// avmDirect is the direct runner's result for a scenario (see avm.mjs).
type avmDirect struct {
	MedianMs float64 `json:"median_ms"`
	MinMs    float64 `json:"min_ms"`
	Reps     int     `json:"reps"`
	Warm     int     `json:"warm"`
	MemBytes uint64  `json:"mem_bytes"`
	// RoundsMs holds the median of each round (set once the rounds are combined).
	RoundsMs []float64 `json:"round_medians_ms,omitempty"`
	outcomeSummary
}

// avmOracle is invokeAvm's result: a timing or a trap.
type avmOracle struct {
	MedianMs float64 `json:"median_ms"`
	MinMs    float64 `json:"min_ms"`
	Reps     int     `json:"reps"`
	RetCode  int64   `json:"ret_code"`
	Trap     string  `json:"trap,omitempty"`
	// RoundsMs holds the median of each round (set once the rounds are combined).
	RoundsMs []float64 `json:"round_medians_ms,omitempty"`
}

// avmCodec is the AVM's cost of reading and writing a scenario's current data.
type avmCodec struct {
	Bytes      int      `json:"bytes"`
	OutBytes   int      `json:"out_bytes"`
	BadEmptyMs float64  `json:"bad_empty_ms"`
	BadPrevMs  float64  `json:"bad_prev_ms"`
	ReplayMs   float64  `json:"replay_ms"`
	CopyMs     float64  `json:"copy_ms"`
	DecodeMs   *float64 `json:"decode_ms"` // nil when the difference of timings was not positive
	EncodeMs   *float64 `json:"encode_ms"`
	MemBytes   uint64   `json:"mem_bytes"`
}

// avmResult is one line of avm.mjs's output.
type avmResult struct {
	Name   string     `json:"name"`
	Direct avmDirect  `json:"direct"`
	Oracle *avmOracle `json:"oracle"`
	Codec  *avmCodec  `json:"codec"`
}

// result is everything measured on one scenario.
type result struct {
	Name       string         `json:"name"`
	InputBytes int            `json:"input_bytes"`
	AVM        avmResult      `json:"avm"`
	Cascade    *cascadeResult `json:"cascade,omitempty"`
	Codec      *codecResult   `json:"codec,omitempty"`
	// SpeedupDirect and SpeedupOracle are AVM time / Cascade time, paired round by round
	// (pairedSpeedup); 0 where there is none.
	SpeedupDirect float64  `json:"speedup_direct,omitempty"`
	SpeedupOracle float64  `json:"speedup_oracle,omitempty"`
	Mismatches    []string `json:"mismatches,omitempty"`
	CascadeSkip   string   `json:"-"`
}

func main() {
	quick := flag.Bool("quick", false, "short run: inputs up to 5 MB, the oracle only up to 1 MB")
	only := flag.String("only", "", "run only the scenarios whose name matches this regexp")
	oracleFlag := flag.String("oracle", "", "the oracle folder (default: ../shared/oracle from the repository root)")
	cacheFlag := flag.String("cache", "", "where generated scenarios are kept (default: the user cache folder)")
	nodeBin := flag.String("node", "node", "the Node.js executable")
	noOracle := flag.Bool("no-oracle", false, "skip the marine-js (oracle) column")
	avmOnly := flag.Bool("avm-only", false, "time the real AVM only (no Cascade columns, no summary lines)")
	jsonOut := flag.String("json", "", "also write all results as JSON to this file")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of this process (Cascade's side) to this file")
	pin := flag.String("pin", "auto", "time both sides on one CPU: this process and the AVM's Node process run only on CPU N (a number), on the highest-numbered CPU they may use (auto), or anywhere (off)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "air-bench:", err)
			os.Exit(2)
		}
	}
	err := run(*quick, *only, *oracleFlag, *cacheFlag, *nodeBin, *noOracle, *avmOnly, *jsonOut, *pin)
	pprof.StopCPUProfile()
	switch {
	case errors.Is(err, errMismatch):
		os.Exit(1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "air-bench:", err)
		os.Exit(2)
	}
}

// pinBench applies the -pin flag: "off", "auto" (the highest-numbered CPU; where that is
// not possible, a warning and no pinning) or a CPU number.
func pinBench(pin string) error {
	if pin == "off" {
		fmt.Fprintln(os.Stderr, "air-bench: not pinned: both sides may run on any CPU")
		return nil
	}
	cpu := -1
	if pin != "auto" {
		n, err := strconv.Atoi(pin)
		if err != nil || n < 0 {
			return fmt.Errorf("-pin %q: want auto, off or a CPU number", pin)
		}
		cpu = n
	}
	got, err := pinToCPU(cpu)
	if err != nil {
		if pin == "auto" {
			fmt.Fprintln(os.Stderr, "air-bench: not pinned:", err)
			return nil
		}
		return fmt.Errorf("-pin %s: %v", pin, err)
	}
	// One CPU, one P: Go would take the same number at startup under this mask.
	runtime.GOMAXPROCS(1)
	fmt.Fprintf(os.Stderr, "air-bench: this process and the AVM's Node process run on CPU %d only\n", got)
	return nil
}

func run(quick bool, only, oracleDir, cacheDir, nodeBin string, noOracle, avmOnly bool, jsonOut, pin string) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	benchDir := filepath.Join(root, "bench", "air")
	if oracleDir == "" {
		oracleDir = filepath.Join(root, "..", "shared", "oracle")
	}
	if oracleDir, err = filepath.Abs(oracleDir); err != nil {
		return err
	}
	if cacheDir == "" {
		if cacheDir, err = defaultCache(benchDir); err != nil {
			return err
		}
	}

	var re *regexp.Regexp
	if only != "" {
		if re, err = regexp.Compile(only); err != nil {
			return err
		}
	}
	var specs []spec
	for _, s := range scenarioList() {
		if quick && s.mb > 5 {
			continue
		}
		if re != nil && !re.MatchString(s.name) {
			continue
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		return errors.New("no scenario selected")
	}
	names := make([]string, len(specs))
	var codecNames []string
	for i, s := range specs {
		names[i] = s.name
		if s.codec {
			codecNames = append(codecNames, s.name)
		}
	}

	env := append(os.Environ(), "CASCADE_ORACLE_DIR="+oracleDir)
	fmt.Fprintf(os.Stderr, "air-bench: %d scenarios, inputs in %s\n", len(specs), cacheDir)

	// 1. inputs, generated on the real AVM (only the missing ones)
	gen := exec.Command(nodeBin, append([]string{filepath.Join(benchDir, "gen.mjs"), "--out", cacheDir}, names...)...)
	gen.Env, gen.Stdout, gen.Stderr = env, os.Stderr, os.Stderr
	if err := gen.Run(); err != nil {
		return fmt.Errorf("gen.mjs: %v", err)
	}

	// Both sides on one CPU (see bench/README.md): set before the Node process starts,
	// which inherits it.
	if err := pinBench(pin); err != nil {
		return err
	}

	// 2. the real AVM's timings, in its own process, one scenario at a time on request, so
	// that each scenario is timed on the AVM and then right away on Cascade (the Node process
	// waits meanwhile): both sides of a ratio see the machine in the same state.
	args := []string{"--expose-gc", filepath.Join(benchDir, "avm.mjs"), "--dir", cacheDir, "--codec", strings.Join(codecNames, ","), "--serve"}
	if quick {
		args = append(args, "--quick", "--oracle-max", "1000000")
	}
	if noOracle {
		args = append(args, "--oracle-max", "-1")
	}
	avm := exec.Command(nodeBin, args...)
	avm.Env, avm.Stderr = env, os.Stderr
	avmIn, err := avm.StdinPipe()
	if err != nil {
		return err
	}
	avmPipe, err := avm.StdoutPipe()
	if err != nil {
		return err
	}
	if err := avm.Start(); err != nil {
		return fmt.Errorf("avm.mjs: %v", err)
	}
	defer avm.Process.Kill()
	avmOut := bufio.NewReaderSize(avmPipe, 1<<20)
	measureAVM := func(name, request string) (avmResult, error) {
		var r avmResult
		if _, err := fmt.Fprintln(avmIn, request); err != nil {
			return r, fmt.Errorf("avm.mjs: %v", err)
		}
		line, err := avmOut.ReadBytes('\n')
		if err != nil {
			return r, fmt.Errorf("avm.mjs ended without a result for %s: %v", name, err)
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return r, fmt.Errorf("avm.mjs output: %v", err)
		}
		if r.Name != name {
			return r, fmt.Errorf("avm.mjs answered for %s, not %s", r.Name, name)
		}
		return r, nil
	}

	// 3. Cascade, on the same inputs, after the AVM on each
	b, cb := fullBudget, fullCodecBudget
	if quick {
		b, cb = quickBudget, quickCodecBudget
	}
	results := make([]*result, 0, len(specs))
	for _, sp := range specs {
		base := liveHeap()
		s, err := loadScenario(filepath.Join(cacheDir, sp.name))
		if err != nil {
			return err
		}
		// Rounds of the direct runner, Cascade and the oracle taking turns, then the codec.
		n := rounds
		var directs []avmDirect
		var oracles []*avmOracle
		var times []timing
		invoke := func() air.Outcome { return air.Invoke(s.script, s.prev, s.cur, s.params, s.callResults) }
		var first air.Outcome
		for k := 1; k <= n; k++ {
			a, err := measureAVM(sp.name, fmt.Sprintf("direct %s %d %d", sp.name, k, n))
			if err != nil {
				return err
			}
			directs = append(directs, a.Direct)
			if !avmOnly {
				if k == 1 {
					first = invoke()
				}
				times = append(times, timeIt(func() { invoke() }, b.forInput(s.Sizes.Input).round(k, n)))
			}
			if a, err = measureAVM(sp.name, fmt.Sprintf("oracle %s %d %d", sp.name, k, n)); err != nil {
				return err
			}
			oracles = append(oracles, a.Oracle)
		}
		a, err := measureAVM(sp.name, "extra "+sp.name)
		if err != nil {
			return err
		}
		a.Direct, a.Oracle = combineDirect(directs), combineOracle(oracles)
		r := &result{Name: sp.name, AVM: a}
		results = append(results, r)
		r.InputBytes = s.Sizes.Input
		if a.Direct.RetCode != s.Expect.RetCode {
			r.Mismatches = append(r.Mismatches, fmt.Sprintf("the AVM's ret_code changed since generation: %d, then %d", a.Direct.RetCode, s.Expect.RetCode))
		}
		if a.Oracle != nil && a.Oracle.Trap == "" && a.Oracle.RetCode != a.Direct.RetCode {
			r.Mismatches = append(r.Mismatches, fmt.Sprintf("oracle ret_code %d, direct %d", a.Oracle.RetCode, a.Direct.RetCode))
		}
		if avmOnly {
			continue
		}
		c := cascadeResult{Outcome: summarize(first), Time: combineTimings(times), PeakHeap: peakHeapOf(invoke, base)}
		r.Cascade = &c
		cm := ms(c.Time.Median)
		r.SpeedupDirect = pairedSpeedup(a.Direct.RoundsMs, c.Time.Rounds, a.Direct.MedianMs/cm)
		if a.Oracle != nil && a.Oracle.Trap == "" {
			r.SpeedupOracle = pairedSpeedup(a.Oracle.RoundsMs, c.Time.Rounds, a.Oracle.MedianMs/cm)
		}
		r.Mismatches = append(r.Mismatches, compareOutcomes(a.Direct.outcomeSummary, c.Outcome)...)
		if sp.codec {
			cr := runCodec(s.cur, cb)
			r.Codec = &cr
			if cr.Err != "" {
				r.Mismatches = append(r.Mismatches, "data.Decode: "+cr.Err)
			}
		}
		fmt.Fprintf(os.Stderr, "cascade: %s: %.3f ms (%d reps in %d rounds: %s; AVM direct %.3f ms: %s), peak heap %.1f MB\n",
			sp.name, ms(c.Time.Median), c.Time.Reps, n, roundList(c.Time.Rounds), a.Direct.MedianMs, roundListMs(a.Direct.RoundsMs), float64(c.PeakHeap)/1e6)
	}

	avmIn.Close()
	if err := avm.Wait(); err != nil {
		return fmt.Errorf("avm.mjs: %v", err)
	}

	if jsonOut != "" {
		j, _ := json.MarshalIndent(results, "", " ")
		if err := os.WriteFile(jsonOut, append(j, '\n'), 0o644); err != nil {
			return err
		}
	}
	report(os.Stdout, results, avmOnly)
	for _, r := range results {
		if len(r.Mismatches) > 0 {
			return errMismatch
		}
	}
	return nil
}

// errMismatch ends a run in which Cascade's outcome differed from the AVM's (the report
// lists the differences).
var errMismatch = errors.New("outcomes differ from the AVM's")

// report prints the tables and the summary lines (the air-bench line last).
func report(w io.Writer, results []*result, avmOnly bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tinput MB\tAVM direct ms\tAVM oracle ms\tCascade ms\tx direct\tx oracle\tCascade heap MB\tAVM Wasm MB\tmem ratio\tcheck\t")
	minDirect, minOracle, maxMem := math.Inf(1), math.Inf(1), 0.0
	var worstDirect, worstOracle, worstMem string
	for _, r := range results {
		a := r.AVM
		oracle, xOracle := "-", "-"
		if a.Oracle != nil {
			if a.Oracle.Trap != "" {
				oracle, xOracle = "trap", "trap"
			} else {
				oracle = fmt.Sprintf("%.3f", a.Oracle.MedianMs)
			}
		}
		casc, xDirect, heap, ratio := "", "", "", ""
		check := "ok"
		if len(r.Mismatches) > 0 {
			check = "MISMATCH"
		}
		if r.Cascade != nil {
			c := r.Cascade
			cm := ms(c.Time.Median)
			casc = fmt.Sprintf("%.3f", cm)
			sd := r.SpeedupDirect
			xDirect = fmt.Sprintf("%.2f", sd)
			if sd < minDirect {
				minDirect, worstDirect = sd, r.Name
			}
			if a.Oracle != nil && a.Oracle.Trap == "" {
				so := r.SpeedupOracle
				xOracle = fmt.Sprintf("%.2f", so)
				if so < minOracle {
					minOracle, worstOracle = so, r.Name
				}
			}
			heap = fmt.Sprintf("%.1f", float64(c.PeakHeap)/1e6)
			mr := float64(c.PeakHeap) / float64(a.Direct.MemBytes)
			ratio = fmt.Sprintf("%.3f", mr)
			if mr > maxMem {
				maxMem, worstMem = mr, r.Name
			}
		} else {
			xOracle = ""
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.3f\t%s\t%s\t%s\t%s\t%s\t%.1f\t%s\t%s\t\n", r.Name, float64(r.InputBytes)/1e6,
			a.Direct.MedianMs, oracle, casc, xDirect, xOracle, heap, float64(a.Direct.MemBytes)/1e6, ratio, check)
	}
	tw.Flush()

	// codec table
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "codec: data\tMB\tCascade decode MB/s\tallocs\talloc MB\tCascade encode MB/s\tallocs\talloc MB\tAVM decode MB/s\tAVM encode MB/s\tx decode\tx encode\t")
	minDec, minEnc := math.Inf(1), math.Inf(1)
	nCodec := 0
	for _, r := range results {
		ac := r.AVM.Codec
		if ac == nil {
			continue
		}
		mb := float64(ac.Bytes) / 1e6
		avmDec, avmEnc := rate(mb, ac.DecodeMs), rate(mb, ac.EncodeMs)
		if r.Codec == nil || r.Codec.Err != "" {
			fmt.Fprintf(tw, "%s\t%.2f\t\t\t\t\t\t\t%s\t%s\t\t\t\n", r.Name, mb, avmDec, avmEnc)
			continue
		}
		c := r.Codec
		cd, ce := ms(c.Decode.Median), ms(c.Encode.Median)
		xd, xe := "n/a", "n/a"
		if ac.DecodeMs != nil {
			x := *ac.DecodeMs / cd
			xd, minDec = fmt.Sprintf("%.2f", x), math.Min(minDec, x)
		}
		if ac.EncodeMs != nil {
			x := *ac.EncodeMs / ce
			xe, minEnc = fmt.Sprintf("%.2f", x), math.Min(minEnc, x)
		}
		nCodec++
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%.0f\t%.1f\t%s\t%.0f\t%.1f\t%s\t%s\t%s\t%s\t\n", r.Name, mb,
			rate(mb, &cd), c.DecodeAllocs, c.DecodeBytes/1e6, rate(mb, &ce), c.EncodeAllocs, c.EncodeBytes/1e6, avmDec, avmEnc, xd, xe)
	}
	tw.Flush()

	var bad []string
	for _, r := range results {
		for _, m := range r.Mismatches {
			bad = append(bad, fmt.Sprintf("MISMATCH %s: %s", r.Name, m))
		}
	}
	if len(bad) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, strings.Join(bad, "\n"))
		fmt.Fprintf(os.Stderr, "air-bench: %d MISMATCHES between Cascade and the real AVM (see above)\n", len(bad))
	}
	if avmOnly {
		return
	}
	fmt.Fprintf(w, "\nworst: direct %s, oracle %s, memory %s\n", worstDirect, orNone(worstOracle), worstMem)
	fmt.Fprintf(w, "air-codec-bench: scenarios=%d min-decode-speedup=%s min-encode-speedup=%s\n", nCodec, num(minDec), num(minEnc))
	fmt.Fprintf(w, "air-bench: scenarios=%d min-speedup-direct=%s min-speedup-oracle=%s max-mem-ratio=%.3f\n",
		len(results), num(minDirect), num(minOracle), maxMem)
}

// rate is a throughput in MB/s, "n/a" without a time.
func rate(mb float64, msec *float64) string {
	if msec == nil || *msec <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", mb/(*msec/1e3))
}

func num(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", x)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// repoRoot finds the repository root (the folder of go.mod) from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/cascadep2p/cascade")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run it from inside the cascade repository")
		}
		dir = parent
	}
}

// defaultCache is a folder of the user cache named after the generator's code, so that a
// change to the generator makes fresh inputs.
func defaultCache(benchDir string) (string, error) {
	h := sha256.New()
	for _, f := range []string{"gen.mjs", "common.mjs"} {
		b, err := os.ReadFile(filepath.Join(benchDir, f))
		if err != nil {
			return "", err
		}
		h.Write(b)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "cascade-air-bench", hex.EncodeToString(h.Sum(nil))[:12]), nil
}
