//go:build xnnpack && cgo

package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/edgelite/edgelite/tools/internal/clitest"
)

// TestXNNPACKMediaPipe runs a MediaPipe model whole on the delegate with
// TFLite's reference input and compares the outputs with TFLite's through
// the oracle's compare.js, within REFERENCE.md's 1e-4.
func TestXNNPACKMediaPipe(t *testing.T) {
	model := clitest.Model(t, "mediapipe/hand_landmark_lite.tflite")
	ref := clitest.Shared(t, "reference/mediapipe/hand_landmark_lite")
	out := t.TempDir()
	r := clitest.Run(t, bin, "--use_xnnpack", "--num_threads", "2", model, out, filepath.Join(ref, "in0.bin"))
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout, `"package": "github.com/edgelite/edgelite with the XNNPACK delegate",$`, `"num_threads": 2$`,
		`"note": "edgelite \S+, 2 thread\(s\), XNNPACK delegate, `)
	m := readMeta(t, out)
	if d := m.Delegation; d == nil || d.Delegate != "TfLiteXNNPackDelegate" || d.Partitions != 1 || d.CPUNodes != 0 || d.DelegatedNodes < 100 {
		t.Errorf("delegation %+v: want the whole model in one partition", d)
	}
	if len(m.ExecutedNodeTypes) != 1 || m.ExecutedNodeTypes["TfLiteXNNPackDelegate"] != 1 {
		t.Errorf("executed_node_types %v, want one TfLiteXNNPackDelegate", m.ExecutedNodeTypes)
	}
	cmd := oracle(t)
	res, err := exec.Command(cmd[0], filepath.Join(filepath.Dir(cmd[1]), "compare.js"), ref, out).CombinedOutput()
	if err != nil {
		t.Fatalf("compare.js: %v\n%s", err, res)
	}
	f := regexp.MustCompile(`worst max_abs/max\|ref\| = (\S+)`).FindSubmatch(res)
	if f == nil {
		t.Fatalf("compare.js said:\n%s", res)
	}
	if v, err := strconv.ParseFloat(string(f[1]), 64); err != nil || v > 1e-4 {
		t.Errorf("worst relative difference from TFLite %s, bound 1e-4:\n%s", f[1], res)
	}
}

// TestXNNPACKCoral runs a quantized Coral classifier partly on the
// delegate: its output equals the tflite-oracle's (TFLite with XNNPACK)
// bit for bit (xnnpack/testdata/oracle).
func TestXNNPACKCoral(t *testing.T) {
	const name = "mobilenet_v1_0.25_128_quant"
	model := clitest.Shared(t, "models/coral/"+name+".tflite")
	in := clitest.Shared(t, "reference/coral/"+name+"/in0.bin")
	out := t.TempDir()
	r := clitest.Run(t, bin, "--use_xnnpack", model, out, in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	m := readMeta(t, out)
	if d := m.Delegation; d == nil || d.Partitions != 2 || d.CPUNodes != 2 || len(d.CPUReasons) != 2 {
		t.Errorf("delegation %+v: want 2 partitions, AVERAGE_POOL_2D and SOFTMAX on the CPU", d)
	}
	clitest.Match(t, r.Stdout, `"AVERAGE_POOL_2D: xnnpack: .*quantized AVERAGE_POOL_2D is not supported`, `"TfLiteXNNPackDelegate": 2`)
	want := readFile(t, filepath.Join(clitest.RepoRoot(t), "xnnpack", "testdata", "oracle", name, "out0.bin"))
	if got := readFile(t, filepath.Join(out, "out0.bin")); !bytes.Equal(got, want) {
		t.Errorf("out0.bin differs from TFLite with XNNPACK")
	}
}
