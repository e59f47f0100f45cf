package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// reshapeModel reshapes x of shape in; shape (nil: no second input) is a
// constant INT32 vector, or a model input when shapeInput is set; opts
// (nil: none) is ReshapeOptions.new_shape.
func reshapeModel(typ core.TensorType, in []int, shape []int32, shapeInput bool, opts []int32, out []int) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", typ, in)
	ins, modelIns := []int{x}, []int{x}
	if shape != nil {
		var s int
		if shapeInput {
			s = g.Tensor("shape", core.Int32, []int{len(shape)})
			modelIns = append(modelIns, s)
		} else {
			s = g.ConstInt32("shape", []int{len(shape)}, shape)
		}
		ins = append(ins, s)
	}
	y := g.Tensor("y", typ, out)
	var o any
	if opts != nil {
		o = &tflite.ReshapeOptionsT{NewShape: opts}
	}
	g.Op(tflite.BuiltinOperatorRESHAPE, ins, []int{y}, o)
	g.Inputs(modelIns...)
	g.Outputs(y)
	return b
}

func TestReshapeShapes(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    []int
		shape []int32
		opts  []int32
		want  []int
	}{
		{"tensor", []int{2, 3, 4}, []int32{4, 6}, nil, []int{4, 6}},
		{"infer", []int{2, 3, 4}, []int32{-1, 2}, nil, []int{12, 2}},
		{"options", []int{2, 3}, nil, []int32{3, -1}, []int{3, 2}},
		{"tensor wins", []int{2, 3}, []int32{6}, []int32{2, 3}, []int{6}},
		{"no options: scalar", []int{1, 1}, nil, nil, []int{}},
		{"legacy [0]: scalar", []int{1}, nil, []int32{0}, []int{}},
		{"zero-sized inferred", []int{0, 3}, []int32{-1, 3}, nil, []int{0, 3}},
		{"zero-sized from non-zero", []int{2, 0, 3}, []int32{0, -1}, nil, []int{0, 6}},
		{"rank 8", []int{2, 2, 2}, []int32{1, 1, 2, 1, 2, 1, 2, 1}, nil, []int{1, 1, 2, 1, 2, 1, 2, 1}},
	} {
		n := numElements(c.in)
		it := run(t, reshapeModel(core.Float32, c.in, c.shape, false, c.opts, c.want), f32Bytes(ramp(n, 1, 1)...))
		out := it.Output(0)
		assert.Equal(t, c.want, append([]int{}, out.Shape()...), c.name)
		if n > 0 {
			assert.Equal(t, ramp(n, 1, 1), out.Float32s(), c.name)
		}
	}
}

func TestReshapeDynamicShape(t *testing.T) {
	// A shape known only when the graph runs: the output is sized in Eval,
	// each time with the current values.
	it, err := build(t, reshapeModel(core.Float32, []int{2, 6}, []int32{0, 0}, true, nil, []int{12}))
	require.NoError(t, err)
	data := f32Bytes(ramp(12, 0, 1)...)
	for _, c := range []struct {
		shape []int32
		want  []int
	}{
		{[]int32{3, 4}, []int{3, 4}},
		{[]int32{-1, 2}, []int{6, 2}},
		{[]int32{12, 1}, []int{12, 1}},
	} {
		require.NoError(t, it.Input(0).CopyFromBuffer(data))
		require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(c.shape...)))
		require.NoError(t, it.Invoke())
		assert.Equal(t, c.want, it.Output(0).Shape())
		assert.Equal(t, ramp(12, 0, 1), it.Output(0).Float32s())
	}
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(5, -1)))
	assert.ErrorContains(t, it.Invoke(), "cannot reshape [2,6] (12 elements) to [5,2] (10 elements)")
}

