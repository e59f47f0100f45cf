package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/schema/tflite"
)

// shOuts is n outputs of type t and one shape.
func shOuts(n int, t string, shape ...int) []ShapeOutSpec {
	out := make([]ShapeOutSpec, n)
	for i := range out {
		out[i] = shOut(t, shape...)
	}
	return out
}

func splitCases() []*Case {
	c := func(name, typ string, version int, shape []int, axis int64, num int, outShape []int) *Case {
		return shapeCase("split", name, ShapeOpConfig{
			Op: "SPLIT", Version: version,
			Inputs:  []ShapeTensorSpec{shScalarI32(axis), shIn(typ, shape...)},
			Outputs: shOuts(num, typ, outShape...),
			Options: &tflite.SplitOptionsT{NumSplits: int32(num)},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_axis0", shF32, 1, []int{4, 3}, 0, 2, []int{2, 3}),
		c("f32_axis_last_neg", shF32, 1, []int{2, 3, 6}, -1, 3, []int{2, 3, 2}),
		c("f32_4d_axis2", shF32, 1, []int{1, 2, 4, 3}, 2, 4, []int{1, 2, 1, 3}),
		c("f32_one_split", shF32, 1, []int{3, 2}, 1, 1, []int{3, 2}),
		c("i8_axis1", shI8, 2, []int{2, 4}, 1, 2, []int{2, 2}),
		c("i32_5d", shI32, 3, []int{2, 1, 2, 2, 3}, 3, 2, []int{2, 1, 2, 1, 3}),
	}
}

func splitVCases() []*Case {
	c := func(name, typ string, shape []int, sizes ShapeTensorSpec, axis int64, outShapes [][]int) *Case {
		outs := make([]ShapeOutSpec, len(outShapes))
		for i, s := range outShapes {
			outs[i] = shOut(typ, s...)
		}
		version := 1
		if typ == shI8 {
			version = 2
		}
		return shapeCase("split_v", name, ShapeOpConfig{
			Op: "SPLIT_V", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), sizes, shScalarI32(axis)},
			Outputs: outs,
			Options: &tflite.SplitVOptionsT{NumSplits: int32(len(outShapes))},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_axis1", shF32, []int{2, 6}, shI32s(1, 2, 3), 1, [][]int{{2, 1}, {2, 2}, {2, 3}}),
		c("f32_minus_one", shF32, []int{7, 2}, shI32s(2, -1, 1), 0, [][]int{{2, 2}, {4, 2}, {1, 2}}),
		c("f32_neg_axis_3d", shF32, []int{2, 5, 3}, shI32s(4, 1), -2, [][]int{{2, 4, 3}, {2, 1, 3}}),
		c("f32_zero_size_part", shF32, []int{3, 4}, shI32s(0, 4), 1, [][]int{{3, 0}, {3, 4}}),
		c("i8_sizes_i64", shI8, []int{4, 3}, shInts(shI64, 3, 1), 0, [][]int{{3, 3}, {1, 3}}),
	}
}

func packCases() []*Case {
	c := func(name, typ string, version int, shape []int, count int, axis int32, outShape []int) *Case {
		ins := make([]ShapeTensorSpec, count)
		for i := range ins {
			ins[i] = shIn(typ, shape...)
		}
		return shapeCase("pack", name, ShapeOpConfig{
			Op: "PACK", Version: version,
			Inputs:  ins,
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
			Options: &tflite.PackOptionsT{ValuesCount: int32(count), Axis: axis},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_axis0", shF32, 1, []int{3, 2}, 2, 0, []int{2, 3, 2}),
		c("f32_axis_last", shF32, 1, []int{3, 2}, 3, 2, []int{3, 2, 3}),
		c("f32_axis_neg2", shF32, 1, []int{2, 3, 4}, 2, -2, []int{2, 3, 2, 4}),
		c("f32_scalars", shF32, 1, []int{}, 4, 0, []int{4}),
		c("i8_axis1", shI8, 2, []int{2, 3}, 2, 1, []int{2, 2, 3}),
		c("i32_axis1", shI32, 1, []int{4}, 3, 1, []int{4, 3}),
	}
}

func unpackCases() []*Case {
	c := func(name, typ string, version int, shape []int, axis int32, outShape []int) *Case {
		ax := int(axis)
		if ax < 0 {
			ax += len(shape)
		}
		num := shape[ax]
		return shapeCase("unpack", name, ShapeOpConfig{
			Op: "UNPACK", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...)},
			Outputs: shOuts(num, typ, outShape...),
			Options: &tflite.UnpackOptionsT{Num: int32(num), Axis: axis},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_axis0", shF32, 1, []int{3, 4}, 0, []int{4}),
		c("f32_axis_last", shF32, 1, []int{2, 3, 2}, -1, []int{2, 3}),
		c("f32_axis1_4d", shF32, 1, []int{2, 3, 2, 2}, 1, []int{2, 2, 2}),
		c("f32_1d_to_scalars", shF32, 1, []int{3}, 0, []int{}),
		c("i8_axis1", shI8, 2, []int{2, 2, 3}, 1, []int{2, 3}),
		c("bool_axis0", shBool, 3, []int{2, 3}, 0, []int{3}),
	}
}

func gatherCases() []*Case {
	c := func(name, typ string, version int, params []int, indices ShapeTensorSpec, axis, batch int32, outShape []int) *Case {
		return shapeCase("gather", name, ShapeOpConfig{
			Op: "GATHER", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, params...), indices},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
			Options: &tflite.GatherOptionsT{Axis: axis, BatchDims: batch},
		}, defaultOracle)
	}
	idx := func(t string, shape []int, v ...int64) ShapeTensorSpec {
		return ShapeTensorSpec{Type: t, Shape: shape, Const: true, Ints: v}
	}
	return []*Case{
		c("f32_axis0", shF32, 1, []int{5, 3}, shI32s(4, 0, 2, 2), 0, 0, []int{4, 3}),
		c("f32_axis1", shF32, 1, []int{2, 5, 3}, shI32s(1, 4), 1, 0, []int{2, 2, 3}),
		c("f32_axis_neg1", shF32, 1, []int{2, 4}, shI32s(3, 0, 1), -1, 0, []int{2, 3}),
		c("f32_indices_2d", shF32, 1, []int{6, 2}, idx(shI32, []int{2, 3}, 5, 0, 1, 1, 3, 4), 0, 0, []int{2, 3, 2}),
		c("f32_scalar_index", shF32, 1, []int{4, 3}, idx(shI32, []int{}, 2), 0, 0, []int{3}),
		c("f32_i64_indices", shF32, 1, []int{4, 3}, shInts(shI64, 3, 1), 0, 0, []int{2, 3}),
		c("f32_batch_dims1", shF32, 5, []int{2, 4, 3}, idx(shI32, []int{2, 2}, 3, 0, 1, 1), 1, 1, []int{2, 2, 3}),
		c("f32_batch_dims_neg", shF32, 5, []int{2, 3, 4}, idx(shI32, []int{2, 3}, 0, 3, 1, 2, 2, 0), 2, -1, []int{2, 3, 3}),
		c("f32_batch2_axis3", shF32, 5, []int{2, 2, 3, 4}, idx(shI32, []int{2, 2, 1}, 3, 0, 1, 2), 3, 2, []int{2, 2, 3, 1}),
		c("i8_axis0", shI8, 2, []int{4, 2}, shI32s(3, 3, 0), 0, 0, []int{3, 2}),
		c("bool_axis1", shBool, 3, []int{2, 3}, shI32s(2, 0), 1, 0, []int{2, 2}),
		c("i32_indices_from_input", shI32, 1, []int{5}, shDyn(shI32s(4, 1, 1, 0)), 0, 0, []int{4}),
		c("i16_params", shI16, 4, []int{4, 2}, shI32s(1, 3), 0, 0, []int{2, 2}),
	}
}

func gatherNdCases() []*Case {
	c := func(name, typ string, version int, params []int, indices ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("gather_nd", name, ShapeOpConfig{
			Op: "GATHER_ND", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, params...), indices},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	idx := func(shape []int, v ...int64) ShapeTensorSpec {
		return ShapeTensorSpec{Type: shI32, Shape: shape, Const: true, Ints: v}
	}
	return []*Case{
		c("f32_full_index", shF32, 1, []int{3, 4}, idx([]int{3, 2}, 0, 1, 2, 3, 1, 0), []int{3}),
		c("f32_row_slices", shF32, 1, []int{3, 4}, idx([]int{2, 1}, 2, 0), []int{2, 4}),
		c("f32_3d_partial", shF32, 1, []int{2, 3, 4}, idx([]int{2, 2, 2}, 0, 1, 1, 2, 1, 0, 0, 0), []int{2, 2, 4}),
		c("f32_single", shF32, 1, []int{2, 3}, idx([]int{2}, 1, 2), []int{}),
		c("i32_params", shI32, 1, []int{4, 2}, idx([]int{3, 1}, 3, 0, 2), []int{3, 2}),
		c("f32_i64_indices", shF32, 1, []int{2, 3, 2}, ShapeTensorSpec{Type: shI64, Shape: []int{2, 2}, Const: true, Ints: []int64{1, 2, 0, 0}}, []int{2, 2}),
		c("i8_params", shI8, 1, []int{2, 2, 2}, idx([]int{1, 3}, 1, 0, 1), []int{1}),
	}
}

func tileCases() []*Case {
	c := func(name, typ string, version int, shape []int, mult ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("tile", name, ShapeOpConfig{
			Op: "TILE", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), mult},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_1d", shF32, 1, []int{3}, shI32s(3), []int{9}),
		c("f32_2d", shF32, 1, []int{2, 3}, shI32s(2, 2), []int{4, 6}),
		c("f32_3d_ones", shF32, 1, []int{2, 1, 3}, shI32s(1, 4, 1), []int{2, 4, 3}),
		c("f32_4d", shF32, 1, []int{1, 2, 2, 1}, shI32s(2, 1, 3, 2), []int{2, 2, 6, 2}),
		c("f32_i64_multiples", shF32, 1, []int{2, 2}, shInts(shI64, 1, 3), []int{2, 6}),
		c("i8_2d", shI8, 3, []int{2, 2}, shI32s(3, 1), []int{6, 2}),
		c("i32_from_input", shI32, 1, []int{2, 3}, shDyn(shI32s(2, 1)), []int{4, 3}),
		c("bool_2d", shBool, 1, []int{1, 3}, shI32s(2, 2), []int{2, 6}),
	}
}

func broadcastToCases() []*Case {
	c := func(name, typ string, shape []int, to ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("broadcast_to", name, ShapeOpConfig{
			Op: "BROADCAST_TO", Version: 2,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), to},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_row", shF32, []int{3}, shI32s(2, 3), []int{2, 3}),
		c("f32_col", shF32, []int{2, 1}, shI32s(2, 4), []int{2, 4}),
		c("f32_rank_up", shF32, []int{1, 3, 1}, shI32s(2, 2, 3, 4), []int{2, 2, 3, 4}),
		c("f32_scalar", shF32, []int{}, shI32s(3, 2), []int{3, 2}),
		c("f32_same", shF32, []int{2, 3}, shI32s(2, 3), []int{2, 3}),
		c("f32_5d", shF32, []int{2, 1, 3}, shInts(shI64, 2, 2, 2, 4, 3), []int{2, 2, 2, 4, 3}),
		c("i32_from_input", shI32, []int{1, 2}, shDyn(shI32s(3, 2)), []int{3, 2}),
	}
}

func shapeOfCases() []*Case {
	c := func(name, typ string, shape []int) *Case {
		return shapeCase("shape", name, ShapeOpConfig{
			Op: "SHAPE", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...)},
			Outputs: []ShapeOutSpec{shOut(shI32, len(shape))},
			Options: &tflite.ShapeOptionsT{OutType: tflite.TensorTypeINT32},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_4d", shF32, []int{1, 5, 3, 2}),
		c("i8_1d", shI8, []int{7}),
		c("f32_scalar", shF32, []int{}),
	}
}

func fillCases() []*Case {
	c := func(name, typ string, version int, dims ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("fill", name, ShapeOpConfig{
			Op: "FILL", Version: version,
			Inputs:  []ShapeTensorSpec{dims, shIn(typ)},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_2d", shF32, 1, shI32s(2, 3), []int{2, 3}),
		c("f32_dims_i64", shF32, 1, shInts(shI64, 4), []int{4}),
		c("i32_3d", shI32, 1, shI32s(2, 1, 3), []int{2, 1, 3}),
		c("bool_2d", shBool, 2, shI32s(3, 2), []int{3, 2}),
		c("f32_dims_from_input", shF32, 1, shDyn(shI32s(3, 1, 2)), []int{3, 1, 2}),
	}
}

func zerosLikeCases() []*Case {
	c := func(name, typ string, shape []int) *Case {
		return shapeCase("zeros_like", name, ShapeOpConfig{
			Op: "ZEROS_LIKE", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...)},
			Outputs: []ShapeOutSpec{shOut(typ, shape...)},
		}, defaultOracle)
	}
	return []*Case{c("f32_3d", shF32, []int{2, 3, 2}), c("i32_1d", shI32, []int{5})}
}

func argMinMaxCases() []*Case {
	c := func(op, typ string, version int, shape []int, axis ShapeTensorSpec, outShape []int, o Oracle) *Case {
		var opts any
		if op == "ARG_MAX" {
			opts = &tflite.ArgMaxOptionsT{OutputType: tflite.TensorTypeINT32}
		} else {
			opts = &tflite.ArgMinOptionsT{OutputType: tflite.TensorTypeINT32}
		}
		prefix := "arg_max"
		if op == "ARG_MIN" {
			prefix = "arg_min"
		}
		name := fmt.Sprintf("%s_%s_axis%d", typeShortByName(typ), shapeName(shape), axis.Ints[0])
		if o.IntRange[1]-o.IntRange[0] < 10 {
			name += "_ties"
		}
		return shapeCase(prefix, name, ShapeOpConfig{
			Op: op, Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), axis},
			Outputs: []ShapeOutSpec{shOut(shI32, outShape...)},
			Options: opts,
		}, o)
	}
	var out []*Case
	for _, op := range []string{"ARG_MAX", "ARG_MIN"} {
		out = append(out,
			c(op, shF32, 1, []int{3, 5}, shI32s(1), []int{3}, defaultOracle),
			c(op, shF32, 1, []int{4, 3, 2}, shI32s(0), []int{3, 2}, defaultOracle),
			c(op, shF32, 1, []int{2, 3, 4}, shI32s(-2), []int{2, 4}, defaultOracle),
			c(op, shI32, 1, []int{4, 6}, shI32s(1), []int{4}, intRange(0, 2)),
			c(op, shU8, 1, []int{3, 4}, shInts(shI64, 0), []int{4}, defaultOracle),
			c(op, shI8, 2, []int{2, 7}, shI32s(-1), []int{2}, defaultOracle),
			c(op, shBool, 3, []int{3, 4}, shI32s(1), []int{3}, defaultOracle),
		)
	}
	return out
}

// typeShortByName is typeShort of a schema type name.
func typeShortByName(name string) string {
	t, err := typeByName(name)
	if err != nil {
		return name
	}
	return typeShort(t)
}

func cumsumCases() []*Case {
	c := func(name, typ string, shape []int, axis int64, exclusive, reverse bool, o Oracle) *Case {
		return shapeCase("cumsum", name, ShapeOpConfig{
			Op: "CUMSUM", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), shScalarI32(axis)},
			Outputs: []ShapeOutSpec{shOut(typ, shape...)},
			Options: &tflite.CumsumOptionsT{Exclusive: exclusive, Reverse: reverse},
		}, o)
	}
	return []*Case{
		c("f32_axis1", shF32, []int{3, 5}, 1, false, false, defaultOracle),
		c("f32_axis0_exclusive", shF32, []int{4, 3}, 0, true, false, defaultOracle),
		c("f32_axis_neg1_reverse", shF32, []int{2, 3, 4}, -1, false, true, defaultOracle),
		c("f32_axis1_exclusive_reverse", shF32, []int{2, 4, 3}, 1, true, true, defaultOracle),
		c("i32_axis0", shI32, []int{5, 2}, 0, false, false, intRange(-100, 100)),
	}
}

