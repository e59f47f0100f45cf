package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// shTensor describes one input of oneOp: a model input (data nil) or a
// constant.
type shTensor struct {
	typ   core.TensorType
	shape []int
	data  []byte // constant data; nil: model input
}

func shInput(typ core.TensorType, shape ...int) shTensor { return shTensor{typ: typ, shape: shape} }
func shConstI32(v ...int32) shTensor {
	return shTensor{typ: core.Int32, shape: []int{len(v)}, data: i32Bytes(v...)}
}
func shScalar32(v int32) shTensor {
	return shTensor{typ: core.Int32, shape: []int{}, data: i32Bytes(v)}
}

// oneOp builds a model of one op with the given inputs and outputs (type,
// declared shape).
func oneOp(op tflite.BuiltinOperator, version int, ins []shTensor, outs []shTensor, opts any) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var idx, modelIns, outIdx []int
	for i, s := range ins {
		name := "in" + string(rune('0'+i))
		if s.data != nil {
			idx = append(idx, g.Const(name, s.typ, s.shape, s.data))
			continue
		}
		t := g.Tensor(name, s.typ, s.shape)
		idx = append(idx, t)
		modelIns = append(modelIns, t)
	}
	for i, s := range outs {
		outIdx = append(outIdx, g.Tensor("out"+string(rune('0'+i)), s.typ, s.shape))
	}
	g.OpVersion(op, version, idx, outIdx, opts)
	g.Inputs(modelIns...)
	g.Outputs(outIdx...)
	return b
}

func TestTranspose6D(t *testing.T) {
	shape := []int{2, 1, 3, 2, 1, 2}
	perm := []int32{5, 0, 3, 1, 4, 2}
	outShape := make([]int, 6)
	for d, p := range perm {
		outShape[d] = shape[p]
	}
	n := numElements(shape)
	it := run(t, oneOp(tflite.BuiltinOperatorTRANSPOSE, 6,
		[]shTensor{shInput(core.Float32, shape...), shConstI32(perm...)},
		[]shTensor{shInput(core.Float32, outShape...)}, nil), f32Bytes(ramp(n, 0, 1)...))
	got := it.Output(0).Float32s()
	require.Equal(t, outShape, append([]int{}, it.Output(0).Shape()...))
	st := strides(shape)
	i := 0
	forEachIndex(outShape, func(idx []int) {
		off := 0
		for d, p := range perm {
			off += idx[d] * st[p]
		}
		assert.Equal(t, float32(off), got[i], "output %v", idx)
		i++
	})
}

func TestStridedSliceOffset(t *testing.T) {
	// With offset, end is a size relative to begin (version 8).
	opts := &tflite.StridedSliceOptionsT{Offset: true}
	it := run(t, oneOp(tflite.BuiltinOperatorSTRIDED_SLICE, 8,
		[]shTensor{shInput(core.Float32, 3, 6), shConstI32(1, 2), shConstI32(2, 3), shConstI32(1, 1)},
		[]shTensor{shInput(core.Float32, 2, 3)}, opts), f32Bytes(ramp(18, 0, 1)...))
	assert.Equal(t, []int{2, 3}, append([]int{}, it.Output(0).Shape()...))
	assert.Equal(t, []float32{8, 9, 10, 14, 15, 16}, it.Output(0).Float32s())

	// Begin as a model input: the output is sized while running.
	b := oneOp(tflite.BuiltinOperatorSTRIDED_SLICE, 8,
		[]shTensor{shInput(core.Float32, 8), shInput(core.Int32, 1), shConstI32(3), shConstI32(2)},
		[]shTensor{shInput(core.Float32, 2)}, opts)
	it = run(t, b, f32Bytes(ramp(8, 0, 1)...), i32Bytes(2))
	assert.Equal(t, []float32{2, 4}, it.Output(0).Float32s())
}

