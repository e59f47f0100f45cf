//go:build !xnnpack || !cgo

package main

import (
	"testing"

	"github.com/edgelite/edgelite/tools/internal/clitest"
)

// TestPlanXNNPACKNotBuilt: the name is known without the tag and gives the
// stub's error, which says how to build the delegate.
func TestPlanXNNPACKNotBuilt(t *testing.T) {
	model := clitest.WriteFile(t, "plan.tflite", planModel(t))
	clitest.Run(t, bin, "--plan", "--plan-delegate=xnnpack", model).ExpectError(t, 2,
		`^tflite-inspect: delegate "xnnpack": xnnpack: this build has no XNNPACK delegate: install the C libraries \(scripts/install-xnnpack-deps\.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev\) and rebuild with cgo and -tags xnnpack`)
}
