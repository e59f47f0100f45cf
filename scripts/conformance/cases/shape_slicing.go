package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/schema/tflite"
)

func squeezeCases() []*Case {
	c := func(name, typ string, shape []int, dims []int32, outShape []int) *Case {
		return shapeCase("squeeze", name, ShapeOpConfig{
			Op: "SQUEEZE", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...)},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
			Options: &tflite.SqueezeOptionsT{SqueezeDims: dims},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_all", shF32, []int{1, 3, 1, 4}, nil, []int{3, 4}),
		c("f32_neg_dim", shF32, []int{1, 3, 1, 4}, []int32{-2}, []int{1, 3, 4}),
		c("f32_two_dims", shF32, []int{2, 1, 1, 5}, []int32{1, 2}, []int{2, 5}),
		c("f32_to_scalar", shF32, []int{1, 1}, nil, []int{}),
		c("i32_dim0", shI32, []int{1, 6}, []int32{0}, []int{6}),
		c("i8_5d_first_last", shI8, []int{1, 2, 1, 3, 1}, []int32{0, -1}, []int{2, 1, 3}),
		c("bool_dim1", shBool, []int{3, 1}, []int32{1}, []int{3}),
	}
}

func expandDimsCases() []*Case {
	c := func(name, typ string, shape []int, axis ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("expand_dims", name, ShapeOpConfig{
			Op: "EXPAND_DIMS", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), axis},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_axis0", shF32, []int{2, 3}, shI32s(0), []int{1, 2, 3}),
		c("f32_axis_last_neg", shF32, []int{2, 3}, shI32s(-1), []int{2, 3, 1}),
		c("f32_axis1", shF32, []int{2, 3}, shI32s(1), []int{2, 1, 3}),
		c("f32_scalar_in", shF32, []int{}, shScalarI32(0), []int{1}),
		c("f32_4d_neg3", shF32, []int{2, 3, 4, 5}, shI32s(-3), []int{2, 3, 1, 4, 5}),
		c("f32_axis_i64", shF32, []int{3, 2}, shInts(shI64, 2), []int{3, 2, 1}),
		c("i32_axis_from_input", shI32, []int{4, 5}, shDyn(shI32s(-2)), []int{4, 1, 5}),
	}
}

