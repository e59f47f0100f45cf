//go:build xnnpack && cgo

package xnnpack

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	mb "github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

var sameConv = &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1}

// rejectCase builds a model whose operator `node` the delegate must not
// take, with a reason containing want.
type rejectCase struct {
	name  string
	node  int
	want  string
	build func(s *mb.Subgraph, g *gen)
}

func oneOp(op tflite.BuiltinOperator, version int, ins, outs []struct {
	typ   core.TensorType
	shape []int
	q     []mb.TensorOption
}, opts any) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		var in, out []int
		for i, x := range ins {
			in = append(in, s.Tensor("in"+string(rune('0'+i)), x.typ, x.shape, x.q...))
		}
		for i, x := range outs {
			out = append(out, s.Tensor("out"+string(rune('0'+i)), x.typ, x.shape, x.q...))
		}
		s.OpVersion(op, version, in, out, opts)
		s.Inputs(in...)
		s.Outputs(out...)
	}
}

type tdesc = struct {
	typ   core.TensorType
	shape []int
	q     []mb.TensorOption
}

func td(typ core.TensorType, shape []int, q ...mb.TensorOption) tdesc { return tdesc{typ, shape, q} }

func convModel(filterConst bool, filterTyp core.TensorType, act tflite.ActivationFunctionType, bias bool) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		x := s.Tensor("in", f32, []int{1, 5, 5, 2})
		var w int
		switch {
		case !filterConst:
			w = s.Tensor("w", f32, []int{3, 3, 3, 2})
		case filterTyp == i8:
			w = s.Const("w", i8, []int{3, 3, 3, 2}, make([]byte, 54), mb.Quant(0.1, 0))
		default:
			w = fconst(s, g, "w", []int{3, 3, 3, 2})
		}
		ins := []int{x, w, -1}
		if bias {
			ins[2] = fconst(s, g, "b", []int{3})
		}
		y := s.Tensor("out", f32, []int{1, 5, 5, 3})
		o := *sameConv
		o.FusedActivationFunction = act
		s.Op(tflite.BuiltinOperatorCONV_2D, ins, []int{y}, &o)
		if filterConst {
			s.Inputs(x)
		} else {
			s.Inputs(x, w)
		}
		s.Outputs(y)
	}
}

