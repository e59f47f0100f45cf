package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// fastRandomize fills every non-constant input with random values: floats
// in [-8, 8) with a few special values (±0, NaN, ±Inf, clamp bounds), integers over their whole range (int32
// inputs, the biases, within ±1000).
func fastRandomize(rng *rand.Rand, h *harness) {
	for _, in := range h.node.Inputs {
		if in == nil || in.IsConstant() {
			continue
		}
		switch in.Type() {
		case core.Float32:
			special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -3, 6, 1, -1}
			v := in.Float32s()
			for i := range v {
				v[i] = rng.Float32()*16 - 8
				if rng.IntN(20) == 0 {
					v[i] = special[rng.IntN(len(special))]
				}
			}
		case core.Int8:
			v := in.Int8s()
			for i := range v {
				v[i] = int8(rng.IntN(256) - 128)
			}
		case core.Int32:
			v := in.Int32s()
			for i := range v {
				v[i] = int32(rng.IntN(2001) - 1000)
			}
		}
	}
}

// fastCheck runs the one-op model b on random inputs through the fast path
// and the reference path (setRef switches the kernel) and requires the same
// output bits (float: within tol relative to the largest |reference|; 0
// means bit-identical). It also requires the fast Eval not to allocate.
func fastCheck(t *testing.T, rng *rand.Rand, b *modelbuilder.Builder, setRef func(k core.Kernel, ref bool), tol float64) {
	t.Helper()
	h := newHarness(t, b)
	h.prepare(t)
	fastRandomize(rng, h)
	setRef(h.kernel, false)
	h.eval(t)
	out := h.node.Outputs[0]
	got := append([]byte(nil), out.Bytes()...)
	require.Zero(t, testing.AllocsPerRun(3, func() {
		if err := h.kernel.Eval(h.node); err != nil {
			t.Fatal(err)
		}
	}), "fast Eval allocates")
	setRef(h.kernel, true)
	clear(out.Bytes())
	h.eval(t)
	want := out.Bytes()
	if out.Type() != core.Float32 || tol == 0 {
		if out.Type() == core.Float32 {
			g, w := fastF32s(got), out.Float32s()
			for i := range w {
				if g[i] != w[i] && !(g[i] != g[i] && w[i] != w[i]) {
					t.Fatalf("element %d: fast %v, reference %v", i, g[i], w[i])
				}
			}
			return
		}
		require.Equal(t, want, got)
		return
	}
	g, w := fastF32s(got), out.Float32s()
	var maxRef float64
	for _, v := range w {
		maxRef = max(maxRef, math.Abs(float64(v)))
	}
	for i := range w {
		d := math.Abs(float64(g[i]) - float64(w[i]))
		if d > tol*max(maxRef, 1e-30) || (g[i] != g[i]) != (w[i] != w[i]) {
			t.Fatalf("element %d: fast %v, reference %v", i, g[i], w[i])
		}
	}
}

func fastF32s(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24)
	}
	return v
}

func dwSetRef(k core.Kernel, ref bool) { k.(*depthwiseConv2DKernel).reference = ref }

// fastDWModel is a one-op DEPTHWISE_CONV_2D with every operand a model
// input (typ FLOAT32 or INT8 per-channel).
func fastDWModel(typ core.TensorType, in []int, kh, kw, mult, stride int, pad tflite.Padding, act tflite.ActivationFunctionType, bias bool) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	oc := in[3] * mult
	var xo, wo, bo, yo []modelbuilder.TensorOption
	btyp := typ
	if typ == core.Int8 {
		scales := make([]float32, oc)
		zps := make([]int64, oc)
		bscales := make([]float32, oc)
		// Effective scales near 2^-8 keep most outputs unsaturated;
		// the even channels' are exactly 2^-8, so that halfway cases,
		// where the two roundings of the output stage differ, occur.
		for i := range scales {
			scales[i] = 1.0 / 64
			if i%2 == 1 {
				scales[i] = 0.011 + 0.001*float32(i%5)
			}
			bscales[i] = 0.5 * scales[i]
		}
		xo = []modelbuilder.TensorOption{modelbuilder.Quant(0.5, 3)}
		wo = []modelbuilder.TensorOption{modelbuilder.PerAxisQuant(scales, zps, 3)}
		bo = []modelbuilder.TensorOption{modelbuilder.PerAxisQuant(bscales, zps, 0)}
		yo = []modelbuilder.TensorOption{modelbuilder.Quant(2, -5)}
		btyp = core.Int32
	}
	x := g.Tensor("x", typ, in, xo...)
	w := g.Tensor("w", typ, []int{1, kh, kw, oc}, wo...)
	ins := []int{x, w}
	if bias {
		ins = append(ins, g.Tensor("b", btyp, []int{oc}, bo...))
	}
	y := g.Tensor("y", typ, []int{1, 1, 1, oc}, yo...)
	g.Op(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, ins, []int{y}, &tflite.DepthwiseConv2DOptionsT{
		Padding: pad, StrideW: int32(stride), StrideH: int32(stride), DepthMultiplier: int32(mult),
		DilationWFactor: 1, DilationHFactor: 1, FusedActivationFunction: act,
	})
	g.Inputs(ins...)
	g.Outputs(y)
	return b
}