func transposeCases() []*Case {
	var cases []*Case
	c := func(name, typ string, version int, shape []int, perm ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("transpose", name, ShapeOpConfig{
			Op: "TRANSPOSE", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), perm},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	cases = []*Case{
		c("f32_2d", shF32, 1, []int{2, 3}, shI32s(1, 0), []int{3, 2}),
		c("f32_3d_rotate", shF32, 1, []int{2, 3, 4}, shI32s(2, 0, 1), []int{4, 2, 3}),
		c("f32_nhwc_to_nchw", shF32, 1, []int{1, 4, 5, 3}, shI32s(0, 3, 1, 2), []int{1, 3, 4, 5}),
		c("f32_4d_reverse", shF32, 1, []int{2, 3, 4, 5}, shI32s(3, 2, 1, 0), []int{5, 4, 3, 2}),
		c("f32_4d_identity", shF32, 1, []int{2, 1, 3, 2}, shI32s(0, 1, 2, 3), []int{2, 1, 3, 2}),
		c("f32_5d", shF32, 4, []int{2, 1, 3, 2, 2}, shI32s(4, 2, 0, 3, 1), []int{2, 3, 2, 2, 1}),
		c("f32_size1_dims", shF32, 1, []int{1, 1, 3}, shI32s(2, 1, 0), []int{3, 1, 1}),
		c("i8_2d", shI8, 2, []int{3, 5}, shI32s(1, 0), []int{5, 3}),
		c("bool_3d", shBool, 3, []int{2, 3, 2}, shI32s(1, 2, 0), []int{3, 2, 2}),
		c("i16_2d", shI16, 5, []int{2, 4}, shI32s(1, 0), []int{4, 2}),
		c("i32_3d", shI32, 1, []int{3, 2, 2}, shI32s(0, 2, 1), []int{3, 2, 2}),
		c("u8_2d", shU8, 1, []int{2, 7}, shI32s(1, 0), []int{7, 2}),
		c("f32_perm_from_input", shF32, 1, []int{2, 3, 4}, shDyn(shI32s(1, 2, 0)), []int{3, 4, 2}),
		c("f32_1d", shF32, 1, []int{5}, shI32s(0), []int{5}),
	}
	// Every permutation of a 3-D input with odd sizes.
	in3 := []int{2, 3, 5}
	for _, p := range [][]int64{{0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 1, 0}} {
		outShape := []int{in3[p[0]], in3[p[1]], in3[p[2]]}
		cases = append(cases, c(fmt.Sprintf("f32_3d_perm%d%d%d", p[0], p[1], p[2]), shF32, 1, in3, shI32s(p...), outShape))
	}
	return cases
}

func sliceCases() []*Case {
	c := func(name, typ string, version int, shape []int, begin, size ShapeTensorSpec, outShape []int) *Case {
		return shapeCase("slice", name, ShapeOpConfig{
			Op: "SLICE", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), begin, size},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
		}, defaultOracle)
	}
	return []*Case{
		c("f32_1d", shF32, 1, []int{7}, shI32s(1), shI32s(4), []int{4}),
		c("f32_2d_rest", shF32, 1, []int{3, 4}, shI32s(1, 0), shI32s(2, -1), []int{2, 4}),
		c("f32_3d", shF32, 1, []int{2, 3, 4}, shI32s(0, 1, 1), shI32s(-1, 2, 3), []int{2, 2, 3}),
		c("f32_4d", shF32, 1, []int{2, 3, 4, 5}, shI32s(1, 0, 2, 1), shI32s(1, 3, -1, 3), []int{1, 3, 2, 3}),
		c("f32_5d", shF32, 5, []int{2, 2, 3, 2, 3}, shI32s(1, 0, 1, 0, 1), shI32s(1, 2, 2, -1, 2), []int{1, 2, 2, 2, 2}),
		c("f32_i64_indices", shF32, 1, []int{3, 4}, shInts(shI64, 0, 1), shInts(shI64, 3, 2), []int{3, 2}),
		c("f32_from_input", shF32, 1, []int{4, 5}, shDyn(shI32s(1, 2)), shDyn(shI32s(2, -1)), []int{2, 3}),
		c("i8_2d", shI8, 2, []int{4, 4}, shI32s(2, 1), shI32s(2, 3), []int{2, 3}),
		c("i32_whole", shI32, 1, []int{3, 2}, shI32s(0, 0), shI32s(-1, -1), []int{3, 2}),
		c("bool_2d", shBool, 1, []int{3, 3}, shI32s(1, 1), shI32s(2, 2), []int{2, 2}),
	}
}

// ssOpts are STRIDED_SLICE options: begin, end, ellipsis, new axis and
// shrink masks.
func ssOpts(begin, end, ellipsis, newAxis, shrink int32) *tflite.StridedSliceOptionsT {
	return &tflite.StridedSliceOptionsT{BeginMask: begin, EndMask: end, EllipsisMask: ellipsis, NewAxisMask: newAxis, ShrinkAxisMask: shrink}
}

