package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// memoryFootprintKB is the peak resident set size in kB, getrusage's
// ru_maxrss: what benchmark_model's memory figures use on Linux. It does
// not allocate (the peak monitor calls it from its own goroutine).
func memoryFootprintKB() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return int64(ru.Maxrss), true
}

// rssStatsMB reads /proc/self/statm as benchmark_model's GetRssStats does:
// resident and shared (file-backed and shmem) sizes in whole MB.
func rssStatsMB() (rss, shared int64, ok bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0, 0, false
	}
	r, err1 := strconv.ParseInt(f[1], 10, 64)
	s, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	page := int64(os.Getpagesize())
	return r * page >> 20, s * page >> 20, true
}

// procStatusKB returns the kB figures of /proc/self/status (VmHWM, VmRSS,
// RssAnon, RssFile, RssShmem, ...), for --output_json.
func procStatusKB() map[string]int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasSuffix(rest, " kB") {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(rest, " kB")), 10, 64); err == nil {
			out[name] = v
		}
	}
	return out
}
