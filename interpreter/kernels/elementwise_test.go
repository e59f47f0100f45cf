package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ewOperand is one operand of an elementwise test model.
type ewOperand struct {
	typ   core.TensorType
	shape []int
	data  []byte // constant data (nil: a model input)
}

func ewOp(typ core.TensorType, shape ...int) ewOperand { return ewOperand{typ: typ, shape: shape} }

// ewModel is one op on its operands with one output.
func ewModel(code tflite.BuiltinOperator, version int, ins []ewOperand, out ewOperand, opts any) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var idx, modelIns []int
	for i, in := range ins {
		name := string(rune('a' + i))
		if in.data != nil {
			idx = append(idx, g.Const(name, in.typ, in.shape, in.data))
			continue
		}
		x := g.Tensor(name, in.typ, in.shape)
		idx = append(idx, x)
		modelIns = append(modelIns, x)
	}
	o := g.Tensor("out", out.typ, out.shape)
	g.OpVersion(code, version, idx, []int{o}, opts)
	g.Inputs(modelIns...)
	g.Outputs(o)
	return b
}

func TestUnaryFloatFormulas(t *testing.T) {
	x := []float32{-20, -9.5, -3, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 3, 7, 17}
	f := func(fn func(float64) float64) func(float32) float32 {
		return func(v float32) float32 { return float32(fn(float64(v))) }
	}
	cases := []struct {
		code tflite.BuiltinOperator
		opts any
		want func(float32) float32
	}{
		{tflite.BuiltinOperatorRELU, nil, func(v float32) float32 { return max(0, v) }},
		{tflite.BuiltinOperatorRELU6, nil, func(v float32) float32 { return min(6, max(0, v)) }},
		{tflite.BuiltinOperatorRELU_N1_TO_1, nil, func(v float32) float32 { return min(1, max(-1, v)) }},
		{tflite.BuiltinOperatorHARD_SWISH, nil, func(v float32) float32 { return v * min(6, max(0, v+3)) / 6 }},
		{tflite.BuiltinOperatorLEAKY_RELU, &tflite.LeakyReluOptionsT{Alpha: 2}, func(v float32) float32 {
			if v > 0 {
				return v
			}
			return 2 * v
		}},
		{tflite.BuiltinOperatorLOGISTIC, nil, func(v float32) float32 {
			switch {
			case v > 16.619047:
				return 1
			case v < -9:
				return float32(math.Exp(float64(v)))
			}
			return 1 / (1 + float32(math.Exp(float64(-v))))
		}},
		{tflite.BuiltinOperatorELU, nil, func(v float32) float32 {
			if v < 0 {
				return float32(math.Expm1(float64(v)))
			}
			return v
		}},
		{tflite.BuiltinOperatorTANH, nil, f(math.Tanh)},
		{tflite.BuiltinOperatorEXP, nil, f(math.Exp)},
		{tflite.BuiltinOperatorSQUARE, nil, func(v float32) float32 { return v * v }},
		{tflite.BuiltinOperatorABS, nil, f(math.Abs)},
		{tflite.BuiltinOperatorNEG, nil, func(v float32) float32 { return -v }},
		{tflite.BuiltinOperatorFLOOR, nil, f(math.Floor)},
		{tflite.BuiltinOperatorCEIL, nil, f(math.Ceil)},
		{tflite.BuiltinOperatorROUND, nil, f(math.RoundToEven)},
		{tflite.BuiltinOperatorSIN, nil, f(math.Sin)},
		{tflite.BuiltinOperatorCOS, nil, f(math.Cos)},
	}
	for _, c := range cases {
		t.Run(core.BuiltinName(c.code), func(t *testing.T) {
			it := run(t, ewModel(c.code, 1, []ewOperand{ewOp(core.Float32, 3, 4)}, ewOp(core.Float32, 3, 4), c.opts), f32Bytes(x...))
			got := it.Output(0).Float32s()
			for i, v := range x {
				assert.InDelta(t, c.want(v), got[i], 1e-6*max(1, math.Abs(float64(got[i]))), "x=%v", v)
			}
		})
	}
	// ROUND's ties go to even.
	it := run(t, ewModel(tflite.BuiltinOperatorROUND, 1, []ewOperand{ewOp(core.Float32, 6)}, ewOp(core.Float32, 6), nil), f32Bytes(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5))
	assert.Equal(t, []float32{-2, -2, 0, 0, 2, 2}, it.Output(0).Float32s())
}

