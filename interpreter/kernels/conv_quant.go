package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// This file holds the quantized (uint8, int8, int16x8) arithmetic shared by
// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, following TFLite's
// reference kernels (reference_ops.h for uint8, reference_integer_ops for
// int8 and int16): accumulate (input + input_offset) * (filter +
// filter_offset) over the window, add the int32 (int64 for 16x8) bias,
// requantize with MultiplyByQuantizedMultiplier and the output channel's
// multiplier, add the output zero point and clamp to the fused
// activation's quantized range.
//
// The requantization rounds as TFLite's builtin (optimized) kernels do,
// which is not always the reference kernels' double rounding; see
// qconvRounding. Those kernels are what TFLite runs on ARM, and on x86 too:
// TFLite defines USE_NEON there whenever SSE4.1 is on and emulates NEON
// with NEON_2_SSE, so the reference outputs of a native x86 build
// (../shared/reference/coral) come from the same code paths.

// qconvElem is the element types of quantized activations and weights.
type qconvElem interface{ ~int8 | ~uint8 | ~int16 }

// qconvRounding is how a kernel's requantization rounds.
type qconvRounding uint8

const (
	// qconvRoundReference is MultiplyByQuantizedMultiplier: the saturating
	// rounding doubling high multiply, then a right shift rounding half
	// away from zero (reference kernels, gemmlowp's uint8 GEMM).
	qconvRoundReference qconvRounding = iota
	// qconvRoundHalfUp is the saturating rounding doubling high multiply,
	// then a right shift rounding half up (vqrdmulh + vrshl on ARM): ruy's
	// requantization in its ARM and x86 kernels, which TFLite's optimized
	// int8 CONV_2D and FULLY_CONNECTED reach through cpu_backend_gemm.
	// (ruy's portable C++ path rounds once instead, as the wasm oracle
	// shows; measured on tf2_mobilenet_v2_1.0_224_ptq: the native x86
	// reference needs this rounding, single rounding leaves 6 outputs off.)
	qconvRoundHalfUp
	// qconvRoundNeonQuantize is optimized_ops::Quantize, the output stage
	// of TFLite's optimized int8 DEPTHWISE_CONV_2D: output channels in
	// whole blocks of 8 take the NEON path (vqrdmulhq, then vrshlq: the
	// right shift rounds half up), the remaining channels the scalar
	// MultiplyByQuantizedMultiplier.
	qconvRoundNeonQuantize
)

// qconvParams is what Prepare derives for a quantized kernel.
type qconvParams struct {
	inType              core.TensorType
	inOffset, filterOff int32
	outOffset           int32
	mult                []int32 // per output channel
	shift               []int   // per output channel (positive: left)
	actMin, actMax      int32
	wide                bool // 16x8: int64 accumulator and requantization
	bias32              bool // int32 bias
	bias64              bool // int64 bias
	usesFilterZeroPoint bool
	filterChannels      int
	rounding            qconvRounding
	neonChannels        int // qconvRoundNeonQuantize: channels [0, neonChannels) round half up
}

// setRounding selects the requantization rounding of TFLite's builtin kernel
// for op; only its int8 kernels round differently from the reference.
func (p *qconvParams) setRounding(op tflite.BuiltinOperator, outCh int) {
	if p.inType != core.Int8 {
		return
	}
	switch op {
	case tflite.BuiltinOperatorCONV_2D, tflite.BuiltinOperatorFULLY_CONNECTED:
		p.rounding = qconvRoundHalfUp
	case tflite.BuiltinOperatorDEPTHWISE_CONV_2D:
		p.rounding = qconvRoundNeonQuantize
		p.neonChannels = outCh / 8 * 8
	}
}

// qconvActivationRange is TFLite's CalculateActivationRangeQuantized: the
// fused activation's bounds quantized with the output's scale and zero point
// (TfLiteRound(f / scale) in float), within the type's range. Other
// activations than RELU, RELU6 and RELU_N1_TO_1 leave the type's range.
func qconvActivationRange(act tflite.ActivationFunctionType, t core.TensorType, scale float32, zp int32) (lo, hi int32) {
	l, h := intRange(t)
	lo, hi = int32(l), int32(h)
	q := func(f float32) int32 {
		return zp + int32(float32(math.Round(float64(f/scale))))
	}
	switch act {
	case tflite.ActivationFunctionTypeRELU:
		lo = max(lo, q(0))
	case tflite.ActivationFunctionTypeRELU6:
		lo = max(lo, q(0))
		hi = min(hi, q(6))
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		lo = max(lo, q(-1))
		hi = min(hi, q(1))
	}
	return lo, hi
}

// qconvMultiplyByQuantizedMultiplier64 is TFLite's
// MultiplyByQuantizedMultiplier for an int64 accumulator (the 16x8
// kernels): the multiplier reduced to 16 bits, one rounding shift.
func qconvMultiplyByQuantizedMultiplier64(x int64, q int32, shift int) int32 {
	reduced := int64(0x7FFF)
	if q < 0x7FFF0000 {
		reduced = int64((q + 1<<15) >> 16)
	}
	total := 15 - shift
	x = x*reduced + int64(1)<<(total-1)
	return int32(x >> total)
}

