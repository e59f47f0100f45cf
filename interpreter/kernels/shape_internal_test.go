package kernels

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// shapeTestModels are one-op models of the shape family, with index
// inputs constant ("const") or model inputs ("dyn", filled by the test
// with valid values before Eval).
type shapeTestModel struct {
	b *modelbuilder.Builder
	// dynInts gives the INT32 values of non-constant index inputs, by
	// input position.
	dynInts map[int][]int32
}

func shapeTestModels() map[string]shapeTestModel {
	ms := map[string]shapeTestModel{}
	f := core.Float32
	type spec struct {
		typ   core.TensorType
		shape []int
		ints  []int32 // constant INT32 data, or the dynamic input's values
		dyn   bool
	}
	add := func(name string, op tflite.BuiltinOperator, ins []spec, outs []spec, opts any) {
		b := modelbuilder.New()
		g := b.Main()
		var idx, modelIns, outIdx []int
		dyn := map[int][]int32{}
		for i, s := range ins {
			if s.ints != nil && !s.dyn {
				idx = append(idx, g.Const("c", s.typ, s.shape, modelbuilder.Int32Bytes(s.ints)))
				continue
			}
			t := g.Tensor("x", s.typ, s.shape)
			idx = append(idx, t)
			modelIns = append(modelIns, t)
			if s.dyn {
				dyn[i] = s.ints
			}
		}
		for _, s := range outs {
			outIdx = append(outIdx, g.Tensor("y", s.typ, s.shape))
		}
		version := 1
		if op == tflite.BuiltinOperatorBROADCAST_TO {
			version = 2
		}
		g.OpVersion(op, version, idx, outIdx, opts)
		g.Inputs(modelIns...)
		g.Outputs(outIdx...)
		ms[name] = shapeTestModel{b: b, dynInts: dyn}
	}
	v := func(x ...int32) spec { return spec{typ: core.Int32, shape: []int{len(x)}, ints: x} }
	dv := func(x ...int32) spec { s := v(x...); s.dyn = true; return s }
	sc := func(x int32) spec { return spec{typ: core.Int32, shape: []int{}, ints: []int32{x}} }
	t := func(typ core.TensorType, shape ...int) spec { return spec{typ: typ, shape: shape} }

	add("squeeze", tflite.BuiltinOperatorSQUEEZE, []spec{t(f, 1, 3)}, []spec{t(f, 3)}, nil)
	add("expand_dims_dyn", tflite.BuiltinOperatorEXPAND_DIMS, []spec{t(f, 3), dv(0)}, []spec{t(f, 1, 3)}, nil)
	add("transpose", tflite.BuiltinOperatorTRANSPOSE, []spec{t(f, 2, 3, 4), v(2, 0, 1)}, []spec{t(f, 4, 2, 3)}, nil)
	add("transpose_dyn", tflite.BuiltinOperatorTRANSPOSE, []spec{t(f, 2, 3), dv(1, 0)}, []spec{t(f, 3, 2)}, nil)
	add("slice_dyn", tflite.BuiltinOperatorSLICE, []spec{t(f, 4, 3), dv(1, 0), dv(2, -1)}, []spec{t(f, 2, 3)}, nil)
	add("strided_slice", tflite.BuiltinOperatorSTRIDED_SLICE, []spec{t(f, 4, 6), v(3, 5), v(0, 0), v(-1, -2)}, []spec{t(f, 3, 3)}, &tflite.StridedSliceOptionsT{})
	add("strided_slice_dyn", tflite.BuiltinOperatorSTRIDED_SLICE, []spec{t(f, 4, 6), dv(3, 5), dv(0, 0), v(-1, -2)}, []spec{t(f, 3, 3)}, &tflite.StridedSliceOptionsT{})
	add("split", tflite.BuiltinOperatorSPLIT, []spec{sc(1), t(f, 2, 4)}, []spec{t(f, 2, 2), t(f, 2, 2)}, &tflite.SplitOptionsT{NumSplits: 2})
	add("split_v_dyn", tflite.BuiltinOperatorSPLIT_V, []spec{t(f, 5, 2), dv(2, -1), sc(0)}, []spec{t(f, 2, 2), t(f, 3, 2)}, &tflite.SplitVOptionsT{NumSplits: 2})
	add("pack", tflite.BuiltinOperatorPACK, []spec{t(f, 2, 3), t(f, 2, 3)}, []spec{t(f, 2, 2, 3)}, &tflite.PackOptionsT{ValuesCount: 2, Axis: 1})
	add("unpack", tflite.BuiltinOperatorUNPACK, []spec{t(f, 2, 3)}, []spec{t(f, 2), t(f, 2), t(f, 2)}, &tflite.UnpackOptionsT{Num: 3, Axis: 1})
	add("gather", tflite.BuiltinOperatorGATHER, []spec{t(f, 4, 3), dv(3, 0, 2)}, []spec{t(f, 3, 3)}, &tflite.GatherOptionsT{})
	add("gather_nd", tflite.BuiltinOperatorGATHER_ND, []spec{t(f, 4, 3), {typ: core.Int32, shape: []int{2, 2}, ints: []int32{3, 2, 0, 1}, dyn: true}}, []spec{t(f, 2)}, nil)
	add("tile_dyn", tflite.BuiltinOperatorTILE, []spec{t(f, 2, 3), dv(2, 2)}, []spec{t(f, 4, 6)}, nil)
	add("broadcast_to", tflite.BuiltinOperatorBROADCAST_TO, []spec{t(f, 3, 1), v(2, 3, 4)}, []spec{t(f, 2, 3, 4)}, nil)
	add("shape", tflite.BuiltinOperatorSHAPE, []spec{t(f, 2, 3)}, []spec{t(core.Int32, 2)}, &tflite.ShapeOptionsT{OutType: tflite.TensorTypeINT32})
	add("fill_dyn", tflite.BuiltinOperatorFILL, []spec{dv(2, 3), t(f)}, []spec{t(f, 2, 3)}, nil)
	add("zeros_like", tflite.BuiltinOperatorZEROS_LIKE, []spec{t(f, 2, 3)}, []spec{t(f, 2, 3)}, nil)
	add("arg_max", tflite.BuiltinOperatorARG_MAX, []spec{t(f, 2, 5), v(1)}, []spec{t(core.Int32, 2)}, &tflite.ArgMaxOptionsT{OutputType: tflite.TensorTypeINT32})
	add("cumsum", tflite.BuiltinOperatorCUMSUM, []spec{t(f, 2, 5), sc(1)}, []spec{t(f, 2, 5)}, &tflite.CumsumOptionsT{})
	add("topk_dyn", tflite.BuiltinOperatorTOPK_V2, []spec{t(f, 2, 5), {typ: core.Int32, shape: []int{}, ints: []int32{2}, dyn: true}}, []spec{t(f, 2, 2), t(core.Int32, 2, 2)}, nil)
	add("batch_matmul", tflite.BuiltinOperatorBATCH_MATMUL, []spec{t(f, 2, 3, 4), t(f, 4, 2)}, []spec{t(f, 2, 3, 2)}, &tflite.BatchMatMulOptionsT{})
	return ms
}

