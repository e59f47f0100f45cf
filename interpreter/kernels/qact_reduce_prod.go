package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// Quantized REDUCE_PROD (int8 and int16, version 2) as TFLite's reduce.cc
// PrepareProd/EvalQuantizedProd compute it: every product step is rescaled
// by s = input_scale / output_scale^(1/n), n the number of reduced
// elements (input size / output size), so that n rescalings give
// input_scale^n / output_scale. Per output, in input order: the first
// value minus the zero point, then MultiplyByQuantizedMultiplier (int64
// overload) of current*(value - zero point); finally one more rescaling,
// plus the output zero point, saturated.

// qactPrepareProd checks the quantization of quantized REDUCE_PROD.
func (k *reduceKernel) qactPrepareProd(n *core.Node, in, out *core.Tensor) error {
	if k.typ == core.Uint8 {
		return n.Errorf("UINT8 input is not supported (TFLite's quantized REDUCE_PROD takes INT8 and INT16)")
	}
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
	k.quant = true
	return nil
}

// qactProdScaling is GetQuantProdScaling and QuantizeMultiplier for the
// current shapes; TFLite leaves empty tensors alone.
func (k *reduceKernel) qactProdScaling(n *core.Node) error {
	inElems := numElements(k.inShape)
	if inElems == 0 || k.outElems == 0 {
		return nil
	}
	count := inElems / k.outElems
	s := float64(k.inScale) / math.Pow(float64(k.outScale), 1/float64(count))
	k.qmult, k.qshift = quantizeMultiplier(s)
	if k.qshift > 14 {
		// TFLite's int64 MultiplyByQuantizedMultiplier shifts right by
		// 15-shift, which must stay positive.
		return n.Errorf("REDUCE_PROD rescaling %g is out of TFLite's range", s)
	}
	return nil
}

// qactReduceProd runs quantized REDUCE_PROD; acc holds each output's
// running product, math.MinInt64 until its first value.
func qactReduceProd[T ~int8 | ~int16](k *reduceKernel, n *core.Node, src, dst []T) error {
	inElems := numElements(k.inShape)
	if len(src) < inElems || len(dst) < k.outElems || len(k.acc) < k.outElems {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if inElems == 0 {
		return nil
	}
	src, dst = src[:inElems], dst[:k.outElems]
	acc := k.acc[:k.outElems]
	for i := range acc {
		acc[i] = math.MinInt64
	}
	zp, mul, shift := int64(k.inZP), k.qmult, k.qshift
	step := func(a *int64, v T) {
		if *a == math.MinInt64 {
			*a = int64(v) - zp
			return
		}
		*a = int64(spMultiplyByQuantizedMultiplier64(int64(int32(*a))*(int64(v)-zp), mul, shift))
	}
	k.resetIndex()
	w := k.outerWidth()
	o := 0
	for i := 0; i < len(src); i += k.inner {
		span, a := src[i:i+k.inner], acc[o:o+w]
		for j, v := range span {
			if k.innerReduced {
				step(&a[0], v)
			} else {
				step(&a[j], v)
			}
		}
		o += k.next()
	}
	lo, hi := intRange(k.typ)
	for i, a := range acc {
		r := int64(spMultiplyByQuantizedMultiplier64(int64(int32(a)), mul, shift)) + int64(k.outZP)
		dst[i] = T(min(max(r, lo), hi))
	}
	return nil
}