func TestGeluForms(t *testing.T) {
	x := []float32{-6, -2, -0.5, 0, 0.5, 2, 6}
	for _, approx := range []bool{false, true} {
		it := run(t, ewModel(tflite.BuiltinOperatorGELU, 1, []ewOperand{ewOp(core.Float32, 7)}, ewOp(core.Float32, 7), &tflite.GeluOptionsT{Approximate: approx}), f32Bytes(x...))
		for i, v := range x {
			xv := float64(v)
			want := 0.5 * xv * (1 + math.Erf(xv/math.Sqrt2))
			if approx {
				want = 0.5 * xv * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(xv+0.044715*xv*xv*xv)))
			}
			assert.InDelta(t, want, it.Output(0).Float32s()[i], 1e-6, "approximate=%v x=%v", approx, v)
		}
	}
}

func TestIntegerUnary(t *testing.T) {
	it := run(t, ewModel(tflite.BuiltinOperatorABS, 5, []ewOperand{ewOp(core.Int32, 4)}, ewOp(core.Int32, 4), nil), i32Bytes(-5, 0, 7, math.MinInt32))
	assert.Equal(t, []int32{5, 0, 7, math.MinInt32}, it.Output(0).Int32s())
	it = run(t, ewModel(tflite.BuiltinOperatorNEG, 1, []ewOperand{ewOp(core.Int64, 3)}, ewOp(core.Int64, 3), nil), i64Bytes(-5, 0, 1<<40))
	assert.Equal(t, []int64{5, 0, -(1 << 40)}, it.Output(0).Int64s())
	it = run(t, ewModel(tflite.BuiltinOperatorLOGICAL_NOT, 1, []ewOperand{ewOp(core.Bool, 3)}, ewOp(core.Bool, 3), nil), []byte{0, 1, 0})
	assert.Equal(t, []byte{1, 0, 1}, it.Output(0).Bytes())
}

func TestRowNormalisations(t *testing.T) {
	x := []float32{1, 2, 3, -1, 0, 1}
	it := run(t, ewModel(tflite.BuiltinOperatorSOFTMAX, 1, []ewOperand{ewOp(core.Float32, 2, 3)}, ewOp(core.Float32, 2, 3), &tflite.SoftmaxOptionsT{Beta: 0.5}), f32Bytes(x...))
	got := it.Output(0).Float32s()
	for r := 0; r < 2; r++ {
		var sum float64
		for j := 0; j < 3; j++ {
			sum += math.Exp(0.5 * float64(x[r*3+j]))
		}
		for j := 0; j < 3; j++ {
			assert.InDelta(t, math.Exp(0.5*float64(x[r*3+j]))/sum, got[r*3+j], 1e-6)
		}
	}
	it = run(t, ewModel(tflite.BuiltinOperatorLOG_SOFTMAX, 1, []ewOperand{ewOp(core.Float32, 2, 3)}, ewOp(core.Float32, 2, 3), nil), f32Bytes(x...))
	got = it.Output(0).Float32s()
	for r := 0; r < 2; r++ {
		var sum float64
		for j := 0; j < 3; j++ {
			sum += math.Exp(float64(x[r*3+j]))
		}
		for j := 0; j < 3; j++ {
			assert.InDelta(t, float64(x[r*3+j])-math.Log(sum), got[r*3+j], 1e-6)
		}
	}
	// L2: the norm is floored at 1e-6.
	it = run(t, ewModel(tflite.BuiltinOperatorL2_NORMALIZATION, 1, []ewOperand{ewOp(core.Float32, 2, 2)}, ewOp(core.Float32, 2, 2), nil), f32Bytes(3, 4, 3e-8, 4e-8))
	got = it.Output(0).Float32s()
	assert.InDeltaSlice(t, []float32{0.6, 0.8, 0.03, 0.04}, got, 1e-6)
}

