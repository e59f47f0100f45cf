package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

type concatInput struct {
	typ   core.TensorType
	shape []int
	opts  []modelbuilder.TensorOption
}

func concatModel(ins []concatInput, out concatInput, axis int, act tflite.ActivationFunctionType) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var idx []int
	for i, in := range ins {
		idx = append(idx, g.Tensor(string(rune('a'+i)), in.typ, in.shape, in.opts...))
	}
	y := g.Tensor("y", out.typ, out.shape, out.opts...)
	g.Op(tflite.BuiltinOperatorCONCATENATION, idx, []int{y}, &tflite.ConcatenationOptionsT{Axis: int32(axis), FusedActivationFunction: act})
	g.Inputs(idx...)
	g.Outputs(y)
	return b
}

func f32In(shape ...int) concatInput { return concatInput{typ: core.Float32, shape: shape} }

func TestConcatenation(t *testing.T) {
	none := tflite.ActivationFunctionTypeNONE
	// Axis -2 of [2,1,2] and [2,2,2].
	it := run(t, concatModel([]concatInput{f32In(2, 1, 2), f32In(2, 2, 2)}, f32In(2, 3, 2), -2, none),
		f32Bytes(1, 2, 3, 4), f32Bytes(10, 11, 12, 13, 14, 15, 16, 17))
	assert.Equal(t, []int{2, 3, 2}, it.Output(0).Shape())
	assert.Equal(t, []float32{1, 2, 10, 11, 12, 13, 3, 4, 14, 15, 16, 17}, it.Output(0).Float32s())

	// INT64 along the last axis, with a zero-sized input.
	i64 := func(shape ...int) concatInput { return concatInput{typ: core.Int64, shape: shape} }
	it = run(t, concatModel([]concatInput{i64(2, 1), i64(2, 0), i64(2, 2)}, i64(2, 3), 1, none),
		i64Bytes(1, 2), nil, i64Bytes(3, 4, 5, 6))
	assert.Equal(t, []int64{1, 3, 4, 2, 5, 6}, it.Output(0).Int64s())

	// INT16 inputs are copied whatever their scales, as TFLite does.
	i16 := func(scale float32, shape ...int) concatInput {
		return concatInput{typ: core.Int16, shape: shape, opts: []modelbuilder.TensorOption{modelbuilder.Quant(scale, 0)}}
	}
	it = run(t, concatModel([]concatInput{i16(0.5, 1), i16(0.25, 2)}, i16(1, 3), 0, none),
		modelbuilder.Int16Bytes([]int16{7}), modelbuilder.Int16Bytes([]int16{-8, 9}))
	assert.Equal(t, []int16{7, -8, 9}, it.Output(0).Int16s())
}

func TestConcatenationErrors(t *testing.T) {
	none := tflite.ActivationFunctionTypeNONE
	q := func(typ core.TensorType, scale float32, zp int64, shape ...int) concatInput {
		return concatInput{typ: typ, shape: shape, opts: []modelbuilder.TensorOption{modelbuilder.Quant(scale, zp)}}
	}
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"activation", concatModel([]concatInput{f32In(2), f32In(2)}, f32In(4), 0, tflite.ActivationFunctionTypeRELU), "fused activation RELU is not supported (TFLite's CONCATENATION takes NONE only)"},
		{"axis", concatModel([]concatInput{f32In(2), f32In(2)}, f32In(4), 1, none), "axis 1 out of range for rank 1"},
		{"negative axis", concatModel([]concatInput{f32In(2), f32In(2)}, f32In(4), -2, none), "axis -2 out of range for rank 1"},
		{"scalar", concatModel([]concatInput{f32In(), f32In()}, f32In(2), 0, none), "axis 0 out of range for rank 0"},
		{"rank", concatModel([]concatInput{f32In(2, 1), f32In(2)}, f32In(4), 0, none), "input 1 has rank 1, input 0 has rank 2"},
		{"dims", concatModel([]concatInput{f32In(2, 3), f32In(2, 4)}, f32In(4, 3), 0, none), "not matching input 0's [2,3] outside axis 0"},
		{"types", concatModel([]concatInput{f32In(2), {typ: core.Int32, shape: []int{2}}}, f32In(4), 0, none), "input 1 is INT32, input 0 is FLOAT32"},
		{"output type", concatModel([]concatInput{f32In(2), f32In(2)}, concatInput{typ: core.Int32, shape: []int{4}}, 0, none), "output type INT32 differs"},
		{"int8 scales", concatModel([]concatInput{q(core.Int8, 0.1, 0, 2), q(core.Int8, 0.2, 0, 2)}, q(core.Int8, 0.1, 0, 4), 0, none), "TFLite requires them equal for INT8"},
		{"uint8 zero point", concatModel([]concatInput{q(core.Uint8, 0.1, 3, 2), q(core.Uint8, 0.1, 300, 2)}, q(core.Uint8, 0.1, 3, 4), 0, none), "out of the UINT8 range"},
		{"int16 zero point", concatModel([]concatInput{q(core.Int16, 0.1, 1, 2), q(core.Int16, 0.1, 0, 2)}, q(core.Int16, 0.1, 0, 4), 0, none), "input 0 has zero point 1; INT16 needs 0"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}