// TestFastDepthwiseMatchesReference: random shapes with edge sizes (one
// channel, odd channels, 1×1 images, windows larger than the image, both
// paddings, strides 1 to 3, 3×3, 5×5 and other filters), bit-identical
// results for float32 and int8.
func TestFastDepthwiseMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	acts := []tflite.ActivationFunctionType{tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeRELU6}
	channels := []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 33}
	for _, typ := range []core.TensorType{core.Float32, core.Int8} {
		for i := 0; i < 120; i++ {
			kh, kw := 3, 3
			switch i % 4 {
			case 1:
				kh, kw = 5, 5
			case 2:
				kh, kw = 1+rng.IntN(4), 1+rng.IntN(6)
			}
			in := []int{1 + rng.IntN(2), 1 + rng.IntN(9), 1 + rng.IntN(9), channels[rng.IntN(len(channels))]}
			if i%10 == 0 {
				in[1], in[2] = 1, 1
			}
			stride := 1 + rng.IntN(3)
			pad := tflite.PaddingSAME
			if rng.IntN(3) == 0 {
				pad = tflite.PaddingVALID
				in[1], in[2] = max(in[1], kh), max(in[2], kw)
			}
			mult := 1
			if i%15 == 7 {
				mult = 2
			}
			act, bias := acts[rng.IntN(len(acts))], rng.IntN(4) != 0
			name := fmt.Sprintf("%s/%v_k%dx%d_s%d_m%d_%s_%s_bias%v", typ, in, kh, kw, stride, mult, pad, act, bias)
			t.Run(name, func(t *testing.T) {
				fastCheck(t, rng, fastDWModel(typ, in, kh, kw, mult, stride, pad, act, bias), dwSetRef, 0)
			})
		}
		// Channels beyond the int8 path's 128-channel chunks, with the
		// rounding's 8-channel boundary inside the last chunk.
		for _, c := range []int{131, 203, 256} {
			t.Run(fmt.Sprintf("%s/wide_%d", typ, c), func(t *testing.T) {
				fastCheck(t, rng, fastDWModel(typ, []int{1, 5, 4, c}, 3, 3, 1, 1, tflite.PaddingSAME, tflite.ActivationFunctionTypeNONE, true), dwSetRef, 0)
			})
		}
	}
}

func binSetRef(k core.Kernel, ref bool) { k.(*binaryKernel).reference = ref }

// fastBinModel is a one-op ADD, SUB or MUL on two model inputs.
func fastBinModel(op tflite.BuiltinOperator, a, b []int, act tflite.ActivationFunctionType) *modelbuilder.Builder {
	out, err := broadcastShape(a, b)
	if err != nil {
		panic(err)
	}
	var opts any
	switch op {
	case tflite.BuiltinOperatorADD:
		opts = &tflite.AddOptionsT{FusedActivationFunction: act}
	case tflite.BuiltinOperatorSUB:
		opts = &tflite.SubOptionsT{FusedActivationFunction: act}
	default:
		opts = &tflite.MulOptionsT{FusedActivationFunction: act}
	}
	return ewInternalModel(op, 1, []core.TensorType{core.Float32, core.Float32}, [][]int{a, b}, core.Float32, out, opts)
}

