package main

import (
	"runtime"
	"testing"
	"time"
)

// TestMemoryMonitor checks the periodic peak against /proc/self/status:
// while a 64 MiB buffer is resident the sampled peak must reach VmRSS, and
// it can never exceed the kernel's high-water mark VmHWM.
func TestMemoryMonitor(t *testing.T) {
	before := procStatusKB()
	m := startMemoryMonitor(2 * time.Millisecond)
	buf := make([]byte, 64<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1 // make every page resident
	}
	during := procStatusKB()
	time.Sleep(20 * time.Millisecond)
	peakMB := m.Stop()
	after := procStatusKB()
	runtime.KeepAlive(buf)

	peakKB := peakMB * 1024
	if during["VmRSS"] < before["VmRSS"]+60<<10 {
		t.Fatalf("VmRSS went from %d to %d kB only; the buffer is not resident", before["VmRSS"], during["VmRSS"])
	}
	if peakKB < float64(during["VmRSS"]) {
		t.Errorf("peak %.0f kB is below VmRSS %d kB read while the buffer was resident", peakKB, during["VmRSS"])
	}
	if peakKB > float64(after["VmHWM"]) {
		t.Errorf("peak %.0f kB is above the final VmHWM %d kB", peakKB, after["VmHWM"])
	}
	if kb, ok := memoryFootprintKB(); !ok || kb < during["VmRSS"] || kb > procStatusKB()["VmHWM"] {
		t.Errorf("memoryFootprintKB %d (ok %v); VmRSS %d kB, VmHWM %d kB", kb, ok, during["VmRSS"], after["VmHWM"])
	}
	if a := testing.AllocsPerRun(10, func() { memoryFootprintKB() }); a != 0 {
		t.Errorf("memoryFootprintKB allocates %v times", a)
	}
}

func TestStatusField(t *testing.T) {
	status := []byte("Name:\tx\nVmPeak:\t  1229672 kB\nVmHWM:\t    5992 kB\nVmRSS:\t    5990 kB\n")
	for _, tc := range []struct {
		name string
		want int64
		ok   bool
	}{{"VmHWM:", 5992, true}, {"VmRSS:", 5990, true}, {"VmPeak:", 1229672, true}, {"VmSwap:", 0, false}, {"Name:", 0, false}} {
		if v, ok := statusField(status, tc.name); v != tc.want || ok != tc.ok {
			t.Errorf("%s: %d %v, want %d %v", tc.name, v, ok, tc.want, tc.ok)
		}
	}
}