func rejectCases() []rejectCase {
	q := func(scale float32, zp int64) mb.TensorOption { return mb.Quant(scale, zp) }
	return []rejectCase{
		{"conv_filter_not_constant", 0, "not constant", convModel(false, f32, tflite.ActivationFunctionTypeNONE, true)},
		{"conv_tanh_activation", 0, "fused activation TANH", convModel(true, f32, tflite.ActivationFunctionTypeTANH, true)},
		{"conv_hybrid_int8_filter", 0, "hybrid", convModel(true, i8, tflite.ActivationFunctionTypeNONE, true)},
		{"conv_no_bias", 0, "bias is absent", convModel(true, f32, tflite.ActivationFunctionTypeNONE, false)},
		{"conv_int8_filter_zero_point", 0, "symmetric", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 5, 5, 2}, q(0.1, 0))
			w := s.Const("w", i8, []int{3, 3, 3, 2}, make([]byte, 54), q(0.1, 3))
			b := biasInt32(s, g, "b", 3)
			y := s.Tensor("out", i8, []int{1, 5, 5, 3}, q(0.1, 0))
			s.OpVersion(tflite.BuiltinOperatorCONV_2D, 3, []int{x, w, b}, []int{y}, sameConv)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"conv_int8_requantization_scale", 0, "requantization scale", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 5, 5, 2}, q(1, 0))
			w := s.Const("w", i8, []int{3, 3, 3, 2}, make([]byte, 54), q(1, 0))
			b := biasInt32(s, g, "b", 3)
			y := s.Tensor("out", i8, []int{1, 5, 5, 3}, q(0.001, 0))
			s.OpVersion(tflite.BuiltinOperatorCONV_2D, 3, []int{x, w, b}, []int{y}, sameConv)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"fully_connected_per_channel", 0, "per-channel", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{2, 4}, q(0.1, 0))
			w := perChannelInt8(s, g, "w", []int{3, 4}, 0)
			b := biasInt32(s, g, "b", 3)
			y := s.Tensor("out", i8, []int{2, 3}, q(0.1, 0))
			s.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, 4, []int{x, w, b}, []int{y}, &tflite.FullyConnectedOptionsT{})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"fully_connected_weights_not_constant", 0, "not constant", oneOp(tflite.BuiltinOperatorFULLY_CONNECTED, 1, []tdesc{td(f32, []int{2, 4}), td(f32, []int{3, 4})}, []tdesc{td(f32, []int{2, 3})}, &tflite.FullyConnectedOptionsT{})},
		{"fully_connected_shuffled_weights", 0, "weights format", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{2, 4})
			w := fconst(s, g, "w", []int{4, 4})
			y := s.Tensor("out", f32, []int{2, 4})
			s.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{x, w, -1}, []int{y}, &tflite.FullyConnectedOptionsT{WeightsFormat: tflite.FullyConnectedOptionsWeightsFormatSHUFFLED4x16INT8})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"add_tanh_activation", 0, "fused activation", oneOp(tflite.BuiltinOperatorADD, 1, []tdesc{td(f32, []int{2, 3}), td(f32, []int{2, 3})}, []tdesc{td(f32, []int{2, 3})}, &tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH})},
		{"add_shapes_do_not_broadcast", 0, "do not broadcast", oneOp(tflite.BuiltinOperatorADD, 1, []tdesc{td(f32, []int{2, 3}), td(f32, []int{4, 3})}, []tdesc{td(f32, []int{2, 3})}, &tflite.AddOptionsT{})},
		{"add_rank7", 0, "rank 7", oneOp(tflite.BuiltinOperatorADD, 1, []tdesc{td(f32, []int{1, 1, 1, 1, 1, 2, 3}), td(f32, []int{1, 1, 1, 1, 1, 2, 3})}, []tdesc{td(f32, []int{1, 1, 1, 1, 1, 2, 3})}, &tflite.AddOptionsT{})},
		{"add_int16", 0, "INT16", oneOp(tflite.BuiltinOperatorADD, 3, []tdesc{td(core.Int16, []int{2, 3}, q(0.1, 0)), td(core.Int16, []int{2, 3}, q(0.1, 0))}, []tdesc{td(core.Int16, []int{2, 3}, q(0.1, 0))}, &tflite.AddOptionsT{})},
		{"add_int8_scale_ratio", 0, "scale ratio", oneOp(tflite.BuiltinOperatorADD, 2, []tdesc{td(i8, []int{2, 3}, q(1, 0)), td(i8, []int{2, 3}, q(1, 0))}, []tdesc{td(i8, []int{2, 3}, q(0.001, 0))}, &tflite.AddOptionsT{})},
		{"div_int8", 0, "quantized DIV", oneOp(tflite.BuiltinOperatorDIV, 2, []tdesc{td(u8, []int{2, 3}, q(0.1, 0)), td(u8, []int{2, 3}, q(0.1, 0))}, []tdesc{td(u8, []int{2, 3}, q(0.1, 0))}, &tflite.DivOptionsT{})},
		{"logistic_int8_wrong_output_scale", 0, "1/256", oneOp(tflite.BuiltinOperatorLOGISTIC, 2, []tdesc{td(i8, []int{2, 3}, q(0.1, 0))}, []tdesc{td(i8, []int{2, 3}, q(0.01, -128))}, nil)},
		{"relu_int8_requantizing", 0, "same input and output quantization", oneOp(tflite.BuiltinOperatorRELU, 2, []tdesc{td(i8, []int{2, 3}, q(0.1, 0))}, []tdesc{td(i8, []int{2, 3}, q(0.05, 0))}, nil)},
		{"hard_swish_int8", 0, "quantized HARD_SWISH", oneOp(tflite.BuiltinOperatorHARD_SWISH, 1, []tdesc{td(i8, []int{2, 3}, q(0.1, 0))}, []tdesc{td(i8, []int{2, 3}, q(0.1, 0))}, nil)},
		{"softmax_beta", 0, "beta", oneOp(tflite.BuiltinOperatorSOFTMAX, 1, []tdesc{td(f32, []int{2, 3})}, []tdesc{td(f32, []int{2, 3})}, &tflite.SoftmaxOptionsT{Beta: 2})},
		{"softmax_uint8", 0, "quantized SOFTMAX", oneOp(tflite.BuiltinOperatorSOFTMAX, 1, []tdesc{td(u8, []int{2, 3}, q(0.1, 0))}, []tdesc{td(u8, []int{2, 3}, q(1.0/256, 0))}, &tflite.SoftmaxOptionsT{Beta: 1})},
		{"average_pool_uint8", 0, "quantized AVERAGE_POOL_2D", oneOp(tflite.BuiltinOperatorAVERAGE_POOL_2D, 1, []tdesc{td(u8, []int{1, 4, 4, 2}, q(0.1, 0))}, []tdesc{td(u8, []int{1, 2, 2, 2}, q(0.1, 0))}, &tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2, FilterWidth: 2, FilterHeight: 2})},
		{"max_pool_1x1_stride2", 0, "1x1 pooling", oneOp(tflite.BuiltinOperatorMAX_POOL_2D, 1, []tdesc{td(f32, []int{1, 4, 4, 2})}, []tdesc{td(f32, []int{1, 2, 2, 2})}, &tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2, FilterWidth: 1, FilterHeight: 1})},
		{"max_pool_int8_requantizing", 0, "quantization differs", oneOp(tflite.BuiltinOperatorMAX_POOL_2D, 2, []tdesc{td(i8, []int{1, 4, 4, 2}, q(0.1, 0))}, []tdesc{td(i8, []int{1, 2, 2, 2}, q(0.2, 0))}, &tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2, FilterWidth: 2, FilterHeight: 2})},
		{"mean_channel_axis", 0, "spatial axes", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 3, 3, 4})
			ax := s.ConstInt32("axes", []int{1}, []int32{3})
			y := s.Tensor("out", f32, []int{1, 3, 3})
			s.Op(tflite.BuiltinOperatorMEAN, []int{x, ax}, []int{y}, &tflite.ReducerOptionsT{})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"mean_one_spatial_axis", 0, "both spatial axes", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 3, 3, 4})
			ax := s.ConstInt32("axes", []int{1}, []int32{1})
			y := s.Tensor("out", f32, []int{1, 3, 4})
			s.Op(tflite.BuiltinOperatorMEAN, []int{x, ax}, []int{y}, &tflite.ReducerOptionsT{})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"mean_axes_not_constant", 0, "constant", oneOp(tflite.BuiltinOperatorMEAN, 1, []tdesc{td(f32, []int{1, 3, 3, 4}), td(core.Int32, []int{2})}, []tdesc{td(f32, []int{1, 4})}, &tflite.ReducerOptionsT{})},
		{"pad_paddings_not_constant", 0, "constant", oneOp(tflite.BuiltinOperatorPAD, 1, []tdesc{td(f32, []int{2, 3}), td(core.Int32, []int{2, 2})}, []tdesc{td(f32, []int{4, 5})}, nil)},
		{"pad_negative", 0, "negative", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{4, 3})
			p := s.ConstInt32("p", []int{2, 2}, []int32{-1, 0, 0, 0})
			y := s.Tensor("out", f32, []int{3, 3})
			s.Op(tflite.BuiltinOperatorPAD, []int{x, p}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"reshape_shape_not_constant", 0, "constant", oneOp(tflite.BuiltinOperatorRESHAPE, 1, []tdesc{td(f32, []int{2, 3}), td(core.Int32, []int{1})}, []tdesc{td(f32, []int{6})}, nil)},
		{"resize_size_not_constant", 0, "constant", oneOp(tflite.BuiltinOperatorRESIZE_BILINEAR, 1, []tdesc{td(f32, []int{1, 2, 2, 1}), td(core.Int32, []int{2})}, []tdesc{td(f32, []int{1, 4, 4, 1})}, &tflite.ResizeBilinearOptionsT{})},
		{"resize_align_and_half_pixel", 0, "together", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 2, 2, 1})
			sz := s.ConstInt32("size", []int{2}, []int32{4, 4})
			y := s.Tensor("out", f32, []int{1, 4, 4, 1})
			s.OpVersion(tflite.BuiltinOperatorRESIZE_BILINEAR, 3, []int{x, sz}, []int{y}, &tflite.ResizeBilinearOptionsT{AlignCorners: true, HalfPixelCenters: true})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"depth_to_space_int8", 0, "FLOAT32", oneOp(tflite.BuiltinOperatorDEPTH_TO_SPACE, 2, []tdesc{td(i8, []int{1, 2, 2, 4}, q(0.1, 0))}, []tdesc{td(i8, []int{1, 4, 4, 1}, q(0.1, 0))}, &tflite.DepthToSpaceOptionsT{BlockSize: 2})},
		{"transpose_conv_shape_not_constant", 0, "constant", func(s *mb.Subgraph, g *gen) {
			sh := s.Tensor("shape", core.Int32, []int{4})
			w := fconst(s, g, "w", []int{2, 3, 3, 2})
			x := s.Tensor("in", f32, []int{1, 2, 2, 2})
			y := s.Tensor("out", f32, []int{1, 4, 4, 2})
			s.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, 3, []int{sh, w, x, -1}, []int{y}, &tflite.TransposeConvOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2})
			s.Inputs(sh, x)
			s.Outputs(y)
		}},
		{"transpose_conv_int8_per_channel", 0, "per-channel", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 3, 3, 4}, q(0.05, 2))
			w := perChannelInt8(s, g, "w", []int{3, 3, 3, 4}, 0)
			sh := s.ConstInt32("shape", []int{4}, []int32{1, 6, 6, 3})
			b := biasInt32(s, g, "b", 3)
			y := s.Tensor("out", i8, []int{1, 6, 6, 3}, q(0.1, -3))
			s.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, 3, []int{sh, w, x, b}, []int{y}, &tflite.TransposeConvOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"prelu_full_slope", 0, "per-channel", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 2, 2, 3})
			a := fconst(s, g, "alpha", []int{2, 2, 3})
			y := s.Tensor("out", f32, []int{1, 2, 2, 3})
			s.Op(tflite.BuiltinOperatorPRELU, []int{x, a}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"prelu_slope_not_constant", 0, "not constant", oneOp(tflite.BuiltinOperatorPRELU, 1, []tdesc{td(f32, []int{1, 2, 2, 3}), td(f32, []int{3})}, []tdesc{td(f32, []int{1, 2, 2, 3})}, nil)},
		{"concat_int8", 0, "FLOAT32", oneOp(tflite.BuiltinOperatorCONCATENATION, 2, []tdesc{td(i8, []int{2, 3}, q(0.1, 0)), td(i8, []int{2, 3}, q(0.1, 0))}, []tdesc{td(i8, []int{4, 3}, q(0.1, 0))}, &tflite.ConcatenationOptionsT{})},
		{"concat_activation", 0, "fused activation", oneOp(tflite.BuiltinOperatorCONCATENATION, 1, []tdesc{td(f32, []int{2, 3}), td(f32, []int{2, 3})}, []tdesc{td(f32, []int{4, 3})}, &tflite.ConcatenationOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})},
		{"quantize_requantize", 0, "not supported", oneOp(tflite.BuiltinOperatorQUANTIZE, 2, []tdesc{td(u8, []int{2, 3}, q(0.1, 128))}, []tdesc{td(i8, []int{2, 3}, q(0.1, 0))}, nil)},
		{"dequantize_runtime_fp16", 0, "FLOAT16", oneOp(tflite.BuiltinOperatorDEQUANTIZE, 3, []tdesc{td(core.Float16, []int{2, 3})}, []tdesc{td(f32, []int{2, 3})}, nil)},
		{"zero_sized_dimension", 0, "positive", oneOp(tflite.BuiltinOperatorRELU, 1, []tdesc{td(f32, []int{2, 0})}, []tdesc{td(f32, []int{2, 0})}, nil)},
		{"unsupported_builtin", 0, "not supported", oneOp(tflite.BuiltinOperatorTANH, 1, []tdesc{td(f32, []int{2, 3})}, []tdesc{td(f32, []int{2, 3})}, nil)},
		{"custom_op", 0, "custom op", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{2, 3})
			y := s.Tensor("out", f32, []int{2, 3})
			s.Custom("MyOp", []int{x}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
	}
}