// TestFastBinaryMatchesReference: same shapes, scalars on either side,
// per-channel and trailing-dimension repeats, and general broadcasts that
// stay on the reference walk.
func TestFastBinaryMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := [][2][]int{
		{{1, 5, 7, 3}, {1, 5, 7, 3}},
		{{1}, {1}},
		{{2, 3, 5}, {1}},
		{{1}, {2, 3, 5}},
		{{1, 4, 4, 9}, {9}},
		{{9}, {1, 4, 4, 9}},
		{{1, 4, 4, 1}, {1, 1, 1, 1}},
		{{2, 3, 4, 5}, {1, 1, 4, 5}},
		{{1, 1, 4, 5}, {2, 3, 4, 5}},
		{{2, 3, 4, 5}, {2, 1, 4, 1}},
		{{3, 1}, {1, 4}},
		{{0, 4}, {4}},
	}
	acts := []tflite.ActivationFunctionType{tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeRELU6, tflite.ActivationFunctionTypeRELU_N1_TO_1}
	for _, op := range []tflite.BuiltinOperator{tflite.BuiltinOperatorADD, tflite.BuiltinOperatorSUB, tflite.BuiltinOperatorMUL} {
		for _, s := range shapes {
			for _, act := range acts {
				t.Run(fmt.Sprintf("%s/%v_%v_%s", op, s[0], s[1], act), func(t *testing.T) {
					fastCheck(t, rng, fastBinModel(op, s[0], s[1], act), binSetRef, 0)
				})
			}
		}
	}
}

func unarySetRef(k core.Kernel, ref bool) { k.(*unaryKernel).reference = ref }

// TestFastUnaryMatchesReference: the vectorised RELU family and HARD_SWISH
// against the reference loops, on lengths around the vector width and
// special values (NaN, ±Inf, ±0, the bounds).
func TestFastUnaryMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ops := []tflite.BuiltinOperator{tflite.BuiltinOperatorRELU, tflite.BuiltinOperatorRELU6, tflite.BuiltinOperatorRELU_N1_TO_1, tflite.BuiltinOperatorRELU_0_TO_1, tflite.BuiltinOperatorHARD_SWISH}
	for _, op := range ops {
		for _, shape := range [][]int{{1}, {7}, {8}, {9}, {2, 3, 5}, {1, 4, 4, 17}, {0}} {
			t.Run(fmt.Sprintf("%s/%v", op, shape), func(t *testing.T) {
				b := ewInternalModel(op, 1, []core.TensorType{core.Float32}, [][]int{shape}, core.Float32, shape, nil)
				fastCheck(t, rng, b, unarySetRef, 0)
			})
		}
	}
}

func poolSetRef(k core.Kernel, ref bool)   { k.(*poolKernel).reference = ref }
func resizeSetRef(k core.Kernel, ref bool) { k.(*resizeKernel).reference = ref }

// TestFastPoolMatchesReference: max and average pools with random shapes,
// windows, strides, paddings and activations.
func TestFastPoolMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	acts := []tflite.ActivationFunctionType{tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeRELU6}
	channels := []int{1, 3, 8, 9, 16, 17}
	for _, op := range []tflite.BuiltinOperator{tflite.BuiltinOperatorMAX_POOL_2D, tflite.BuiltinOperatorAVERAGE_POOL_2D} {
		for i := 0; i < 40; i++ {
			in := []int{1 + rng.IntN(2), 1 + rng.IntN(8), 1 + rng.IntN(8), channels[rng.IntN(len(channels))]}
			fh, fw, s := 1+rng.IntN(3), 1+rng.IntN(3), 1+rng.IntN(2)
			pad := tflite.PaddingSAME
			if rng.IntN(2) == 0 {
				pad = tflite.PaddingVALID
				in[1], in[2] = max(in[1], fh), max(in[2], fw)
			}
			act := acts[rng.IntN(len(acts))]
			t.Run(fmt.Sprintf("%s/%v_f%dx%d_s%d_%s_%s", op, in, fh, fw, s, pad, act), func(t *testing.T) {
				opts := &tflite.Pool2DOptionsT{Padding: pad, StrideW: int32(s), StrideH: int32(s), FilterWidth: int32(fw), FilterHeight: int32(fh), FusedActivationFunction: act}
				b := ewInternalModel(op, 1, []core.TensorType{core.Float32}, [][]int{in}, core.Float32, []int{1, 1, 1, in[3]}, opts)
				fastCheck(t, rng, b, poolSetRef, 0)
			})
		}
	}
}

