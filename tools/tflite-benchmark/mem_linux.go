package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// memoryFootprintKB is the peak resident set size in kB (VmHWM in
// /proc/self/status, the value getrusage reports as ru_maxrss, which is what
// benchmark_model's memory footprint uses on Linux).
func memoryFootprintKB() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			v, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return v, err == nil
		}
	}
	return 0, false
}
