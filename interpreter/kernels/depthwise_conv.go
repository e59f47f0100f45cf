package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
	"github.com/edgelite/edgelite/schema/tflite"
)

// depthwiseConv2DKernel implements DEPTHWISE_CONV_2D for FLOAT32 as
// TFLite's reference DepthwiseConv does: input [batch, h, w, in_ch],
// filter [1, kh, kw, in_ch*multiplier], optional bias
// [in_ch*multiplier]; output channel ic*multiplier+m reads input channel
// ic. Like TFLite's kernel (ComputeDepthMultiplier), the multiplier comes
// from the shapes (filter channels / input channels, which must divide);
// the depth_multiplier option is ignored.
type depthwiseConv2DKernel struct {
	opts tflite.DepthwiseConv2DOptionsT

	batch, inCh, outCh, mult int
	h, w                     convSpatial
	hasBias                  bool
	lo, hi                   float32
	ready                    bool
	q                        *qconvParams   // quantized input
	hybrid                   *qconvHybridDW // FLOAT32 input, INT8 filter
	// reference selects the reference loops over the fast paths
	// (fast_depthwise.go), for tests.
	reference bool
	// zeroBias stands in for an absent float32 bias on the fast path.
	zeroBias []float32
	// i8rq is the int8 fast path's vectorised output stage.
	i8rq vec.RequantI8
	// th splits the fast path over the worker pool (th_split.go).
	th dwTask
}

func newDepthwiseConv2D(n *core.Node) (core.Kernel, error) {
	var o tflite.DepthwiseConv2DOptions
	n.BuiltinOptions(tflite.BuiltinOptionsDepthwiseConv2DOptions, &o)
	k := &depthwiseConv2DKernel{}
	o.UnPackTo(&k.opts)
	return k, nil
}