func stridedSliceCases() []*Case {
	c := func(name, typ string, shape []int, b, e, s ShapeTensorSpec, o *tflite.StridedSliceOptionsT, outShape []int) *Case {
		version := 1
		switch {
		case o.EllipsisMask != 0 || o.NewAxisMask != 0:
			version = 6
		case len(shape) > 4:
			version = 4
		case typ == shBool:
			version = 3
		case typ == shI8:
			version = 2
		}
		return shapeCase("strided_slice", name, ShapeOpConfig{
			Op: "STRIDED_SLICE", Version: version,
			Inputs:  []ShapeTensorSpec{shIn(typ, shape...), b, e, s},
			Outputs: []ShapeOutSpec{shOut(typ, outShape...)},
			Options: o,
		}, defaultOracle)
	}
	none := ssOpts(0, 0, 0, 0, 0)
	cases := []*Case{
		c("f32_1d_stride2", shF32, []int{10}, shI32s(1), shI32s(8), shI32s(2), none, []int{4}),
		c("f32_1d_neg_stride", shF32, []int{7}, shI32s(5), shI32s(1), shI32s(-2), none, []int{2}),
		c("f32_1d_reverse_masks", shF32, []int{6}, shI32s(0), shI32s(0), shI32s(-1), ssOpts(1, 1, 0, 0, 0), []int{6}),
		c("f32_1d_neg_indices", shF32, []int{8}, shI32s(-6), shI32s(-1), shI32s(1), none, []int{5}),
		c("f32_2d_begin_mask", shF32, []int{4, 5}, shI32s(1, 1), shI32s(3, 4), shI32s(1, 1), ssOpts(1, 0, 0, 0, 0), []int{3, 3}),
		c("f32_2d_end_mask", shF32, []int{4, 5}, shI32s(1, 2), shI32s(0, 0), shI32s(1, 1), ssOpts(0, 3, 0, 0, 0), []int{3, 3}),
		c("f32_2d_shrink0", shF32, []int{4, 5}, shI32s(2, 0), shI32s(3, 5), shI32s(1, 1), ssOpts(0, 0, 0, 0, 1), []int{5}),
		c("f32_2d_shrink_neg_index", shF32, []int{4, 5}, shI32s(-1, 1), shI32s(0, 4), shI32s(1, 1), ssOpts(0, 0, 0, 0, 1), []int{3}),
		c("f32_2d_shrink_all", shF32, []int{4, 5}, shI32s(1, 3), shI32s(2, 4), shI32s(1, 1), ssOpts(0, 0, 0, 0, 3), []int{}),
		c("f32_3d_mixed_strides", shF32, []int{3, 4, 5}, shI32s(2, 0, 4), shI32s(0, 4, 0), shI32s(-1, 2, -2), none, []int{2, 2, 2}),
		c("f32_2d_clamped", shF32, []int{3, 4}, shI32s(-10, 1), shI32s(10, 100), shI32s(1, 1), none, []int{3, 3}),
		c("f32_2d_neg_stride_end_mask", shF32, []int{3, 4}, shI32s(1, 2), shI32s(0, 0), shI32s(-1, -1), ssOpts(0, 3, 0, 0, 0), []int{2, 3}),
		c("f32_fewer_indices", shF32, []int{3, 4, 2}, shI32s(1), shI32s(3), shI32s(1), none, []int{2, 4, 2}),
		c("f32_ellipsis_first", shF32, []int{2, 3, 4, 5}, shI32s(0, 1), shI32s(0, 3), shI32s(1, 1), ssOpts(0, 0, 1, 0, 0), []int{2, 3, 4, 2}),
		c("f32_ellipsis_middle", shF32, []int{2, 3, 4, 5}, shI32s(1, 0, 1), shI32s(2, 0, 3), shI32s(1, 1, 1), ssOpts(0, 0, 2, 0, 0), []int{1, 3, 4, 2}),
		c("f32_ellipsis_shrink_last", shF32, []int{2, 3, 4}, shI32s(0, 2), shI32s(0, 3), shI32s(1, 1), ssOpts(0, 0, 1, 0, 2), []int{2, 3}),
		c("f32_ellipsis_and_new_axis_same_bit", shF32, []int{2, 3}, shI32s(0), shI32s(0), shI32s(1), ssOpts(0, 0, 1, 1, 0), []int{2, 3}),
		c("f32_new_axis_first", shF32, []int{3, 4}, shI32s(0, 0, 1), shI32s(0, 1, 3), shI32s(1, 1, 1), ssOpts(0, 0, 0, 1, 0), []int{1, 1, 2}),
		c("f32_new_axis_middle_shrink", shF32, []int{3, 4}, shI32s(1, 0, 0), shI32s(2, 0, 4), shI32s(1, 1, 2), ssOpts(0, 0, 0, 2, 1), []int{1, 2}),
		c("f32_5d", shF32, []int{2, 3, 2, 3, 2}, shI32s(0, 1, 0, 0, 1), shI32s(2, 3, 2, 3, 2), shI32s(1, 1, 1, 2, 1), none, []int{2, 2, 2, 2, 1}),
		c("f32_size1_dims", shF32, []int{1, 5, 1}, shI32s(0, 1, 0), shI32s(1, 4, 1), shI32s(1, 1, 1), none, []int{1, 3, 1}),
		c("i8_2d", shI8, []int{4, 6}, shI32s(0, 5), shI32s(4, 0), shI32s(2, -2), none, []int{2, 3}),
		c("bool_2d", shBool, []int{3, 4}, shI32s(0, 1), shI32s(3, 4), shI32s(2, 2), none, []int{2, 2}),
		c("i32_3d_shrink_middle", shI32, []int{2, 3, 4}, shI32s(0, 1, 0), shI32s(2, 2, 4), shI32s(1, 1, 3), ssOpts(0, 0, 0, 0, 2), []int{2, 2}),
		c("f32_indices_from_input", shF32, []int{4, 6}, shDyn(shI32s(1, -1)), shDyn(shI32s(4, 0)), shI32s(2, -2), none, []int{2, 3}),
	}
	return append(cases, stridedSliceMaskGrid()...)
}

