package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// qactModel is a one-op model: x (typ, quantized with scale si and zero
// point zi, or plain when si is 0) to y of the same type (so, zo).
func qactModel(op tflite.BuiltinOperator, v int, typ core.TensorType, shape []int, si float32, zi int64, so float32, zo int64, opts any) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var qi, qo []modelbuilder.TensorOption
	if si != 0 {
		qi = append(qi, modelbuilder.Quant(si, zi))
		qo = append(qo, modelbuilder.Quant(so, zo))
	}
	x := g.Tensor("x", typ, shape, qi...)
	y := g.Tensor("y", typ, shape, qo...)
	ins := []int{x}
	if op == tflite.BuiltinOperatorREDUCE_PROD {
		ins = append(ins, g.ConstInt32("axis", []int{1}, []int32{int32(len(shape) - 1)}))
		g.TensorT(y).Shape = []int32{int32(shape[0])}
		if opts == nil {
			opts = &tflite.ReducerOptionsT{}
		}
	}
	g.OpVersion(op, v, ins, []int{y}, opts)
	g.Inputs(x)
	g.Outputs(y)
	return b
}

// The versions this branch claims (register_test.go's table is updated at
// merge), each built with a model of the type that version adds.
func TestQactVersions(t *testing.T) {
	const s16 = 1.0 / 32768
	i8, u8, i16, f32 := core.Int8, core.Uint8, core.Int16, core.Float32
	ok := []struct {
		op     tflite.BuiltinOperator
		v      int
		typ    core.TensorType
		si, so float32
		zi, zo int64
	}{
		{tflite.BuiltinOperatorLOGISTIC, 3, i16, 1.0 / 4096, s16, 0, 0},
		{tflite.BuiltinOperatorTANH, 3, i16, 0.001, s16, 0, 0},
		{tflite.BuiltinOperatorSOFTMAX, 3, i16, 0.001, s16, 0, 0},
		{tflite.BuiltinOperatorLOG_SOFTMAX, 2, i8, 0.1, 16.0 / 256, 0, 127},
		{tflite.BuiltinOperatorGELU, 2, u8, 0.05, 0.04, 128, 3},
		{tflite.BuiltinOperatorGELU, 2, i8, 0.05, 0.04, 0, 3},
		{tflite.BuiltinOperatorELU, 1, i8, 0.05, 0.04, 0, 3},
		{tflite.BuiltinOperatorREDUCE_PROD, 2, i8, 0.05, 0.04, 0, 3},
		{tflite.BuiltinOperatorREDUCE_PROD, 2, i16, 0.05, 0.04, 0, 0},
		{tflite.BuiltinOperatorABS, 2, i8, 0.05, 0.04, 0, 3},
		{tflite.BuiltinOperatorABS, 3, i16, 0.05, 0.04, 0, 0},
		{tflite.BuiltinOperatorABS, 4, i16, 0, 0, 0, 0},
		{tflite.BuiltinOperatorRSQRT, 2, i8, 0.05, 0.04, 0, 3},
		{tflite.BuiltinOperatorRELU_0_TO_1, 1, u8, 0.05, 0.004, 10, 3},
		{tflite.BuiltinOperatorRELU_0_TO_1, 1, f32, 0, 0, 0, 0},
	}
	for _, c := range ok {
		_, err := build(t, qactModel(c.op, c.v, c.typ, []int{2, 4}, c.si, c.zi, c.so, c.zo, nil))
		assert.NoError(t, err, "%s v%d %s", c.op, c.v, c.typ)
	}
	// Not claimed: int16 RSQRT (TFLite's resolver stops at 2), quantized
	// EXP and LOG (the oracle's TFLite has neither, so nothing checks them).
	for _, c := range []struct {
		op  tflite.BuiltinOperator
		v   int
		typ core.TensorType
	}{
		{tflite.BuiltinOperatorRSQRT, 3, i16},
		{tflite.BuiltinOperatorEXP, 2, i8},
		{tflite.BuiltinOperatorLOG, 2, i8},
		{tflite.BuiltinOperatorLOGISTIC, 4, i16},
		{tflite.BuiltinOperatorSOFTMAX, 4, i16},
		{tflite.BuiltinOperatorREDUCE_PROD, 3, i8},
	} {
		_, err := build(t, qactModel(c.op, c.v, c.typ, []int{2, 4}, 0.05, 0, 0.05, 0, nil))
		assert.Error(t, err, "%s v%d", c.op, c.v)
	}
}

