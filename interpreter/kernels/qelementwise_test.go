package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

type qewT struct {
	typ   core.TensorType
	shape []int
	scale float32
	zp    int64
}

// qewModel is one op on quantized operands.
func qewModel(code tflite.BuiltinOperator, version int, ins []qewT, out qewT, opts any) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var idx []int
	for i, in := range ins {
		idx = append(idx, g.Tensor(string(rune('a'+i)), in.typ, in.shape, modelbuilder.Quant(in.scale, in.zp)))
	}
	z := g.Tensor("z", out.typ, out.shape, modelbuilder.Quant(out.scale, out.zp))
	g.OpVersion(code, version, idx, []int{z}, opts)
	g.Inputs(idx...)
	g.Outputs(z)
	return b
}

func qewI8(v ...int8) []byte   { return modelbuilder.Int8Bytes(v) }
func qewI16(v ...int16) []byte { return modelbuilder.Int16Bytes(v) }

func TestQEwAddSaturates(t *testing.T) {
	i8 := qewT{core.Int8, []int{4}, 1, 0}
	it := run(t, qewModel(tflite.BuiltinOperatorADD, 2, []qewT{i8, i8}, i8, &tflite.AddOptionsT{}),
		qewI8(100, -100, 127, -3), qewI8(100, -100, 0, 5))
	assert.Equal(t, qewI8(127, -128, 127, 2), it.Output(0).Bytes())
	// RELU6 on an output of scale 0.5, zero point -10: clamps [-10, 2].
	o := qewT{core.Int8, []int{4}, 0.5, -10}
	it = run(t, qewModel(tflite.BuiltinOperatorADD, 2, []qewT{i8, i8}, o, &tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU6}),
		qewI8(1, -4, 10, 2), qewI8(0, 0, 0, 1))
	assert.Equal(t, qewI8(-8, -10, 2, -4), it.Output(0).Bytes())
}

func TestQEwSubPot16(t *testing.T) {
	p := qewT{core.Int16, []int{4}, 1.0 / 1024, 0}
	q := qewT{core.Int16, []int{4}, 1.0 / 4096, 0}
	it := run(t, qewModel(tflite.BuiltinOperatorSUB, 1, []qewT{p, q}, p, &tflite.SubOptionsT{PotScaleInt16: true}),
		qewI16(32767, -32768, 100, 0), qewI16(-32768, 32767, 6, -6))
	// Input 2 is shifted right by 2 (rounding half away from zero), then
	// subtracted with int16 saturation.
	assert.Equal(t, qewI16(32767, -32768, 98, 2), it.Output(0).Bytes())
}

func TestQEwPrepareErrors(t *testing.T) {
	u8 := func(s float32, zp int64, shape ...int) qewT { return qewT{core.Uint8, shape, s, zp} }
	i16 := func(s float32, shape ...int) qewT { return qewT{core.Int16, shape, s, 0} }
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		msg  string
	}{
		{"softmax output scale", qewModel(tflite.BuiltinOperatorSOFTMAX, 1, []qewT{u8(0.1, 0, 3)}, u8(0.1, 0, 3), &tflite.SoftmaxOptionsT{Beta: 1}), "needs scale"},
		{"logistic output", qewModel(tflite.BuiltinOperatorLOGISTIC, 1, []qewT{u8(0.1, 0, 3)}, u8(1.0/256, 3, 3), nil), "zero point 0"},
		{"l2 output", qewModel(tflite.BuiltinOperatorL2_NORMALIZATION, 1, []qewT{u8(0.1, 0, 3)}, u8(1.0/256, 128, 3), nil), "scale 1/128"},
		{"log_softmax output", qewModel(tflite.BuiltinOperatorLOG_SOFTMAX, 1, []qewT{u8(0.1, 0, 3)}, u8(1.0/16, 0, 3), nil), "zero point 255"},
		{"pot16 broadcast", qewModel(tflite.BuiltinOperatorADD, 1, []qewT{i16(1.0/1024, 2, 3), i16(1.0/1024, 3)}, i16(1.0/1024, 2, 3), &tflite.AddOptionsT{PotScaleInt16: true}), "does not broadcast"},
		{"pot16 both shifted", qewModel(tflite.BuiltinOperatorADD, 1, []qewT{i16(1.0/4096, 3), i16(1.0/2048, 3)}, i16(1.0/1024, 3), &tflite.AddOptionsT{PotScaleInt16: true}), "one input"},
		{"int16 zero point", qewModel(tflite.BuiltinOperatorMUL, 4, []qewT{{core.Int16, []int{3}, 0.1, 1}, i16(0.1, 3)}, i16(0.1, 3), nil), "zero points 0"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.msg, c.name)
		}
	}
}

// Quantized Eval allocates nothing.
func TestQEwAllocationFree(t *testing.T) {
	u8 := qewT{core.Uint8, []int{2, 5}, 0.1, 128}
	i8 := qewT{core.Int8, []int{2, 5}, 0.05, -3}
	for name, b := range map[string]*modelbuilder.Builder{
		"add":      qewModel(tflite.BuiltinOperatorADD, 2, []qewT{i8, {core.Int8, []int{5}, 0.02, 1}}, i8, &tflite.AddOptionsT{}),
		"softmax":  qewModel(tflite.BuiltinOperatorSOFTMAX, 1, []qewT{u8}, qewT{core.Uint8, []int{2, 5}, 1.0 / 256, 0}, &tflite.SoftmaxOptionsT{Beta: 1}),
		"l2":       qewModel(tflite.BuiltinOperatorL2_NORMALIZATION, 2, []qewT{i8}, qewT{core.Int8, []int{2, 5}, 1.0 / 128, 0}, nil),
		"logistic": qewModel(tflite.BuiltinOperatorLOGISTIC, 2, []qewT{i8}, qewT{core.Int8, []int{2, 5}, 1.0 / 256, -128}, nil),
		"less":     qewModel(tflite.BuiltinOperatorLESS, 2, []qewT{i8, i8}, qewT{core.Bool, []int{2, 5}, 1, 0}, nil),
	} {
		it, err := build(t, b)
		require.NoError(t, err, name)
		require.NoError(t, it.Invoke(), name)
		assert.Zero(t, testing.AllocsPerRun(5, func() { _ = it.Invoke() }), name)
	}
}
