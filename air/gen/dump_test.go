package gen

import (
	"flag"
	"os"
	"testing"
)

var (
	dumpDir       = flag.String("gen.dump", "", "write generated cases into this directory (see TestDump)")
	dumpSeed      = flag.Uint64("gen.seed", 1, "seed of the cases TestDump writes")
	dumpValid     = flag.Int("gen.n", 20, "number of valid cases TestDump writes")
	dumpMalformed = flag.Int("gen.malformed", 10, "number of malformed cases TestDump writes")
)

// TestDump writes a batch of cases to -gen.dump (skipped without it), for reading them or
// recording them by hand with the oracle.
func TestDump(t *testing.T) {
	if *dumpDir == "" {
		t.Skip("no -gen.dump directory")
	}
	if err := os.MkdirAll(*dumpDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range Batch(*dumpSeed, *dumpValid, *dumpMalformed) {
		if _, err := c.WriteFile(*dumpDir); err != nil {
			t.Fatal(err)
		}
	}
}