// Inputs TFLite's kernels refuse are refused at Prepare (or, for RSQRT's
// negative values, at Invoke) with an error naming the problem.
func TestQactRejects(t *testing.T) {
	const s16 = 1.0 / 32768
	i8, u8, i16 := core.Int8, core.Uint8, core.Int16
	for _, c := range []struct {
		name   string
		op     tflite.BuiltinOperator
		v      int
		typ    core.TensorType
		shape  []int
		si, so float32
		zi, zo int64
		msg    string
	}{
		{"logistic16 output scale", tflite.BuiltinOperatorLOGISTIC, 3, i16, []int{4}, 0.001, 1.0 / 16384, 0, 0, "1/32768"},
		{"tanh16 output scale", tflite.BuiltinOperatorTANH, 3, i16, []int{4}, 0.001, 1.0 / 256, 0, 0, "2^-15"},
		{"tanh16 zero point", tflite.BuiltinOperatorTANH, 3, i16, []int{4}, 0.001, s16, 3, 0, "zero points"},
		{"softmax16 rank 5", tflite.BuiltinOperatorSOFTMAX, 3, i16, []int{1, 1, 1, 2, 4}, 0.001, s16, 0, 0, "ranks 1 to 4"},
		{"softmax16 output scale", tflite.BuiltinOperatorSOFTMAX, 3, i16, []int{2, 4}, 0.001, 1.0 / 256, 0, 0, "1/32768"},
		{"log_softmax8 zero point", tflite.BuiltinOperatorLOG_SOFTMAX, 2, i8, []int{2, 4}, 0.1, 16.0 / 256, 0, 0, "127"},
		{"elu uint8", tflite.BuiltinOperatorELU, 1, u8, []int{2, 4}, 0.1, 0.1, 128, 128, "UINT8"},
		{"abs uint8", tflite.BuiltinOperatorABS, 2, u8, []int{2, 4}, 0.1, 0.1, 128, 128, "UINT8"},
		{"reduce_prod uint8", tflite.BuiltinOperatorREDUCE_PROD, 2, u8, []int{2, 4}, 0.1, 0.1, 128, 128, "UINT8"},
		{"reduce_prod16 zero point", tflite.BuiltinOperatorREDUCE_PROD, 2, i16, []int{2, 4}, 0.1, 0.1, 0, 5, "zero points"},
	} {
		err := prepareError(t, qactModel(c.op, c.v, c.typ, c.shape, c.si, c.zi, c.so, c.zo, nil))
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.msg, c.name)
		}
	}
	// A uint8 DIV divisor at its zero point is a division by zero.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", u8, []int{2}, modelbuilder.Quant(0.1, 3))
	d := g.Tensor("d", u8, []int{2}, modelbuilder.Quant(0.1, 7))
	z := g.Tensor("z", u8, []int{2}, modelbuilder.Quant(0.1, 0))
	g.OpVersion(tflite.BuiltinOperatorDIV, 1, []int{x, d}, []int{z}, &tflite.DivOptionsT{})
	g.Inputs(x, d)
	g.Outputs(z)
	it, err := build(t, b)
	require.NoError(t, err)
	require.NoError(t, it.Input(0).CopyFromBuffer([]byte{10, 20}))
	require.NoError(t, it.Input(1).CopyFromBuffer([]byte{9, 7}))
	err = it.Invoke()
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "division by zero")
	}
	require.NoError(t, it.Input(1).CopyFromBuffer([]byte{9, 8}))
	require.NoError(t, it.Invoke())
	// 0.1*7 / (0.1*2) = 3.5 and 0.1*17 / 0.1 = 17, at scale 0.1.
	assert.Equal(t, []uint8{35, 170}, it.Output(0).Uint8s())

	it, err = build(t, qactModel(tflite.BuiltinOperatorRSQRT, 2, i8, []int{2, 4}, 0.1, -3, 0.05, 0, nil))
	require.NoError(t, err)
	require.NoError(t, it.Input(0).CopyFromBuffer([]byte{0, 1, 2, 3, 4, 5, 6, 0xfc}))
	err = it.Invoke()
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "RSQRT")
	}
}

// A hand-checked int16 LOGISTIC on the gemmlowp path: 0 is one half, and
// +-8 (the end of Q3.12) is sigmoid(+-8) in Q0.15.
func TestQactLogistic16ByHand(t *testing.T) {
	it := run(t, qactModel(tflite.BuiltinOperatorLOGISTIC, 3, core.Int16, []int{3}, 1.0/4096, 0, 1.0/32768, 0, nil),
		modelbuilder.Int16Bytes([]int16{0, 32767, -32768}))
	y := it.Output(0).Int16s()
	assert.Equal(t, int16(16384), y[0])
	assert.InDelta(t, 32768-11, float64(y[1]), 3)
	assert.InDelta(t, 11, float64(y[2]), 3)
}