func TestReshapeScalarShapeTensorFallsBackToOptions(t *testing.T) {
	// TFLite uses the shape input only if it is an INT32 vector.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3})
	s := g.ConstInt32("shape", []int{}, []int32{6})
	y := g.Tensor("y", core.Float32, []int{3, 2})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x, s}, []int{y}, &tflite.ReshapeOptionsT{NewShape: []int32{3, 2}})
	g.Inputs(x)
	g.Outputs(y)
	it := run(t, b, f32Bytes(1, 2, 3, 4, 5, 6))
	assert.Equal(t, []int{3, 2}, it.Output(0).Shape())
}

func TestReshapeInChain(t *testing.T) {
	// ADD -> RESHAPE -> ADD: the planner may alias RESHAPE's output to its
	// input; the numbers must not change either way.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3})
	one := g.ConstFloat32("one", []int{}, []float32{1})
	t1 := g.Tensor("t1", core.Float32, []int{2, 3})
	s := g.ConstInt32("shape", []int{1}, []int32{6})
	t2 := g.Tensor("t2", core.Float32, []int{6})
	ten := g.ConstFloat32("ten", []int{6}, ramp(6, 10, 10))
	y := g.Tensor("y", core.Float32, []int{6})
	g.Op(tflite.BuiltinOperatorADD, []int{x, one}, []int{t1}, nil)
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{t1, s}, []int{t2}, nil)
	g.Op(tflite.BuiltinOperatorADD, []int{t2, ten}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	it := run(t, b, f32Bytes(1, 2, 3, 4, 5, 6))
	assert.Equal(t, []float32{12, 23, 34, 45, 56, 67}, it.Output(0).Float32s())
}

func TestReshapeErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"count", reshapeModel(core.Float32, []int{2, 3}, []int32{4}, false, nil, []int{4}), "cannot reshape [2,3] (6 elements) to [4] (4 elements)"},
		{"two -1", reshapeModel(core.Float32, []int{2, 3}, []int32{-1, -1}, false, nil, []int{6}), "more than one -1"},
		{"negative", reshapeModel(core.Float32, []int{2, 3}, []int32{-2, -3}, false, nil, []int{6}), "negative dimension"},
		{"not divisible", reshapeModel(core.Float32, []int{2, 3}, []int32{4, -1}, false, nil, []int{6}), "cannot reshape"},
		{"no options, not scalar", reshapeModel(core.Int8, []int{2}, nil, false, nil, []int{2}), "cannot reshape [2] (2 elements) to [] (1 elements)"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}

	b := modelbuilder.New()
	g := b.Main()
	x, y := g.Tensor("x", core.Float32, []int{2}), g.Tensor("y", core.Int32, []int{2})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x}, []int{y}, &tflite.ReshapeOptionsT{NewShape: []int32{2}})
	g.Inputs(x)
	g.Outputs(y)
	assert.ErrorContains(t, prepareError(t, b), "output type INT32 differs from the input type FLOAT32")

	b = modelbuilder.New()
	g = b.Main()
	x, y = g.Tensor("x", core.String, []int{2}), g.Tensor("y", core.String, []int{2})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x}, []int{y}, &tflite.ReshapeOptionsT{NewShape: []int32{2}})
	g.Inputs(x)
	g.Outputs(y)
	// A STRING input is sized while running, so Prepare runs in Invoke.
	it, err := build(t, b)
	require.NoError(t, err)
	require.NoError(t, it.Input(0).SetStrings([]string{"a", "b"}))
	assert.ErrorContains(t, it.Invoke(), "STRING tensors are not supported yet")

	b = modelbuilder.New()
	g = b.Main()
	x, y = g.Tensor("x", core.Float32, []int{2}), g.Tensor("y", core.Float32, []int{2})
	s := g.ConstInt32("s", []int{1}, []int32{2})
	z := g.ConstInt32("z", []int{1}, []int32{2})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x, s, z}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	assert.ErrorContains(t, prepareError(t, b), "has 3 inputs, want 1 to 2")
}
