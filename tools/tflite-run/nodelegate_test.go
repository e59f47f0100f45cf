//go:build !xnnpack || !cgo

package main

import (
	"strings"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/tools/internal/clitest"
)

// TestXNNPACKNotBuilt: without the tag, -use_xnnpack fails before running
// anything and says how to get the delegate.
func TestXNNPACKNotBuilt(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	clitest.Run(t, bin, "--use_xnnpack", "--num_threads=2", model, t.TempDir()).ExpectError(t, 1,
		`^tflite-run: -use_xnnpack: this build has no XNNPACK delegate: install the C libraries \(scripts/install-xnnpack-deps\.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev\) and rebuild with cgo and -tags xnnpack$`)
	if r := clitest.Run(t, bin, "-help"); !strings.Contains(r.Stderr, "not available in this build (rebuild with cgo and -tags xnnpack)") {
		t.Errorf("-help does not say -use_xnnpack needs the tag:\n%s", r.Stderr)
	}
}