func TestBroadcastingBinaryOps(t *testing.T) {
	a := []float32{-2, 0.5, 3, -4, 1, 2}
	bv := []float32{2, -0.25, 1.5}
	cases := []struct {
		code tflite.BuiltinOperator
		want func(x, y float32) float32
	}{
		{tflite.BuiltinOperatorDIV, func(x, y float32) float32 { return x / y }},
		{tflite.BuiltinOperatorSQUARED_DIFFERENCE, func(x, y float32) float32 { return (x - y) * (x - y) }},
		{tflite.BuiltinOperatorMAXIMUM, func(x, y float32) float32 { return max(x, y) }},
		{tflite.BuiltinOperatorMINIMUM, func(x, y float32) float32 { return min(x, y) }},
		{tflite.BuiltinOperatorPRELU, func(x, y float32) float32 {
			if x >= 0 {
				return x
			}
			return x * y
		}},
	}
	for _, c := range cases {
		it := run(t, ewModel(c.code, 1, []ewOperand{ewOp(core.Float32, 2, 3), ewOp(core.Float32, 3)}, ewOp(core.Float32, 2, 3), nil), f32Bytes(a...), f32Bytes(bv...))
		for i := range a {
			assert.InDelta(t, c.want(a[i], bv[i%3]), it.Output(0).Float32s()[i], 1e-6, "%s [%d]", core.BuiltinName(c.code), i)
		}
	}
	// POW.
	it := run(t, ewModel(tflite.BuiltinOperatorPOW, 1, []ewOperand{ewOp(core.Float32, 3), ewOp(core.Float32, 1)}, ewOp(core.Float32, 3), nil), f32Bytes(2, 9, 0.5), f32Bytes(0.5))
	assert.InDeltaSlice(t, []float32{float32(math.Sqrt2), 3, float32(math.Sqrt(0.5))}, it.Output(0).Float32s(), 1e-6)
}

func TestDivFloatByZeroClamps(t *testing.T) {
	// As TFLite's builtin kernel: the NONE activation clamps to the finite
	// float range.
	it := run(t, ewModel(tflite.BuiltinOperatorDIV, 1, []ewOperand{ewOp(core.Float32, 2), ewOp(core.Float32, 2)}, ewOp(core.Float32, 2), nil), f32Bytes(1, -1), f32Bytes(0, 0))
	assert.Equal(t, []float32{math.MaxFloat32, -math.MaxFloat32}, it.Output(0).Float32s())
}

func TestIntegerBinaryOps(t *testing.T) {
	it := run(t, ewModel(tflite.BuiltinOperatorDIV, 1, []ewOperand{ewOp(core.Int32, 4), ewOp(core.Int32, 4)}, ewOp(core.Int32, 4), nil), i32Bytes(7, -7, 7, -7), i32Bytes(2, 2, -2, -2))
	assert.Equal(t, []int32{3, -3, -3, 3}, it.Output(0).Int32s())
	it = run(t, ewModel(tflite.BuiltinOperatorPOW, 1, []ewOperand{ewOp(core.Int32, 4), ewOp(core.Int32, 4)}, ewOp(core.Int32, 4), nil), i32Bytes(2, -3, 5, 7), i32Bytes(10, 3, 0, 1))
	assert.Equal(t, []int32{1024, -27, 1, 7}, it.Output(0).Int32s())
	it = run(t, ewModel(tflite.BuiltinOperatorMAXIMUM, 4, []ewOperand{ewOp(core.Int16, 3), ewOp(core.Int16, 1)}, ewOp(core.Int16, 3), nil), []byte{0xff, 0xff, 5, 0, 0, 0x80}, []byte{1, 0})
	assert.Equal(t, []int16{1, 5, 1}, it.Output(0).Int16s())
	it = run(t, ewModel(tflite.BuiltinOperatorMINIMUM, 1, []ewOperand{ewOp(core.Uint8, 3), ewOp(core.Uint8, 3)}, ewOp(core.Uint8, 3), nil), []byte{200, 3, 9}, []byte{100, 4, 9})
	assert.Equal(t, []uint8{100, 3, 9}, it.Output(0).Uint8s())
	it = run(t, ewModel(tflite.BuiltinOperatorMAXIMUM, 1, []ewOperand{ewOp(core.Int64, 2, 1), ewOp(core.Int64, 2)}, ewOp(core.Int64, 2, 2), nil), i64Bytes(1<<40, -1), i64Bytes(0, 1<<41))
	assert.Equal(t, []int64{1 << 40, 1 << 41, 0, 1 << 41}, it.Output(0).Int64s())
}

func TestIntegerDivisionByZeroFailsInEval(t *testing.T) {
	b := ewModel(tflite.BuiltinOperatorDIV, 1, []ewOperand{ewOp(core.Int32, 2), ewOp(core.Int32, 2)}, ewOp(core.Int32, 2), nil)
	it, err := build(t, b)
	require.NoError(t, err)
	require.NoError(t, it.Input(0).CopyFromBuffer(i32Bytes(1, 2)))
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(1, 0)))
	assert.ErrorContains(t, it.Invoke(), "division by zero")

	b = ewModel(tflite.BuiltinOperatorPOW, 1, []ewOperand{ewOp(core.Int32, 2), ewOp(core.Int32, 2)}, ewOp(core.Int32, 2), nil)
	it, err = build(t, b)
	require.NoError(t, err)
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(1, -1)))
	assert.ErrorContains(t, it.Invoke(), "negative integer power")
}

