package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// qconvHybridConv is the hybrid state of a conv2DKernel: FLOAT32 input and
// output, INT8 filter. As TFLite's conv.cc: with one scale (or all channel
// scales equal) EvalHybrid quantizes each batch's input symmetrically and
// scales the int32 dot products by input scale * filter scale; with
// differing channel scales EvalHybridPerChannel quantizes asymmetrically,
// subtracts the zero point, and scales by input scale * channel scale.
// The output is dot * scale + bias, clamped.
type qconvHybridConv struct {
	perChannel bool
	scales     []float32 // per output channel
}

func (k *conv2DKernel) prepareHybrid(n *core.Node, in, filter, bias, out *core.Tensor) error {
	if filter.Type() != core.Int8 {
		return n.Errorf("hybrid FLOAT32 input with %s filter is not supported", filter.Type())
	}
	if out.Type() != core.Float32 {
		return n.Errorf("%s output with FLOAT32 input is not supported", out.Type())
	}
	if bias != nil && bias.Type() != core.Float32 {
		return n.Errorf("%s bias with FLOAT32 input is not supported", bias.Type())
	}
	if k.groups != 1 {
		return n.Errorf("hybrid grouped convolution is not supported")
	}
	q := filter.Quantization()
	if len(q.Scale) != 1 && (len(q.Scale) != k.outCh || q.QuantizedDimension != 0) {
		return n.Errorf("hybrid filter has %d scales along dimension %d for %d output channels", len(q.Scale), q.QuantizedDimension, k.outCh)
	}
	h := &qconvHybridConv{scales: make([]float32, k.outCh)}
	for c := range h.scales {
		s := q.Scale[0]
		if len(q.Scale) > 1 {
			s = q.Scale[c]
			if s != q.Scale[0] {
				h.perChannel = true
			}
		}
		if s == 0 || math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return n.Errorf("invalid filter scale %g", s)
		}
		h.scales[c] = s
	}
	k.hybrid = h
	n.Temporary(0, core.Int8, []int{in.NumElements()})
	n.Temporary(1, core.Float32, []int{k.batch})
	n.Temporary(2, core.Int32, []int{k.batch})
	return nil
}

// evalHybrid runs the hybrid convolution.
func (k *conv2DKernel) evalHybrid(n *core.Node) error {
	h := k.hybrid
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
	fic := k.filterInCh
	fstride := kh * kw * fic
	if len(x) < k.batch*per || len(f) < k.outCh*fstride || len(y) < k.batch*k.h.out*k.w.out*k.outCh ||
		(k.hasBias && len(b) < k.outCh) || len(qx) < k.batch*per || len(scales) < k.batch || len(offsets) < k.batch {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	o := 0
	for bt := 0; bt < k.batch; bt++ {
		xq := qx[bt*per : (bt+1)*per]
		if per > 0 {
			xs := x[bt*per : (bt+1)*per]
			if h.perChannel {
				scales[bt], offsets[bt] = qconvAsymmetricQuantize(xs, xq)
			} else {
				scales[bt], offsets[bt] = qconvSymmetricQuantize(xs, xq)*h.scales[0], 0
			}
		}
		off := offsets[bt]
		for oy := 0; oy < k.h.out; oy++ {
			y0 := oy*k.h.stride - k.h.pad
			for ox := 0; ox < k.w.out; ox++ {
				x0 := ox*k.w.stride - k.w.pad
				for oc := 0; oc < k.outCh; oc++ {
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
							xs := xq[(iy*inW+ix)*k.inCh:][:fic]
							fs := f[oc*fstride+(fy*kw+fx)*fic:][:len(xs)]
							for c, v := range xs {
								acc += int32(fs[c]) * (int32(v) - off)
							}
						}
					}
					scale := scales[bt]
					if h.perChannel {
						scale = float32(scale * h.scales[oc])
					}
					// The conversions keep Go from fusing multiply-adds.
					v := float32(float32(acc) * scale)
					if b != nil {
						v = float32(v + b[oc])
					}
					y[o] = clamp(v, k.lo, k.hi)
					o++
				}
			}
		}
	}
	return nil
}