// TestFastResizeBilinearMatchesReference: up- and downscaling with every
// TFLite coordinate mode (default, align_corners, half_pixel_centers).
func TestFastResizeBilinearMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 45; i++ {
		in := []int{1 + rng.IntN(2), 1 + rng.IntN(6), 1 + rng.IntN(6), []int{1, 3, 8, 11, 16}[rng.IntN(5)]}
		oh, ow := 1+rng.IntN(12), 1+rng.IntN(12)
		align, half := i%3 == 1, i%3 == 2
		t.Run(fmt.Sprintf("%v_to_%dx%d_align%v_half%v", in, oh, ow, align, half), func(t *testing.T) {
			b := modelbuilder.New()
			g := b.Main()
			x := g.Tensor("x", core.Float32, in)
			size := g.ConstInt32("size", []int{2}, []int32{int32(oh), int32(ow)})
			y := g.Tensor("y", core.Float32, []int{in[0], oh, ow, in[3]})
			g.Op(tflite.BuiltinOperatorRESIZE_BILINEAR, []int{x, size}, []int{y}, &tflite.ResizeBilinearOptionsT{AlignCorners: align, HalfPixelCenters: half})
			g.Inputs(x)
			g.Outputs(y)
			fastCheck(t, rng, b, resizeSetRef, 0)
		})
	}
}

