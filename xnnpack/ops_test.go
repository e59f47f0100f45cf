//go:build xnnpack && cgo

package xnnpack

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	mb "github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Per-op lowering tests: one-op (or few-op) models run by Edgelite's CPU
// kernels and by the delegate, compared float within 1e-5 of max|ref| and
// quantized within one unit (XNNPACK requantizes through fp32; the counts
// of exact and ±1 elements are logged).

type gen struct{ r *rand.Rand }

func newGen() *gen { return &gen{rand.New(rand.NewPCG(7, 11))} }

func (g *gen) floats(n int, lo, hi float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = lo + (hi-lo)*g.r.Float32()
	}
	return v
}

func (g *gen) bytes(n int) []byte {
	v := make([]byte, n)
	for i := range v {
		v[i] = byte(g.r.IntN(256))
	}
	return v
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

type opCase struct {
	name  string
	build func(s *mb.Subgraph, g *gen)
}

const (
	f32 = core.Float32
	i8  = core.Int8
	u8  = core.Uint8
)

var relu6 = tflite.ActivationFunctionTypeRELU6

func fconst(s *mb.Subgraph, g *gen, name string, shape []int) int {
	return s.ConstFloat32(name, shape, g.floats(numel(shape), -1, 1))
}

func qi8(scale float32, zp int64) mb.TensorOption { return mb.Quant(scale, zp) }

// perChannelInt8 makes symmetric per-channel INT8 weights along dim.
func perChannelInt8(s *mb.Subgraph, g *gen, name string, shape []int, dim int) int {
	scales := make([]float32, shape[dim])
	zps := make([]int64, shape[dim])
	for i := range scales {
		scales[i] = 0.005 + 0.01*g.r.Float32()
	}
	data := g.bytes(numel(shape))
	for i := range data {
		if data[i] == 0x80 {
			data[i] = 0x81 // -127..127
		}
	}
	return s.Const(name, i8, shape, data, mb.PerAxisQuant(scales, zps, dim))
}

func biasInt32(s *mb.Subgraph, g *gen, name string, n int) int {
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(g.r.IntN(2001) - 1000)
	}
	return s.ConstInt32(name, []int{n}, v)
}

func unaryF(op tflite.BuiltinOperator, shape []int, opts any) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		in := s.Tensor("in", f32, shape)
		out := s.Tensor("out", f32, shape)
		s.Op(op, []int{in}, []int{out}, opts)
		s.Inputs(in)
		s.Outputs(out)
	}
}

func binaryF(op tflite.BuiltinOperator, a, b, o []int, opts any) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		x := s.Tensor("a", f32, a)
		y := s.Tensor("b", f32, b)
		out := s.Tensor("out", f32, o)
		s.Op(op, []int{x, y}, []int{out}, opts)
		s.Inputs(x, y)
		s.Outputs(out)
	}
}

func binaryQ(op tflite.BuiltinOperator, typ core.TensorType, a, b, o []int, opts any) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		zp := int64(0)
		if typ == u8 {
			zp = 128
		}
		x := s.Tensor("a", typ, a, mb.Quant(0.02, zp+3))
		y := s.Tensor("b", typ, b, mb.Quant(0.03, zp-5))
		out := s.Tensor("out", typ, o, mb.Quant(0.05, zp+1))
		s.Op(op, []int{x, y}, []int{out}, opts)
		s.Inputs(x, y)
		s.Outputs(out)
	}
}

func convF(in, filter []int, opts *tflite.Conv2DOptionsT, out []int, bias bool) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		x := s.Tensor("in", f32, in)
		w := fconst(s, g, "w", filter)
		ins := []int{x, w}
		if bias {
			ins = append(ins, fconst(s, g, "b", []int{filter[0]}))
		} else {
			ins = append(ins, -1)
		}
		y := s.Tensor("out", f32, out)
		s.Op(tflite.BuiltinOperatorCONV_2D, ins, []int{y}, opts)
		s.Inputs(x)
		s.Outputs(y)
	}
}