func (m shapeTestModel) prepared(t *testing.T) *harness {
	h := newHarness(t, m.b)
	// Dynamic index inputs need their data before Prepare decides.
	h.prepare(t)
	for i, v := range m.dynInts {
		copy(h.node.Inputs[i].Int32s(), v)
	}
	return h
}

func TestShapeKernelsEvalSafety(t *testing.T) {
	for name, m := range shapeTestModels() {
		h := newHarness(t, m.b)
		assert.Error(t, h.kernel.Eval(h.node), "%s: eval before prepare", name)

		h = m.prepared(t)
		h.fill()
		for i, v := range m.dynInts {
			copy(h.node.Inputs[i].Int32s(), v)
		}
		require.NoError(t, h.kernel.Eval(h.node), name)
		// Steady state: no allocations (dynamic outputs reuse their
		// storage once sized).
		assert.Zero(t, testing.AllocsPerRun(10, func() { _ = h.kernel.Eval(h.node) }), name)

		// Storage the planner failed to give: Eval fails, never panics.
		for _, o := range h.node.Outputs {
			if !o.IsDynamic() {
				h2 := m.prepared(t)
				for _, o2 := range h2.node.Outputs {
					o2.Bind(nil, core.StorageArena)
				}
				assert.Error(t, h2.kernel.Eval(h2.node), "%s: no output storage", name)
				break
			}
		}
		h3 := m.prepared(t)
		for i, in := range h3.node.Inputs {
			if _, ok := m.dynInts[i]; !ok && !in.IsConstant() {
				in.Bind(nil, core.StorageArena)
			}
		}
		if name != "shape" && name != "zeros_like" && name != "fill_dyn" { // these read no input data
			assert.Error(t, h3.kernel.Eval(h3.node), "%s: no input storage", name)
		}
	}
}

// TestSqueezeExpandDimsAliasedSkipCopy simulates the planner giving the
// output the input's storage.
func TestSqueezeExpandDimsAliasedSkipCopy(t *testing.T) {
	for _, name := range []string{"squeeze", "expand_dims_dyn"} {
		m := shapeTestModels()[name]
		h := newHarness(t, m.b)
		o, i, ok := h.kernel.(core.Aliaser).AliasOutput(h.node)
		require.True(t, ok, name)
		assert.Equal(t, [2]int{0, 0}, [2]int{o, i}, name)
		h = m.prepared(t)
		in, out := h.node.Inputs[0], h.node.Outputs[0]
		copy(in.Float32s(), []float32{1, 2, 3})
		if !out.IsDynamic() {
			out.Bind(in.Bytes(), core.StorageArena)
			require.True(t, core.SameStorage(in, out))
		}
		require.NoError(t, h.kernel.Eval(h.node), name)
		assert.Equal(t, []float32{1, 2, 3}, out.Float32s(), name)
	}
}