// TestSupportsRejects checks that Supports rejects each configuration the
// delegate cannot run, saying why, before and after AllocateTensors.
func TestSupportsRejects(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	for _, tc := range rejectCases() {
		t.Run(tc.name, func(t *testing.T) {
			b := mb.New()
			tc.build(b.Main(), newGen())
			raw, err := b.Bytes()
			require.NoError(t, err)
			m, err := interpreter.LoadModel(raw)
			require.NoError(t, err)
			it, err := interpreter.New(m, interpreter.WithCustomOp("MyOp", func(n *core.Node) (core.Kernel, error) {
				return core.KernelFunc{EvalFunc: func(*core.Node) error { return nil }}, nil
			}))
			require.NoError(t, err)
			defer it.Close()
			g := graphOf(t, it)
			err = d.Supports(g, g.Nodes[tc.node])
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
			// Compile rejects it as well, with the same reason.
			p := partitionOf(g, g.Nodes[tc.node:tc.node+1], 1)
			_, cerr := d.Compile(p)
			require.Error(t, cerr)
		})
	}
}

// TestCompileAcceptsWhatSupportsAccepts compiles every node of the real
// models that Supports accepts as a partition of its own.
func TestCompileAcceptsWhatSupportsAccepts(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	paths := []string{
		"../../shared/models/coral/mobilenet_v1_0.25_128_quant.tflite",
		"../../shared/models/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite",
		"../../shared/models/coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers.tflite",
	}
	for _, name := range []string{"selfie_segmentation", "face_detection_full_range_sparse", "palm_detection_lite", "hand_landmark_lite"} {
		if p := findModel(name); p != "" {
			paths = append(paths, p)
		}
	}
	for _, path := range paths {
		m, err := interpreter.LoadModelFile(path)
		if err != nil {
			t.Logf("skip %s: %v", path, err)
			continue
		}
		it, err := interpreter.New(m)
		require.NoError(t, err)
		g := graphOf(t, it)
		accepted := 0
		for _, n := range g.Nodes {
			if d.Supports(g, n) != nil {
				continue
			}
			accepted++
			k, err := d.Compile(partitionOf(g, []*core.Node{n}, 1))
			require.NoError(t, err, "%s: %s", path, n.Name())
			k.(core.Freer).Free()
		}
		t.Logf("%s: %d of %d nodes accepted, each compiled alone", path, accepted, len(g.Nodes))
		it.Close()
		m.Close()
	}
}

