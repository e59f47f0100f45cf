package main

import (
	"math"
	"os"
	"testing"

	"github.com/edgelite/edgelite/interpreter"
)

// TestRewriteSameOutputs rewrites selfie_segmentation and checks that
// Edgelite computes the same output from both models on the reference
// input, and that no custom op is left.
func TestRewriteSameOutputs(t *testing.T) {
	path := "../../../testdata/models/mediapipe/selfie_segmentation.tflite"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%v (run scripts/fetch-models.sh)", err)
	}
	out, n, err := rewrite(data)
	if err != nil || n != 1 {
		t.Fatalf("rewrite: %d ops, %v; want 1", n, err)
	}
	run := func(b []byte, rewritten bool) []float32 {
		m, err := interpreter.LoadModel(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range m.Subgraphs()[0].Operators {
			if op.Op.Custom != "" && rewritten {
				t.Errorf("custom op %s left in the rewritten model", op.Op.Custom)
			}
		}
		it, err := interpreter.New(m)
		if err != nil {
			t.Fatal(err)
		}
		defer it.Close()
		if err := it.AllocateTensors(); err != nil {
			t.Fatal(err)
		}
		in := it.Input(0).Float32s()
		for i := range in {
			in[i] = float32(math.Sin(float64(i)))
		}
		if err := it.Invoke(); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), it.Output(0).Float32s()...)
	}
	a, b := run(data, false), run(out, true)
	if len(a) != len(b) {
		t.Fatalf("%d vs %d outputs", len(a), len(b))
	}
	for i := range a {
		if d := math.Abs(float64(a[i] - b[i])); d > 1e-5 {
			t.Fatalf("output %d: %v (custom op) vs %v (TRANSPOSE_CONV)", i, a[i], b[i])
		}
	}
	if _, n, err := rewrite(out); err != nil || n != 0 {
		t.Errorf("rewriting again: %d ops, %v; want none", n, err)
	}
	if _, _, err := rewrite([]byte("not a model")); err == nil {
		t.Error("garbage accepted")
	}
}