// BenchmarkFastKernels times each fast path against its reference loop on
// MediaPipe-sized shapes (sub-benchmarks fast/ref).
func BenchmarkFastKernels(b *testing.B) {
	none, relu6 := tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU6
	cases := []struct {
		name   string
		model  *modelbuilder.Builder
		setRef func(core.Kernel, bool)
	}{
		{"dw3x3_s1_64x64x32", fastDWModel(core.Float32, []int{1, 64, 64, 32}, 3, 3, 1, 1, tflite.PaddingSAME, relu6, true), dwSetRef},
		{"dw5x5_s2_64x64x24", fastDWModel(core.Float32, []int{1, 64, 64, 24}, 5, 5, 1, 2, tflite.PaddingSAME, none, true), dwSetRef},
		{"dw3x3_int8_32x32x64", fastDWModel(core.Int8, []int{1, 32, 32, 64}, 3, 3, 1, 1, tflite.PaddingSAME, relu6, true), dwSetRef},
		{"add_64x64x32", fastBinModel(tflite.BuiltinOperatorADD, []int{1, 64, 64, 32}, []int{1, 64, 64, 32}, tflite.ActivationFunctionTypeRELU), binSetRef},
		{"mul_channel_64x64x32", fastBinModel(tflite.BuiltinOperatorMUL, []int{1, 64, 64, 32}, []int{32}, none), binSetRef},
		{"relu_64x64x32", ewInternalModel(tflite.BuiltinOperatorRELU, 1, []core.TensorType{core.Float32}, [][]int{{1, 64, 64, 32}}, core.Float32, []int{1, 64, 64, 32}, nil), unarySetRef},
		{"hardswish_64x64x32", ewInternalModel(tflite.BuiltinOperatorHARD_SWISH, 1, []core.TensorType{core.Float32}, [][]int{{1, 64, 64, 32}}, core.Float32, []int{1, 64, 64, 32}, nil), unarySetRef},
		{"maxpool2x2_112x112x16", ewInternalModel(tflite.BuiltinOperatorMAX_POOL_2D, 1, []core.TensorType{core.Float32}, [][]int{{1, 112, 112, 16}}, core.Float32, []int{1, 56, 56, 16},
			&tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 2, StrideH: 2, FilterWidth: 2, FilterHeight: 2}), poolSetRef},
		{"avgpool_global_64x64x16", ewInternalModel(tflite.BuiltinOperatorAVERAGE_POOL_2D, 1, []core.TensorType{core.Float32}, [][]int{{1, 64, 64, 16}}, core.Float32, []int{1, 1, 1, 16},
			&tflite.Pool2DOptionsT{Padding: tflite.PaddingVALID, StrideW: 64, StrideH: 64, FilterWidth: 64, FilterHeight: 64}), poolSetRef},
	}
	for _, c := range cases {
		for _, ref := range []bool{false, true} {
			name := c.name + "/fast"
			if ref {
				name = c.name + "/ref"
			}
			b.Run(name, func(b *testing.B) {
				h := newHarness(&testing.T{}, c.model)
				h.prepare(&testing.T{})
				fastRandomize(rand.New(rand.NewPCG(1, 1)), h)
				c.setRef(h.kernel, ref)
				for b.Loop() {
					if err := h.kernel.Eval(h.node); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func preluSetRef(k core.Kernel, ref bool) { k.(*ewBinaryKernel).reference = ref }

// TestFastPreluMatchesReference: per-channel, trailing-dimension and
// same-shape alphas, and ones that stay on the broadcast walk.
func TestFastPreluMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, s := range [][2][]int{
		{{1, 4, 4, 9}, {9}},
		{{1, 4, 4, 16}, {1, 1, 16}},
		{{1, 3, 5, 17}, {1, 3, 5, 17}},
		{{2, 3, 5, 4}, {5, 4}},
		{{1, 4, 4, 3}, {1}},
		{{2, 3, 4}, {3, 1}},
		{{1, 1, 1, 1}, {1}},
	} {
		t.Run(fmt.Sprintf("%v_%v", s[0], s[1]), func(t *testing.T) {
			b := ewInternalModel(tflite.BuiltinOperatorPRELU, 1, []core.TensorType{core.Float32, core.Float32}, s[:], core.Float32, s[0], nil)
			fastCheck(t, rng, b, preluSetRef, 0)
		})
	}
}

// TestFastLogisticMatchesReference: within 1e-6 of the largest output (the
// approximation's own bound, 3e-7 relative, is tested in package vec).
func TestFastLogisticMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, shape := range [][]int{{1}, {7}, {8}, {33}, {1, 16, 16, 3}} {
		t.Run(fmt.Sprint(shape), func(t *testing.T) {
			b := ewInternalModel(tflite.BuiltinOperatorLOGISTIC, 1, []core.TensorType{core.Float32}, [][]int{shape}, core.Float32, shape, nil)
			fastCheck(t, rng, b, unarySetRef, 1e-6)
		})
	}
}

// TestFastRowRangesSplit: the row-range entry points a thread pool will
// call give, split at every row, the output of one whole Eval.
func TestFastRowRangesSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	type splitCase struct {
		name  string
		model *modelbuilder.Builder
		rows  func(h *harness) int
		run   func(h *harness, r0, r1 int)
	}
	f32 := func(h *harness, i int) []float32 { return h.node.Inputs[i].Float32s() }
	cases := []splitCase{
		{"dw_f32", fastDWModel(core.Float32, []int{2, 7, 6, 11}, 3, 3, 1, 2, tflite.PaddingSAME, tflite.ActivationFunctionTypeRELU6, true),
			func(h *harness) int { k := h.kernel.(*depthwiseConv2DKernel); return k.batch * k.h.out },
			func(h *harness, r0, r1 int) {
				h.kernel.(*depthwiseConv2DKernel).dwFloatRows(f32(h, 0), f32(h, 1), f32(h, 2), h.node.Outputs[0].Float32s(), r0, r1)
			}},
		{"dw_int8", fastDWModel(core.Int8, []int{2, 7, 6, 11}, 3, 3, 1, 1, tflite.PaddingSAME, tflite.ActivationFunctionTypeNONE, true),
			func(h *harness) int { k := h.kernel.(*depthwiseConv2DKernel); return k.batch * k.h.out },
			func(h *harness, r0, r1 int) {
				h.kernel.(*depthwiseConv2DKernel).dwInt8Rows(h.node.Inputs[0].Int8s(), h.node.Inputs[1].Int8s(), h.node.Outputs[0].Int8s(), h.node.Inputs[2].Int32s(), r0, r1)
			}},
		{"avg_pool", ewInternalModel(tflite.BuiltinOperatorAVERAGE_POOL_2D, 1, []core.TensorType{core.Float32}, [][]int{{2, 7, 6, 9}}, core.Float32, []int{1, 1, 1, 9},
			&tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, FilterWidth: 3, FilterHeight: 3}),
			func(h *harness) int { k := h.kernel.(*poolKernel); return k.batches * k.outH },
			func(h *harness, r0, r1 int) {
				h.kernel.(*poolKernel).poolF32Rows(f32(h, 0), h.node.Outputs[0].Float32s(), r0, r1)
			}},
		{"add", fastBinModel(tflite.BuiltinOperatorADD, []int{2, 5, 9}, []int{9}, tflite.ActivationFunctionTypeRELU),
			func(h *harness) int { return 90 },
			func(h *harness, r0, r1 int) {
				k := h.kernel.(*binaryKernel)
				binF32Range(k.op, k.fast, f32(h, 0), f32(h, 1), h.node.Outputs[0].Float32s(), k.f32lo, k.f32hi, r0, r1)
			}},
		{"logistic", ewInternalModel(tflite.BuiltinOperatorLOGISTIC, 1, []core.TensorType{core.Float32}, [][]int{{37}}, core.Float32, []int{37}, nil),
			func(h *harness) int { return 37 },
			func(h *harness, r0, r1 int) {
				h.kernel.(*unaryKernel).unaryF32Range(f32(h, 0), h.node.Outputs[0].Float32s(), r0, r1)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.model)
			h.prepare(t)
			fastRandomize(rng, h)
			h.eval(t)
			out := h.node.Outputs[0].Bytes()
			want := append([]byte(nil), out...)
			n := c.rows(h)
			for split := 0; split <= n; split++ {
				clear(out)
				c.run(h, split, n)
				c.run(h, 0, split)
				fastSameBytes(t, h.node.Outputs[0].Type(), want, out, "split at %d of %d", split, n)
			}
		})
	}
	// The resize kernel's rows, with a size input that is a constant.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3, 4, 10})
	size := g.ConstInt32("size", []int{2}, []int32{7, 5})
	y := g.Tensor("y", core.Float32, []int{2, 7, 5, 10})
	g.Op(tflite.BuiltinOperatorRESIZE_BILINEAR, []int{x, size}, []int{y}, &tflite.ResizeBilinearOptionsT{HalfPixelCenters: true})
	g.Inputs(x)
	g.Outputs(y)
	h := newHarness(t, b)
	h.prepare(t)
	fastRandomize(rng, h)
	h.eval(t)
	want := append([]byte(nil), h.node.Outputs[0].Bytes()...)
	for split := 0; split <= 14; split++ {
		got := h.node.Outputs[0].Float32s()
		clear(got)
		k := h.kernel.(*resizeKernel)
		k.bilinearF32Rows(f32(h, 0), got, split, 14)
		k.bilinearF32Rows(f32(h, 0), got, 0, split)
		fastSameBytes(t, core.Float32, want, h.node.Outputs[0].Bytes(), "split at %d", split)
	}
}