func TestArgMaxInt64AndShapeInt64(t *testing.T) {
	// The oracle refuses INT64 outputs: checked by hand here.
	in := f32Bytes(1, 5, 5, 0, -1, -2, -2, 7)
	for _, c := range []struct {
		op   tflite.BuiltinOperator
		opts any
		want []int64
	}{
		{tflite.BuiltinOperatorARG_MAX, &tflite.ArgMaxOptionsT{OutputType: tflite.TensorTypeINT64}, []int64{1, 3}},
		{tflite.BuiltinOperatorARG_MIN, &tflite.ArgMinOptionsT{OutputType: tflite.TensorTypeINT64}, []int64{3, 1}},
	} {
		it := run(t, oneOp(c.op, 1, []shTensor{shInput(core.Float32, 2, 4), shConstI32(1)},
			[]shTensor{shInput(core.Int64, 2)}, c.opts), in)
		assert.Equal(t, c.want, it.Output(0).Int64s(), c.op.String())
	}
	it := run(t, oneOp(tflite.BuiltinOperatorSHAPE, 1, []shTensor{shInput(core.Float32, 3, 1, 4)},
		[]shTensor{shInput(core.Int64, 3)}, &tflite.ShapeOptionsT{OutType: tflite.TensorTypeINT64}), make([]byte, 48))
	assert.Equal(t, []int64{3, 1, 4}, it.Output(0).Int64s())
	// INT64 data through the generic copies and CUMSUM.
	it = run(t, oneOp(tflite.BuiltinOperatorCUMSUM, 1, []shTensor{shInput(core.Int64, 4), shScalar32(0)},
		[]shTensor{shInput(core.Int64, 4)}, &tflite.CumsumOptionsT{Exclusive: true}), i64Bytes(1<<40, 2, 3, 4))
	assert.Equal(t, []int64{0, 1 << 40, 1<<40 + 2, 1<<40 + 5}, it.Output(0).Int64s())
	it = run(t, oneOp(tflite.BuiltinOperatorGATHER, 1, []shTensor{shInput(core.Int64, 3), shConstI32(2, 0)},
		[]shTensor{shInput(core.Int64, 2)}, &tflite.GatherOptionsT{}), i64Bytes(10, 20, 1<<50))
	assert.Equal(t, []int64{1 << 50, 10}, it.Output(0).Int64s())
}

func TestGatherIndexOutOfRangeFailsAtEval(t *testing.T) {
	for _, idx := range []int32{3, -1} {
		it, err := build(t, oneOp(tflite.BuiltinOperatorGATHER, 1,
			[]shTensor{shInput(core.Float32, 3, 2), shInput(core.Int32, 2)},
			[]shTensor{shInput(core.Float32, 2, 2)}, &tflite.GatherOptionsT{}))
		require.NoError(t, err)
		require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(0, idx)))
		err = it.Invoke()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "out of range")
	}
	it, err := build(t, oneOp(tflite.BuiltinOperatorGATHER_ND, 1,
		[]shTensor{shInput(core.Float32, 3, 2), shInput(core.Int32, 1, 2)},
		[]shTensor{shInput(core.Float32, 1)}, nil))
	require.NoError(t, err)
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(1, 2)))
	require.Error(t, it.Invoke())
}

func TestShapeOpsDynamicReinvoke(t *testing.T) {
	// SLICE with begin and size as model inputs: each Invoke sizes the
	// output with the current values.
	it, err := build(t, oneOp(tflite.BuiltinOperatorSLICE, 1,
		[]shTensor{shInput(core.Float32, 4, 3), shInput(core.Int32, 2), shInput(core.Int32, 2)},
		[]shTensor{shInput(core.Float32, 1, 1)}, nil))
	require.NoError(t, err)
	require.NoError(t, it.Input(0).CopyFromBuffer(f32Bytes(ramp(12, 0, 1)...)))
	for _, c := range []struct {
		begin, size []int32
		shape       []int
		want        []float32
	}{
		{[]int32{1, 1}, []int32{2, -1}, []int{2, 2}, []float32{4, 5, 7, 8}},
		{[]int32{3, 0}, []int32{1, 3}, []int{1, 3}, []float32{9, 10, 11}},
	} {
		require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(c.begin...)))
		require.NoError(t, it.Input(2).CopyFromBuffer(i32Bytes(c.size...)))
		require.NoError(t, it.Invoke())
		assert.Equal(t, c.shape, append([]int{}, it.Output(0).Shape()...))
		assert.Equal(t, c.want, it.Output(0).Float32s())
	}
	require.NoError(t, it.Input(2).CopyFromBuffer(i32Bytes(2, 3)))
	require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(3, 0)))
	assert.Error(t, it.Invoke(), "begin+size past the end")

	// TOPK_V2 with k from the input.
	it, err = build(t, oneOp(tflite.BuiltinOperatorTOPK_V2, 1,
		[]shTensor{shInput(core.Float32, 5), shInput(core.Int32)},
		[]shTensor{shInput(core.Float32, 1), shInput(core.Int32, 1)}, nil))
	require.NoError(t, err)
	require.NoError(t, it.Input(0).CopyFromBuffer(f32Bytes(3, 9, 3, -1, 9)))
	for k, want := range [][]int32{{}, {1}, {1, 4}, {1, 4, 0}} {
		require.NoError(t, it.Input(1).CopyFromBuffer(i32Bytes(int32(k))))
		require.NoError(t, it.Invoke())
		assert.Equal(t, want, append([]int32{}, it.Output(1).Int32s()...), "k=%d", k)
	}
}

