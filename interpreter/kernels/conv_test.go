package kernels_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/scripts/conformance/cases"
)

// convSpec describes a one-op CONV_2D / DEPTHWISE_CONV_2D model with its
// weights as constants and the input as the model input.
type convSpec struct {
	op      tflite.BuiltinOperator
	version int
	in, w   []int
	bias    int // 0: no bias input; -1: bias index -1; >0 bias length
	out     []int
	opts    any
	inType  core.TensorType
	wType   core.TensorType
}

func convModel(s convSpec) *modelbuilder.Builder {
	if s.inType == 0 {
		s.inType = core.Float32
	}
	if s.wType == 0 {
		s.wType = core.Float32
	}
	if s.version == 0 {
		s.version = 1
	}
	b := modelbuilder.New()
	g := b.Main()
	var x int
	if s.inType == core.Float32 {
		x = g.Tensor("x", s.inType, s.in)
	} else {
		x = g.Tensor("x", s.inType, s.in, modelbuilder.Quant(0.1, 0))
	}
	var w int
	if s.wType == core.Float32 {
		w = g.ConstFloat32("w", s.w, ramp(numElements(s.w), -1, 0.01))
	} else {
		w = g.Const("w", s.wType, s.w, make([]byte, numElements(s.w)), modelbuilder.Quant(0.1, 0))
	}
	ins := []int{x, w}
	switch {
	case s.bias < 0:
		ins = append(ins, -1)
	case s.bias > 0:
		ins = append(ins, g.ConstFloat32("b", []int{s.bias}, ramp(s.bias, 0.5, 0.25)))
	}
	var y int
	if s.inType == core.Float32 {
		y = g.Tensor("y", s.inType, s.out)
	} else {
		y = g.Tensor("y", s.inType, s.out, modelbuilder.Quant(0.1, 0))
	}
	g.OpVersion(s.op, s.version, ins, []int{y}, s.opts)
	g.Inputs(x)
	g.Outputs(y)
	return b
}

func convOpts(pad tflite.Padding, s, d int, act tflite.ActivationFunctionType) *tflite.Conv2DOptionsT {
	return &tflite.Conv2DOptionsT{Padding: pad, StrideW: int32(s), StrideH: int32(s), DilationWFactor: int32(d), DilationHFactor: int32(d), FusedActivationFunction: act}
}

func dwOpts(pad tflite.Padding, s, d, mult int) *tflite.DepthwiseConv2DOptionsT {
	return &tflite.DepthwiseConv2DOptionsT{Padding: pad, StrideW: int32(s), StrideH: int32(s), DilationWFactor: int32(d), DilationHFactor: int32(d), DepthMultiplier: int32(mult)}
}

// TestConv2DHandComputed checks a tiny convolution worked out by hand: a
// 2x2 filter of ones over a 3x3 ramp, VALID, plus the bias.
func TestConv2DHandComputed(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 3, 3, 1})
	w := g.ConstFloat32("w", []int{1, 2, 2, 1}, []float32{1, 1, 1, 1})
	bias := g.ConstFloat32("b", []int{1}, []float32{0.5})
	y := g.Tensor("y", core.Float32, []int{1, 2, 2, 1})
	g.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, bias}, []int{y}, convOpts(tflite.PaddingVALID, 1, 1, tflite.ActivationFunctionTypeNONE))
	g.Inputs(x)
	g.Outputs(y)
	it := run(t, b, f32Bytes(1, 2, 3, 4, 5, 6, 7, 8, 9))
	assert.Equal(t, []int{1, 2, 2, 1}, it.Output(0).Shape())
	assert.Equal(t, []float32{12.5, 16.5, 24.5, 28.5}, it.Output(0).Float32s())

	// SAME with a 3x3 input and 2x2 filter pads after only: the last row
	// and column see zeros.
	b = modelbuilder.New()
	g = b.Main()
	x = g.Tensor("x", core.Float32, []int{1, 3, 3, 1})
	w = g.ConstFloat32("w", []int{1, 2, 2, 1}, []float32{1, 1, 1, 1})
	bias = g.ConstFloat32("b", []int{1}, []float32{0})
	y = g.Tensor("y", core.Float32, []int{1, 3, 3, 1})
	g.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, bias}, []int{y}, convOpts(tflite.PaddingSAME, 1, 1, tflite.ActivationFunctionTypeRELU6))
	g.Inputs(x)
	g.Outputs(y)
	it = run(t, b, f32Bytes(1, 2, 3, 4, 5, 6, 7, 8, 9))
	assert.Equal(t, []float32{6, 6, 6, 6, 6, 6, 6, 6, 6}, it.Output(0).Float32s())
	it = run(t, b, f32Bytes(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9))
	assert.InDeltaSlice(t, []float32{1.2, 1.6, 0.9, 2.4, 2.8, 1.5, 1.5, 1.7, 0.9}, it.Output(0).Float32s(), 1e-6)
}