func TestComparisonsAndLogical(t *testing.T) {
	a, bv := []int64{1, 2, 3, 2}, []int64{2}
	want := map[tflite.BuiltinOperator][]byte{
		tflite.BuiltinOperatorEQUAL:         {0, 1, 0, 1},
		tflite.BuiltinOperatorNOT_EQUAL:     {1, 0, 1, 0},
		tflite.BuiltinOperatorLESS:          {1, 0, 0, 0},
		tflite.BuiltinOperatorLESS_EQUAL:    {1, 1, 0, 1},
		tflite.BuiltinOperatorGREATER:       {0, 0, 1, 0},
		tflite.BuiltinOperatorGREATER_EQUAL: {0, 1, 1, 1},
	}
	for code, w := range want {
		it := run(t, ewModel(code, 1, []ewOperand{ewOp(core.Int64, 2, 2), ewOp(core.Int64, 1)}, ewOp(core.Bool, 2, 2), nil), i64Bytes(a...), i64Bytes(bv...))
		assert.Equal(t, w, it.Output(0).Bytes(), core.BuiltinName(code))
	}
	it := run(t, ewModel(tflite.BuiltinOperatorLOGICAL_AND, 1, []ewOperand{ewOp(core.Bool, 2, 2), ewOp(core.Bool, 2)}, ewOp(core.Bool, 2, 2), nil), []byte{0, 1, 1, 1}, []byte{1, 0})
	assert.Equal(t, []byte{0, 0, 1, 0}, it.Output(0).Bytes())
	it = run(t, ewModel(tflite.BuiltinOperatorLOGICAL_OR, 1, []ewOperand{ewOp(core.Bool, 2, 2), ewOp(core.Bool, 2)}, ewOp(core.Bool, 2, 2), nil), []byte{0, 1, 0, 0}, []byte{1, 0})
	assert.Equal(t, []byte{1, 1, 1, 0}, it.Output(0).Bytes())
}

func TestSelectRank5AndTypes(t *testing.T) {
	// SELECT version 3 (rank 5), which the oracle's TFLite lacks.
	shape := []int{1, 2, 1, 2, 2}
	it := run(t, ewModel(tflite.BuiltinOperatorSELECT, 3, []ewOperand{ewOp(core.Bool, shape...), ewOp(core.Float32, shape...), ewOp(core.Float32, shape...)}, ewOp(core.Float32, shape...), nil),
		[]byte{1, 0, 0, 1, 1, 1, 0, 0}, f32Bytes(ramp(8, 0, 1)...), f32Bytes(ramp(8, 10, 1)...))
	assert.Equal(t, []float32{0, 11, 12, 3, 4, 5, 16, 17}, it.Output(0).Float32s())
	// Rank-1 condition over the first dimension, int64.
	it = run(t, ewModel(tflite.BuiltinOperatorSELECT, 1, []ewOperand{ewOp(core.Bool, 2), ewOp(core.Int64, 2, 2), ewOp(core.Int64, 2, 2)}, ewOp(core.Int64, 2, 2), nil),
		[]byte{0, 1}, i64Bytes(1, 2, 3, 4), i64Bytes(-1, -2, -3, -4))
	assert.Equal(t, []int64{-1, -2, 3, 4}, it.Output(0).Int64s())
	// SELECT_V2 broadcasting all three.
	it = run(t, ewModel(tflite.BuiltinOperatorSELECT_V2, 1, []ewOperand{ewOp(core.Bool, 2, 1), ewOp(core.Int32, 1, 3), ewOp(core.Int32)}, ewOp(core.Int32, 2, 3), nil),
		[]byte{1, 0}, i32Bytes(1, 2, 3), i32Bytes(9))
	assert.Equal(t, []int32{1, 2, 3, 9, 9, 9}, it.Output(0).Int32s())
}