// graphOf is the delegate's view of an undelegated interpreter's main
// subgraph, for calling Supports and Compile directly.
func graphOf(t testing.TB, it *interpreter.Interpreter) *delegates.Graph {
	sg, err := it.Subgraph(0)
	require.NoError(t, err)
	g := &delegates.Graph{Index: 0, Nodes: sg.Nodes(), Inputs: sg.Inputs(), Outputs: sg.Outputs()}
	for i := range it.NumTensors() {
		g.Tensors = append(g.Tensors, it.Tensor(i))
	}
	return g
}

// partitionOf lists the inputs and outputs of a run of nodes as the
// partitioner does.
func partitionOf(g *delegates.Graph, nodes []*core.Node, threads int) *delegates.Partition {
	p := &delegates.Partition{Graph: g, Nodes: nodes, NumThreads: threads}
	written := map[*core.Tensor]bool{}
	inRun := map[*core.Node]bool{}
	for _, n := range nodes {
		inRun[n] = true
	}
	for _, n := range nodes {
		for _, t := range n.Inputs {
			if t != nil && !t.IsConstant() && !written[t] && !slices.Contains(p.Inputs, t) {
				p.Inputs = append(p.Inputs, t)
			}
		}
		for _, t := range n.Outputs {
			if t != nil {
				written[t] = true
			}
		}
	}
	for _, n := range nodes {
		for _, t := range n.Outputs {
			if t == nil || t.IsConstant() {
				continue
			}
			used := slices.Contains(g.Outputs, t)
			for _, m := range g.Nodes {
				if !inRun[m] && slices.Contains(m.Inputs, t) {
					used = true
				}
			}
			if used {
				p.Outputs = append(p.Outputs, t)
			}
		}
	}
	return p
}