// TestConv2DGroupedMatchesSplit checks a grouped convolution against the
// concatenation of its groups run as separate convolutions.
func TestConv2DGroupedMatchesSplit(t *testing.T) {
	const groups, fic, perGroup = 3, 2, 2
	in := ramp(1*4*4*groups*fic, -1, 0.021)
	wAll := ramp(groups*perGroup*3*3*fic, -0.7, 0.013)
	bAll := ramp(groups*perGroup, -0.2, 0.1)
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 4, 4, groups * fic})
	w := g.ConstFloat32("w", []int{groups * perGroup, 3, 3, fic}, wAll)
	bias := g.ConstFloat32("b", []int{groups * perGroup}, bAll)
	y := g.Tensor("y", core.Float32, []int{1, 4, 4, groups * perGroup})
	g.OpVersion(tflite.BuiltinOperatorCONV_2D, 6, []int{x, w, bias}, []int{y}, convOpts(tflite.PaddingSAME, 1, 1, tflite.ActivationFunctionTypeNONE))
	g.Inputs(x)
	g.Outputs(y)
	got := run(t, b, f32Bytes(in...)).Output(0).Float32s()
	for grp := 0; grp < groups; grp++ {
		sub := make([]float32, 0, 16*fic)
		for p := 0; p < 16; p++ {
			sub = append(sub, in[p*groups*fic+grp*fic:][:fic]...)
		}
		b := modelbuilder.New()
		g := b.Main()
		x := g.Tensor("x", core.Float32, []int{1, 4, 4, fic})
		w := g.ConstFloat32("w", []int{perGroup, 3, 3, fic}, wAll[grp*perGroup*9*fic:][:perGroup*9*fic])
		bias := g.ConstFloat32("b", []int{perGroup}, bAll[grp*perGroup:][:perGroup])
		y := g.Tensor("y", core.Float32, []int{1, 4, 4, perGroup})
		g.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, bias}, []int{y}, convOpts(tflite.PaddingSAME, 1, 1, tflite.ActivationFunctionTypeNONE))
		g.Inputs(x)
		g.Outputs(y)
		want := run(t, b, f32Bytes(sub...)).Output(0).Float32s()
		for p := 0; p < 16; p++ {
			assert.Equal(t, want[p*perGroup:][:perGroup], got[p*groups*perGroup+grp*perGroup:][:perGroup], "group %d pixel %d", grp, p)
		}
	}
}

// TestDepthwiseHandComputed: multiplier 2 over two channels, 1x1 filter.
func TestDepthwiseHandComputed(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 1, 2, 2})
	w := g.ConstFloat32("w", []int{1, 1, 1, 4}, []float32{1, 2, 3, 4})
	bias := g.ConstFloat32("b", []int{4}, []float32{0, 0, 0, 100})
	y := g.Tensor("y", core.Float32, []int{1, 1, 2, 4})
	// The option says 1; TFLite takes the multiplier from the shapes.
	g.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []int{x, w, bias}, []int{y}, dwOpts(tflite.PaddingVALID, 1, 1, 1))
	g.Inputs(x)
	g.Outputs(y)
	it := run(t, b, f32Bytes(1, 10, 2, 20))
	// channel 0 → outputs 0,1 (×1, ×2); channel 1 → outputs 2,3 (×3, ×4).
	assert.Equal(t, []float32{1, 2, 30, 140, 2, 4, 60, 180}, it.Output(0).Float32s())
}