func f16Bytes(v []float32) []byte {
	out := make([]byte, 2*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint16(out[2*i:], float32ToHalf(f))
	}
	return out
}

// float32ToHalf rounds to nearest for the normal range the tests use.
func float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int((b>>23)&0xff) - 127 + 15
	mant := b & 0x7fffff
	if exp <= 0 {
		return sign
	}
	h := uint32(exp)<<10 | mant>>13
	if mant&0x1fff > 0x1000 || (mant&0x1fff == 0x1000 && h&1 == 1) {
		h++
	}
	return sign | uint16(h)
}

func opCases() []opCase {
	inf := []opCase{
		{"conv_same_relu6_bias", convF([]int{1, 9, 9, 3}, []int{4, 3, 3, 3}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, DilationWFactor: 1, DilationHFactor: 1, FusedActivationFunction: relu6}, []int{1, 5, 5, 4}, true)},
		{"conv_valid_dilated", convF([]int{2, 10, 8, 3}, []int{5, 3, 2, 3}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 1, StrideH: 1, DilationWFactor: 2, DilationHFactor: 2}, []int{2, 6, 6, 5}, true)},
		{"conv_same_dilated_stride2", convF([]int{1, 11, 10, 2}, []int{3, 3, 3, 2}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, DilationWFactor: 2, DilationHFactor: 3}, []int{1, 6, 5, 3}, true)},
		{"depthwise_same_dilated", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 9, 8, 4})
			w := fconst(s, g, "w", []int{1, 3, 3, 4})
			b := fconst(s, g, "b", []int{4})
			y := s.Tensor("out", f32, []int{1, 9, 8, 4})
			s.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []int{x, w, b}, []int{y}, &tflite.DepthwiseConv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DepthMultiplier: 1, DilationWFactor: 2, DilationHFactor: 2})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"depthwise_valid_stride2", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{2, 9, 8, 4})
			w := fconst(s, g, "w", []int{1, 3, 2, 4})
			b := fconst(s, g, "b", []int{4})
			y := s.Tensor("out", f32, []int{2, 4, 4, 4})
			s.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []int{x, w, b}, []int{y}, &tflite.DepthwiseConv2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2, DepthMultiplier: 1, DilationWFactor: 1, DilationHFactor: 1, FusedActivationFunction: tflite.ActivationFunctionTypeRELU_N1_TO_1})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"depthwise_mult2_same_relu", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 7, 7, 3})
			w := fconst(s, g, "w", []int{1, 3, 3, 6})
			b := fconst(s, g, "b", []int{6})
			y := s.Tensor("out", f32, []int{1, 4, 4, 6})
			s.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []int{x, w, b}, []int{y}, &tflite.DepthwiseConv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, DepthMultiplier: 2, DilationWFactor: 1, DilationHFactor: 1, FusedActivationFunction: tflite.ActivationFunctionTypeRELU})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"conv_fp16_weights_via_dequantize", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 6, 6, 2})
			wh := s.Const("w16", core.Float16, []int{3, 3, 3, 2}, f16Bytes(g.floats(54, -1, 1)))
			w := s.Tensor("w", f32, []int{3, 3, 3, 2})
			s.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, 2, []int{wh}, []int{w}, nil)
			b := fconst(s, g, "b", []int{3})
			y := s.Tensor("out", f32, []int{1, 6, 6, 3})
			s.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, b}, []int{y}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"fully_connected_3d_reshape2d", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{2, 3, 8})
			w := fconst(s, g, "w", []int{5, 8})
			b := fconst(s, g, "b", []int{5})
			y := s.Tensor("out", f32, []int{6, 5})
			s.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{x, w, b}, []int{y}, &tflite.FullyConnectedOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"fully_connected_keep_num_dims_nobias", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{2, 3, 8})
			w := fconst(s, g, "w", []int{5, 8})
			y := s.Tensor("out", f32, []int{2, 3, 5})
			s.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{x, w, -1}, []int{y}, &tflite.FullyConnectedOptionsT{KeepNumDims: true})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"average_pool_same", unaryPool(tflite.BuiltinOperatorAVERAGE_POOL_2D, &tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, FilterWidth: 3, FilterHeight: 3}, []int{1, 7, 7, 3}, []int{1, 4, 4, 3})},
		{"max_pool_valid_relu", unaryPool(tflite.BuiltinOperatorMAX_POOL_2D, &tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2, FilterWidth: 2, FilterHeight: 2, FusedActivationFunction: tflite.ActivationFunctionTypeRELU}, []int{1, 8, 6, 3}, []int{1, 4, 3, 3})},
		{"max_pool_1x1", unaryPool(tflite.BuiltinOperatorMAX_POOL_2D, &tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 1, StrideH: 1, FilterWidth: 1, FilterHeight: 1, FusedActivationFunction: relu6}, []int{1, 4, 4, 3}, []int{1, 4, 4, 3})},
		{"mean_hw_keepdims", meanCase(f32, true)},
		{"mean_hw_nokeepdims", meanCase(f32, false)},
		{"add_broadcast_relu", binaryF(tflite.BuiltinOperatorADD, []int{1, 4, 4, 3}, []int{3}, []int{1, 4, 4, 3}, &tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})},
		{"mul_broadcast_both", binaryF(tflite.BuiltinOperatorMUL, []int{1, 4, 1, 3}, []int{1, 1, 5, 3}, []int{1, 4, 5, 3}, &tflite.MulOptionsT{})},
		{"sub_relu_n1_to_1", binaryF(tflite.BuiltinOperatorSUB, []int{2, 3, 4}, []int{2, 3, 4}, []int{2, 3, 4}, &tflite.SubOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU_N1_TO_1})},
		{"div_broadcast", binaryF(tflite.BuiltinOperatorDIV, []int{2, 3, 4}, []int{1, 1, 4}, []int{2, 3, 4}, &tflite.DivOptionsT{})},
		{"maximum", binaryF(tflite.BuiltinOperatorMAXIMUM, []int{2, 3, 4}, []int{4}, []int{2, 3, 4}, nil)},
		{"minimum", binaryF(tflite.BuiltinOperatorMINIMUM, []int{2, 3, 4}, []int{2, 3, 4}, []int{2, 3, 4}, nil)},
		{"squared_difference", binaryF(tflite.BuiltinOperatorSQUARED_DIFFERENCE, []int{2, 3, 4}, []int{2, 1, 4}, []int{2, 3, 4}, nil)},
		{"add_constant", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("a", f32, []int{1, 3, 3, 4})
			c := fconst(s, g, "c", []int{1, 1, 1, 4})
			y := s.Tensor("out", f32, []int{1, 3, 3, 4})
			s.Op(tflite.BuiltinOperatorADD, []int{x, c}, []int{y}, &tflite.AddOptionsT{})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"relu", unaryF(tflite.BuiltinOperatorRELU, []int{2, 5, 3}, nil)},
		{"relu6", unaryF(tflite.BuiltinOperatorRELU6, []int{2, 5, 3}, nil)},
		{"relu_n1_to_1", unaryF(tflite.BuiltinOperatorRELU_N1_TO_1, []int{2, 5, 3}, nil)},
		{"hard_swish", unaryF(tflite.BuiltinOperatorHARD_SWISH, []int{2, 5, 3}, nil)},
		{"logistic", unaryF(tflite.BuiltinOperatorLOGISTIC, []int{2, 5, 3}, nil)},
		{"leaky_relu", unaryF(tflite.BuiltinOperatorLEAKY_RELU, []int{2, 5, 3}, &tflite.LeakyReluOptionsT{Alpha: 0.2})},
		{"elu", unaryF(tflite.BuiltinOperatorELU, []int{2, 5, 3}, nil)},
		{"abs", unaryF(tflite.BuiltinOperatorABS, []int{2, 5, 3}, nil)},
		{"ceil", unaryF(tflite.BuiltinOperatorCEIL, []int{2, 5, 3}, nil)},
		{"floor", unaryF(tflite.BuiltinOperatorFLOOR, []int{2, 5, 3}, nil)},
		{"round", unaryF(tflite.BuiltinOperatorROUND, []int{2, 5, 3}, nil)},
		{"neg", unaryF(tflite.BuiltinOperatorNEG, []int{2, 5, 3}, nil)},
		{"square", unaryF(tflite.BuiltinOperatorSQUARE, []int{2, 5, 3}, nil)},
		{"abs_then_sqrt", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{3, 7})
			a := s.Tensor("a", f32, []int{3, 7})
			y := s.Tensor("out", f32, []int{3, 7})
			s.Op(tflite.BuiltinOperatorABS, []int{x}, []int{a}, nil)
			s.Op(tflite.BuiltinOperatorSQRT, []int{a}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"softmax", unaryF(tflite.BuiltinOperatorSOFTMAX, []int{3, 10}, &tflite.SoftmaxOptionsT{Beta: 1})},
		{"prelu", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 4, 4, 3})
			a := fconst(s, g, "alpha", []int{1, 1, 3})
			y := s.Tensor("out", f32, []int{1, 4, 4, 3})
			s.Op(tflite.BuiltinOperatorPRELU, []int{x, a}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"pad", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 3, 3, 2})
			p := s.ConstInt32("p", []int{4, 2}, []int32{0, 0, 1, 2, 2, 0, 0, 1})
			y := s.Tensor("out", f32, []int{1, 6, 5, 3})
			s.Op(tflite.BuiltinOperatorPAD, []int{x, p}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"padv2", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{2, 3})
			p := s.ConstInt32("p", []int{2, 2}, []int32{1, 0, 0, 2})
			v := s.ConstFloat32("v", []int{}, []float32{-7.5})
			y := s.Tensor("out", f32, []int{3, 5})
			s.Op(tflite.BuiltinOperatorPADV2, []int{x, p, v}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"reshape_minus1", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 4, 6})
			p := s.ConstInt32("shape", []int{2}, []int32{-1, 3})
			y := s.Tensor("out", f32, []int{8, 3})
			s.Op(tflite.BuiltinOperatorRESHAPE, []int{x, p}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"resize_bilinear_half_pixel", resizeCase(false, true)},
		{"resize_bilinear_align_corners", resizeCase(true, false)},
		{"resize_bilinear_legacy", resizeCase(false, false)},
		{"depth_to_space", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 3, 2, 8})
			y := s.Tensor("out", f32, []int{1, 6, 4, 2})
			s.Op(tflite.BuiltinOperatorDEPTH_TO_SPACE, []int{x}, []int{y}, &tflite.DepthToSpaceOptionsT{BlockSize: 2})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"concat_axis1_three", concatCase([][]int{{1, 2, 3}, {1, 4, 3}, {1, 1, 3}}, 1, []int{1, 7, 3})},
		{"concat_last_axis", func(s *mb.Subgraph, g *gen) {
			a := s.Tensor("a", f32, []int{2, 2, 3})
			b := s.Tensor("b", f32, []int{2, 2, 1})
			y := s.Tensor("out", f32, []int{2, 2, 4})
			s.Op(tflite.BuiltinOperatorCONCATENATION, []int{a, b}, []int{y}, &tflite.ConcatenationOptionsT{Axis: -1})
			s.Inputs(a, b)
			s.Outputs(y)
		}},
		{"transpose_conv_same_s2", transposeConvCase(tflite.PaddingSAME, []int{1, 4, 4, 3}, []int{2, 3, 3, 3}, []int32{1, 8, 8, 2}, 2)},
		{"transpose_conv_valid_s2", transposeConvCase(tflite.PaddingVALID, []int{1, 3, 3, 2}, []int{2, 3, 3, 2}, []int32{1, 7, 7, 2}, 2)},
		{"convolution2d_transpose_bias", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 4, 4, 3})
			w := fconst(s, g, "w", []int{2, 4, 4, 3})
			b := fconst(s, g, "b", []int{2})
			y := s.Tensor("out", f32, []int{1, 8, 8, 2})
			opts := make([]byte, 12)
			binary.LittleEndian.PutUint32(opts[0:], 1) // SAME
			binary.LittleEndian.PutUint32(opts[4:], 2)
			binary.LittleEndian.PutUint32(opts[8:], 2)
			s.Custom("Convolution2DTransposeBias", []int{x, w, b}, []int{y}, opts)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"chain_conv_add_resize", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{1, 6, 6, 2})
			w := fconst(s, g, "w", []int{4, 3, 3, 2})
			b := fconst(s, g, "b", []int{4})
			c := s.Tensor("c", f32, []int{1, 6, 6, 4})
			s.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, b}, []int{c}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1})
			a := s.Tensor("a", f32, []int{1, 6, 6, 4})
			s.Op(tflite.BuiltinOperatorADD, []int{c, c}, []int{a}, &tflite.AddOptionsT{})
			sz := s.ConstInt32("size", []int{2}, []int32{9, 9})
			y := s.Tensor("out", f32, []int{1, 9, 9, 4})
			s.Op(tflite.BuiltinOperatorRESIZE_BILINEAR, []int{a, sz}, []int{y}, &tflite.ResizeBilinearOptionsT{HalfPixelCenters: true})
			s.Inputs(x)
			s.Outputs(c, y)
		}},
	}
	q := []opCase{
		{"q_conv_int8_per_channel", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 15, 15, 8}, qi8(0.05, -3))
			w := perChannelInt8(s, g, "w", []int{16, 3, 3, 8}, 0)
			b := biasInt32(s, g, "b", 16)
			y := s.Tensor("out", i8, []int{1, 8, 8, 16}, qi8(0.1, 5))
			s.OpVersion(tflite.BuiltinOperatorCONV_2D, 3, []int{x, w, b}, []int{y}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, DilationWFactor: 1, DilationHFactor: 1, FusedActivationFunction: relu6})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_conv_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", u8, []int{1, 14, 14, 8}, mb.Quant(0.02, 128))
			w := s.Const("w", u8, []int{16, 3, 3, 8}, g.bytes(1152), mb.Quant(0.01, 120))
			b := biasInt32(s, g, "b", 16)
			y := s.Tensor("out", u8, []int{1, 12, 12, 16}, mb.Quant(0.15, 130))
			s.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, b}, []int{y}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_depthwise_int8_per_channel", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 16, 16, 16}, qi8(0.05, 2))
			w := perChannelInt8(s, g, "w", []int{1, 3, 3, 16}, 3)
			b := biasInt32(s, g, "b", 16)
			y := s.Tensor("out", i8, []int{1, 16, 16, 16}, qi8(0.05, -1))
			s.OpVersion(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, 3, []int{x, w, b}, []int{y}, &tflite.DepthwiseConv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DepthMultiplier: 1, DilationWFactor: 1, DilationHFactor: 1})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_depthwise_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", u8, []int{1, 6, 6, 4}, mb.Quant(0.02, 128))
			w := s.Const("w", u8, []int{1, 3, 3, 4}, g.bytes(36), mb.Quant(0.01, 127))
			b := biasInt32(s, g, "b", 4)
			y := s.Tensor("out", u8, []int{1, 3, 3, 4}, mb.Quant(0.03, 128))
			s.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []int{x, w, b}, []int{y}, &tflite.DepthwiseConv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, DepthMultiplier: 1, DilationWFactor: 1, DilationHFactor: 1, FusedActivationFunction: relu6})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_fully_connected_int8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{32, 64}, qi8(0.05, 4))
			w := s.Const("w", i8, []int{48, 64}, g.bytes(3072), qi8(0.01, 0))
			b := biasInt32(s, g, "b", 48)
			y := s.Tensor("out", i8, []int{32, 48}, qi8(0.08, -2))
			s.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, 4, []int{x, w, b}, []int{y}, &tflite.FullyConnectedOptionsT{})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_fully_connected_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", u8, []int{2, 16}, mb.Quant(0.05, 128))
			w := s.Const("w", u8, []int{6, 16}, g.bytes(96), mb.Quant(0.01, 130))
			b := biasInt32(s, g, "b", 6)
			y := s.Tensor("out", u8, []int{2, 6}, mb.Quant(0.08, 120))
			s.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{x, w, b}, []int{y}, &tflite.FullyConnectedOptionsT{})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_add_int8_broadcast", binaryQ(tflite.BuiltinOperatorADD, i8, []int{1, 16, 16, 8}, []int{1, 1, 1, 8}, []int{1, 16, 16, 8}, &tflite.AddOptionsT{})},
		{"q_add_uint8", binaryQ(tflite.BuiltinOperatorADD, u8, []int{64, 32}, []int{64, 32}, []int{64, 32}, &tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})},
		{"q_mul_int8", binaryQ(tflite.BuiltinOperatorMUL, i8, []int{64, 32}, []int{64, 32}, []int{64, 32}, &tflite.MulOptionsT{})},
		{"q_mul_uint8", binaryQ(tflite.BuiltinOperatorMUL, u8, []int{64, 32}, []int{1, 32}, []int{64, 32}, &tflite.MulOptionsT{})},
		{"q_sub_int8", binaryQ(tflite.BuiltinOperatorSUB, i8, []int{64, 32}, []int{64, 32}, []int{64, 32}, &tflite.SubOptionsT{})},
		{"q_max_pool_int8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 6, 6, 3}, qi8(0.05, 1))
			y := s.Tensor("out", i8, []int{1, 3, 3, 3}, qi8(0.05, 1))
			s.OpVersion(tflite.BuiltinOperatorMAX_POOL_2D, 2, []int{x}, []int{y}, &tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, FilterWidth: 3, FilterHeight: 3})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_mean_int8", meanCase(i8, true)},
		{"q_logistic_int8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{64, 32}, qi8(0.06, 3))
			y := s.Tensor("out", i8, []int{64, 32}, qi8(1.0/256, -128))
			s.OpVersion(tflite.BuiltinOperatorLOGISTIC, 2, []int{x}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_logistic_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", u8, []int{4, 8}, mb.Quant(0.06, 128))
			y := s.Tensor("out", u8, []int{4, 8}, mb.Quant(1.0/256, 0))
			s.Op(tflite.BuiltinOperatorLOGISTIC, []int{x}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_relu_int8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{4, 8}, qi8(0.06, 3))
			y := s.Tensor("out", i8, []int{4, 8}, qi8(0.06, 3))
			s.OpVersion(tflite.BuiltinOperatorRELU, 2, []int{x}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_pad_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", u8, []int{1, 3, 3, 2}, mb.Quant(0.05, 100))
			p := s.ConstInt32("p", []int{4, 2}, []int32{0, 0, 1, 1, 2, 0, 0, 0})
			y := s.Tensor("out", u8, []int{1, 5, 5, 2}, mb.Quant(0.05, 100))
			s.Op(tflite.BuiltinOperatorPAD, []int{x, p}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_reshape_int8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 2, 6}, qi8(0.05, 1))
			y := s.Tensor("out", i8, []int{3, 4}, qi8(0.05, 1))
			s.Op(tflite.BuiltinOperatorRESHAPE, []int{x}, []int{y}, &tflite.ReshapeOptionsT{NewShape: []int32{3, 4}})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_transpose_conv_int8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", i8, []int{1, 3, 3, 4}, qi8(0.05, 2))
			w := s.Const("w", i8, []int{3, 3, 3, 4}, g.bytes(108), qi8(0.01, 0))
			sh := s.ConstInt32("shape", []int{4}, []int32{1, 6, 6, 3})
			b := biasInt32(s, g, "b", 3)
			y := s.Tensor("out", i8, []int{1, 6, 6, 3}, qi8(0.1, -3))
			s.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, 3, []int{sh, w, x, b}, []int{y}, &tflite.TransposeConvOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_transpose_conv_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", u8, []int{1, 3, 3, 2}, mb.Quant(0.05, 128))
			w := s.Const("w", u8, []int{2, 3, 3, 2}, g.bytes(36), mb.Quant(0.01, 125))
			sh := s.ConstInt32("shape", []int{4}, []int32{1, 7, 7, 2})
			y := s.Tensor("out", u8, []int{1, 7, 7, 2}, mb.Quant(0.1, 128))
			s.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, 3, []int{sh, w, x, -1}, []int{y}, &tflite.TransposeConvOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2})
			s.Inputs(x)
			s.Outputs(y)
		}},
		{"q_quantize_dequantize_uint8", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{4, 8})
			q := s.Tensor("q", u8, []int{4, 8}, mb.Quant(0.02, 120))
			s.Op(tflite.BuiltinOperatorQUANTIZE, []int{x}, []int{q}, nil)
			y := s.Tensor("out", f32, []int{4, 8})
			s.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{q}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(q, y)
		}},
		{"q_quantize_dequantize", func(s *mb.Subgraph, g *gen) {
			x := s.Tensor("in", f32, []int{4, 8})
			q := s.Tensor("q", i8, []int{4, 8}, qi8(0.01, -4))
			s.Op(tflite.BuiltinOperatorQUANTIZE, []int{x}, []int{q}, nil)
			y := s.Tensor("out", f32, []int{4, 8})
			s.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, 2, []int{q}, []int{y}, nil)
			s.Inputs(x)
			s.Outputs(q, y)
		}},
	}
	return append(inf, q...)
}

