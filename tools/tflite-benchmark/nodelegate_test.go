//go:build !xnnpack || !cgo

package main

import (
	"regexp"
	"testing"

	"github.com/edgelite/edgelite/tools/internal/clitest"
)

// TestXNNPACKNotBuilt: without the tag, --use_xnnpack fails and says how to
// get the delegate; it never benchmarks the CPU instead.
func TestXNNPACKNotBuilt(t *testing.T) {
	r := clitest.Run(t, bin, "--num_runs=1", "--min_secs=0", "--warmup_min_secs=0", "--use_xnnpack=true", "--num_threads=2")
	r.ExpectError(t, 1, `^ERROR: not available in this build: --use_xnnpack=true: the XNNPACK delegate needs cgo and the C libraries: install them \(scripts/install-xnnpack-deps\.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev\) and rebuild with -tags xnnpack`)
	clitest.Match(t, r.Stdout, `^INFO: Use xnnpack: \[1\]$`)
	if r := clitest.Run(t, bin, "--help"); !regexp.MustCompile(`-use_xnnpack\n\s+not available in this build \(rebuild with -tags xnnpack\)`).MatchString(r.Stderr) {
		t.Errorf("--help does not say --use_xnnpack needs the tag:\n%s", r.Stderr)
	}
}