func TestConvFamilyErrors(t *testing.T) {
	none := tflite.ActivationFunctionTypeNONE
	conv := func(mod func(*convSpec)) *modelbuilder.Builder {
		s := convSpec{op: tflite.BuiltinOperatorCONV_2D, in: []int{1, 5, 5, 4}, w: []int{2, 3, 3, 4}, bias: 2, out: []int{1, 5, 5, 2},
			opts: convOpts(tflite.PaddingSAME, 1, 1, none)}
		mod(&s)
		return convModel(s)
	}
	dw := func(mod func(*convSpec)) *modelbuilder.Builder {
		s := convSpec{op: tflite.BuiltinOperatorDEPTHWISE_CONV_2D, in: []int{1, 5, 5, 4}, w: []int{1, 3, 3, 8}, bias: 8, out: []int{1, 5, 5, 8},
			opts: dwOpts(tflite.PaddingSAME, 1, 1, 2)}
		mod(&s)
		return convModel(s)
	}
	for _, tc := range []struct {
		name, want string
		b          *modelbuilder.Builder
	}{
		{"conv ok", "", conv(func(*convSpec) {})},
		{"conv no bias", "requires", conv(func(s *convSpec) { s.bias = 0 })},
		{"conv absent bias", "requires", conv(func(s *convSpec) { s.bias = -1 })},
		{"conv bias size", "bias has 3 elements", conv(func(s *convSpec) { s.bias = 3 })},
		{"conv channels", "not a multiple", conv(func(s *convSpec) { s.w = []int{2, 3, 3, 3} })},
		{"conv groups", "do not split", conv(func(s *convSpec) { s.w = []int{3, 3, 3, 2}; s.bias = 3; s.version = 6 })},
		{"conv rank", "4 dimensions", conv(func(s *convSpec) { s.in = []int{5, 5, 4} })},
		{"conv stride", "stride 0", conv(func(s *convSpec) { s.opts = convOpts(tflite.PaddingSAME, 0, 1, none) })},
		{"conv dilation", "dilation factor 0", conv(func(s *convSpec) { s.opts = convOpts(tflite.PaddingSAME, 1, 0, none) })},
		{"conv dilation huge", "too large", conv(func(s *convSpec) { s.opts = convOpts(tflite.PaddingVALID, 1, 1<<30, none) })},
		{"conv padding", "padding", conv(func(s *convSpec) { s.opts = convOpts(tflite.Padding(7), 1, 1, none) })},
		{"conv int8 float bias", "FLOAT32 bias with INT8 input is not supported", conv(func(s *convSpec) { s.inType = core.Int8; s.wType = core.Int8 })},
		{"conv hybrid uint8", "hybrid FLOAT32 input with UINT8 filter is not supported", conv(func(s *convSpec) { s.wType = core.Uint8 })},
		{"dw hybrid uint8", "hybrid FLOAT32 input with UINT8 filter is not supported", dw(func(s *convSpec) { s.wType = core.Uint8 })},
		{"dw ok", "", dw(func(*convSpec) {})},
		{"dw no bias", "", dw(func(s *convSpec) { s.bias = 0 })},
		{"dw absent bias", "", dw(func(s *convSpec) { s.bias = -1 })},
		{"dw filter dim 0", "want [1, height", dw(func(s *convSpec) { s.w = []int{2, 3, 3, 4}; s.bias = 4 })},
		{"dw channels", "not a multiple", dw(func(s *convSpec) { s.w = []int{1, 3, 3, 6}; s.bias = 6 })},
		{"dw bias size", "bias has shape", dw(func(s *convSpec) { s.bias = 4 })},
		{"dw stride", "stride 0", dw(func(s *convSpec) { s.opts = dwOpts(tflite.PaddingSAME, 0, 1, 2) })},
		{"dw uint8 float bias", "FLOAT32 bias with UINT8 input is not supported", dw(func(s *convSpec) { s.inType = core.Uint8; s.wType = core.Uint8 })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := prepareError(t, tc.b)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestConvOutputSizes checks the output shapes of SAME and VALID padding
// with strides and dilation, including a VALID filter larger than the
// input (an empty output, as TFLite's ComputeOutSize gives).
func TestConvOutputSizes(t *testing.T) {
	none := tflite.ActivationFunctionTypeNONE
	for _, tc := range []struct {
		in, k, s, d int
		pad         tflite.Padding
		want        int
	}{
		{7, 3, 1, 1, tflite.PaddingSAME, 7},
		{7, 3, 2, 1, tflite.PaddingSAME, 4},
		{7, 3, 3, 1, tflite.PaddingSAME, 3},
		{7, 3, 1, 1, tflite.PaddingVALID, 5},
		{7, 3, 2, 1, tflite.PaddingVALID, 3},
		{7, 3, 2, 2, tflite.PaddingVALID, 2},
		{9, 3, 1, 2, tflite.PaddingVALID, 5},
		{2, 5, 1, 1, tflite.PaddingSAME, 2},
		{3, 5, 2, 1, tflite.PaddingVALID, 0},
	} {
		b := convModel(convSpec{op: tflite.BuiltinOperatorCONV_2D, in: []int{1, tc.in, tc.in, 1}, w: []int{1, tc.k, tc.k, 1}, bias: 1,
			out: []int{1, 1, 1, 1}, opts: convOpts(tc.pad, tc.s, tc.d, none)})
		it, err := build(t, b)
		require.NoError(t, err, "%+v", tc)
		assert.Equal(t, []int{1, tc.want, tc.want, 1}, it.Output(0).Shape(), "%+v", tc)
		require.NoError(t, it.Invoke())
	}
}

// transposeConvModel builds TRANSPOSE_CONV over a [1,3,3,2] input with
// [2,3,3,2] weights, stride 2, SAME; the output shape is a constant or
// (shapeInput) the model's second input.
func transposeConvModel(act tflite.ActivationFunctionType, version int, shapeInput, bias bool, out []int) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 3, 3, 2})
	w := g.ConstFloat32("w", []int{2, 3, 3, 2}, ramp(36, -1, 0.057))
	var shape int
	if shapeInput {
		shape = g.Tensor("shape", core.Int32, []int{4})
	} else {
		shape = g.ConstInt32("shape", []int{4}, []int32{int32(out[0]), int32(out[1]), int32(out[2]), int32(out[3])})
	}
	ins := []int{shape, w, x}
	if bias {
		ins = append(ins, g.ConstFloat32("b", []int{2}, []float32{0.25, -0.5}))
	}
	y := g.Tensor("y", core.Float32, out)
	g.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, version, ins, []int{y},
		&tflite.TransposeConvOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, FusedActivationFunction: act})
	if shapeInput {
		g.Inputs(x, shape)
	} else {
		g.Inputs(x)
	}
	g.Outputs(y)
	return b
}