func unaryPool(op tflite.BuiltinOperator, opts *tflite.Pool2DOptionsT, in, out []int) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		x := s.Tensor("in", f32, in)
		y := s.Tensor("out", f32, out)
		s.Op(op, []int{x}, []int{y}, opts)
		s.Inputs(x)
		s.Outputs(y)
	}
}

func meanCase(typ core.TensorType, keep bool) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		var opts []mb.TensorOption
		if typ != f32 {
			opts = append(opts, qi8(0.05, 2))
		}
		x := s.Tensor("in", typ, []int{2, 5, 4, 3}, opts...)
		ax := s.ConstInt32("axes", []int{2}, []int32{2, 1})
		shape := []int{2, 3}
		if keep {
			shape = []int{2, 1, 1, 3}
		}
		y := s.Tensor("out", typ, shape, opts...)
		s.OpVersion(tflite.BuiltinOperatorMEAN, 2, []int{x, ax}, []int{y}, &tflite.ReducerOptionsT{KeepDims: keep})
		s.Inputs(x)
		s.Outputs(y)
	}
}

func resizeCase(align, half bool) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		x := s.Tensor("in", f32, []int{1, 3, 4, 2})
		sz := s.ConstInt32("size", []int{2}, []int32{7, 5})
		y := s.Tensor("out", f32, []int{1, 7, 5, 2})
		s.OpVersion(tflite.BuiltinOperatorRESIZE_BILINEAR, 3, []int{x, sz}, []int{y}, &tflite.ResizeBilinearOptionsT{AlignCorners: align, HalfPixelCenters: half})
		s.Inputs(x)
		s.Outputs(y)
	}
}