// TestDWInt8RequantChunks: the int8 fast path's output stage, on any
// channel chunk, equals qconvParams.requant channel by channel, the NEON
// blocks' half-up rounding included (exact halves are forced by the
// power-of-two multipliers).
func TestDWInt8RequantChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	const c = 203
	p := &qconvParams{inType: core.Int8, mult: make([]int32, c), shift: make([]int, c), actMin: -128, actMax: 127, outOffset: -3}
	for i := range p.mult {
		if i%2 == 0 {
			p.mult[i], p.shift[i] = 1<<30, -4-rng.IntN(4) // exactly 2^-k
		} else {
			p.mult[i], p.shift[i] = quantizeMultiplier(0.001 + rng.Float64()*0.05)
		}
	}
	p.setRounding(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, c)
	require.Equal(t, 200, p.neonChannels)
	rq := vec.NewRequantI8(p.mult, p.shift)
	for it := 0; it < 200; it++ {
		c0 := rng.IntN(c)
		n := 1 + rng.IntN(c-c0)
		acc := make([]int32, n)
		for i := range acc {
			acc[i] = int32(rng.IntN(1<<14) - 1<<13)
			if rng.IntN(2) == 0 {
				acc[i] = acc[i]&^255 | 128 // a half at shifts up to 8
			}
		}
		y := make([]int8, n)
		dwInt8Requant(p, acc, y, c0)
		for i := range y {
			require.Equal(t, int8(p.requant(int64(acc[i]), c0+i)), y[i], "channel %d, accumulator %d", c0+i, acc[i])
		}
		// The output stage as the kernel runs it, vector loop included
		// (whole chunks start at multiples of 8).
		c0 &^= 7
		n = min(n, c-c0)
		y = y[:n]
		dwInt8Output(p, &rq, acc[:n], y, c0)
		for i := range y {
			require.Equal(t, int8(p.requant(int64(acc[i]), c0+i)), y[i], "vector: channel %d, accumulator %d", c0+i, acc[i])
		}
	}
}

// fastSameBytes requires equal outputs: the same bytes, except that float32
// NaNs match whatever their payload.
func fastSameBytes(t *testing.T, typ core.TensorType, want, got []byte, msg string, args ...any) {
	t.Helper()
	if typ != core.Float32 {
		require.Equal(t, want, got, append([]any{msg}, args...)...)
		return
	}
	w, g := fastF32s(want), fastF32s(got)
	require.Len(t, g, len(w))
	for i := range w {
		if math.Float32bits(w[i]) != math.Float32bits(g[i]) && !(w[i] != w[i] && g[i] != g[i]) {
			t.Fatalf("element %d: %v, want %v (%s)", i, g[i], w[i], fmt.Sprintf(msg, args...))
		}
	}
}