// Prepare implements core.Kernel.
func (k *depthwiseConv2DKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 3, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	filter, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	bias := n.Input(2)
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	k.q, k.hybrid = nil, nil
	quantized := isQuantizedInt(in.Type())
	hybrid := in.Type() == core.Float32 && (filter.Type() == core.Int8 || filter.Type() == core.Uint8)
	if !quantized && !hybrid {
		if err := convCheckFloat(n, "input", in); err != nil {
			return err
		}
		if err := convCheckFloat(n, "filter", filter); err != nil {
			return err
		}
		if out.Type() != core.Float32 {
			return n.Errorf("%s output with FLOAT32 input is not supported", out.Type())
		}
		if bias != nil && bias.Type() != core.Float32 {
			return n.Errorf("%s bias with FLOAT32 input is not supported", bias.Type())
		}
	}
	if filter.Sparsity() != nil {
		return n.Errorf("sparse filter is not supported yet")
	}
	if err := convCheckRank4(n, "input", in); err != nil {
		return err
	}
	if err := convCheckRank4(n, "filter", filter); err != nil {
		return err
	}
	if filter.Dim(0) != 1 {
		return n.Errorf("filter has shape %s; want [1, height, width, channels]", core.FormatShape(filter.Shape()))
	}
	k.batch, k.inCh, k.outCh = in.Dim(0), in.Dim(3), filter.Dim(3)
	if k.inCh == 0 || k.outCh%k.inCh != 0 {
		return n.Errorf("filter's %d channels are not a multiple of the input's %d channels", k.outCh, k.inCh)
	}
	k.mult = k.outCh / k.inCh
	k.hasBias = bias != nil
	if k.hasBias && (bias.Rank() != 1 || bias.Dim(0) != k.outCh) {
		return n.Errorf("bias has shape %s for %d output channels", core.FormatShape(bias.Shape()), k.outCh)
	}
	o := &k.opts
	if k.h, err = convGeometry(n, "height", o.Padding, in.Dim(1), filter.Dim(1), int(o.StrideH), int(o.DilationHFactor)); err != nil {
		return err
	}
	if k.w, err = convGeometry(n, "width", o.Padding, in.Dim(2), filter.Dim(2), int(o.StrideW), int(o.DilationWFactor)); err != nil {
		return err
	}
	k.lo, k.hi = convActivation(o.FusedActivationFunction)
	if !k.hasBias && len(k.zeroBias) != k.outCh {
		k.zeroBias = make([]float32, k.outCh)
	}
	if hybrid {
		if err := k.prepareHybrid(n, in, filter, bias, out); err != nil {
			return err
		}
	}
	if quantized {
		// Only the uint8 kernel subtracts the filter's zero point
		// (reference_ops::DepthwiseConv); the per-channel kernels ignore it.
		if k.q, err = qconvPrepare(n, in, filter, bias, out, k.outCh, 3, o.FusedActivationFunction, in.Type() == core.Uint8); err != nil {
			return err
		}
		k.q.setRounding(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, k.outCh)
		if k.dwInt8FastOK() {
			k.i8rq = vec.NewRequantI8(k.q.mult, k.q.shift)
		}
	}
	out.SetShape([]int{k.batch, k.h.out, k.w.out, k.outCh})
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *depthwiseConv2DKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.q != nil {
		return k.evalQuantized(n)
	}
	if k.hybrid != nil {
		return k.evalHybrid(n)
	}
	x, f, y := n.Inputs[0].Float32s(), n.Inputs[1].Float32s(), n.Outputs[0].Float32s()
	var b []float32
	if k.hasBias {
		b = n.Inputs[2].Float32s()
		if len(b) < k.outCh {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	}
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	if len(x) < k.batch*inH*inW*k.inCh || len(f) < kh*kw*k.outCh ||
		len(y) < k.batch*k.h.out*k.w.out*k.outCh {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if k.dwFastOK() {
		if b == nil {
			b = k.zeroBias
		}
		k.dwRunFloat(n, x, f, b, y)
		return nil
	}
	// Each output pixel's channels accumulate in the output row itself, tap
	// by tap in (filter_y, filter_x) order: per element the same sum, in
	// the same order, as TFLite's reference loop, with contiguous channel
	// loops.
	oc := k.outCh
	o := 0
	for bt := 0; bt < k.batch; bt++ {
		xb := x[bt*inH*inW*k.inCh:]
		for oy := 0; oy < k.h.out; oy++ {
			y0 := oy*k.h.stride - k.h.pad
			for ox := 0; ox < k.w.out; ox++ {
				x0 := ox*k.w.stride - k.w.pad
				acc := y[o : o+oc]
				clear(acc)
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
						xs := xb[(iy*inW+ix)*k.inCh:][:k.inCh]
						fs := f[(fy*kw+fx)*oc:][:oc]
						if k.mult == 1 {
							fs = fs[:len(xs)]
							acc := acc[:len(xs)]
							for c, v := range xs {
								// The conversion keeps Go from fusing a
								// multiply-add (see fully_connected.go).
								acc[c] += float32(v * fs[c])
							}
							continue
						}
						for ic, v := range xs {
							a := acc[ic*k.mult:][:k.mult]
							w := fs[ic*k.mult:][:k.mult]
							for m := range a {
								a[m] += float32(v * w[m])
							}
						}
					}
				}
				if b != nil {
					for c := range acc {
						acc[c] += b[c]
					}
				}
				for c, v := range acc {
					acc[c] = clamp(v, k.lo, k.hi)
				}
				o += oc
			}
		}
	}
	return nil
}

// evalQuantized runs the uint8, int8 and int16x8 depthwise convolution.
func (k *depthwiseConv2DKernel) evalQuantized(n *core.Node) error {
	p := k.q
	b32, b64, ok := qconvBias(p, n.Input(2), k.outCh)
	nx := k.batch * k.h.in * k.w.in * k.inCh
	nf := k.h.filter * k.w.filter * k.outCh
	ny := k.batch * k.h.out * k.w.out * k.outCh
	in, f, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	switch p.inType {
	case core.Uint8:
		x, w, y := in.Uint8s(), f.Uint8s(), out.Uint8s()
		if !ok || len(x) < nx || len(w) < nf || len(y) < ny {
			break
		}
		qconvDepthwiseLoop(k, p, x, w, y, b32, b64)
		return nil
	case core.Int8:
		x, w, y := in.Int8s(), f.Int8s(), out.Int8s()
		if !ok || len(x) < nx || len(w) < nf || len(y) < ny {
			break
		}
		if k.dwInt8FastOK() && b64 == nil {
			k.dwRunInt8(n, x, w, y, b32)
			return nil
		}
		qconvDepthwiseLoop(k, p, x, w, y, b32, b64)
		return nil
	case core.Int16:
		x, w, y := in.Int16s(), f.Int8s(), out.Int16s()
		if !ok || len(x) < nx || len(w) < nf || len(y) < ny {
			break
		}
		qconvDepthwiseLoop(k, p, x, w, y, b32, b64)
		return nil
	}
	return n.Errorf("tensor storage does not match the prepared shapes")
}
