// Package conformance runs the conformance corpus (../shared/conformance/cases) through
// sim.Run with the Go interpreter, air.Invoke, and checks every case against the real
// AquaVM's recorded result with compare.mjs's strictest rules (--strict-cids --strict-data).
// It holds only that test.
package conformance
