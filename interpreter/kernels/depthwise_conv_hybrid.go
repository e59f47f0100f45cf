package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// qconvHybridDW is the hybrid state of a depthwiseConv2DKernel: FLOAT32
// input and output, INT8 weights with one scale per output channel
// (TFLite's EvalHybridPerChannel requires them). Each batch's whole input
// image is quantized asymmetrically (PortableAsymmetricQuantizeFloats);
// each output is the int32 sum of filter * (input - zero point) over the
// window (padding contributes nothing), times the input scale and the
// channel scale in float, plus the bias, clamped (reference_integer_ops::
// DepthwiseConvHybridPerChannel, in the optimized kernel's float order).
type qconvHybridDW struct {
	scales []float32
}

// prepareHybrid validates the hybrid DEPTHWISE_CONV_2D and requests its
// scratch tensors (called once the geometry is known).
func (k *depthwiseConv2DKernel) prepareHybrid(n *core.Node, in, filter, bias, out *core.Tensor) error {
	if filter.Type() != core.Int8 {
		return n.Errorf("hybrid FLOAT32 input with %s filter is not supported", filter.Type())
	}
	if out.Type() != core.Float32 {
		return n.Errorf("%s output with FLOAT32 input is not supported", out.Type())
	}
	if bias != nil && bias.Type() != core.Float32 {
		return n.Errorf("%s bias with FLOAT32 input is not supported", bias.Type())
	}
	q := filter.Quantization()
	if len(q.Scale) != k.outCh || (k.outCh > 1 && q.QuantizedDimension != 3) {
		return n.Errorf("hybrid filter needs one scale per output channel along dimension 3 (has %d scales along %d for %d channels)", len(q.Scale), q.QuantizedDimension, k.outCh)
	}
	for _, s := range q.Scale {
		if s == 0 || math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return n.Errorf("invalid filter scale %g", s)
		}
	}
	k.hybrid = &qconvHybridDW{scales: append([]float32(nil), q.Scale...)}
	n.Temporary(0, core.Int8, []int{in.NumElements()})
	n.Temporary(1, core.Float32, []int{k.batch})
	n.Temporary(2, core.Int32, []int{k.batch})
	return nil
}

// evalHybrid runs the hybrid depthwise convolution.
func (k *depthwiseConv2DKernel) evalHybrid(n *core.Node) error {
	x, f, y := n.Inputs[0].Float32s(), n.Inputs[1].Int8s(), n.Outputs[0].Float32s()
	var b []float32
	if k.hasBias {
		b = n.Inputs[2].Float32s()
	}
	if len(n.Temporaries) < 3 {
		return n.Errorf("kernel was not prepared")
	}
	qx, scales, offsets := n.Temporaries[0].Int8s(), n.Temporaries[1].Float32s(), n.Temporaries[2].Int32s()
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	per := inH * inW * k.inCh
	oc := k.outCh
	if len(x) < k.batch*per || len(f) < kh*kw*oc || len(y) < k.batch*k.h.out*k.w.out*oc ||
		(k.hasBias && len(b) < oc) || len(qx) < k.batch*per || len(scales) < k.batch || len(offsets) < k.batch {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	cs := k.hybrid.scales
	o := 0
	for bt := 0; bt < k.batch; bt++ {
		xq := qx[bt*per : (bt+1)*per]
		if per > 0 {
			scales[bt], offsets[bt] = qconvAsymmetricQuantize(x[bt*per:(bt+1)*per], xq)
		}
		off := offsets[bt]
		for oy := 0; oy < k.h.out; oy++ {
			y0 := oy*k.h.stride - k.h.pad
			for ox := 0; ox < k.w.out; ox++ {
				x0 := ox*k.w.stride - k.w.pad
				for c := 0; c < oc; c++ {
					ic := c / k.mult
					var acc int32
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
							acc += int32(f[(fy*kw+fx)*oc+c]) * (int32(xq[(iy*inW+ix)*k.inCh+ic]) - off)
						}
					}
					// (acc * input scale) * channel scale: the order of
					// TFLite's builtin (optimized) kernel, which the oracle
					// matches bit for bit (reference_integer_ops' acc *
					// (channel scale * input scale) differs by an ulp). The
					// conversions keep Go from fusing multiply-adds.
					v := float32(float32(acc)*scales[bt]) * cs[c]
					if b != nil {
						v = float32(v) + b[c]
					}
					y[o+c] = clamp(v, k.lo, k.hi)
				}
				o += oc
			}
		}
	}
	return nil
}