func concatCase(shapes [][]int, axis int32, out []int) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		var ins []int
		for i, sh := range shapes {
			ins = append(ins, s.Tensor(string(rune('a'+i)), f32, sh))
		}
		y := s.Tensor("out", f32, out)
		s.Op(tflite.BuiltinOperatorCONCATENATION, ins, []int{y}, &tflite.ConcatenationOptionsT{Axis: axis})
		s.Inputs(ins...)
		s.Outputs(y)
	}
}

func transposeConvCase(p tflite.Padding, in, w []int, out []int32, stride int32) func(s *mb.Subgraph, g *gen) {
	return func(s *mb.Subgraph, g *gen) {
		x := s.Tensor("in", f32, in)
		wt := fconst(s, g, "w", w)
		sh := s.ConstInt32("shape", []int{4}, out)
		b := fconst(s, g, "b", []int{w[0]})
		y := s.Tensor("out", f32, []int{int(out[0]), int(out[1]), int(out[2]), int(out[3])})
		s.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, 3, []int{sh, wt, x, b}, []int{y}, &tflite.TransposeConvOptionsT{Padding: p, StrideW: stride, StrideH: stride})
		s.Inputs(x)
		s.Outputs(y)
	}
}

// fillInputs gives every input deterministic data: floats in [-2, 2]
// (positive for SQRT-like ops is not needed: SQRT is not in the table),
// quantized bytes uniform.
func fillInputs(t *testing.T, it *interpreter.Interpreter, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 3))
	for _, in := range it.Inputs() {
		switch in.Type() {
		case f32:
			v := in.Float32s()
			for i := range v {
				v[i] = 4*r.Float32() - 2
			}
		default:
			b := in.Bytes()
			for i := range b {
				b[i] = byte(r.IntN(256))
			}
		}
	}
}