// qconvPrepare derives a quantized kernel's parameters: in is the input,
// filter the weights whose quantized dimension axis holds the outCh output
// channels (per-channel int8 weights), bias the optional bias and out the
// output. filterZP says whether the kernel subtracts the filter's zero
// point (uint8 always; int8 fully connected per-tensor).
func qconvPrepare(n *core.Node, in, filter, bias, out *core.Tensor, outCh, axis int, act tflite.ActivationFunctionType, filterZP bool) (*qconvParams, error) {
	p := &qconvParams{inType: in.Type(), usesFilterZeroPoint: filterZP}
	switch in.Type() {
	case core.Uint8:
		if filter.Type() != core.Uint8 {
			return nil, n.Errorf("%s filter with UINT8 input is not supported", filter.Type())
		}
	case core.Int8:
		if filter.Type() != core.Int8 {
			return nil, n.Errorf("%s filter with INT8 input is not supported", filter.Type())
		}
	case core.Int16:
		if filter.Type() != core.Int8 {
			return nil, n.Errorf("%s filter with INT16 input is not supported (16x8 needs INT8 weights)", filter.Type())
		}
		p.wide = true
	default:
		return nil, n.Errorf("%s input is not supported", in.Type())
	}
	if out.Type() != in.Type() {
		return nil, n.Errorf("%s output with %s input is not supported", out.Type(), in.Type())
	}
	if bias != nil {
		switch {
		case bias.Type() == core.Int32:
			p.bias32 = true
		case bias.Type() == core.Int64 && p.wide:
			p.bias64 = true
		default:
			return nil, n.Errorf("%s bias with %s input is not supported", bias.Type(), in.Type())
		}
	}
	inQ, err := readQuantParams(in, in.Shape())
	if err != nil {
		return nil, n.Errorf("%v", err)
	}
	outQ, err := readQuantParams(out, nil)
	if err != nil {
		return nil, n.Errorf("%v", err)
	}
	fq := filter.Quantization()
	if !fq.IsQuantized() {
		return nil, n.Errorf("filter has no quantization parameters")
	}
	if inQ.perChannel || len(out.Quantization().Scale) != 1 {
		return nil, n.Errorf("input and output must be quantized per tensor")
	}
	nScales := len(fq.Scale)
	if nScales != 1 {
		if in.Type() == core.Uint8 {
			return nil, n.Errorf("per-channel UINT8 filter is not supported")
		}
		if nScales != outCh || fq.QuantizedDimension != axis {
			return nil, n.Errorf("filter has %d scales along dimension %d for %d output channels along dimension %d", nScales, fq.QuantizedDimension, outCh, axis)
		}
	}
	inScale, outScale := float64(inQ.scales[0]), float64(outQ.scales[0])
	if outScale <= 0 || math.IsNaN(outScale) {
		return nil, n.Errorf("invalid output scale %g", outScale)
	}
	if p.wide && (inQ.zeroPoints[0] != 0 || outQ.zeroPoints[0] != 0) {
		return nil, n.Errorf("INT16 input and output must have zero points 0")
	}
	p.inOffset = -inQ.zeroPoints[0]
	p.outOffset = outQ.zeroPoints[0]
	if filterZP {
		if len(fq.ZeroPoint) > 0 {
			zp := fq.ZeroPoint[0]
			if zp < math.MinInt32 || zp > math.MaxInt32 {
				return nil, n.Errorf("filter zero point %d out of range", zp)
			}
			p.filterOff = -int32(zp)
		}
	}
	p.mult = make([]int32, outCh)
	p.shift = make([]int, outCh)
	for c := range outCh {
		s := fq.Scale[0]
		if nScales > 1 {
			s = fq.Scale[c]
		}
		// PopulateConvolutionQuantizationParams: (input * filter) / output
		// in double.
		real := inScale * float64(s) / outScale
		if real < 0 || math.IsNaN(real) || math.IsInf(real, 0) {
			return nil, n.Errorf("invalid effective scale %g for channel %d", real, c)
		}
		p.mult[c], p.shift[c] = quantizeMultiplier(real)
		if p.wide && p.shift[c] > 14 {
			return nil, n.Errorf("effective scale %g of channel %d is too large for the 16x8 kernel", real, c)
		}
	}
	p.actMin, p.actMax = qconvActivationRange(act, out.Type(), outQ.scales[0], outQ.zeroPoints[0])
	return p, nil
}

// requant scales output channel c's accumulator to the output.
func (p *qconvParams) requant(acc int64, c int) int32 {
	var v int32
	if p.wide {
		v = qconvMultiplyByQuantizedMultiplier64(acc, p.mult[c], p.shift[c])
	} else {
		// TFLite's int32 accumulator: wraps as C's would.
		switch {
		case p.rounding == qconvRoundHalfUp || (p.rounding == qconvRoundNeonQuantize && c < p.neonChannels):
			v = multiplyByQuantizedMultiplierNeon(int32(acc), p.mult[c], p.shift[c])
		default:
			v = multiplyByQuantizedMultiplier(int32(acc), p.mult[c], p.shift[c])
		}
	}
	v += p.outOffset
	if v < p.actMin {
		v = p.actMin
	}
	if v > p.actMax {
		v = p.actMax
	}
	return v
}

