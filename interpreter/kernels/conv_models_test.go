package kernels

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// TestConvShapesOfRealModels prepares every CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV and Convolution2DTransposeBias node of the MediaPipe
// models on its own (tensor shapes and constants from the model) and
// checks that the output shape the kernel computes is the one the
// converter recorded. The models are not in the repository: missing ones
// are skipped.
func TestConvShapesOfRealModels(t *testing.T) {
	var paths []string
	for _, dir := range []string{"../../testdata/models/mediapipe", "../../../shared/models/mediapipe"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.tflite"))
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Skip("no MediaPipe models in testdata/models/mediapipe (see REFERENCE.md)")
	}
	seen := map[string]bool{}
	checked := 0
	for _, p := range paths {
		if seen[filepath.Base(p)] {
			continue
		}
		seen[filepath.Base(p)] = true
		buf, err := os.ReadFile(p)
		require.NoError(t, err)
		checked += checkConvShapes(t, filepath.Base(p), buf)
	}
	t.Logf("%d conv-family nodes in %d models", checked, len(seen))
	assert.NotZero(t, checked)
}

func checkConvShapes(t *testing.T, name string, buf []byte) int {
	fb := tflite.GetRootAsModel(buf, 0)
	m := fb.UnPack()
	ops := Builtins()
	count := 0
	for si, sgT := range m.Subgraphs {
		var sg tflite.SubGraph
		require.True(t, fb.Subgraphs(&sg, si))
		tensors := make([]*core.Tensor, len(sgT.Tensors))
		recorded := make([][]int, len(sgT.Tensors))
		for i, tt := range sgT.Tensors {
			shape := make([]int, len(tt.Shape))
			for j, d := range tt.Shape {
				shape[j] = int(d)
			}
			recorded[i] = shape
			ct := core.NewTensor(i, tt.Name, core.TensorType(tt.Type), shape)
			if data := m.Buffers[tt.Buffer].Data; len(data) > 0 {
				ct.Bind(data, core.StorageConstant)
			}
			tensors[i] = ct
		}
		for oi, opT := range sgT.Operators {
			code := m.OperatorCodes[opT.OpcodeIndex]
			op := core.OpCode{Builtin: code.BuiltinCode, Custom: code.CustomCode, Version: int(code.Version)}
			switch op.Name() {
			case "CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "Convolution2DTransposeBias":
			default:
				continue
			}
			pick := func(idx []int32) []*core.Tensor {
				out := make([]*core.Tensor, len(idx))
				for i, j := range idx {
					if j >= 0 {
						out[i] = tensors[j]
					}
				}
				return out
			}
			operator := new(tflite.Operator)
			require.True(t, sg.Operators(operator, oi))
			node := &core.Node{Index: oi, Op: op, Inputs: pick(opT.Inputs), Outputs: pick(opT.Outputs),
				Operator: operator, CustomOptions: opT.CustomOptions, Env: testEnv{}}
			factory, err := ops.Lookup(op)
			require.NoError(t, err, "%s operator %d", name, oi)
			k, err := factory(node)
			require.NoError(t, err, "%s operator %d", name, oi)
			require.NoError(t, k.Prepare(node), "%s operator %d (%s)", name, oi, op.Name())
			out := opT.Outputs[0]
			assert.Equal(t, recorded[out], tensors[out].Shape(), "%s operator %d (%s)", name, oi, op.Name())
			count++
		}
	}
	return count
}