func TestCastPairs(t *testing.T) {
	it := run(t, ewModel(tflite.BuiltinOperatorCAST, 1, []ewOperand{ewOp(core.Float32, 5)}, ewOp(core.Int32, 5), nil), f32Bytes(-2.7, -0.5, 0, 1.9, 100.99))
	assert.Equal(t, []int32{-2, 0, 0, 1, 100}, it.Output(0).Int32s())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 1, []ewOperand{ewOp(core.Int64, 3)}, ewOp(core.Float32, 3), nil), i64Bytes(1<<40+1, -3, 16777217))
	assert.Equal(t, []float32{1 << 40, -3, 16777216}, it.Output(0).Float32s())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 5, []ewOperand{ewOp(core.Float32, 3)}, ewOp(core.Float16, 3), nil), f32Bytes(1.5, -2, 65504))
	assert.Equal(t, []uint16{0x3e00, 0xc000, 0x7bff}, it.Output(0).Float16s())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 5, []ewOperand{ewOp(core.Float16, 3)}, ewOp(core.Int32, 3), nil), []byte{0x00, 0x3e, 0x00, 0xc0, 0x00, 0x00})
	assert.Equal(t, []int32{1, -2, 0}, it.Output(0).Int32s())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 5, []ewOperand{ewOp(core.Float64, 2)}, ewOp(core.Bool, 2), nil), modelbuilder.Float32Bytes([]float32{0, 0, 0, 1.875}))
	assert.Equal(t, []byte{0, 1}, it.Output(0).Bytes())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 4, []ewOperand{ewOp(core.Bool, 3)}, ewOp(core.Uint16, 3), nil), []byte{1, 0, 1})
	assert.Equal(t, []uint16{1, 0, 1}, it.Output(0).Uint16s())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 2, []ewOperand{ewOp(core.Int32, 2)}, ewOp(core.Uint32, 2), nil), i32Bytes(-1, 5))
	assert.Equal(t, []uint32{math.MaxUint32, 5}, it.Output(0).Uint32s())
	it = run(t, ewModel(tflite.BuiltinOperatorCAST, 1, []ewOperand{ewOp(core.Int32, 2)}, ewOp(core.Int64, 2), nil), i32Bytes(-1, 5))
	assert.Equal(t, []int64{-1, 5}, it.Output(0).Int64s())
}

