//go:build !unix

package web

import (
	"testing"
	"time"
)

// cpuTime is not measured on this system; the benchmarks report wall time only.
func cpuTime() time.Duration { return 0 }

// reportCPU reports nothing where cpuTime is not measured.
func reportCPU(*testing.B, time.Duration) {}
