package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// Quantized MEAN, SUM, REDUCE_MAX and REDUCE_MIN (UINT8, INT8, INT16) as
// TFLite's reduce.cc computes them with the kernels its builtin resolver
// registers (MEAN: Register_MEAN_OPT, which every USE_NEON build gets: ARM,
// and x86 with SSE4.1 through NEON_2_SSE; SUM and REDUCE_MAX/MIN: the
// generic optimized ones, whose arithmetic equals the reference's here):
//
// MEAN, in this order of precedence:
//   - UINT8 and INT8 only, keep_dims, rank 4 and the axis input exactly
//     {1, 2} or {2, 1}: optimized_ops::Mean / optimized_integer_ops::Mean
//     (sum of stored values times a multiplier for
//     input_scale/(count*output_scale) computed in float32, plus a float
//     bias: rounded for UINT8, truncated for INT8; channels in whole
//     blocks of 16 round the shift half up, see spMeanInt8); INT16 never
//     takes this path (the oracle's builtin INT16 MEAN over height and
//     width with equal parameters truncates: the next path);
//   - equal input and output scale and zero point: the sum of the stored
//     values divided by the count, truncated toward zero;
//   - otherwise QuantizedMeanOrSum in float32: round(sum/count*s + b) + zp.
//
// SUM of 8-bit types with differing parameters: round(sum*s + b) + zp in
// float32, converted to the type without saturation (as TFLite's cast);
// otherwise (equal parameters, or INT16 whatever its scales) the stored
// values added in the element type, wrapping. REDUCE_MAX/MIN pick stored
// values and require equal parameters. INT16 zero points must be 0.

func (k *reduceKernel) spPrepareQuant(n *core.Node, in, out *core.Tensor) error {
	var err error
	if k.inScale, k.inZP, err = spPerTensor(n, in); err != nil {
		return err
	}
	if k.outScale, k.outZP, err = spPerTensor(n, out); err != nil {
		return err
	}
	if k.typ == core.Int16 && (k.inZP != 0 || k.outZP != 0) {
		return n.Errorf("INT16 zero points must be 0 (input %d, output %d)", k.inZP, k.outZP)
	}
	// TFLite's generic path (REDUCE_MAX/MIN, and SUM but for 8-bit
	// rescaling) fails on differing parameters.
	generic := k.op == reduceMax || k.op == reduceMin || (k.op == reduceSum && k.typ == core.Int16)
	if generic && (k.inScale != k.outScale || k.inZP != k.outZP) {
		return n.Errorf("input scale %g and zero point %d differ from the output's %g and %d", k.inScale, k.inZP, k.outScale, k.outZP)
	}
	k.rawAxes = make([]int, 0, max(n.Inputs[1].NumElements(), 2))
	k.quant = true
	return nil
}

// spMean4D reports whether TFLite takes its special 4-D mean over height
// and width: keep_dims, rank 4, and the axis values exactly {1,2} or {2,1}
// as given (negative spellings do not count).
func (k *reduceKernel) spMean4D(n *core.Node) bool {
	if !k.keepDims || len(k.inShape) != 4 {
		return false
	}
	ax, ok := spatialInts(n.Inputs[1], k.rawAxes[:0])
	k.rawAxes = ax[:0]
	if !ok || len(ax) != 2 {
		return false
	}
	return (ax[0] == 1 && ax[1] == 2) || (ax[0] == 2 && ax[1] == 1)
}