func TestElementwisePrepareErrors(t *testing.T) {
	f32, i32 := core.Float32, core.Int32
	cases := []struct {
		name string
		b    *modelbuilder.Builder
		msg  string
	}{
		{"relu int8 unquantized", ewModel(tflite.BuiltinOperatorRELU, 1, []ewOperand{ewOp(core.Int8, 3)}, ewOp(core.Int8, 3), nil), "no quantization parameters"},
		{"tanh int32", ewModel(tflite.BuiltinOperatorTANH, 1, []ewOperand{ewOp(i32, 3)}, ewOp(i32, 3), nil), "INT32 inputs are not supported"},
		{"exp output type", ewModel(tflite.BuiltinOperatorEXP, 1, []ewOperand{ewOp(f32, 3)}, ewOp(i32, 3), nil), "differs"},
		{"div mixed types", ewModel(tflite.BuiltinOperatorDIV, 1, []ewOperand{ewOp(f32, 3), ewOp(i32, 3)}, ewOp(f32, 3), nil), "input types differ"},
		{"div not broadcastable", ewModel(tflite.BuiltinOperatorDIV, 1, []ewOperand{ewOp(f32, 3), ewOp(f32, 2)}, ewOp(f32, 3), nil), "not broadcastable"},
		{"div uint8 unquantized", ewModel(tflite.BuiltinOperatorDIV, 1, []ewOperand{ewOp(core.Uint8, 3), ewOp(core.Uint8, 3)}, ewOp(core.Uint8, 3), nil), "no quantization parameters"},
		{"div rank 6 broadcast", ewModel(tflite.BuiltinOperatorDIV, 2, []ewOperand{ewOp(f32, 2, 1, 1, 1, 1, 1), ewOp(f32, 3)}, ewOp(f32, 2, 1, 1, 1, 1, 3), nil), "at most rank 5"},
		{"less rank 5 broadcast", ewModel(tflite.BuiltinOperatorLESS, 1, []ewOperand{ewOp(f32, 2, 1, 1, 1, 1), ewOp(f32, 3)}, ewOp(core.Bool, 2, 1, 1, 1, 3), nil), "at most rank 4"},
		{"less bool", ewModel(tflite.BuiltinOperatorLESS, 1, []ewOperand{ewOp(core.Bool, 3), ewOp(core.Bool, 3)}, ewOp(core.Bool, 3), nil), "BOOL inputs are not supported"},
		{"equal output type", ewModel(tflite.BuiltinOperatorEQUAL, 1, []ewOperand{ewOp(f32, 3), ewOp(f32, 3)}, ewOp(f32, 3), nil), "want BOOL"},
		{"logical_and float", ewModel(tflite.BuiltinOperatorLOGICAL_AND, 1, []ewOperand{ewOp(f32, 3), ewOp(f32, 3)}, ewOp(f32, 3), nil), "not supported"},
		{"prelu alpha grows the input", ewModel(tflite.BuiltinOperatorPRELU, 1, []ewOperand{ewOp(f32, 2, 1), ewOp(f32, 3)}, ewOp(f32, 2, 3), nil), "must broadcast to the input shape"},
		{"softmax scalar", ewModel(tflite.BuiltinOperatorSOFTMAX, 1, []ewOperand{ewOp(f32)}, ewOp(f32), nil), "rank 1 or more"},
		{"l2 rank 5", ewModel(tflite.BuiltinOperatorL2_NORMALIZATION, 1, []ewOperand{ewOp(f32, 1, 1, 1, 1, 3)}, ewOp(f32, 1, 1, 1, 1, 3), nil), "at most rank 4"},
		{"l2 activation", ewModel(tflite.BuiltinOperatorL2_NORMALIZATION, 1, []ewOperand{ewOp(f32, 3)}, ewOp(f32, 3), &tflite.L2NormOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU}), "fused activation"},
		{"select cond type", ewModel(tflite.BuiltinOperatorSELECT, 1, []ewOperand{ewOp(f32, 3), ewOp(f32, 3), ewOp(f32, 3)}, ewOp(f32, 3), nil), "want BOOL"},
		{"select cond shape", ewModel(tflite.BuiltinOperatorSELECT, 1, []ewOperand{ewOp(core.Bool, 3), ewOp(f32, 2, 3), ewOp(f32, 2, 3)}, ewOp(f32, 2, 3), nil), "first dimension"},
		{"select x y shapes", ewModel(tflite.BuiltinOperatorSELECT, 1, []ewOperand{ewOp(core.Bool), ewOp(f32, 3), ewOp(f32, 1)}, ewOp(f32, 3), nil), "same shape"},
		{"select_v2 not broadcastable", ewModel(tflite.BuiltinOperatorSELECT_V2, 1, []ewOperand{ewOp(core.Bool, 2), ewOp(f32, 3), ewOp(f32, 3)}, ewOp(f32, 3), nil), "not broadcastable"},
		{"cast complex64", ewModel(tflite.BuiltinOperatorCAST, 1, []ewOperand{ewOp(core.Complex64, 3)}, ewOp(f32, 3), nil), "not supported"},
		{"abs uint8", ewModel(tflite.BuiltinOperatorABS, 2, []ewOperand{ewOp(core.Uint8, 3)}, ewOp(core.Uint8, 3), nil), "not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := prepareError(t, c.b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}

func TestElementwiseVersionsRejected(t *testing.T) {
	for _, c := range []struct {
		code    tflite.BuiltinOperator
		version int
	}{
		{tflite.BuiltinOperatorRELU, 4},
		{tflite.BuiltinOperatorLOGISTIC, 4},
		{tflite.BuiltinOperatorABS, 6},
		{tflite.BuiltinOperatorSOFTMAX, 4},
		{tflite.BuiltinOperatorCAST, 6},
		{tflite.BuiltinOperatorEQUAL, 3},
	} {
		err := prepareError(t, ewModel(c.code, c.version, []ewOperand{ewOp(core.Float32, 3)}, ewOp(core.Float32, 3), nil))
		require.Error(t, err, "%s v%d", core.BuiltinName(c.code), c.version)
	}
}

func TestElementwiseVersionsRegistered(t *testing.T) {
	got := kernels.Builtins().Builtins()
	for code, want := range map[tflite.BuiltinOperator]string{
		tflite.BuiltinOperatorLOGISTIC:   "1-3",
		tflite.BuiltinOperatorPRELU:      "1",
		tflite.BuiltinOperatorHARD_SWISH: "1",
		tflite.BuiltinOperatorDIV:        "1-2",
		tflite.BuiltinOperatorMAXIMUM:    "1-4",
		tflite.BuiltinOperatorABS:        "1-5",
		tflite.BuiltinOperatorSELECT:     "1-4",
		tflite.BuiltinOperatorSELECT_V2:  "1-2",
		tflite.BuiltinOperatorCAST:       "1-5",
		tflite.BuiltinOperatorGELU:       "1-2",
	} {
		assert.Equal(t, want, got[code], core.BuiltinName(code))
	}
}
