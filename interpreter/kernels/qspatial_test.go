package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spQModel is a one-op model over quantized tensors: x (model input) plus
// constant INT32 inputs, one output; in and out parameters given apart.
func spQModel(op tflite.BuiltinOperator, version int, typ core.TensorType, in, out []int, inQ, outQ [2]float64, opts any, consts ...[]int32) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", typ, in, modelbuilder.Quant(float32(inQ[0]), int64(inQ[1])))
	ins := []int{x}
	for i, c := range consts {
		ins = append(ins, g.ConstInt32("c"+string(rune('0'+i)), []int{len(c)}, c))
	}
	y := g.Tensor("y", typ, out, modelbuilder.Quant(float32(outQ[0]), int64(outQ[1])))
	g.OpVersion(op, version, ins, []int{y}, opts)
	g.Inputs(x)
	g.Outputs(y)
	return b
}

func i8Bytes(v ...int8) []byte {
	out := make([]byte, len(v))
	for i, x := range v {
		out[i] = byte(x)
	}
	return out
}

func TestQSpatialAveragePoolRounding(t *testing.T) {
	// One 2x1 window per output: sums -5 and 5 over 2 elements round half
	// away from zero (-3 and 3); -4 over 2 is exact; (126+127)/2 = 126.5 -> 127.
	o := &tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideH: 2, StrideW: 1, FilterHeight: 2, FilterWidth: 1}
	q := [2]float64{0.1, 0}
	it := run(t, spQModel(tflite.BuiltinOperatorAVERAGE_POOL_2D, 2, core.Int8, []int{1, 2, 4, 1}, []int{1, 1, 4, 1}, q, q, o),
		i8Bytes(-3, 2, -2, 126, -2, 3, -2, 127))
	assert.Equal(t, []int8{-3, 3, -2, 127}, it.Output(0).Int8s())
	// RELU6 with scale 0.1 and zero point 0 clamps to [0, 60].
	o.FusedActivationFunction = tflite.ActivationFunctionTypeRELU6
	it = run(t, spQModel(tflite.BuiltinOperatorAVERAGE_POOL_2D, 2, core.Int8, []int{1, 2, 4, 1}, []int{1, 1, 4, 1}, q, q, o),
		i8Bytes(-3, 2, -2, 126, -2, 3, -2, 127))
	assert.Equal(t, []int8{0, 3, 0, 60}, it.Output(0).Int8s())
	// MAX_POOL of uint8 with RELU: the floor is the zero point.
	o.FusedActivationFunction = tflite.ActivationFunctionTypeRELU
	uq := [2]float64{0.5, 100}
	it = run(t, spQModel(tflite.BuiltinOperatorMAX_POOL_2D, 1, core.Uint8, []int{1, 2, 2, 1}, []int{1, 1, 2, 1}, uq, uq, o),
		[]byte{10, 250, 90, 3})
	assert.Equal(t, []uint8{100, 250}, it.Output(0).Uint8s())
	// Differing parameters are refused.
	err := prepareError(t, spQModel(tflite.BuiltinOperatorMAX_POOL_2D, 1, core.Uint8, []int{1, 2, 2, 1}, []int{1, 1, 2, 1}, uq, [2]float64{0.5, 101}, o))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "differ")
}

