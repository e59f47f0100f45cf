package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// concatKernel implements CONCATENATION as TFLite's concatenation.cc does,
// as a byte copy: the inputs have one type and rank and equal dimensions
// except along axis (negative counts from the end). INT8 inputs must have
// the output's scale and zero point, INT16 ones zero point 0 (TFLite then
// copies whatever their scales). A UINT8 input whose parameters differ
// from the output's is requantized as TFLite's ConcatenationWithScaling
// does, in float32: clamp(round(q*s + b) + zp_out, 0, 255) with s =
// s_in * (1/s_out) and b = -zp_in * s (round half away from zero).
type concatKernel struct {
	axis int
	act  tflite.ActivationFunctionType
	// outer is the number of blocks before axis; blockBytes[i] the bytes
	// input i adds to each block.
	outer      int
	blockBytes []int
	outBytes   int
	ready      bool
	// spRescale[i] marks UINT8 inputs to requantize with spScale[i] and
	// spBias[i] to the output zero point spOutZP.
	spRescale []bool
	spScale   []float32
	spBias    []float32
	spOutZP   int32
}

func newConcatenation(n *core.Node) (core.Kernel, error) {
	var o tflite.ConcatenationOptions
	n.BuiltinOptions(tflite.BuiltinOptionsConcatenationOptions, &o)
	return &concatKernel{axis: int(o.Axis()), act: o.FusedActivationFunction()}, nil
}

// Prepare implements core.Kernel.
func (k *concatKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1<<30, 1); err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	ins := make([]*core.Tensor, n.NumInputs())
	for i := range ins {
		if ins[i], err = requireInput(n, i); err != nil {
			return err
		}
	}
	if k.act != tflite.ActivationFunctionTypeNONE {
		return n.Errorf("fused activation %s is not supported (TFLite's CONCATENATION takes NONE only)", k.act)
	}
	t0 := ins[0]
	typ, rank := t0.Type(), t0.Rank()
	axis := k.axis
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return n.Errorf("axis %d out of range for rank %d", k.axis, rank)
	}
	elem := typ.ElementSize()
	if elem == 0 {
		return n.Errorf("%s inputs are not supported", typ)
	}
	if out.Type() != typ {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), typ)
	}
	shape := append([]int(nil), t0.Shape()...)
	for i, t := range ins[1:] {
		if t.Type() != typ {
			return n.Errorf("input %d is %s, input 0 is %s", i+1, t.Type(), typ)
		}
		if t.Rank() != rank {
			return n.Errorf("input %d has rank %d, input 0 has rank %d", i+1, t.Rank(), rank)
		}
		for d, v := range t.Shape() {
			if d == axis {
				shape[d] += v
			} else if v != shape[d] {
				return n.Errorf("input %d has shape %s, not matching input 0's %s outside axis %d", i+1, core.FormatShape(t.Shape()), core.FormatShape(t0.Shape()), axis)
			}
		}
	}
	if err := k.spCheckConcatQuant(n, typ, ins, out); err != nil {
		return err
	}
	k.outer = numElements(shape[:axis])
	k.blockBytes = make([]int, len(ins))
	k.outBytes = 0
	for i, t := range ins {
		k.blockBytes[i] = numElements(t.Shape()[axis:]) * elem
		k.outBytes += k.blockBytes[i]
	}
	out.SetShape(shape)
	k.ready = true
	return nil
}

// tensorParams returns TFLite's per-tensor params of t: the first scale
// and zero point, or zeros when t is not quantized.
func tensorParams(t *core.Tensor) (float32, int64) {
	q := t.Quantization()
	if !q.IsQuantized() {
		return 0, 0
	}
	return q.Params(0)
}

// spCheckConcatQuant applies TFLite's rules for quantized inputs and
// prepares the requantization of UINT8 inputs.
func (k *concatKernel) spCheckConcatQuant(n *core.Node, typ core.TensorType, ins []*core.Tensor, out *core.Tensor) error {
	oscale, ozp := tensorParams(out)
	k.spRescale = k.spRescale[:0]
	switch typ {
	case core.Int8, core.Uint8:
		for i, t := range ins {
			scale, zp := tensorParams(t)
			if scale == oscale && zp == ozp {
				continue
			}
			if typ == core.Int8 {
				return n.Errorf("input %d has scale %g and zero point %d, the output %g and %d: TFLite requires them equal for INT8", i, scale, zp, oscale, ozp)
			}
			if !t.Quantization().IsQuantized() || !out.Quantization().IsQuantized() || oscale == 0 {
				return n.Errorf("input %d or the output of UINT8 CONCATENATION has no quantization parameters", i)
			}
			if zp < 0 || zp > 255 || ozp < 0 || ozp > 255 {
				return n.Errorf("input %d zero point %d or output zero point %d out of the UINT8 range", i, zp, ozp)
			}
			if len(k.spRescale) == 0 {
				k.spRescale = make([]bool, len(ins))
				k.spScale = make([]float32, len(ins))
				k.spBias = make([]float32, len(ins))
			}
			inv := 1 / oscale
			k.spRescale[i] = true
			k.spScale[i] = scale * inv
			k.spBias[i] = float32(-zp) * k.spScale[i]
			k.spOutZP = int32(ozp)
		}
	case core.Int16:
		for i, t := range ins {
			if _, zp := tensorParams(t); zp != 0 {
				return n.Errorf("input %d has zero point %d; INT16 needs 0", i, zp)
			}
		}
		if ozp != 0 {
			return n.Errorf("output has zero point %d; INT16 needs 0", ozp)
		}
	}
	return nil
}

// Eval implements core.Kernel.
func (k *concatKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	dst := n.Outputs[0].Bytes()
	if len(dst) < k.outer*k.outBytes || len(n.Inputs) != len(k.blockBytes) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	for i, t := range n.Inputs {
		if len(t.Bytes()) < k.outer*k.blockBytes[i] {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	}
	off := 0
	for o := 0; o < k.outer; o++ {
		for i, t := range n.Inputs {
			size := k.blockBytes[i]
			src := t.Bytes()[o*size : (o+1)*size]
			if len(k.spRescale) != 0 && k.spRescale[i] {
				spConcatRequant(dst[off:off+size], src, k.spScale[i], k.spBias[i], k.spOutZP)
				off += size
				continue
			}
			off += copy(dst[off:off+size], src)
		}
	}
	return nil
}

// spConcatRequant is the UINT8 requantization of ConcatenationWithScaling.
func spConcatRequant(dst, src []byte, scale, bias float32, zp int32) {
	for j, q := range src {
		v := int32(math.Round(float64(float32(float32(q)*scale)+bias))) + zp
		dst[j] = byte(min(max(v, 0), 255))
	}
}