// TestTransposeConvActivation checks version 4's fused activations (which
// the oracle's TFLite cannot load) against the clamped NONE output, whose
// arithmetic the conformance cases check.
func TestTransposeConvActivation(t *testing.T) {
	in := f32Bytes(ramp(18, -3, 0.37)...)
	out := []int{1, 6, 6, 2}
	plain := run(t, transposeConvModel(tflite.ActivationFunctionTypeNONE, 3, false, true, out), in).Output(0).Float32s()
	for _, tc := range []struct {
		act    tflite.ActivationFunctionType
		lo, hi float32
	}{
		{tflite.ActivationFunctionTypeRELU, 0, math.MaxFloat32},
		{tflite.ActivationFunctionTypeRELU6, 0, 6},
		{tflite.ActivationFunctionTypeRELU_N1_TO_1, -1, 1},
	} {
		got := run(t, transposeConvModel(tc.act, 4, false, true, out), in).Output(0).Float32s()
		require.Len(t, got, len(plain))
		clamped := 0
		for i, v := range plain {
			want := min(max(v, tc.lo), tc.hi)
			if want != v {
				clamped++
			}
			assert.Equal(t, want, got[i], "%s [%d]", tc.act, i)
		}
		assert.NotZero(t, clamped, "%s clamps nothing: weak test", tc.act)
	}
}