func TestQSpatialMeanPaths(t *testing.T) {
	rk := func(keep bool) *tflite.ReducerOptionsT { return &tflite.ReducerOptionsT{KeepDims: keep} }
	// Equal parameters, not the 4-D path: the sum divided truncating
	// toward zero (-7/2 -> -3, 7/2 -> 3).
	q := [2]float64{0.1, 0}
	it := run(t, spQModel(tflite.BuiltinOperatorMEAN, 2, core.Int8, []int{2, 2}, []int{2}, q, q, rk(false), []int32{1}),
		i8Bytes(-3, -4, 3, 4))
	assert.Equal(t, []int8{-3, 3}, it.Output(0).Int8s())
	// The 4-D height/width path with keep_dims is MEAN_OPT's: the raw sum
	// -7 times 1/2 folded into the multiplier (Q31 2^30, shift 0); the
	// doubling high multiply rounds the negative tie -3.5 toward zero.
	it = run(t, spQModel(tflite.BuiltinOperatorMEAN, 2, core.Int8, []int{1, 1, 2, 1}, []int{1, 1, 1, 1}, q, q, rk(true), []int32{1, 2}),
		i8Bytes(-3, -4))
	assert.Equal(t, []int8{-3}, it.Output(0).Int8s())
	// Same sums over 16 channels: whole blocks of 16 take the NEON path,
	// identical here (no right shift), and the zero point -128 -> 5
	// becomes the bias 5 - int(-128*0.1/0.1) = 133 added after scaling.
	in16 := make([]int8, 32)
	for c := 0; c < 16; c++ {
		in16[c], in16[16+c] = int8(c-8), int8(c-8)
	}
	it = run(t, spQModel(tflite.BuiltinOperatorMEAN, 2, core.Int8, []int{1, 1, 2, 16}, []int{1, 1, 1, 16}, [2]float64{0.1, -128}, [2]float64{0.1, 5}, rk(true), []int32{1, 2}),
		i8Bytes(in16...))
	want16 := make([]int8, 16)
	for c := range want16 {
		want16[c] = int8(min(c-8+133, 127))
	}
	assert.Equal(t, want16, it.Output(0).Int8s())
	// Rescaling general path (float): mean 2.5 (q-zp) * 0.1/0.2 = 1.25 -> 1, + zp 5.
	it = run(t, spQModel(tflite.BuiltinOperatorMEAN, 2, core.Int8, []int{1, 2}, []int{1}, [2]float64{0.1, 0}, [2]float64{0.2, 5}, rk(false), []int32{1}),
		i8Bytes(2, 3))
	assert.Equal(t, []int8{6}, it.Output(0).Int8s())
	// uint8 4-D path: bias form; 4 values 10 (zp 10) -> the output zero point.
	uq := [2]float64{0.05, 10}
	it = run(t, spQModel(tflite.BuiltinOperatorMEAN, 1, core.Uint8, []int{1, 2, 2, 1}, []int{1, 1, 1, 1}, uq, [2]float64{0.1, 7}, rk(true), []int32{2, 1}),
		[]byte{10, 10, 10, 10})
	assert.Equal(t, []uint8{7}, it.Output(0).Uint8s())
}

func TestQSpatialSumAndMinMax(t *testing.T) {
	rk := &tflite.ReducerOptionsT{}
	// Equal parameters: int8 adds in int8 and wraps (100+100 = -56), as
	// TFLite's reducer on the element type.
	q := [2]float64{0.1, 0}
	it := run(t, spQModel(tflite.BuiltinOperatorSUM, 2, core.Int8, []int{1, 2}, []int{1}, q, q, rk, []int32{1}), i8Bytes(100, 100))
	assert.Equal(t, []int8{-56}, it.Output(0).Int8s())
	// Rescaled: (q-zp) sum 20 * 0.1/1.0 = 2 -> 2 + zp 1.
	it = run(t, spQModel(tflite.BuiltinOperatorSUM, 2, core.Int8, []int{1, 2}, []int{1}, [2]float64{0.1, -5}, [2]float64{1, 1}, rk, []int32{1}), i8Bytes(5, 5))
	assert.Equal(t, []int8{3}, it.Output(0).Int8s())
	it = run(t, spQModel(tflite.BuiltinOperatorREDUCE_MAX, 1, core.Uint8, []int{2, 2}, []int{2}, [2]float64{0.1, 9}, [2]float64{0.1, 9}, rk, []int32{0}), []byte{1, 200, 3, 4})
	assert.Equal(t, []uint8{3, 200}, it.Output(0).Uint8s())
	err := prepareError(t, spQModel(tflite.BuiltinOperatorREDUCE_MIN, 2, core.Int8, []int{2, 2}, []int{2}, [2]float64{0.1, 9}, [2]float64{0.2, 9}, rk, []int32{0}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "differ")
}

func TestQSpatialConcatRequantTie(t *testing.T) {
	// Input 0 (scale 0.5, zp 1) into the output (scale 1, zp 2): q=2 gives
	// 0.5 + ... round(2*0.5 - 0.5) = round(0.5) = 1 (half away from zero) -> 3;
	// q=0 gives round(-0.5) = -1 -> 1; q=255 gives 127 + 2 = 129.
	b := modelbuilder.New()
	g := b.Main()
	x0 := g.Tensor("x0", core.Uint8, []int{3}, modelbuilder.Quant(0.5, 1))
	x1 := g.Tensor("x1", core.Uint8, []int{1}, modelbuilder.Quant(1, 2))
	y := g.Tensor("y", core.Uint8, []int{4}, modelbuilder.Quant(1, 2))
	g.Op(tflite.BuiltinOperatorCONCATENATION, []int{x0, x1}, []int{y}, &tflite.ConcatenationOptionsT{Axis: 0})
	g.Inputs(x0, x1)
	g.Outputs(y)
	it := run(t, b, []byte{2, 0, 255}, []byte{77})
	assert.Equal(t, []uint8{3, 1, 129, 77}, it.Output(0).Uint8s())
}

func TestQSpatialZeroPointFill(t *testing.T) {
	model := func(op tflite.BuiltinOperator, typ core.TensorType, in, out []int, zp int64, consts map[string][]int32, shapes map[string][]int, order ...string) *modelbuilder.Builder {
		b := modelbuilder.New()
		g := b.Main()
		x := g.Tensor("x", typ, in, modelbuilder.Quant(0.1, zp))
		ins := []int{x}
		for _, name := range order {
			ins = append(ins, g.ConstInt32(name, shapes[name], consts[name]))
		}
		y := g.Tensor("y", typ, out, modelbuilder.Quant(0.1, zp))
		g.OpVersion(op, 2, ins, []int{y}, nil)
		g.Inputs(x)
		g.Outputs(y)
		return b
	}
	it := run(t, model(tflite.BuiltinOperatorPAD, core.Int8, []int{1, 2}, []int{1, 4}, -7,
		map[string][]int32{"p": {0, 0, 1, 1}}, map[string][]int{"p": {2, 2}}, "p"), i8Bytes(5, 6))
	assert.Equal(t, []int8{-7, 5, 6, -7}, it.Output(0).Int8s())
	it = run(t, model(tflite.BuiltinOperatorSPACE_TO_BATCH_ND, core.Uint8, []int{1, 1, 2, 1}, []int{2, 1, 2, 1}, 131,
		map[string][]int32{"block": {1, 2}, "pads": {0, 0, 1, 1}}, map[string][]int{"block": {2}, "pads": {2, 2}}, "block", "pads"), []byte{5, 6})
	assert.Equal(t, []uint8{131, 6, 5, 131}, it.Output(0).Uint8s())
}

func TestQSpatialResizeBilinearIntegerRounding(t *testing.T) {
	// 1x1x2x1 [-3, -2] to width 4 (scale 0.5 in 10-bit: 512): positions 0,
	// .5, 1, 1.5 -> -3, -2.5 -> -3 (half away from zero), -2, -2.
	q := [2]float64{0.1, 0}
	it := run(t, spQModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 2, core.Int8, []int{1, 1, 2, 1}, []int{1, 1, 4, 1}, q, q, &tflite.ResizeBilinearOptionsT{}, []int32{1, 4}),
		i8Bytes(-3, -2))
	assert.Equal(t, []int8{-3, -3, -2, -2}, it.Output(0).Int8s())
	// uint8 takes the float path: 2.5 + 0.5 truncated -> 3.
	it = run(t, spQModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 1, core.Uint8, []int{1, 1, 2, 1}, []int{1, 1, 4, 1}, q, q, &tflite.ResizeBilinearOptionsT{}, []int32{1, 4}),
		[]byte{2, 3})
	assert.Equal(t, []uint8{2, 3, 3, 3}, it.Output(0).Uint8s())
}

