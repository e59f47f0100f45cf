package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spatialModel builds a one-op model: x (input), then extra constant or
// input operands made by add, one output of type outType and shape out.
func spatialModel(op tflite.BuiltinOperator, version int, typ core.TensorType, in []int, out []int, opts any,
	add func(g *modelbuilder.Subgraph) (ins, modelIns []int)) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", typ, in)
	ins, modelIns := []int{x}, []int{x}
	if add != nil {
		more, moreIns := add(g)
		ins = append(ins, more...)
		modelIns = append(modelIns, moreIns...)
	}
	y := g.Tensor("y", typ, out)
	g.OpVersion(op, version, ins, []int{y}, opts)
	g.Inputs(modelIns...)
	g.Outputs(y)
	return b
}

func constI32(name string, shape []int, v ...int32) func(g *modelbuilder.Subgraph) (ins, modelIns []int) {
	return func(g *modelbuilder.Subgraph) ([]int, []int) {
		return []int{g.ConstInt32(name, shape, v)}, nil
	}
}

func TestPadInt64Paddings(t *testing.T) {
	// Current TFLite reads INT64 paddings as int64 (the oracle's older
	// build does not; see the conformance cases), so these are by hand.
	b := spatialModel(tflite.BuiltinOperatorPAD, 1, core.Float32, []int{2, 3}, []int{3, 6}, &tflite.PadOptionsT{},
		func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.Const("p", core.Int64, []int{2, 2}, i64Bytes(1, 0, 2, 1))}, nil
		})
	it := run(t, b, f32Bytes(1, 2, 3, 4, 5, 6))
	assert.Equal(t, []int{3, 6}, it.Output(0).Shape())
	assert.Equal(t, []float32{
		0, 0, 0, 0, 0, 0,
		0, 0, 1, 2, 3, 0,
		0, 0, 4, 5, 6, 0,
	}, it.Output(0).Float32s())
}

func TestPadInt64DataAndDynamicPaddings(t *testing.T) {
	// INT64 data with INT64 paddings given at run time (dynamic output).
	b := spatialModel(tflite.BuiltinOperatorPADV2, 1, core.Int64, []int{3}, []int{6}, &tflite.PadV2OptionsT{},
		func(g *modelbuilder.Subgraph) ([]int, []int) {
			p := g.Tensor("p", core.Int64, []int{1, 2})
			v := g.Const("v", core.Int64, []int{}, i64Bytes(-9))
			return []int{p, v}, []int{p}
		})
	it := run(t, b, i64Bytes(1<<40, 2, 3), i64Bytes(2, 1))
	assert.Equal(t, []int{6}, it.Output(0).Shape())
	assert.Equal(t, []int64{-9, -9, 1 << 40, 2, 3, -9}, it.Output(0).Int64s())
}

func TestPadBool(t *testing.T) {
	b := spatialModel(tflite.BuiltinOperatorPAD, 1, core.Bool, []int{2}, []int{4}, nil, constI32("p", []int{1, 2}, 1, 1))
	it := run(t, b, []byte{1, 1})
	assert.Equal(t, []byte{0, 1, 1, 0}, it.Output(0).Bytes())
}

func TestMirrorPadHand(t *testing.T) {
	for _, c := range []struct {
		mode tflite.MirrorPadMode
		want []float32
	}{
		{tflite.MirrorPadModeREFLECT, []float32{3, 2, 1, 2, 3, 2, 1}},
		{tflite.MirrorPadModeSYMMETRIC, []float32{2, 1, 1, 2, 3, 3, 2}},
	} {
		b := spatialModel(tflite.BuiltinOperatorMIRROR_PAD, 1, core.Float32, []int{3}, []int{7}, &tflite.MirrorPadOptionsT{Mode: c.mode},
			constI32("p", []int{1, 2}, 2, 2))
		it := run(t, b, f32Bytes(1, 2, 3))
		assert.Equal(t, c.want, it.Output(0).Float32s(), "%s", c.mode)
	}
}