func spReduceQuant[T spInt](k *reduceKernel, n *core.Node, src, dst []T, inElems int) error {
	if len(src) < inElems || len(dst) < k.outElems {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	src, dst = src[:inElems], dst[:k.outElems]
	lo, hi := intRange(k.typ)
	if inElems == 0 {
		var init int64
		switch k.op {
		case reduceMax:
			init = lo
		case reduceMin:
			init = hi
		}
		for i := range dst {
			dst[i] = T(init)
		}
		return nil
	}
	if len(k.acc) < len(dst) {
		return n.Errorf("accumulator does not match the prepared shapes")
	}
	acc := k.acc[:len(dst)]
	var init int64
	switch k.op {
	case reduceMax:
		init = lo
	case reduceMin:
		init = hi
	}
	for i := range acc {
		acc[i] = init
	}
	k.resetIndex()
	w := k.outerWidth()
	o := 0
	for i := 0; i < len(src); i += k.inner {
		span, a := src[i:i+k.inner], acc[o:o+w]
		for j, v := range span {
			x := &a[0]
			if !k.innerReduced {
				x = &a[j]
			}
			switch k.op {
			case reduceMax:
				*x = max(*x, int64(v))
			case reduceMin:
				*x = min(*x, int64(v))
			default:
				*x += int64(v)
			}
		}
		o += k.next()
	}
	count := int64(k.count)
	switch k.op {
	case reduceMax, reduceMin:
		for i, v := range acc {
			dst[i] = T(v)
		}
	case reduceSum:
		eight := k.typ != core.Int16
		if !eight || (k.inScale == k.outScale && k.inZP == k.outZP) {
			// Added in the element type: wraps as TFLite's T sum does.
			for i, v := range acc {
				dst[i] = T(v)
			}
			return nil
		}
		scale := k.inScale / k.outScale
		bias := float32(float32(-k.inZP)*scale) * float32(count)
		for i, v := range acc {
			r := float32(float32(int32(v))*scale) + bias
			dst[i] = T(int32(math.Round(float64(r))) + k.outZP)
		}
	case reduceMean:
		switch {
		case k.mean4D:
			spMean4D(k, acc, dst)
		case k.inScale == k.outScale && k.inZP == k.outZP:
			for i, v := range acc {
				dst[i] = T(int32(v) / int32(count))
			}
		default:
			scale := k.inScale / k.outScale
			bias := float32(-k.inZP) * scale
			for i, v := range acc {
				mean := float32(int32(v)) / float32(count)
				r := float32(math.Round(float64(float32(mean*scale) + bias)))
				r += float32(k.outZP)
				r = min(r, float32(hi))
				r = max(r, float32(lo))
				dst[i] = T(int32(r))
			}
		}
	}
	return nil
}

// spPrepareMean derives the quantized MEAN's parameters once the reduced
// shape is known (Prepare, or Eval for a run-time axis): whether TFLite
// takes the 4-D height/width path (spMean4D) and, for it, the multiplier
// for input_scale/(count*output_scale) computed in float32 and the bias
// that carries the zero points.
//
// UINT8 follows reference_ops::Mean / optimized_ops::Mean (bias rounded
// half away from zero); INT8 follows optimized_integer_ops::Mean, the MEAN_OPT
// kernel TFLite's builtin resolver registers wherever USE_NEON is defined:
// on ARM, and on x86 with SSE4.1 through NEON_2_SSE (measured: the native
// x86 reference of tf2_mobilenet_v2_1.0_224_ptq needs it), whose bias is
// truncated toward zero.
func (k *reduceKernel) spPrepareMean(n *core.Node) {
	k.mean4D = k.typ != core.Int16 && k.spMean4D(n)
	if !k.mean4D {
		return
	}
	zpScaled := float32(float32(k.inZP)*k.inScale) / k.outScale
	if k.typ == core.Uint8 {
		if zpScaled > 0 {
			zpScaled += 0.5
		} else {
			zpScaled -= 0.5
		}
	}
	k.meanBias = k.outZP - int32(zpScaled)
	realScale := k.inScale / (float32(k.count) * k.outScale)
	k.qmult, k.qshift = quantizeMultiplier(float64(realScale))
}

// spMean4D is the 8-bit mean over height and width with spPrepareMean's
// parameters: the raw sum times the multiplier plus the bias. INT8
// channels in whole blocks of 16 take MEAN_OPT's NEON path, whose right
// shift rounds half up; the rest (and all UINT8 sums, which are never
// negative, so both roundings agree) the scalar MultiplyByQuantizedMultiplier.
func spMean4D[T spInt](k *reduceKernel, acc []int64, dst []T) {
	lo, hi := intRange(k.typ)
	depth := k.inShape[3]
	neon := 0
	if k.typ == core.Int8 {
		neon = depth / 16 * 16
	}
	for i, v := range acc {
		var a int32
		if i%depth < neon {
			a = multiplyByQuantizedMultiplierNeon(int32(v), k.qmult, k.qshift)
		} else {
			a = multiplyByQuantizedMultiplier(int32(v), k.qmult, k.qshift)
		}
		a += k.meanBias
		dst[i] = T(min(max(int64(a), lo), hi))
	}
}