func TestQSpatialVersions(t *testing.T) {
	r := kernels.Builtins()
	for _, c := range []struct {
		op     tflite.BuiltinOperator
		lo, hi int
	}{
		{tflite.BuiltinOperatorAVERAGE_POOL_2D, 1, 3},
		{tflite.BuiltinOperatorMAX_POOL_2D, 1, 3},
		{tflite.BuiltinOperatorMEAN, 1, 3},
		{tflite.BuiltinOperatorSUM, 1, 2},
		{tflite.BuiltinOperatorREDUCE_MAX, 1, 3},
		{tflite.BuiltinOperatorREDUCE_MIN, 1, 3},
		{tflite.BuiltinOperatorPAD, 1, 4},
		{tflite.BuiltinOperatorPADV2, 1, 4},
		{tflite.BuiltinOperatorMIRROR_PAD, 1, 2},
		{tflite.BuiltinOperatorRESIZE_BILINEAR, 1, 4},
		{tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, 1, 4},
		{tflite.BuiltinOperatorDEPTH_TO_SPACE, 1, 2},
		{tflite.BuiltinOperatorSPACE_TO_DEPTH, 1, 2},
		{tflite.BuiltinOperatorSPACE_TO_BATCH_ND, 1, 3},
		{tflite.BuiltinOperatorBATCH_TO_SPACE_ND, 1, 3},
		{tflite.BuiltinOperatorBATCH_MATMUL, 1, 4},
		{tflite.BuiltinOperatorCONCATENATION, 1, 4},
	} {
		for v := c.lo; v <= c.hi+1; v++ {
			_, err := r.Lookup(core.OpCode{Builtin: c.op, Version: v})
			assert.Equal(t, v <= c.hi, err == nil, "%s v%d: %v", c.op, v, err)
		}
	}
}
