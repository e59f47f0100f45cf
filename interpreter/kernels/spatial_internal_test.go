package kernels

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spatialEvalModels are one-op models of the spatial family, static and
// dynamic, whose Eval must not allocate.
func spatialEvalModels() map[string]*modelbuilder.Builder {
	ms := map[string]*modelbuilder.Builder{}
	one := func(name string, op tflite.BuiltinOperator, version int, typ core.TensorType, in, out []int, opts any,
		add func(g *modelbuilder.Subgraph) (ins, modelIns []int)) {
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
		ms[name] = b
	}
	c32 := func(name string, shape []int, v ...int32) func(g *modelbuilder.Subgraph) ([]int, []int) {
		return func(g *modelbuilder.Subgraph) ([]int, []int) { return []int{g.ConstInt32(name, shape, v)}, nil }
	}
	in32 := func(name string, shape []int) func(g *modelbuilder.Subgraph) ([]int, []int) {
		return func(g *modelbuilder.Subgraph) ([]int, []int) {
			t := g.Tensor(name, core.Int32, shape)
			return []int{t}, []int{t}
		}
	}
	f := core.Float32
	pool := &tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideH: 2, StrideW: 2, FilterHeight: 3, FilterWidth: 3, FusedActivationFunction: tflite.ActivationFunctionTypeRELU}
	one("max_pool", tflite.BuiltinOperatorMAX_POOL_2D, 1, f, []int{1, 5, 5, 2}, []int{1, 3, 3, 2}, pool, nil)
	one("average_pool", tflite.BuiltinOperatorAVERAGE_POOL_2D, 1, f, []int{1, 5, 5, 2}, []int{1, 3, 3, 2}, pool, nil)
	one("pad", tflite.BuiltinOperatorPAD, 1, f, []int{1, 2, 3, 2}, []int{1, 4, 4, 2}, nil, c32("p", []int{4, 2}, 0, 0, 1, 1, 0, 1, 0, 0))
	one("pad_dynamic", tflite.BuiltinOperatorPAD, 1, f, []int{2, 3}, []int{3, 4}, nil, in32("p", []int{2, 2}))
	one("mirror_pad", tflite.BuiltinOperatorMIRROR_PAD, 1, f, []int{3, 3}, []int{5, 5}, &tflite.MirrorPadOptionsT{}, c32("p", []int{2, 2}, 1, 1, 1, 1))
	one("resize_bilinear", tflite.BuiltinOperatorRESIZE_BILINEAR, 3, f, []int{1, 3, 3, 2}, []int{1, 5, 7, 2}, &tflite.ResizeBilinearOptionsT{HalfPixelCenters: true}, c32("s", []int{2}, 5, 7))
	one("resize_nearest_dynamic", tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, 1, f, []int{1, 3, 3, 2}, []int{1, 5, 7, 2}, nil, in32("s", []int{2}))
	one("mean_hw", tflite.BuiltinOperatorMEAN, 1, f, []int{1, 4, 4, 3}, []int{1, 1, 1, 3}, &tflite.ReducerOptionsT{KeepDims: true}, c32("a", []int{2}, 1, 2))
	one("mean_int32", tflite.BuiltinOperatorMEAN, 1, core.Int32, []int{2, 3}, []int{2}, nil, c32("a", []int{1}, 1))
	one("sum_dynamic", tflite.BuiltinOperatorSUM, 1, f, []int{2, 3, 4}, []int{2, 4}, nil, in32("a", []int{1}))
	one("depth_to_space", tflite.BuiltinOperatorDEPTH_TO_SPACE, 1, f, []int{1, 2, 2, 8}, []int{1, 4, 4, 2}, &tflite.DepthToSpaceOptionsT{BlockSize: 2}, nil)
	one("space_to_batch", tflite.BuiltinOperatorSPACE_TO_BATCH_ND, 1, f, []int{1, 3, 4, 1}, []int{4, 2, 2, 1}, nil, func(g *modelbuilder.Subgraph) ([]int, []int) {
		return []int{g.ConstInt32("b", []int{2}, []int32{2, 2}), g.ConstInt32("p", []int{2, 2}, []int32{1, 0, 0, 0})}, nil
	})
	return ms
}

func TestSpatialEvalDoesNotAllocate(t *testing.T) {
	for name, b := range spatialEvalModels() {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, b)
			h.prepare(t)
			h.fill()
			switch name {
			case "pad_dynamic":
				copy(h.node.Inputs[1].Int32s(), []int32{1, 0, 0, 1})
			case "resize_nearest_dynamic":
				copy(h.node.Inputs[1].Int32s(), []int32{5, 7})
			case "sum_dynamic":
				copy(h.node.Inputs[1].Int32s(), []int32{-2})
			}
			h.eval(t)
			allocs := testing.AllocsPerRun(20, func() {
				if err := h.kernel.Eval(h.node); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
		})
	}
}

func TestSpatialEvalBeforePrepareFails(t *testing.T) {
	for name, b := range spatialEvalModels() {
		h := newHarness(t, b)
		assert.Error(t, h.kernel.Eval(h.node), name)
	}
}

func TestSpatialVersions(t *testing.T) {
	r := Builtins()
	for _, c := range []struct {
		op      tflite.BuiltinOperator
		version int
		ok      bool
	}{
		{tflite.BuiltinOperatorPAD, 1, true},
		{tflite.BuiltinOperatorPAD, 2, true},
		{tflite.BuiltinOperatorPAD, 5, false},
		{tflite.BuiltinOperatorPAD, 4, true},
		{tflite.BuiltinOperatorPADV2, 4, true},
		{tflite.BuiltinOperatorMAX_POOL_2D, 3, true},
		{tflite.BuiltinOperatorMAX_POOL_2D, 4, false},
		{tflite.BuiltinOperatorRESIZE_BILINEAR, 4, true},
		{tflite.BuiltinOperatorRESIZE_BILINEAR, 5, false},
		{tflite.BuiltinOperatorRESIZE_BILINEAR, 3, true},
		{tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, 3, true},
		{tflite.BuiltinOperatorMEAN, 1, true},
		{tflite.BuiltinOperatorMEAN, 3, true},
		{tflite.BuiltinOperatorMEAN, 4, false},
		{tflite.BuiltinOperatorBATCH_TO_SPACE_ND, 3, true},
		{tflite.BuiltinOperatorSPACE_TO_BATCH_ND, 4, false},
	} {
		_, err := r.Lookup(core.OpCode{Builtin: c.op, Version: c.version})
		assert.Equal(t, c.ok, err == nil, "%s v%d: %v", c.op, c.version, err)
	}
}