// stridedSliceMaskGrid covers every begin/end mask combination of a 2-D
// slice with mixed stride signs, and every shrink mask of a 3-D slice with
// negative indices.
func stridedSliceMaskGrid() []*Case {
	var out []*Case
	for _, st := range []struct {
		name    string
		b, e, s []int64
	}{
		{"pos_neg", []int64{1, 3}, []int64{3, 0}, []int64{1, -2}},
		{"neg_pos", []int64{2, 1}, []int64{0, 5}, []int64{-1, 2}},
	} {
		for bm := int32(0); bm < 4; bm++ {
			for em := int32(0); em < 4; em++ {
				name := fmt.Sprintf("grid_%s_bm%d_em%d", st.name, bm, em)
				outShape := ssGridShape([]int{4, 5}, st.b, st.e, st.s, bm, em)
				out = append(out, shapeCase("strided_slice", name, ShapeOpConfig{
					Op: "STRIDED_SLICE", Version: 1,
					Inputs:  []ShapeTensorSpec{shIn(shF32, 4, 5), shI32s(st.b...), shI32s(st.e...), shI32s(st.s...)},
					Outputs: []ShapeOutSpec{shOut(shF32, outShape...)},
					Options: ssOpts(bm, em, 0, 0, 0),
				}, defaultOracle))
			}
		}
	}
	for shrink := int32(1); shrink < 8; shrink++ {
		var outShape []int
		for d, n := range []int{3, 4, 5} {
			if shrink&(1<<d) == 0 {
				outShape = append(outShape, n)
			}
		}
		out = append(out, shapeCase("strided_slice", fmt.Sprintf("grid_shrink%d", shrink), ShapeOpConfig{
			Op: "STRIDED_SLICE", Version: 1,
			Inputs:  []ShapeTensorSpec{shIn(shF32, 3, 4, 5), shI32s(-1, 2, -3), shI32s(0, 0, 0), shI32s(1, 1, 1)},
			Outputs: []ShapeOutSpec{shOut(shF32, outShape...)},
			Options: ssOpts(0, 7, 0, 0, shrink),
		}, defaultOracle))
	}
	out = append(out, shapeCase("strided_slice", "grid_shrink_with_begin_mask", ShapeOpConfig{
		Op: "STRIDED_SLICE", Version: 1,
		Inputs:  []ShapeTensorSpec{shIn(shF32, 3, 4, 5), shI32s(2, 2, 2), shI32s(3, 3, 3), shI32s(1, 1, 1)},
		Outputs: []ShapeOutSpec{shOut(shF32, 4)},
		Options: ssOpts(5, 0, 0, 0, 5),
	}, defaultOracle))
	return out
}

// ssGridShape is the output shape of a plain 2-D strided slice (no
// ellipsis, new axis or shrink): numpy's slice semantics.
func ssGridShape(shape []int, b, e, s []int64, bm, em int32) []int {
	out := make([]int, len(shape))
	for d, n := range shape {
		size := int64(n)
		st := s[d]
		lo, hi := int64(0), size
		if st < 0 {
			lo, hi = -1, size-1
		}
		clamp := func(v int64) int64 { return min(max(v, lo), hi) }
		begin := b[d]
		if begin < 0 {
			begin += size
		}
		begin = clamp(begin)
		if bm&(1<<d) != 0 {
			if st > 0 {
				begin = 0
			} else {
				begin = size - 1
			}
		}
		end := e[d]
		if end < 0 {
			end += size
		}
		end = clamp(end)
		if em&(1<<d) != 0 {
			if st > 0 {
				end = size
			} else {
				end = -1
			}
		}
		cnt := int64(0)
		if st > 0 && end > begin {
			cnt = (end - begin + st - 1) / st
		}
		if st < 0 && end < begin {
			cnt = (begin - end + (-st) - 1) / (-st)
		}
		out[d] = int(cnt)
	}
	return out
}
