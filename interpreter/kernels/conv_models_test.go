package kernels

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
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

// convEvalModels are one-node models of each conv-family builtin.
func convEvalModels() map[string]*modelbuilder.Builder {
	ms := map[string]*modelbuilder.Builder{}
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 5, 5, 6})
	w := g.ConstFloat32("w", []int{6, 3, 3, 3}, make([]float32, 162))
	bias := g.ConstFloat32("b", []int{6}, make([]float32, 6))
	y := g.Tensor("y", core.Float32, []int{1, 5, 5, 6})
	g.OpVersion(tflite.BuiltinOperatorCONV_2D, 6, []int{x, w, bias}, []int{y}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1})
	g.Inputs(x)
	g.Outputs(y)
	ms["conv2d_grouped"] = b

	b = modelbuilder.New()
	g = b.Main()
	x = g.Tensor("x", core.Float32, []int{1, 5, 5, 3})
	w = g.ConstFloat32("w", []int{1, 3, 3, 6}, make([]float32, 54))
	y = g.Tensor("y", core.Float32, []int{1, 5, 5, 6})
	g.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []int{x, w}, []int{y}, &tflite.DepthwiseConv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DepthMultiplier: 2, DilationWFactor: 1, DilationHFactor: 1})
	g.Inputs(x)
	g.Outputs(y)
	ms["depthwise"] = b

	for _, dynamic := range []bool{false, true} {
		b = modelbuilder.New()
		g = b.Main()
		x = g.Tensor("x", core.Float32, []int{1, 3, 3, 2})
		w = g.ConstFloat32("w", []int{4, 3, 3, 2}, make([]float32, 72))
		var s int
		if dynamic {
			s = g.Tensor("s", core.Int32, []int{4})
		} else {
			s = g.ConstInt32("s", []int{4}, []int32{1, 6, 6, 4})
		}
		y = g.Tensor("y", core.Float32, []int{1, 6, 6, 4})
		g.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, 3, []int{s, w, x, -1}, []int{y}, &tflite.TransposeConvOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2})
		g.Inputs(x)
		g.Outputs(y)
		if dynamic {
			ms["transpose_conv_dynamic"] = b
		} else {
			ms["transpose_conv"] = b
		}
	}
	return ms
}

func TestConvEvalHarness(t *testing.T) {
	for name, b := range convEvalModels() {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, b)
			assert.Error(t, h.kernel.Eval(h.node), "before Prepare")
			h.prepare(t)
			h.fill()
			if name == "transpose_conv_dynamic" {
				copy(h.node.Inputs[0].Int32s(), []int32{1, 6, 6, 4})
			}
			h.eval(t)
			assert.Zero(t, testing.AllocsPerRun(10, func() {
				if err := h.kernel.Eval(h.node); err != nil {
					t.Fatal(err)
				}
			}))
			// Storage the planner failed to give: Eval must fail, not panic.
			if name == "transpose_conv_dynamic" {
				h.node.Inputs[1].Bind(nil, core.StorageArena)
			} else {
				h.node.Outputs[0].Bind(nil, core.StorageArena)
			}
			assert.Error(t, h.kernel.Eval(h.node))
		})
	}
}