func TestQactEvalDoesNotAllocate(t *testing.T) {
	const s16 = 1.0 / 32768
	i8, i16 := core.Int8, core.Int16
	for _, c := range []struct {
		name   string
		op     tflite.BuiltinOperator
		v      int
		typ    core.TensorType
		si, so float32
		zi, zo int64
	}{
		{"logistic16 gemmlowp", tflite.BuiltinOperatorLOGISTIC, 3, i16, 1.0 / 4096, s16, 0, 0},
		{"logistic16 table", tflite.BuiltinOperatorLOGISTIC, 3, i16, 0.001, s16, 0, 0},
		{"tanh16 gemmlowp", tflite.BuiltinOperatorTANH, 3, i16, 1.0 / 2048, s16, 0, 0},
		{"tanh16 table", tflite.BuiltinOperatorTANH, 3, i16, 0.001, s16, 0, 0},
		{"softmax16", tflite.BuiltinOperatorSOFTMAX, 3, i16, 0.001, s16, 0, 0},
		{"log_softmax8", tflite.BuiltinOperatorLOG_SOFTMAX, 2, i8, 0.1, 16.0 / 256, 0, 127},
		{"gelu8", tflite.BuiltinOperatorGELU, 2, i8, 0.05, 0.04, 0, 3},
		{"reduce_prod8", tflite.BuiltinOperatorREDUCE_PROD, 2, i8, 0.05, 0.04, 0, 3},
		{"reduce_prod16", tflite.BuiltinOperatorREDUCE_PROD, 2, i16, 0.001, 0.002, 0, 0},
		{"abs16", tflite.BuiltinOperatorABS, 3, i16, 0.05, 0.04, 0, 0},
		{"rsqrt8", tflite.BuiltinOperatorRSQRT, 2, i8, 0.05, 0.04, -128, 3},
	} {
		it, err := build(t, qactModel(c.op, c.v, c.typ, []int{4, 8}, c.si, c.zi, c.so, c.zo, nil))
		require.NoError(t, err, c.name)
		require.NoError(t, it.Invoke(), c.name)
		assert.Zero(t, testing.AllocsPerRun(20, func() { _ = it.Invoke() }), c.name)
	}
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Uint8, []int{2, 3, 4}, modelbuilder.Quant(0.1, 3))
	d := g.Tensor("d", core.Uint8, []int{4}, modelbuilder.Quant(0.1, 7))
	z := g.Tensor("z", core.Uint8, []int{2, 3, 4}, modelbuilder.Quant(0.1, 0))
	g.OpVersion(tflite.BuiltinOperatorDIV, 1, []int{x, d}, []int{z}, &tflite.DivOptionsT{})
	g.Inputs(x, d)
	g.Outputs(z)
	it, err := build(t, b)
	require.NoError(t, err)
	require.NoError(t, it.Invoke())
	assert.Zero(t, testing.AllocsPerRun(20, func() { _ = it.Invoke() }), "div uint8")
}

// Extreme scales give results or errors, never a panic.
func TestQactExtremeScales(t *testing.T) {
	ops := []struct {
		op  tflite.BuiltinOperator
		v   int
		typ core.TensorType
		so  float32
		zo  int64
	}{
		{tflite.BuiltinOperatorLOGISTIC, 3, core.Int16, 1.0 / 32768, 0},
		{tflite.BuiltinOperatorTANH, 3, core.Int16, 1.0 / 32768, 0},
		{tflite.BuiltinOperatorSOFTMAX, 3, core.Int16, 1.0 / 32768, 0},
		{tflite.BuiltinOperatorLOG_SOFTMAX, 2, core.Int8, 16.0 / 256, 127},
		{tflite.BuiltinOperatorGELU, 2, core.Uint8, 0, 0},
		{tflite.BuiltinOperatorELU, 1, core.Int8, 0, 0},
		{tflite.BuiltinOperatorABS, 3, core.Int16, 0, 0},
		{tflite.BuiltinOperatorRSQRT, 2, core.Int8, 0, 0},
		{tflite.BuiltinOperatorREDUCE_PROD, 2, core.Int8, 0, 0},
		{tflite.BuiltinOperatorREDUCE_PROD, 2, core.Int16, 0, 0},
	}
	data := make([]byte, 64)
	for i := range data {
		data[i] = byte(i * 37)
	}
	for _, o := range ops {
		for _, si := range []float32{1e-30, 1e-6, 3, 1e6, 1e30} {
			for _, so := range []float32{o.so, 1e-30, 1e30} {
				if so == 0 {
					continue
				}
				it, err := build(t, qactModel(o.op, o.v, o.typ, []int{2, 16}, si, 0, so, o.zo, nil))
				if err != nil {
					continue
				}
				in := data[:it.Input(0).ByteSize()]
				require.NoError(t, it.Input(0).CopyFromBuffer(in))
				_ = it.Invoke()
			}
		}
	}
	for _, s := range []float32{1e-30, 1e-6, 3, 1e6, 1e30} {
		b := modelbuilder.New()
		g := b.Main()
		x := g.Tensor("x", core.Uint8, []int{16}, modelbuilder.Quant(s, 3))
		d := g.Tensor("d", core.Uint8, []int{16}, modelbuilder.Quant(1/s, 200))
		z := g.Tensor("z", core.Uint8, []int{16}, modelbuilder.Quant(s*s, 9))
		g.OpVersion(tflite.BuiltinOperatorDIV, 1, []int{x, d}, []int{z}, &tflite.DivOptionsT{})
		g.Inputs(x, d)
		g.Outputs(z)
		it, err := build(t, b)
		if err != nil {
			continue
		}
		require.NoError(t, it.Input(0).CopyFromBuffer(data[:16]))
		require.NoError(t, it.Input(1).CopyFromBuffer(data[16:32]))
		_ = it.Invoke()
	}
}