func topKCases() []*Case {
	c := func(name, typ string, version int, shape []int, k int64, o Oracle) *Case {
		outShape := append([]int(nil), shape...)
		outShape[len(outShape)-1] = int(k)
		return shapeCase("topk_v2", name, ShapeOpConfig{
			Op: "TOPK_V2", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), shScalarI32(k)},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...), shOut(shI32, outShape...)},
		}, o)
	}
	return []*Case{
		c("f32_1d_k3", shF32, 1, []int{8}, 3, defaultOracle),
		c("f32_2d_k1", shF32, 1, []int{3, 5}, 1, defaultOracle),
		c("f32_3d_all", shF32, 1, []int{2, 2, 4}, 4, defaultOracle),
		c("i32_ties", shI32, 1, []int{3, 7}, 5, intRange(0, 3)),
		c("i8_2d_k2", shI8, 2, []int{2, 6}, 2, defaultOracle),
		c("u8_k2", shU8, 1, []int{2, 3}, 2, defaultOracle),
	}
}

func batchMatMulCases() []*Case {
	c := func(name string, lhs, rhs []int, adjX, adjY, constRHS bool, outShape []int) *Case {
		r := shIn(shF32, rhs...)
		if constRHS {
			r = shRand(shF32, rhs...)
		}
		return shapeCase("batch_matmul", name, ShapeOpConfig{
			Op: "BATCH_MATMUL", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(shF32, lhs...), r},
			Outputs: []ShapeOutSpec{shOut(shF32, outShape...)},
			Options: &tflite.BatchMatMulOptionsT{AdjX: adjX, AdjY: adjY},
		}, defaultOracle)
	}
	return []*Case{
		c("2d", []int{3, 4}, []int{4, 5}, false, false, false, []int{3, 5}),
		c("3d_same_batch", []int{2, 3, 4}, []int{2, 4, 2}, false, false, false, []int{2, 3, 2}),
		c("adj_x", []int{2, 4, 3}, []int{2, 4, 5}, true, false, false, []int{2, 3, 5}),
		c("adj_y", []int{2, 3, 4}, []int{2, 5, 4}, false, true, false, []int{2, 3, 5}),
		c("adj_both", []int{1, 4, 3}, []int{1, 2, 4}, true, true, false, []int{1, 3, 2}),
		c("broadcast_rhs", []int{2, 3, 3, 4}, []int{4, 2}, false, false, false, []int{2, 3, 3, 2}),
		c("broadcast_both", []int{2, 1, 3, 4}, []int{1, 3, 4, 2}, false, false, false, []int{2, 3, 3, 2}),
		c("5d", []int{2, 1, 2, 2, 3}, []int{1, 2, 1, 3, 2}, false, false, false, []int{2, 2, 2, 2, 2}),
		c("const_rhs", []int{2, 3, 4}, []int{4, 6}, false, false, true, []int{2, 3, 6}),
		c("vector_like", []int{1, 7}, []int{7, 1}, false, false, false, []int{1, 1}),
	}
}
