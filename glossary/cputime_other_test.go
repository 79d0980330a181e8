//go:build !unix

package glossary

import (
	"os"
	"time"
)

// cpuTime is not measured on this system; the benchmarks report wall time only.
func cpuTime() time.Duration { return 0 }

// childCPU is the CPU time a finished child process used.
func childCPU(ps *os.ProcessState) time.Duration { return ps.UserTime() + ps.SystemTime() }