// TestTransposeConvDynamicShape runs TRANSPOSE_CONV with the output shape
// as data, changing it between invocations.
func TestTransposeConvDynamicShape(t *testing.T) {
	in := f32Bytes(ramp(18, -1, 0.11)...)
	b := transposeConvModel(tflite.ActivationFunctionTypeNONE, 3, true, true, []int{1, 6, 6, 2})
	it, err := build(t, b)
	require.NoError(t, err)
	for _, out := range [][]int{{1, 6, 6, 2}, {1, 5, 5, 2}, {1, 6, 5, 2}} {
		want := run(t, transposeConvModel(tflite.ActivationFunctionTypeNONE, 3, false, true, out), in).Output(0).Float32s()
		require.NoError(t, it.Input(0).CopyFromBuffer(in))
		require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(int32(out[0]), int32(out[1]), int32(out[2]), int32(out[3]))))
		require.NoError(t, it.Invoke())
		assert.Equal(t, out, it.Output(0).Shape())
		assert.Equal(t, want, it.Output(0).Float32s())
	}
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(2, 6, 6, 2)))
	assert.ErrorContains(t, it.Invoke(), "does not match batch")
}

func TestTransposeConvErrors(t *testing.T) {
	mk := func(mod func(shape *[]int32, shapeType *core.TensorType, wShape *[]int, opts *tflite.TransposeConvOptionsT)) *modelbuilder.Builder {
		shape := []int32{1, 6, 6, 2}
		shapeType := core.Int32
		wShape := []int{2, 3, 3, 2}
		opts := tflite.TransposeConvOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2}
		mod(&shape, &shapeType, &wShape, &opts)
		b := modelbuilder.New()
		g := b.Main()
		x := g.Tensor("x", core.Float32, []int{1, 3, 3, 2})
		w := g.ConstFloat32("w", wShape, make([]float32, numElements(wShape)))
		var s int
		if shapeType == core.Int32 {
			s = g.ConstInt32("shape", []int{len(shape)}, shape)
		} else {
			s = g.Const("shape", shapeType, []int{len(shape)}, make([]byte, 8*len(shape)))
		}
		y := g.Tensor("y", core.Float32, []int{1, 6, 6, 2})
		g.Op(tflite.BuiltinOperatorTRANSPOSE_CONV, []int{s, w, x}, []int{y}, &opts)
		g.Inputs(x)
		g.Outputs(y)
		return b
	}
	type mod = func(*[]int32, *core.TensorType, *[]int, *tflite.TransposeConvOptionsT)
	for _, tc := range []struct {
		name, want string
		mod        mod
	}{
		{"ok", "", func(*[]int32, *core.TensorType, *[]int, *tflite.TransposeConvOptionsT) {}},
		{"shape type", "not INT32", func(_ *[]int32, st *core.TensorType, _ *[]int, _ *tflite.TransposeConvOptionsT) { *st = core.Int64 }},
		{"shape length", "want [4]", func(s *[]int32, _ *core.TensorType, _ *[]int, _ *tflite.TransposeConvOptionsT) { *s = []int32{1, 6, 6} }},
		{"shape channels", "does not match", func(s *[]int32, _ *core.TensorType, _ *[]int, _ *tflite.TransposeConvOptionsT) {
			*s = []int32{1, 6, 6, 3}
		}},
		{"shape negative", "invalid size", func(s *[]int32, _ *core.TensorType, _ *[]int, _ *tflite.TransposeConvOptionsT) {
			*s = []int32{1, -6, 6, 2}
		}},
		{"weights channels", "input channels", func(_ *[]int32, _ *core.TensorType, w *[]int, _ *tflite.TransposeConvOptionsT) {
			*w = []int{2, 3, 3, 3}
		}},
		{"stride", "strides", func(_ *[]int32, _ *core.TensorType, _ *[]int, o *tflite.TransposeConvOptionsT) { o.StrideW = 0 }},
		{"padding", "padding", func(_ *[]int32, _ *core.TensorType, _ *[]int, o *tflite.TransposeConvOptionsT) { o.Padding = 9 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := prepareError(t, mk(tc.mod))
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// transposeConvBiasOptions is TfLiteTransposeConvParams as raw bytes.
func transposeConvBiasOptions(padding, strideW, strideH int32) []byte {
	return i32Bytes(padding, strideW, strideH)
}

// customTransposeConvBias rewrites a TRANSPOSE_CONV+ADD conformance model
// (tensors x, w, b, y) into one Convolution2DTransposeBias node.
func customTransposeConvBias(t *testing.T, model []byte, padding, strideW, strideH int32) []byte {
	t.Helper()
	m := tflite.GetRootAsModel(model, 0).UnPack()
	sg := m.Subgraphs[0]
	idx := map[string]int32{}
	for i, tt := range sg.Tensors {
		idx[tt.Name] = int32(i)
	}
	for _, name := range []string{"x", "w", "b", "y"} {
		_, ok := idx[name]
		require.True(t, ok, "tensor %s", name)
	}
	m.OperatorCodes = append(m.OperatorCodes, &tflite.OperatorCodeT{
		DeprecatedBuiltinCode: int8(tflite.BuiltinOperatorCUSTOM), BuiltinCode: tflite.BuiltinOperatorCUSTOM,
		CustomCode: "Convolution2DTransposeBias", Version: 1})
	sg.Operators = []*tflite.OperatorT{{
		OpcodeIndex:   uint32(len(m.OperatorCodes) - 1),
		Inputs:        []int32{idx["x"], idx["w"], idx["b"]},
		Outputs:       []int32{idx["y"]},
		CustomOptions: transposeConvBiasOptions(padding, strideW, strideH),
	}}
	return modelbuilder.Serialize(m)
}

// TestConvolution2DTransposeBias runs MediaPipe's custom op, which the
// oracle cannot run, on the weights, bias and inputs of the
// TRANSPOSE_CONV+ADD conformance cases and compares it with their TFLite
// outputs: the output size comes from MediaPipe's own formula, so equal
// shapes also check it against TRANSPOSE_CONV's padding.
func TestConvolution2DTransposeBias(t *testing.T) {
	cs := cases.ConvBiasCases()
	require.NotEmpty(t, cs)
	for _, c := range cs {
		t.Run(c.Name, func(t *testing.T) {
			cfg := c.Config.(cases.ConvConfig)
			model, err := c.Model()
			require.NoError(t, err)
			pad := int32(2)
			if cfg.Padding == "SAME" {
				pad = 1
			}
			custom := customTransposeConvBias(t, model, pad, int32(cfg.StrideW), int32(cfg.StrideH))
			dir := filepath.Join(conformanceDir, c.Name)
			raw, err := os.ReadFile(filepath.Join(dir, "case.json"))
			require.NoError(t, err)
			var rec cases.Record
			require.NoError(t, json.Unmarshal(raw, &rec))
			m, err := interpreter.LoadModel(custom)
			require.NoError(t, err)
			it, err := interpreter.New(m)
			require.NoError(t, err)
			defer it.Close()
			require.NoError(t, it.AllocateTensors())
			for i, in := range rec.Inputs {
				data, err := os.ReadFile(filepath.Join(dir, in.File))
				require.NoError(t, err)
				require.NoError(t, it.Input(i).CopyFromBuffer(data))
			}
			require.NoError(t, it.Invoke())
			want, err := os.ReadFile(filepath.Join(dir, rec.Outputs[0].File))
			require.NoError(t, err)
			require.Equal(t, rec.Outputs[0].Shape, append([]int{}, it.Output(0).Shape()...))
			compareFloat32(t, 0, it.Output(0).Bytes(), want, rec.FloatTol)
			assert.Zero(t, testing.AllocsPerRun(5, func() { _ = it.Invoke() }))
		})
	}
}

func TestConvolution2DTransposeBiasErrors(t *testing.T) {
	mk := func(opts []byte, bias int) *modelbuilder.Builder {
		b := modelbuilder.New()
		g := b.Main()
		x := g.Tensor("x", core.Float32, []int{1, 3, 3, 2})
		w := g.ConstFloat32("w", []int{4, 3, 3, 2}, make([]float32, 72))
		bb := g.ConstFloat32("b", []int{bias}, make([]float32, bias))
		y := g.Tensor("y", core.Float32, []int{1, 6, 6, 4})
		g.Custom("Convolution2DTransposeBias", []int{x, w, bb}, []int{y}, opts)
		g.Inputs(x)
		g.Outputs(y)
		return b
	}
	it, err := build(t, mk(transposeConvBiasOptions(1, 2, 2), 4))
	require.NoError(t, err)
	// MediaPipe's SAME size for in 3, filter 3, stride 2: 2*2+3-2.
	assert.Equal(t, []int{1, 5, 5, 4}, it.Output(0).Shape())
	it, err = build(t, mk(append(transposeConvBiasOptions(2, 2, 1), 0, 0, 0, 0), 4))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 5, 7, 4}, it.Output(0).Shape())
	for _, tc := range []struct {
		name, want string
		b          *modelbuilder.Builder
	}{
		{"short options", "12-byte", mk(i32Bytes(1, 2), 4)},
		{"padding", "neither SAME", mk(transposeConvBiasOptions(0, 2, 2), 4)},
		{"stride", "strides", mk(transposeConvBiasOptions(1, 0, 2), 4)},
		{"bias", "bias has shape", mk(transposeConvBiasOptions(1, 2, 2), 3)},
	} {
		err := prepareError(t, tc.b)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
	}
}

// TestConvFamilyInvokeDoesNotAllocate runs each kernel through Invoke.
func TestConvFamilyInvokeDoesNotAllocate(t *testing.T) {
	none := tflite.ActivationFunctionTypeNONE
	for name, b := range map[string]*modelbuilder.Builder{
		"conv2d": convModel(convSpec{op: tflite.BuiltinOperatorCONV_2D, in: []int{1, 5, 5, 4}, w: []int{2, 3, 3, 4}, bias: 2,
			out: []int{1, 5, 5, 2}, opts: convOpts(tflite.PaddingSAME, 1, 1, none)}),
		"depthwise": convModel(convSpec{op: tflite.BuiltinOperatorDEPTHWISE_CONV_2D, in: []int{1, 5, 5, 4}, w: []int{1, 3, 3, 8}, bias: 8,
			out: []int{1, 5, 5, 8}, opts: dwOpts(tflite.PaddingSAME, 1, 1, 2)}),
		"transpose_conv": transposeConvModel(none, 3, false, true, []int{1, 6, 6, 2}),
	} {
		it, err := build(t, b)
		require.NoError(t, err, name)
		require.NoError(t, it.Invoke(), name)
		assert.Zero(t, testing.AllocsPerRun(10, func() { _ = it.Invoke() }), name)
	}
	// The dynamic output keeps its storage while its size does not grow.
	it, err := build(t, transposeConvModel(none, 3, true, true, []int{1, 6, 6, 2}))
	require.NoError(t, err)
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(1, 6, 6, 2)))
	require.NoError(t, it.Invoke())
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = it.Invoke() }))
}

