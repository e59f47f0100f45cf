package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// dequantizeKernel implements DEQUANTIZE as TFLite's dequantize.h does:
// FLOAT16 to FLOAT32, and UINT8, INT8 and INT16 to FLOAT32 as
// scale * (q - zero_point), per tensor or (UINT8 and INT8) per channel.
type dequantizeKernel struct {
	typ   core.TensorType
	qp    quantParams
	n     int
	ready bool
}

func newDequantize(n *core.Node) (core.Kernel, error) { return &dequantizeKernel{}, nil }

// Foldable implements core.Folder: dequantizing constant weights is done
// once, in AllocateTensors.
func (k *dequantizeKernel) Foldable(*core.Node) bool { return true }

// Prepare implements core.Kernel.
func (k *dequantizeKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if out.Type() != core.Float32 {
		return n.Errorf("output is %s; DEQUANTIZE produces FLOAT32", out.Type())
	}
	k.typ = in.Type()
	k.qp = quantParams{}
	switch k.typ {
	case core.Float16:
	case core.Uint8, core.Int8, core.Int16:
		if k.qp, err = readQuantParams(in, in.Shape()); err != nil {
			return n.Errorf("input: %v", err)
		}
		// TFLite's PerChannelDequantizeImpl handles only 8-bit types.
		if k.qp.perChannel && k.typ == core.Int16 {
			return n.Errorf("per-channel dequantization of INT16 is not supported (TFLite supports it for UINT8 and INT8 only)")
		}
		// INT16 is symmetric: dequantize.cc requires zero point 0.
		if k.typ == core.Int16 && k.qp.zeroPoints[0] != 0 {
			return n.Errorf("INT16 input has zero point %d; it must be 0", k.qp.zeroPoints[0])
		}
	case core.Int4:
		return n.Errorf("INT4 input is not supported yet")
	default:
		return n.Errorf("%s input is not supported; DEQUANTIZE takes FLOAT16, UINT8, INT8 or INT16", k.typ)
	}
	k.n = in.NumElements()
	out.SetShape(in.Shape())
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *dequantizeKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in := n.Inputs[0]
	dst := n.Outputs[0].Float32s()
	if len(dst) < k.n {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	dst = dst[:k.n]
	switch k.typ {
	case core.Float16:
		src := in.Float16s()
		if len(src) < k.n {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		for i := range dst {
			dst[i] = core.Float16ToFloat32(src[i])
		}
		return nil
	case core.Uint8:
		return dequantize(n, &k.qp, in.Uint8s(), dst)
	case core.Int8:
		return dequantize(n, &k.qp, in.Int8s(), dst)
	case core.Int16:
		return dequantize(n, &k.qp, in.Int16s(), dst)
	}
	return n.Errorf("kernel was not prepared")
}

type quantInt interface {
	~int8 | ~uint8 | ~int16 | ~int32
}

func dequantize[T quantInt](n *core.Node, qp *quantParams, src []T, dst []float32) error {
	if len(src) < len(dst) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if !qp.perChannel {
		// reference_ops::Dequantize multiplies in double and rounds once
		// to float.
		scale, zp := float64(qp.scales[0]), qp.zeroPoints[0]
		for i := range dst {
			dst[i] = float32(scale * float64(int32(src[i])-zp))
		}
		return nil
	}
	// reference_ops::PerChannelDequantize multiplies in float. (Both give
	// the same float: the exact product is rounded once either way.)
	p := qp.plan
	i := 0
	for o := 0; o < p.outer; o++ {
		for c := 0; c < p.channels; c++ {
			scale, zp := qp.scales[c], qp.zeroPoints[c]
			for j := 0; j < p.inner; j++ {
				dst[i] = scale * float32(int32(src[i])-zp)
				i++
			}
		}
	}
	return nil
}

// quantizeKernel implements QUANTIZE as TFLite's quantize.cc does: FLOAT32
// to UINT8, INT8 or INT16, per tensor or per channel (see quantizeFloat
// for the rounding), and requantization between integer types with
// reference_ops::Requantize.
type quantizeKernel struct {
	inType, outType core.TensorType
	n               int
	// Float input.
	qp     quantParams
	lo, hi int64
	// Integer input (requantization).
	mult        int32
	shift       int
	inZP, outZP int32
	ready       bool
}

func newQuantize(n *core.Node) (core.Kernel, error) { return &quantizeKernel{}, nil }

// Prepare implements core.Kernel.
func (k *quantizeKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	k.inType, k.outType = in.Type(), out.Type()
	if k.inType == core.Int4 || k.outType == core.Int4 {
		return n.Errorf("INT4 quantization is not supported yet")
	}
	k.qp, err = readQuantParams(out, in.Shape())
	if err != nil {
		return n.Errorf("output: %v", err)
	}
	k.lo, k.hi = intRange(k.outType)
	if k.inType == core.Float32 {
		if !isQuantizedInt(k.outType) {
			return n.Errorf("FLOAT32 to %s is not supported; QUANTIZE produces UINT8, INT8 or INT16", k.outType)
		}
	} else {
		if err := k.prepareRequantize(n, in); err != nil {
			return err
		}
	}
	k.n = in.NumElements()
	out.SetShape(in.Shape())
	k.ready = true
	return nil
}

// prepareRequantize checks the integer-to-integer cases quantize.cc
// supports and computes the rescaling multiplier as it does.
func (k *quantizeKernel) prepareRequantize(n *core.Node, in *core.Tensor) error {
	ok := false
	switch k.inType {
	case core.Int8, core.Uint8:
		ok = k.outType == core.Int8 || k.outType == core.Uint8
	case core.Int16:
		ok = k.outType == core.Int8 || k.outType == core.Int16 || k.outType == core.Int32
	case core.Int32:
		ok = k.outType == core.Int8 || k.outType == core.Int16
	}
	if !ok {
		return n.Errorf("%s to %s is not supported", k.inType, k.outType)
	}
	inQP, err := readQuantParams(in, in.Shape())
	if err != nil {
		return n.Errorf("input: %v", err)
	}
	if inQP.perChannel || k.qp.perChannel {
		return n.Errorf("requantization with per-channel parameters is not supported (TFLite supports per-tensor only)")
	}
	k.inZP, k.outZP = inQP.zeroPoints[0], k.qp.zeroPoints[0]
	if k.inType == core.Int16 && k.outType == core.Int16 && (k.inZP != 0 || k.outZP != 0) {
		return n.Errorf("INT16 to INT16 requantization needs zero points 0, got %d and %d", k.inZP, k.outZP)
	}
	k.mult, k.shift = quantizeMultiplier(float64(inQP.scales[0]) / float64(k.qp.scales[0]))
	return nil
}

// Eval implements core.Kernel.
func (k *quantizeKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.inType == core.Float32 {
		src := in.Float32s()
		switch k.outType {
		case core.Uint8:
			return quantizeFloat(n, k, src, out.Uint8s())
		case core.Int8:
			return quantizeFloat(n, k, src, out.Int8s())
		case core.Int16:
			return quantizeFloat(n, k, src, out.Int16s())
		}
		return n.Errorf("kernel was not prepared")
	}
	switch k.inType {
	case core.Uint8:
		return requantizeFrom(n, k, in.Uint8s(), out)
	case core.Int8:
		return requantizeFrom(n, k, in.Int8s(), out)
	case core.Int16:
		return requantizeFrom(n, k, in.Int16s(), out)
	case core.Int32:
		return requantizeFrom(n, k, in.Int32s(), out)
	}
	return n.Errorf("kernel was not prepared")
}

// quantizeFloat rounds x / scale half away from zero, adds the zero point
// and clamps to the output type, as TFLite's QUANTIZE kernel does. Per
// tensor that kernel is optimized_ops::AffineQuantize, which divides in
// double; reference_ops::AffineQuantize divides in float and can round
// the other way within an ulp of a tie (the conformance case
// quantize_f32_i8_near_ties_builtin shows TFLite's builtin kernel dividing
// in double). Per channel it is reference_ops::PerChannelQuantize, which
// divides in float.
func quantizeFloat[O quantInt](n *core.Node, k *quantizeKernel, src []float32, dst []O) error {
	if len(src) < k.n || len(dst) < k.n {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	qp := &k.qp
	if !qp.perChannel {
		scale, zp := float64(qp.scales[0]), int64(qp.zeroPoints[0])
		for i, x := range src[:k.n] {
			q := roundToInt64(float64(x)/scale) + zp
			dst[i] = O(min(max(q, k.lo), k.hi))
		}
		return nil
	}
	p := qp.plan
	i := 0
	for o := 0; o < p.outer; o++ {
		for c := 0; c < p.channels; c++ {
			scale, zp := qp.scales[c], int64(qp.zeroPoints[c])
			for j := 0; j < p.inner; j++ {
				q := roundToInt64(float64(src[i]/scale)) + zp
				dst[i] = O(min(max(q, k.lo), k.hi))
				i++
			}
		}
	}
	return nil
}

func requantizeFrom[I quantInt](n *core.Node, k *quantizeKernel, src []I, out *core.Tensor) error {
	switch k.outType {
	case core.Uint8:
		return requantize(n, k, src, out.Uint8s())
	case core.Int8:
		return requantize(n, k, src, out.Int8s())
	case core.Int16:
		return requantize(n, k, src, out.Int16s())
	case core.Int32:
		return requantize(n, k, src, out.Int32s())
	}
	return n.Errorf("kernel was not prepared")
}

// requantize is reference_ops::Requantize.
func requantize[I, O quantInt](n *core.Node, k *quantizeKernel, src []I, dst []O) error {
	if len(src) < k.n || len(dst) < k.n {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	lo, hi := int32(k.lo), int32(k.hi)
	for i := range dst[:k.n] {
		v := multiplyByQuantizedMultiplier(int32(src[i])-k.inZP, k.mult, k.shift) + k.outZP
		dst[i] = O(min(max(v, lo), hi))
	}
	return nil
}