// biasAt returns output channel c's bias (0 without one).
func (p *qconvParams) biasAt(b32 []int32, b64 []int64, c int) int64 {
	switch {
	case b32 != nil:
		return int64(b32[c])
	case b64 != nil:
		return b64[c]
	}
	return 0
}

// qconvBias returns the bias storage of a quantized kernel, checking its
// length.
func qconvBias(p *qconvParams, bias *core.Tensor, outCh int) (b32 []int32, b64 []int64, ok bool) {
	switch {
	case p.bias32:
		b32 = bias.Int32s()
		return b32, nil, len(b32) >= outCh
	case p.bias64:
		b64 = bias.Int64s()
		return nil, b64, len(b64) >= outCh
	}
	return nil, nil, true
}

// qconvConvLoop is the quantized CONV_2D loop (TFLite's reference Conv and
// ConvPerChannel, grouped convolution included).
func qconvConvLoop[X, W qconvElem](k *conv2DKernel, p *qconvParams, x []X, f []W, y []X, b32 []int32, b64 []int64) {
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	fic := k.filterInCh
	fstride := kh * kw * fic
	inOff, fOff := int64(p.inOffset), int64(p.filterOff)
	o := 0
	for bt := 0; bt < k.batch; bt++ {
		xb := x[bt*inH*inW*k.inCh:]
		for oy := 0; oy < k.h.out; oy++ {
			y0 := oy*k.h.stride - k.h.pad
			for ox := 0; ox < k.w.out; ox++ {
				x0 := ox*k.w.stride - k.w.pad
				for oc := 0; oc < k.outCh; oc++ {
					g := oc / k.perGroup
					var acc int64
					for fy := 0; fy < kh; fy++ {
						iy := y0 + fy*k.h.dilation
						if iy < 0 || iy >= inH {
							continue
						}
						for fx := 0; fx < kw; fx++ {
							ix := x0 + fx*k.w.dilation
							if ix < 0 || ix >= inW {
								continue
							}
							xs := xb[(iy*inW+ix)*k.inCh+g*fic:][:fic]
							fs := f[oc*fstride+(fy*kw+fx)*fic:][:len(xs)]
							for c, v := range xs {
								acc += (int64(v) + inOff) * (int64(fs[c]) + fOff)
							}
						}
					}
					acc += p.biasAt(b32, b64, oc)
					y[o] = X(p.requant(acc, oc))
					o++
				}
			}
		}
	}
}

// qconvDepthwiseLoop is the quantized DEPTHWISE_CONV_2D loop (TFLite's
// reference DepthwiseConv and DepthwiseConvPerChannel).
func qconvDepthwiseLoop[X, W qconvElem](k *depthwiseConv2DKernel, p *qconvParams, x []X, f []W, y []X, b32 []int32, b64 []int64) {
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	oc := k.outCh
	inOff, fOff := int64(p.inOffset), int64(p.filterOff)
	o := 0
	for bt := 0; bt < k.batch; bt++ {
		xb := x[bt*inH*inW*k.inCh:]
		for oy := 0; oy < k.h.out; oy++ {
			y0 := oy*k.h.stride - k.h.pad
			for ox := 0; ox < k.w.out; ox++ {
				x0 := ox*k.w.stride - k.w.pad
				for c := 0; c < oc; c++ {
					ic := c / k.mult
					var acc int64
					for fy := 0; fy < kh; fy++ {
						iy := y0 + fy*k.h.dilation
						if iy < 0 || iy >= inH {
							continue
						}
						for fx := 0; fx < kw; fx++ {
							ix := x0 + fx*k.w.dilation
							if ix < 0 || ix >= inW {
								continue
							}
							acc += (int64(xb[(iy*inW+ix)*k.inCh+ic]) + inOff) * (int64(f[(fy*kw+fx)*oc+c]) + fOff)
						}
					}
					acc += p.biasAt(b32, b64, c)
					y[o+c] = X(p.requant(acc, c))
				}
				o += oc
			}
		}
	}
}

// qconvFullyConnectedLoop is the quantized FULLY_CONNECTED loop (TFLite's
// reference FullyConnected and FullyConnectedPerChannel).
func qconvFullyConnectedLoop[X, W qconvElem](k *fullyConnectedKernel, p *qconvParams, x []X, w []W, y []X, b32 []int32, b64 []int64) {
	inOff, fOff := int64(p.inOffset), int64(p.filterOff)
	for i := 0; i < k.batch; i++ {
		row := x[i*k.inSize : (i+1)*k.inSize]
		dst := y[i*k.units : (i+1)*k.units]
		for u := range dst {
			wrow := w[u*k.inSize:][:len(row)]
			var acc int64
			for d, v := range row {
				acc += (int64(v) + inOff) * (int64(wrow[d]) + fOff)
			}
			acc += p.biasAt(b32, b64, u)
			dst[u] = X(p.requant(acc, u))
		}
	}
}