func TestShapeOpsPrepareErrors(t *testing.T) {
	f := core.Float32
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"squeeze non-1", oneOp(tflite.BuiltinOperatorSQUEEZE, 1, []shTensor{shInput(f, 2, 3)}, []shTensor{shInput(f, 3)},
			&tflite.SqueezeOptionsT{SqueezeDims: []int32{0}}), "not 1"},
		{"squeeze range", oneOp(tflite.BuiltinOperatorSQUEEZE, 1, []shTensor{shInput(f, 1, 3)}, []shTensor{shInput(f, 3)},
			&tflite.SqueezeOptionsT{SqueezeDims: []int32{-3}}), "out of range"},
		{"expand range", oneOp(tflite.BuiltinOperatorEXPAND_DIMS, 1, []shTensor{shInput(f, 2), shConstI32(3)}, []shTensor{shInput(f, 2, 1)}, nil), "out of range"},
		{"transpose duplicate", oneOp(tflite.BuiltinOperatorTRANSPOSE, 1, []shTensor{shInput(f, 2, 3), shConstI32(0, 0)}, []shTensor{shInput(f, 2, 2)}, nil), "permutation"},
		{"transpose length", oneOp(tflite.BuiltinOperatorTRANSPOSE, 1, []shTensor{shInput(f, 2, 3), shConstI32(0)}, []shTensor{shInput(f, 2)}, nil), "perm"},
		{"slice past end", oneOp(tflite.BuiltinOperatorSLICE, 1, []shTensor{shInput(f, 4), shConstI32(2), shConstI32(3)}, []shTensor{shInput(f, 3)}, nil), "exceed"},
		{"slice size -2", oneOp(tflite.BuiltinOperatorSLICE, 1, []shTensor{shInput(f, 4), shConstI32(0), shConstI32(-2)}, []shTensor{shInput(f, 3)}, nil), "invalid"},
		{"strided zero stride", oneOp(tflite.BuiltinOperatorSTRIDED_SLICE, 1, []shTensor{shInput(f, 4), shConstI32(0), shConstI32(4), shConstI32(0)}, []shTensor{shInput(f, 4)}, &tflite.StridedSliceOptionsT{}), "zero"},
		{"strided shrink out of range", oneOp(tflite.BuiltinOperatorSTRIDED_SLICE, 1, []shTensor{shInput(f, 4), shConstI32(4), shConstI32(5), shConstI32(1)}, []shTensor{shInput(f)}, &tflite.StridedSliceOptionsT{ShrinkAxisMask: 1}), "out of range"},
		{"strided lengths", oneOp(tflite.BuiltinOperatorSTRIDED_SLICE, 1, []shTensor{shInput(f, 4), shConstI32(0, 0), shConstI32(4), shConstI32(1)}, []shTensor{shInput(f, 4)}, &tflite.StridedSliceOptionsT{}), "as many"},
		{"split uneven", oneOp(tflite.BuiltinOperatorSPLIT, 1, []shTensor{shScalar32(0), shInput(f, 5)}, []shTensor{shInput(f, 2), shInput(f, 2)}, &tflite.SplitOptionsT{NumSplits: 2}), "equal parts"},
		{"split_v two -1", oneOp(tflite.BuiltinOperatorSPLIT_V, 1, []shTensor{shInput(f, 5), shConstI32(-1, -1), shScalar32(0)}, []shTensor{shInput(f, 2), shInput(f, 3)}, &tflite.SplitVOptionsT{NumSplits: 2}), "more than one -1"},
		{"split_v sum", oneOp(tflite.BuiltinOperatorSPLIT_V, 1, []shTensor{shInput(f, 5), shConstI32(1, 1), shScalar32(0)}, []shTensor{shInput(f, 1), shInput(f, 1)}, &tflite.SplitVOptionsT{NumSplits: 2}), "add up"},
		{"pack shapes", oneOp(tflite.BuiltinOperatorPACK, 1, []shTensor{shInput(f, 2), shInput(f, 3)}, []shTensor{shInput(f, 2, 2)}, &tflite.PackOptionsT{ValuesCount: 2}), "must match"},
		{"unpack num", oneOp(tflite.BuiltinOperatorUNPACK, 1, []shTensor{shInput(f, 3, 2)}, []shTensor{shInput(f, 2), shInput(f, 2)}, &tflite.UnpackOptionsT{Num: 2}), "num"},
		{"gather batch dims", oneOp(tflite.BuiltinOperatorGATHER, 5, []shTensor{shInput(f, 2, 3), shInput(core.Int32, 3, 1)}, []shTensor{shInput(f, 2, 1)}, &tflite.GatherOptionsT{Axis: 1, BatchDims: 1}), "batch dimension"},
		{"gather float indices", oneOp(tflite.BuiltinOperatorGATHER, 1, []shTensor{shInput(f, 2, 3), shInput(f, 2)}, []shTensor{shInput(f, 2, 3)}, &tflite.GatherOptionsT{}), "indices"},
		{"gather_nd too deep", oneOp(tflite.BuiltinOperatorGATHER_ND, 1, []shTensor{shInput(f, 2), shInput(core.Int32, 1, 2)}, []shTensor{shInput(f, 1)}, nil), "dimensions"},
		{"tile negative", oneOp(tflite.BuiltinOperatorTILE, 1, []shTensor{shInput(f, 2), shConstI32(-1)}, []shTensor{shInput(f, 2)}, nil), "negative"},
		{"broadcast incompatible", oneOp(tflite.BuiltinOperatorBROADCAST_TO, 2, []shTensor{shInput(f, 3), shConstI32(2, 4)}, []shTensor{shInput(f, 2, 4)}, nil), "cannot broadcast"},
		{"fill negative", oneOp(tflite.BuiltinOperatorFILL, 1, []shTensor{shConstI32(2, -1), shInput(f)}, []shTensor{shInput(f, 2)}, nil), "negative"},
		{"fill vector value", oneOp(tflite.BuiltinOperatorFILL, 1, []shTensor{shConstI32(2), shInput(f, 1)}, []shTensor{shInput(f, 2)}, nil), "scalar"},
		{"argmax type mismatch", oneOp(tflite.BuiltinOperatorARG_MAX, 1, []shTensor{shInput(f, 2, 3), shConstI32(1)}, []shTensor{shInput(core.Int32, 2)}, &tflite.ArgMaxOptionsT{OutputType: tflite.TensorTypeINT64}), "output_type"},
		{"cumsum axis", oneOp(tflite.BuiltinOperatorCUMSUM, 1, []shTensor{shInput(f, 2, 3), shScalar32(2)}, []shTensor{shInput(f, 2, 3)}, &tflite.CumsumOptionsT{}), "out of range"},
		{"topk k too big", oneOp(tflite.BuiltinOperatorTOPK_V2, 1, []shTensor{shInput(f, 3), shScalar32(4)}, []shTensor{shInput(f, 4), shInput(core.Int32, 4)}, nil), "out of range"},
		{"batch_matmul inner", oneOp(tflite.BuiltinOperatorBATCH_MATMUL, 1, []shTensor{shInput(f, 2, 3), shInput(f, 4, 2)}, []shTensor{shInput(f, 2, 2)}, &tflite.BatchMatMulOptionsT{}), "inner sizes"},
		{"batch_matmul hybrid unquantized rhs", oneOp(tflite.BuiltinOperatorBATCH_MATMUL, 1, []shTensor{shInput(core.Float32, 2, 3), shInput(core.Int8, 3, 2)}, []shTensor{shInput(core.Float32, 2, 2)}, &tflite.BatchMatMulOptionsT{}), "per-tensor"},
		{"batch_matmul batch", oneOp(tflite.BuiltinOperatorBATCH_MATMUL, 1, []shTensor{shInput(f, 2, 2, 3), shInput(f, 3, 3, 2)}, []shTensor{shInput(f, 2, 2, 2)}, &tflite.BatchMatMulOptionsT{}), "broadcast"},
		{"zeros_like int8", oneOp(tflite.BuiltinOperatorZEROS_LIKE, 1, []shTensor{shInput(core.Int8, 2)}, []shTensor{shInput(core.Int8, 2)}, nil), "INT8"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

func TestShapeOpsInvokeAllocationFree(t *testing.T) {
	// A chain of static shape ops: after the first Invoke, none allocates.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3, 4})
	t1 := g.Tensor("t1", core.Float32, []int{4, 2, 3})
	g.Op(tflite.BuiltinOperatorTRANSPOSE, []int{x, g.ConstInt32("perm", []int{3}, []int32{2, 0, 1})}, []int{t1}, nil)
	t2 := g.Tensor("t2", core.Float32, []int{2, 2, 3})
	g.Op(tflite.BuiltinOperatorSTRIDED_SLICE, []int{t1, g.ConstInt32("b", []int{3}, []int32{3, 0, 0}), g.ConstInt32("e", []int{3}, []int32{0, 2, 3}), g.ConstInt32("s", []int{3}, []int32{-2, 1, 1})}, []int{t2}, &tflite.StridedSliceOptionsT{})
	t3 := g.Tensor("t3", core.Float32, []int{2, 2, 6})
	g.Op(tflite.BuiltinOperatorTILE, []int{t2, g.ConstInt32("m", []int{3}, []int32{1, 1, 2})}, []int{t3}, nil)
	t4 := g.Tensor("t4", core.Float32, []int{2, 2, 3})
	t5 := g.Tensor("t5", core.Float32, []int{2, 2, 3})
	g.Op(tflite.BuiltinOperatorSPLIT, []int{g.ConstInt32("ax", []int{}, []int32{2}), t3}, []int{t4, t5}, &tflite.SplitOptionsT{NumSplits: 2})
	t6 := g.Tensor("t6", core.Float32, []int{2, 2, 2, 3})
	g.Op(tflite.BuiltinOperatorPACK, []int{t4, t5}, []int{t6}, &tflite.PackOptionsT{ValuesCount: 2, Axis: 1})
	t7 := g.Tensor("t7", core.Int32, []int{2, 2, 3})
	g.Op(tflite.BuiltinOperatorARG_MAX, []int{t6, g.ConstInt32("am", []int{1}, []int32{1})}, []int{t7}, &tflite.ArgMaxOptionsT{OutputType: tflite.TensorTypeINT32})
	t8 := g.Tensor("t8", core.Float32, []int{2, 2, 2, 3})
	g.Op(tflite.BuiltinOperatorGATHER, []int{t6, g.ConstInt32("gi", []int{2}, []int32{1, 0})}, []int{t8}, &tflite.GatherOptionsT{Axis: 2})
	t9 := g.Tensor("t9", core.Float32, []int{2, 2, 2, 2})
	g.Op(tflite.BuiltinOperatorBATCH_MATMUL, []int{t8, t8}, []int{t9}, &tflite.BatchMatMulOptionsT{AdjY: true})
	g.Inputs(x)
	g.Outputs(t7, t9)
	it := run(t, b, f32Bytes(ramp(24, 0, 1)...))
	assert.Zero(t, testing.AllocsPerRun(20, func() { _ = it.Invoke() }))
}

func TestGatherInt16Indices(t *testing.T) {
	// INT16 indices (GATHER 6, GATHER_ND 4): the oracle's TFLite build
	// predates them, so checked by hand.
	i16 := func(v ...int16) []byte { return modelbuilder.Int16Bytes(v) }
	it := run(t, oneOp(tflite.BuiltinOperatorGATHER, 6,
		[]shTensor{shInput(core.Float32, 3, 2), {typ: core.Int16, shape: []int{2}, data: i16(2, 0)}},
		[]shTensor{shInput(core.Float32, 2, 2)}, &tflite.GatherOptionsT{}), f32Bytes(0, 1, 2, 3, 4, 5))
	assert.Equal(t, []float32{4, 5, 0, 1}, it.Output(0).Float32s())
	it = run(t, oneOp(tflite.BuiltinOperatorGATHER_ND, 4,
		[]shTensor{shInput(core.Float32, 3, 2), {typ: core.Int16, shape: []int{2, 2}, data: i16(2, 1, 0, 1)}},
		[]shTensor{shInput(core.Float32, 2)}, nil), f32Bytes(0, 1, 2, 3, 4, 5))
	assert.Equal(t, []float32{5, 1}, it.Output(0).Float32s())
}

func TestTopKInt16(t *testing.T) {
	// Version 3: INT16 input, k and indices (checked by hand).
	i16 := func(v ...int16) []byte { return modelbuilder.Int16Bytes(v) }
	it := run(t, oneOp(tflite.BuiltinOperatorTOPK_V2, 3,
		[]shTensor{shInput(core.Int16, 2, 4), {typ: core.Int16, shape: []int{}, data: i16(2)}},
		[]shTensor{shInput(core.Int16, 2, 2), shInput(core.Int16, 2, 2)}, nil), i16(5, -3, 7, 7, 0, 0, -1, 2))
	assert.Equal(t, []int16{7, 7, 2, 0}, it.Output(0).Int16s())
	assert.Equal(t, []int16{2, 3, 3, 0}, it.Output(1).Int16s())
}
