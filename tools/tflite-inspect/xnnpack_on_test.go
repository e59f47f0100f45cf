//go:build xnnpack && cgo

package main

import (
	"path/filepath"
	"testing"

	"github.com/edgelite/edgelite/tools/internal/clitest"
)

// TestPlanXNNPACK: --plan-delegate=xnnpack plans with the real delegate: a
// MediaPipe model is one partition; a quantized Coral model leaves the ops
// this XNNPACK lacks on the CPU with the delegate's reasons, in the text
// and in the SVG.
func TestPlanXNNPACK(t *testing.T) {
	mp := clitest.Model(t, "mediapipe/selfie_segmentation.tflite")
	out := inspectOK(t, "--plan", "--plan-delegate=xnnpack", mp)
	clitest.Match(t, out,
		`^Delegation plan: delegates TfLiteXNNPackDelegate; min nodes per partition 0, max partitions 0 \(0: no limit\)$`,
		`^  Subgraph 0 ".*": 246 of 246 operators delegated in 1 partition\(s\), 0 on the CPU$`,
		`^    Partition 0: TfLiteXNNPackDelegate, 246 operator\(s\) \[0-245\] as node 246; inputs \[0\] outputs \[249\]$`,
		`^    Execution order: P0$`)

	coral := clitest.Shared(t, "models/coral/mobilenet_v1_0.25_128_quant.tflite")
	svg := filepath.Join(t.TempDir(), "plan.svg")
	out = inspectOK(t, "--plan", "--plan-delegate=xnnpack", "--plan-svg", svg, coral)
	clitest.Match(t, out,
		`^  Subgraph 0 "main": 29 of 31 operators delegated in 2 partition\(s\), 2 on the CPU$`,
		`^    Execution order: P0 27 P1 30$`,
		`^      operator 27 \(AVERAGE_POOL_2D\) by TfLiteXNNPackDelegate: xnnpack: operator 27 \(AVERAGE_POOL_2D\): quantized AVERAGE_POOL_2D is not supported`,
		`^      operator 30 \(SOFTMAX\) by TfLiteXNNPackDelegate: xnnpack: operator 30 \(SOFTMAX\): quantized SOFTMAX is not supported$`)
	es := parseSVG(t, svg)
	nodes := byClass(es, "node")
	if len(nodes) != 31 {
		t.Fatalf("%d node boxes, want 31", len(nodes))
	}
	onCPU := 0
	for _, n := range nodes {
		switch n.attrs["data-delegate"] {
		case "":
			onCPU++
		case "TfLiteXNNPackDelegate":
		default:
			t.Errorf("box %v", n.attrs)
		}
	}
	if onCPU != 2 || len(byClass(es, "partition")) != 2 {
		t.Errorf("%d boxes on the CPU, %d partitions; want 2 and 2", onCPU, len(byClass(es, "partition")))
	}
}
