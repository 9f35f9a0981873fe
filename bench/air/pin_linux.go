//go:build linux

package main

import (
	"errors"
	"fmt"
	"math/bits"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// cpuMask is a Linux CPU affinity mask: bit i of word i/64 stands for CPU i.
type cpuMask [16]uint64

func (m *cpuMask) has(cpu int) bool { return cpu >= 0 && cpu < 64*len(m) && m[cpu/64]>>(cpu%64)&1 != 0 }

// last returns the highest-numbered CPU in the mask, or -1 if it is empty.
func (m *cpuMask) last() int {
	for i := len(m) - 1; i >= 0; i-- {
		if m[i] != 0 {
			return 64*i + 63 - bits.LeadingZeros64(m[i])
		}
	}
	return -1
}

func schedGetaffinity(tid int, m *cpuMask) error {
	*m = cpuMask{}
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, uintptr(tid), unsafe.Sizeof(*m), uintptr(unsafe.Pointer(m))); e != 0 {
		return e
	}
	return nil
}

func schedSetaffinity(tid int, m *cpuMask) error {
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(*m), uintptr(unsafe.Pointer(m))); e != 0 {
		return e
	}
	return nil
}

// pinToCPU restricts every thread of this process to one CPU, and with them the
// processes it starts afterwards, which inherit the mask. cpu < 0 picks the
// highest-numbered CPU the process may use. It returns the CPU.
func pinToCPU(cpu int) (int, error) {
	var allowed cpuMask
	if err := schedGetaffinity(0, &allowed); err != nil {
		return -1, fmt.Errorf("sched_getaffinity: %v", err)
	}
	if cpu < 0 {
		cpu = allowed.last()
	}
	if !allowed.has(cpu) {
		return -1, fmt.Errorf("CPU %d is not one this process may use", cpu)
	}
	var one cpuMask
	one[cpu/64] = 1 << (cpu % 64)
	// A thread started while the list is read inherits the mask of the thread that
	// starts it: a pass that finds every thread pinned already is the last.
	for pass := 0; pass < 10; pass++ {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return -1, err
		}
		changed := false
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil {
				continue
			}
			var cur cpuMask
			if schedGetaffinity(tid, &cur) == nil && cur == one {
				continue
			}
			if err := schedSetaffinity(tid, &one); err != nil && !errors.Is(err, syscall.ESRCH) {
				return -1, fmt.Errorf("sched_setaffinity: %v", err)
			}
			changed = true
		}
		if !changed {
			return cpu, nil
		}
	}
	return -1, errors.New("new threads kept starting on other CPUs")
}
