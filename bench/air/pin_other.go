//go:build !linux

package main

import "errors"

// pinToCPU is only implemented on Linux.
func pinToCPU(cpu int) (int, error) {
	return -1, errors.New("pinning to one CPU is implemented on Linux only")
}