func TestPadErrors(t *testing.T) {
	f := core.Float32
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"negative", spatialModel(tflite.BuiltinOperatorPAD, 1, f, []int{3}, []int{3}, nil, constI32("p", []int{1, 2}, -1, 1)), "negative"},
		{"paddings shape", spatialModel(tflite.BuiltinOperatorPAD, 1, f, []int{3, 2}, []int{3}, nil, constI32("p", []int{1, 2}, 1, 1)), "want [2, 2]"},
		{"paddings type", spatialModel(tflite.BuiltinOperatorPAD, 1, f, []int{3}, []int{3}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.ConstFloat32("p", []int{1, 2}, []float32{1, 1})}, nil
		}), "INT32 or INT64"},
		{"float16", spatialModel(tflite.BuiltinOperatorPAD, 1, core.Float16, []int{3}, []int{3}, nil, constI32("p", []int{1, 2}, 1, 1)), "FLOAT16 input is not supported"},
		{"rank 6", spatialModel(tflite.BuiltinOperatorPAD, 4, f, []int{1, 1, 1, 1, 1, 1}, []int{1}, nil, constI32("p", []int{6, 2}, make([]int32, 12)...)), "maximum 5"},
		{"reflect too large", spatialModel(tflite.BuiltinOperatorMIRROR_PAD, 1, f, []int{3}, []int{3}, &tflite.MirrorPadOptionsT{Mode: tflite.MirrorPadModeREFLECT}, constI32("p", []int{1, 2}, 3, 0)), "too large"},
		{"symmetric too large", spatialModel(tflite.BuiltinOperatorMIRROR_PAD, 1, f, []int{3}, []int{3}, &tflite.MirrorPadOptionsT{Mode: tflite.MirrorPadModeSYMMETRIC}, constI32("p", []int{1, 2}, 0, 4)), "too large"},
		{"constant_values size", spatialModel(tflite.BuiltinOperatorPADV2, 1, f, []int{3}, []int{3}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.ConstInt32("p", []int{1, 2}, []int32{1, 1}), g.ConstFloat32("v", []int{2}, []float32{1, 2})}, nil
		}), "want 1"},
	} {
		err := prepareError(t, c.b)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

func poolModel(op tflite.BuiltinOperator, typ core.TensorType, in []int, o tflite.Pool2DOptionsT) *modelbuilder.Builder {
	return spatialModel(op, 1, typ, in, []int{1, 1, 1, 1}, &o, nil)
}

func TestPoolShapesAndValues(t *testing.T) {
	// 1x3x3x1 ramp, 2x2 window, stride 2, SAME: output 2x2; the right and
	// bottom windows are clipped (AVERAGE counts only in-bounds values).
	in := f32Bytes(1, 2, 3, 4, 5, 6, 7, 8, 9)
	o := tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideH: 2, StrideW: 2, FilterHeight: 2, FilterWidth: 2}
	it := run(t, poolModel(tflite.BuiltinOperatorAVERAGE_POOL_2D, core.Float32, []int{1, 3, 3, 1}, o), in)
	assert.Equal(t, []int{1, 2, 2, 1}, it.Output(0).Shape())
	assert.Equal(t, []float32{3, 4.5, 7.5, 9}, it.Output(0).Float32s())
	it = run(t, poolModel(tflite.BuiltinOperatorMAX_POOL_2D, core.Float32, []int{1, 3, 3, 1}, o), in)
	assert.Equal(t, []float32{5, 6, 8, 9}, it.Output(0).Float32s())
	it = run(t, poolModel(tflite.BuiltinOperatorL2_POOL_2D, core.Float32, []int{1, 3, 3, 1}, o), in)
	assert.InDeltaSlice(t, []float32{
		float32(math.Sqrt((1 + 4 + 16 + 25) / 4.0)), float32(math.Sqrt((9 + 36) / 2.0)),
		float32(math.Sqrt((49 + 64) / 2.0)), 9,
	}, it.Output(0).Float32s(), 1e-6)
	// VALID with a window larger than the input gives an empty output.
	o = tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideH: 1, StrideW: 1, FilterHeight: 4, FilterWidth: 1}
	it = run(t, poolModel(tflite.BuiltinOperatorMAX_POOL_2D, core.Float32, []int{1, 3, 3, 1}, o), in)
	assert.Equal(t, []int{1, 0, 3, 1}, it.Output(0).Shape())
	// TANH as a fused activation is no clamp in TFLite's pooling.
	o = tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideH: 1, StrideW: 1, FilterHeight: 1, FilterWidth: 1, FusedActivationFunction: tflite.ActivationFunctionTypeTANH}
	it = run(t, poolModel(tflite.BuiltinOperatorMAX_POOL_2D, core.Float32, []int{1, 1, 2, 1}, o), f32Bytes(5, float32(math.Inf(-1))))
	assert.Equal(t, []float32{5, -math.MaxFloat32}, it.Output(0).Float32s())
}

