package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// memoryFootprintKB is the peak resident set size in kB: VmHWM of
// /proc/self/status. benchmark_model reads getrusage's ru_maxrss instead,
// but Linux carries ru_maxrss over from the parent across fork and exec, so
// a small tool started by a big process (a test, a script runner) would
// report its parent's peak. It does not allocate: the peak monitor calls it
// from its own goroutine.
func memoryFootprintKB() (int64, bool) {
	var buf [8192]byte
	// syscall.Open would allocate the C string; this one is on the stack.
	atFDCWD := -100 // AT_FDCWD; a variable, as uintptr(-100) must wrap
	path := [...]byte{'/', 'p', 'r', 'o', 'c', '/', 's', 'e', 'l', 'f', '/', 's', 't', 'a', 't', 'u', 's', 0}
	r, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(&path[0])),
		uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC), 0, 0, 0)
	if errno != 0 {
		return 0, false
	}
	fd := int(r)
	n := 0
	for n < len(buf) {
		k, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || k <= 0 {
			break
		}
		n += k
	}
	syscall.Close(fd)
	return statusField(buf[:n], "VmHWM:")
}

// statusField parses "Name:   1234 kB" out of /proc/self/status.
func statusField(b []byte, name string) (int64, bool) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if len(line) < len(name) || string(line[:len(name)]) != name {
			continue
		}
		var v int64
		digits := false
		for _, c := range line[len(name):] {
			switch {
			case c >= '0' && c <= '9':
				v = v*10 + int64(c-'0')
				digits = true
			case c == ' ' || c == '\t':
				if digits {
					return v, true
				}
			default:
				return v, digits
			}
		}
		return v, digits
	}
	return 0, false
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
