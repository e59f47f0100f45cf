//go:build xnnpack && cgo

package xnnpack

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// TestCoralModelsPartiallyDelegated runs the quantized Coral models with
// what the delegate takes on XNNPACK and the rest on the CPU, and compares
// with Edgelite's CPU-only run (which is bit-exact with TFLite's reference
// kernels). XNNPACK requantizes through fp32, so single ops may differ by
// one unit; the test bounds the difference of the final outputs and
// requires the same top-1 class.
func TestCoralModelsPartiallyDelegated(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		minRuns int // delegated partitions expected at least
		maxDiff int // bound on |delegated - CPU| of the uint8 outputs
	}{
		{"mobilenet_v1_0.25_128_quant", 1, 8},
		{"tf2_mobilenet_v2_1.0_224_ptq", 1, 8},
		{"ssd_mobilenet_v1_coco_quant_postprocess_head_layers", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("../../shared/models/coral", tc.name+".tflite")
			refDir := filepath.Join("../../shared/reference/coral", tc.name)
			raw, err := os.ReadFile(filepath.Join(refDir, "meta.json"))
			if err != nil {
				t.Skipf("reference %s not found", refDir)
			}
			if _, err := os.Stat(path); err != nil {
				t.Skipf("model %s not found", path)
			}
			var meta refMeta
			require.NoError(t, json.Unmarshal(raw, &meta))
			var inputs [][]byte
			for _, in := range meta.Inputs {
				data, err := os.ReadFile(filepath.Join(refDir, in.File))
				require.NoError(t, err)
				inputs = append(inputs, data)
			}

			// CPU only.
			m, err := interpreter.LoadModelFile(path)
			require.NoError(t, err)
			defer m.Close()
			cpu, err := interpreter.New(m)
			require.NoError(t, err)
			defer cpu.Close()
			require.NoError(t, cpu.AllocateTensors())
			for i, data := range inputs {
				require.NoError(t, cpu.Input(i).CopyFromBuffer(data))
			}
			require.NoError(t, cpu.Invoke())

			dm := delegateModel(t, d, path, 1)
			t.Logf("delegated %d of %d nodes in %d partition(s); on the CPU: %v", dm.taken, dm.total, dm.delegatedRuns(), dm.rejected)
			require.GreaterOrEqual(t, dm.delegatedRuns(), tc.minRuns)
			for i, data := range inputs {
				require.NoError(t, dm.it.Input(i).CopyFromBuffer(data))
			}
			require.NoError(t, dm.invoke())
			for i, want := range cpu.Outputs() {
				got := dm.it.Output(i)
				require.Equal(t, want.Shape(), got.Shape())
				if want.Type() != core.Uint8 {
					require.True(t, bytes.Equal(want.Bytes(), got.Bytes()), "output %s differs", want.Name())
					continue
				}
				w, g := want.Uint8s(), got.Uint8s()
				hist := map[int]int{}
				worst := 0
				for j := range w {
					d := int(g[j]) - int(w[j])
					hist[d]++
					worst = max(worst, d, -d)
				}
				t.Logf("%s: difference histogram (delegated - CPU): %v", want.Name(), hist)
				require.LessOrEqual(t, worst, tc.maxDiff)
				require.Equal(t, argmax(w), argmax(g), "top-1 class")
				if ref, err := os.ReadFile(filepath.Join(refDir, meta.Outputs[i].File)); err == nil {
					t.Logf("top-1: delegated %d, CPU %d, TFLite reference %d", argmax(g), argmax(w), argmax(ref))
				}
			}
		})
	}
}

func argmax(v []uint8) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
