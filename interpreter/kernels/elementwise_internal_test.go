package kernels

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ewInternalModel is one op of the elementwise family on model inputs.
func ewInternalModel(code tflite.BuiltinOperator, version int, inTypes []core.TensorType, inShapes [][]int, outType core.TensorType, outShape []int, opts any) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var ins []int
	for i := range inTypes {
		ins = append(ins, g.Tensor(string(rune('a'+i)), inTypes[i], inShapes[i]))
	}
	o := g.Tensor("out", outType, outShape)
	g.OpVersion(code, version, ins, []int{o}, opts)
	g.Inputs(ins...)
	g.Outputs(o)
	return b
}

func elementwiseEvalModels() map[string]*modelbuilder.Builder {
	f, i32, b := core.Float32, core.Int32, core.Bool
	s := []int{2, 3, 4}
	return map[string]*modelbuilder.Builder{
		"logistic":  ewInternalModel(tflite.BuiltinOperatorLOGISTIC, 1, []core.TensorType{f}, [][]int{s}, f, s, nil),
		"gelu":      ewInternalModel(tflite.BuiltinOperatorGELU, 1, []core.TensorType{f}, [][]int{s}, f, s, &tflite.GeluOptionsT{}),
		"neg_i32":   ewInternalModel(tflite.BuiltinOperatorNEG, 1, []core.TensorType{i32}, [][]int{s}, i32, s, nil),
		"not":       ewInternalModel(tflite.BuiltinOperatorLOGICAL_NOT, 1, []core.TensorType{b}, [][]int{s}, b, s, nil),
		"prelu":     ewInternalModel(tflite.BuiltinOperatorPRELU, 1, []core.TensorType{f, f}, [][]int{s, {4}}, f, s, nil),
		"div":       ewInternalModel(tflite.BuiltinOperatorDIV, 1, []core.TensorType{f, f}, [][]int{s, {3, 1}}, f, s, nil),
		"max_i32":   ewInternalModel(tflite.BuiltinOperatorMAXIMUM, 1, []core.TensorType{i32, i32}, [][]int{s, {4}}, i32, s, nil),
		"less":      ewInternalModel(tflite.BuiltinOperatorLESS, 1, []core.TensorType{f, f}, [][]int{s, {1}}, b, s, nil),
		"and":       ewInternalModel(tflite.BuiltinOperatorLOGICAL_AND, 1, []core.TensorType{b, b}, [][]int{s, s}, b, s, nil),
		"softmax":   ewInternalModel(tflite.BuiltinOperatorSOFTMAX, 1, []core.TensorType{f}, [][]int{s}, f, s, &tflite.SoftmaxOptionsT{Beta: 1}),
		"l2norm":    ewInternalModel(tflite.BuiltinOperatorL2_NORMALIZATION, 1, []core.TensorType{f}, [][]int{s}, f, s, nil),
		"select":    ewInternalModel(tflite.BuiltinOperatorSELECT, 1, []core.TensorType{b, f, f}, [][]int{{2}, s, s}, f, s, nil),
		"select_v2": ewInternalModel(tflite.BuiltinOperatorSELECT_V2, 1, []core.TensorType{b, i32, i32}, [][]int{{3, 1}, {4}, s}, i32, s, nil),
		"cast":      ewInternalModel(tflite.BuiltinOperatorCAST, 1, []core.TensorType{f}, [][]int{s}, i32, s, nil),
		"cast_bool": ewInternalModel(tflite.BuiltinOperatorCAST, 1, []core.TensorType{b}, [][]int{s}, f, s, nil),
		"cast_f16":  ewInternalModel(tflite.BuiltinOperatorCAST, 5, []core.TensorType{core.Float16}, [][]int{s}, i32, s, nil),
	}
}

func TestElementwiseEvalDoesNotAllocate(t *testing.T) {
	for name, b := range elementwiseEvalModels() {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, b)
			h.prepare(t)
			h.fill()
			if name == "max_i32" || name == "div" {
				// Keep divisors non-zero.
				for _, in := range h.node.Inputs {
					if in.Type() == core.Float32 {
						for i := range in.Float32s() {
							in.Float32s()[i] = float32(i + 1)
						}
					}
				}
			}
			h.eval(t)
			assert.Zero(t, testing.AllocsPerRun(20, func() {
				if err := h.kernel.Eval(h.node); err != nil {
					t.Fatal(err)
				}
			}))
		})
	}
}

func TestElementwiseEvalBeforePrepareFails(t *testing.T) {
	for name, b := range elementwiseEvalModels() {
		h := newHarness(t, b)
		require.Error(t, h.kernel.Eval(h.node), name)
	}
}

// TestElementwiseShortStorageFails gives a prepared kernel tensors whose
// storage is smaller than the plan: Eval must fail, not panic.
func TestElementwiseShortStorageFails(t *testing.T) {
	for name, b := range elementwiseEvalModels() {
		h := newHarness(t, b)
		h.prepare(t)
		h.node.Outputs[0].Bind(nil, core.StorageArena)
		assert.Error(t, h.kernel.Eval(h.node), name)
	}
}