// TestConvResizeInput: Prepare runs again after a resize and recomputes
// the output size and padding; the result equals a model built at the
// new size.
func TestConvResizeInput(t *testing.T) {
	none := tflite.ActivationFunctionTypeNONE
	for _, s := range []convSpec{
		{op: tflite.BuiltinOperatorCONV_2D, w: []int{2, 3, 3, 2}, bias: 2, opts: convOpts(tflite.PaddingSAME, 2, 1, none)},
		{op: tflite.BuiltinOperatorDEPTHWISE_CONV_2D, w: []int{1, 3, 3, 4}, bias: 4, opts: dwOpts(tflite.PaddingVALID, 1, 2, 2)},
	} {
		small, big := s, s
		small.in, small.out = []int{1, 5, 5, 2}, []int{1, 1, 1, 1}
		big.in, big.out = []int{2, 9, 7, 2}, []int{1, 1, 1, 1}
		in := f32Bytes(ramp(2*9*7*2, -1, 0.0173)...)
		want := run(t, convModel(big), in).Output(0)
		it, err := build(t, convModel(small))
		require.NoError(t, err)
		require.NoError(t, it.ResizeInputTensor(0, big.in))
		require.NoError(t, it.AllocateTensors())
		require.NoError(t, it.Input(0).CopyFromBuffer(in))
		require.NoError(t, it.Invoke())
		assert.Equal(t, want.Shape(), it.Output(0).Shape(), "%s", s.op)
		assert.Equal(t, want.Float32s(), it.Output(0).Float32s(), "%s", s.op)
	}
}