func TestOpLowering(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	for _, tc := range opCases() {
		t.Run(tc.name, func(t *testing.T) {
			b := mb.New()
			tc.build(b.Main(), newGen())
			m, err := interpreter.LoadModel(b.MustBytes())
			require.NoError(t, err)
			cpu, err := interpreter.New(m)
			require.NoError(t, err)
			defer cpu.Close()
			require.NoError(t, cpu.AllocateTensors())
			fillInputs(t, cpu, 1)
			require.NoError(t, cpu.Invoke())

			dm := delegateLoaded(t, d, m, 1)
			require.Equal(t, dm.total, dm.taken, "not delegated: %v", dm.rejected)
			require.Equal(t, 1, dm.delegatedRuns())
			fillInputs(t, dm.it, 1)
			for _, o := range dm.it.Outputs() {
				for i := range o.Bytes() {
					o.Bytes()[i] = 0x7f // NaN-ish garbage the delegate must overwrite
				}
			}
			require.NoError(t, dm.invoke())
			for i, want := range cpu.Outputs() {
				compareTensors(t, want, dm.it.Output(i))
			}
		})
	}
}

// compareTensors checks got against the CPU's want: FLOAT32 within 1e-5
// of max|want|, INT8/UINT8 within one unit (counts logged).
func compareTensors(t *testing.T, want, got *core.Tensor) {
	t.Helper()
	require.Equal(t, want.Shape(), got.Shape(), "output %s", want.Name())
	switch want.Type() {
	case f32:
		w, g := want.Float32s(), got.Float32s()
		var maxRef, maxDiff float64
		for i := range w {
			maxRef = max(maxRef, math.Abs(float64(w[i])))
			d := math.Abs(float64(g[i]) - float64(w[i]))
			if math.IsNaN(d) {
				d = math.Inf(1)
			}
			maxDiff = max(maxDiff, d)
		}
		t.Logf("%s: max|diff| %.3g of max|ref| %.3g", want.Name(), maxDiff, maxRef)
		require.LessOrEqual(t, maxDiff, 1e-5*max(maxRef, 1e-30), "output %s", want.Name())
	case i8, u8:
		w, g := want.Bytes(), got.Bytes()
		var exact, off1, worse int
		for i := range w {
			a, b := int(w[i]), int(g[i])
			if want.Type() == i8 {
				a, b = int(int8(w[i])), int(int8(g[i]))
			}
			switch d := b - a; {
			case d == 0:
				exact++
			case d == 1 || d == -1:
				off1++
			default:
				worse++
			}
		}
		t.Logf("%s: %d exact, %d off by one, %d worse (of %d)", want.Name(), exact, off1, worse, len(w))
		require.Zero(t, worse, "output %s", want.Name())
	default:
		t.Fatalf("unexpected output type %s", want.Type())
	}
}