func TestPoolErrors(t *testing.T) {
	ok := tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideH: 1, StrideW: 1, FilterHeight: 2, FilterWidth: 2}
	for _, c := range []struct {
		name string
		typ  core.TensorType
		in   []int
		mod  func(o *tflite.Pool2DOptionsT)
		want string
	}{
		{"rank", core.Float32, []int{3, 3, 1}, nil, "rank 3"},
		{"stride", core.Float32, []int{1, 3, 3, 1}, func(o *tflite.Pool2DOptionsT) { o.StrideW = 0 }, "strides"},
		{"filter", core.Float32, []int{1, 3, 3, 1}, func(o *tflite.Pool2DOptionsT) { o.FilterHeight = 0 }, "filter"},
		{"padding", core.Float32, []int{1, 3, 3, 1}, func(o *tflite.Pool2DOptionsT) { o.Padding = 7 }, "padding"},
		{"valid too large", core.Float32, []int{1, 2, 2, 1}, func(o *tflite.Pool2DOptionsT) { o.Padding = tflite.PaddingVALID; o.FilterHeight = 4 }, "larger"},
		{"int8 without parameters", core.Int8, []int{1, 3, 3, 1}, nil, "INT8"},
		{"int32", core.Int32, []int{1, 3, 3, 1}, nil, "INT32 input is not supported"},
	} {
		o := ok
		if c.mod != nil {
			c.mod(&o)
		}
		for _, op := range []tflite.BuiltinOperator{tflite.BuiltinOperatorMAX_POOL_2D, tflite.BuiltinOperatorAVERAGE_POOL_2D, tflite.BuiltinOperatorL2_POOL_2D} {
			err := prepareError(t, poolModel(op, c.typ, c.in, o))
			require.Error(t, err, c.name)
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

func TestResizeHand(t *testing.T) {
	// 1x1x2x1 [0, 1] to width 4: legacy scale 0.5 gives 0, .5, 1, 1;
	// align_corners scale 1/3 gives 0, 1/3, 2/3, 1; half-pixel gives
	// 0, .25, .75, 1.
	in := f32Bytes(0, 1)
	for _, c := range []struct {
		align, half bool
		want        []float32
	}{
		{false, false, []float32{0, 0.5, 1, 1}},
		{true, false, []float32{0, 1.0 / 3, 2.0 / 3, 1}},
		{false, true, []float32{0, 0.25, 0.75, 1}},
	} {
		v := 1
		if c.half {
			v = 3
		}
		b := spatialModel(tflite.BuiltinOperatorRESIZE_BILINEAR, v, core.Float32, []int{1, 1, 2, 1}, []int{1, 1, 4, 1},
			&tflite.ResizeBilinearOptionsT{AlignCorners: c.align, HalfPixelCenters: c.half}, constI32("s", []int{2}, 1, 4))
		it := run(t, b, in)
		assert.InDeltaSlice(t, c.want, it.Output(0).Float32s(), 1e-7, "align %v half %v", c.align, c.half)
	}
	// Nearest neighbour, 3 -> 5: floor(x*0.6) = 0,0,1,1,2; half-pixel
	// floor((x+.5)*.6) = 0,0,1,2,2; align round(x*.5) = 0,1,1,2,2 (half
	// away from zero).
	in = f32Bytes(10, 20, 30)
	for _, c := range []struct {
		align, half bool
		want        []float32
	}{
		{false, false, []float32{10, 10, 20, 20, 30}},
		{false, true, []float32{10, 10, 20, 30, 30}},
		{true, false, []float32{10, 20, 20, 30, 30}},
	} {
		b := spatialModel(tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, 3, core.Float32, []int{1, 1, 3, 1}, []int{1, 1, 5, 1},
			&tflite.ResizeNearestNeighborOptionsT{AlignCorners: c.align, HalfPixelCenters: c.half}, constI32("s", []int{2}, 1, 5))
		it := run(t, b, in)
		assert.Equal(t, c.want, it.Output(0).Float32s(), "align %v half %v", c.align, c.half)
	}
}

func TestResizeErrors(t *testing.T) {
	f := core.Float32
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"align and half", spatialModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 3, f, []int{1, 2, 2, 1}, []int{1, 4, 4, 1},
			&tflite.ResizeBilinearOptionsT{AlignCorners: true, HalfPixelCenters: true}, constI32("s", []int{2}, 4, 4)), "align_corners false"},
		{"zero size", spatialModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 1, f, []int{1, 2, 2, 1}, []int{1, 4, 4, 1}, nil, constI32("s", []int{2}, 0, 4)), "positive"},
		{"negative size", spatialModel(tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, 1, f, []int{1, 2, 2, 1}, []int{1, 4, 4, 1}, nil, constI32("s", []int{2}, -1, 4)), "negative"},
		{"size shape", spatialModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 1, f, []int{1, 2, 2, 1}, []int{1, 4, 4, 1}, nil, constI32("s", []int{3}, 1, 4, 4)), "2 elements"},
		{"rank", spatialModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 1, f, []int{2, 2, 1}, []int{1, 4, 4, 1}, nil, constI32("s", []int{2}, 4, 4)), "rank 3"},
		{"int32", spatialModel(tflite.BuiltinOperatorRESIZE_BILINEAR, 1, core.Int32, []int{1, 2, 2, 1}, []int{1, 4, 4, 1}, nil, constI32("s", []int{2}, 4, 4)), "INT32 input is not supported"},
		{"empty input", spatialModel(tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, 1, f, []int{1, 0, 2, 1}, []int{1, 4, 4, 1}, nil, constI32("s", []int{2}, 4, 4)), "empty"},
	} {
		err := prepareError(t, c.b)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

func reduceModel(op tflite.BuiltinOperator, typ core.TensorType, in, out []int, keep bool, axes ...int32) *modelbuilder.Builder {
	return spatialModel(op, 1, typ, in, out, &tflite.ReducerOptionsT{KeepDims: keep}, constI32("axis", []int{len(axes)}, axes...))
}

func TestReduceShapes(t *testing.T) {
	for _, c := range []struct {
		in   []int
		axes []int32
		keep bool
		want []int
	}{
		{[]int{2, 3, 4}, []int32{1}, false, []int{2, 4}},
		{[]int{2, 3, 4}, []int32{1}, true, []int{2, 1, 4}},
		{[]int{2, 3, 4}, []int32{-1, 0, 2}, false, []int{3}},
		{[]int{2, 3, 4}, []int32{0, 1, 2}, false, []int{}},
		{[]int{2, 3, 4}, []int32{}, false, []int{2, 3, 4}},
		{[]int{}, []int32{0, 5}, false, []int{}},
	} {
		it, err := build(t, reduceModel(tflite.BuiltinOperatorSUM, core.Float32, c.in, []int{1}, c.keep, c.axes...))
		require.NoError(t, err)
		assert.Equal(t, c.want, it.Output(0).Shape(), "%v %v keep %v", c.in, c.axes, c.keep)
	}
}

func TestReduceEmptyIdentities(t *testing.T) {
	in := []int{2, 0}
	for _, c := range []struct {
		op   tflite.BuiltinOperator
		want float32
	}{
		{tflite.BuiltinOperatorSUM, 0},
		{tflite.BuiltinOperatorREDUCE_PROD, 1},
		{tflite.BuiltinOperatorREDUCE_MAX, -math.MaxFloat32},
		{tflite.BuiltinOperatorREDUCE_MIN, math.MaxFloat32},
	} {
		it := run(t, reduceModel(c.op, core.Float32, in, []int{2}, false, 1), []byte{})
		assert.Equal(t, []float32{c.want, c.want}, it.Output(0).Float32s(), "%s", c.op)
	}
	it := run(t, reduceModel(tflite.BuiltinOperatorMEAN, core.Float32, in, []int{2}, false, 1), []byte{})
	for _, v := range it.Output(0).Float32s() {
		assert.True(t, math.IsNaN(float64(v)))
	}
	it = run(t, reduceModel(tflite.BuiltinOperatorREDUCE_MAX, core.Int64, in, []int{2}, false, 1), []byte{})
	assert.Equal(t, []int64{math.MinInt64, math.MinInt64}, it.Output(0).Int64s())
}

func TestReduceInt64(t *testing.T) {
	in := i64Bytes(1<<40, -3, 5, 7, -(1 << 41), 2)
	for _, c := range []struct {
		op   tflite.BuiltinOperator
		want []int64
	}{
		{tflite.BuiltinOperatorSUM, []int64{1<<40 + 2, -(1 << 41) + 9}},
		{tflite.BuiltinOperatorMEAN, []int64{(1<<40 + 2) / 3, (-(1 << 41) + 9) / 3}},
		{tflite.BuiltinOperatorREDUCE_MAX, []int64{1 << 40, 7}},
		{tflite.BuiltinOperatorREDUCE_MIN, []int64{-3, -(1 << 41)}},
		{tflite.BuiltinOperatorREDUCE_PROD, []int64{-15 << 40, -14 << 41}},
	} {
		it := run(t, reduceModel(c.op, core.Int64, []int{2, 3}, []int{2}, false, 1), in)
		assert.Equal(t, c.want, it.Output(0).Int64s(), "%s", c.op)
	}
	// Integer MEAN truncates toward zero.
	it := run(t, reduceModel(tflite.BuiltinOperatorMEAN, core.Int32, []int{1, 3}, []int{1}, false, 1), i32Bytes(-1, -1, 0))
	assert.Equal(t, []int32{0}, it.Output(0).Int32s())
}

func TestReduceErrors(t *testing.T) {
	err := prepareError(t, reduceModel(tflite.BuiltinOperatorMEAN, core.Float32, []int{2, 3}, []int{2}, false, 2))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "out of range")
	err = prepareError(t, reduceModel(tflite.BuiltinOperatorMEAN, core.Float32, []int{2, 3}, []int{2}, true, -3))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "out of range")
	err = prepareError(t, spatialModel(tflite.BuiltinOperatorSUM, 1, core.Float32, []int{2, 3}, []int{2}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
		return []int{g.Const("a", core.Int64, []int{1}, i64Bytes(1))}, nil
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want INT32")
	err = prepareError(t, reduceModel(tflite.BuiltinOperatorREDUCE_ANY, core.Float32, []int{2, 3}, []int{2}, false, 1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "BOOL only")
	err = prepareError(t, reduceModel(tflite.BuiltinOperatorSUM, core.Bool, []int{2, 3}, []int{2}, false, 1))
	require.Error(t, err)
	err = prepareError(t, reduceModel(tflite.BuiltinOperatorMEAN, core.Int8, []int{2, 3}, []int{2}, false, 1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no quantization parameters")
}

func TestDepthSpaceInt64AndErrors(t *testing.T) {
	b := spatialModel(tflite.BuiltinOperatorDEPTH_TO_SPACE, 1, core.Int64, []int{1, 1, 1, 4}, []int{1, 2, 2, 1}, &tflite.DepthToSpaceOptionsT{BlockSize: 2}, nil)
	it := run(t, b, i64Bytes(1, 2, 3, 1<<50))
	assert.Equal(t, []int64{1, 2, 3, 1 << 50}, it.Output(0).Int64s())
	b = spatialModel(tflite.BuiltinOperatorSPACE_TO_DEPTH, 1, core.Int64, []int{1, 2, 2, 1}, []int{1, 1, 1, 4}, &tflite.SpaceToDepthOptionsT{BlockSize: 2}, nil)
	it = run(t, b, i64Bytes(1, 2, 3, 1<<50))
	assert.Equal(t, []int64{1, 2, 3, 1 << 50}, it.Output(0).Int64s())
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"d2s depth", spatialModel(tflite.BuiltinOperatorDEPTH_TO_SPACE, 1, core.Float32, []int{1, 1, 1, 6}, []int{1}, &tflite.DepthToSpaceOptionsT{BlockSize: 2}, nil), "multiple"},
		{"d2s block", spatialModel(tflite.BuiltinOperatorDEPTH_TO_SPACE, 1, core.Float32, []int{1, 1, 1, 6}, []int{1}, &tflite.DepthToSpaceOptionsT{BlockSize: 0}, nil), "at least 1"},
		{"s2d size", spatialModel(tflite.BuiltinOperatorSPACE_TO_DEPTH, 1, core.Float32, []int{1, 3, 2, 1}, []int{1}, &tflite.SpaceToDepthOptionsT{BlockSize: 2}, nil), "multiples"},
		{"s2b size", spatialModel(tflite.BuiltinOperatorSPACE_TO_BATCH_ND, 1, core.Float32, []int{1, 3, 2, 1}, []int{1}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.ConstInt32("b", []int{2}, []int32{2, 2}), g.ConstInt32("p", []int{2, 2}, []int32{0, 0, 0, 0})}, nil
		}), "not a multiple"},
		{"b2s batch", spatialModel(tflite.BuiltinOperatorBATCH_TO_SPACE_ND, 1, core.Float32, []int{3, 2, 2, 1}, []int{1}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.ConstInt32("b", []int{2}, []int32{2, 2}), g.ConstInt32("p", []int{2, 2}, []int32{0, 0, 0, 0})}, nil
		}), "not a multiple"},
		{"b2s crops", spatialModel(tflite.BuiltinOperatorBATCH_TO_SPACE_ND, 1, core.Float32, []int{4, 1, 1, 1}, []int{1}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.ConstInt32("b", []int{2}, []int32{2, 2}), g.ConstInt32("p", []int{2, 2}, []int32{2, 1, 0, 0})}, nil
		}), "larger"},
		{"b2s negative", spatialModel(tflite.BuiltinOperatorBATCH_TO_SPACE_ND, 1, core.Float32, []int{4, 1, 1, 1}, []int{1}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
			return []int{g.ConstInt32("b", []int{2}, []int32{2, 2}), g.ConstInt32("p", []int{2, 2}, []int32{-1, 0, 0, 0})}, nil
		}), "negative"},
	} {
		err := prepareError(t, c.b)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

// TestReduceMatchesNaive checks the grouped reduction loops against a
// plain per-element walk over random shapes (size-1 and odd dimensions),
// axis subsets and keep_dims, for INT32 SUM, MAX, MIN and PROD and ALL.
func TestReduceMatchesNaive(t *testing.T) {
	seed := uint32(7)
	next := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % n
	}
	ops := []tflite.BuiltinOperator{tflite.BuiltinOperatorSUM, tflite.BuiltinOperatorREDUCE_MAX, tflite.BuiltinOperatorREDUCE_MIN, tflite.BuiltinOperatorREDUCE_PROD, tflite.BuiltinOperatorMEAN}
	for trial := 0; trial < 60; trial++ {
		rank := 1 + next(5)
		shape := make([]int, rank)
		for d := range shape {
			shape[d] = 1 + next(4)
		}
		var axes []int32
		red := make([]bool, rank)
		for d := 0; d < rank; d++ {
			if next(2) == 0 {
				a := int32(d)
				if next(2) == 0 {
					a -= int32(rank)
				}
				axes = append(axes, a)
				red[d] = true
			}
		}
		keep := next(2) == 0
		op := ops[trial%len(ops)]
		n := numElements(shape)
		in := make([]int32, n)
		for i := range in {
			in[i] = int32(next(7)) - 3
		}
		// Naive: every input element's output index.
		outShape := []int{}
		for d, v := range shape {
			if !red[d] {
				outShape = append(outShape, v)
			} else if keep {
				outShape = append(outShape, 1)
			}
		}
		keptShape := make([]int, rank)
		for d, v := range shape {
			keptShape[d] = v
			if red[d] {
				keptShape[d] = 1
			}
		}
		m := numElements(keptShape)
		want := make([]int64, m)
		cnt := make([]int64, m)
		for i := range want {
			switch op {
			case tflite.BuiltinOperatorREDUCE_MAX:
				want[i] = math.MinInt32
			case tflite.BuiltinOperatorREDUCE_MIN:
				want[i] = math.MaxInt32
			case tflite.BuiltinOperatorREDUCE_PROD:
				want[i] = 1
			}
		}
		i := 0
		forEachIndex(shape, func(idx []int) {
			o := 0
			for d := range idx {
				o = o * keptShape[d]
				if !red[d] {
					o += idx[d]
				}
			}
			v := int64(in[i])
			switch op {
			case tflite.BuiltinOperatorSUM, tflite.BuiltinOperatorMEAN:
				want[o] += v
			case tflite.BuiltinOperatorREDUCE_PROD:
				want[o] *= v
			case tflite.BuiltinOperatorREDUCE_MAX:
				want[o] = max(want[o], v)
			case tflite.BuiltinOperatorREDUCE_MIN:
				want[o] = min(want[o], v)
			}
			cnt[o]++
			i++
		})
		if op == tflite.BuiltinOperatorMEAN {
			for j := range want {
				want[j] /= cnt[j]
			}
		}
		it := run(t, reduceModel(op, core.Int32, shape, outShape, keep, axes...), i32Bytes(in...))
		got := it.Output(0).Int32s()
		require.Len(t, got, m)
		for j := range want {
			require.Equal(t, int32(want[j]), got[j], "%s %v axes %v keep %v [%d]", op, shape, axes, keep, j)
		}
		assert.Equal(t, outShape, append([]int{}, it.Output(0).Shape()...), "%s %v axes %v", op, shape, axes)
	}
}

func TestReduceScalarAxisAndPadV2ValueInput(t *testing.T) {
	// A rank-0 axis tensor names one axis.
	b := spatialModel(tflite.BuiltinOperatorMEAN, 1, core.Float32, []int{2, 2}, []int{2}, nil, constI32("a", []int{}, -1))
	it := run(t, b, f32Bytes(1, 2, 3, 5))
	assert.Equal(t, []float32{1.5, 4}, it.Output(0).Float32s())
	// PADV2's constant_values may be a model input, read on every run.
	b = spatialModel(tflite.BuiltinOperatorPADV2, 1, core.Float32, []int{2}, []int{3}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
		v := g.Tensor("v", core.Float32, []int{1})
		return []int{g.ConstInt32("p", []int{1, 2}, []int32{0, 1}), v}, []int{v}
	})
	it = run(t, b, f32Bytes(1, 2), f32Bytes(-4))
	assert.Equal(t, []float32{1, 2, -4}, it.Output(0).Float32s())
}
