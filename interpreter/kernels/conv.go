package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// conv2DKernel implements CONV_2D for FLOAT32 as TFLite's reference Conv
// does: input [batch, h, w, in_ch], filter [out_ch, kh, kw, in_ch/groups],
// bias [out_ch], output [batch, out_h, out_w, out_ch], zero padding
// outside the image, strides, dilation and grouped convolution (the input
// channels a multiple of the filter's; version 6).
//
// With constant weights and bias, FLOAT32, INT8 and UINT8 run on the packed
// GEMM (gemm_path.go) instead of the loops below, which stay for the rest
// and as the tests' reference.
//
// Like TFLite's kernel, it requires the bias (TFLite refuses a CONV_2D
// with two inputs or an absent bias although its reference loop could do
// without).
type conv2DKernel struct {
	opts tflite.Conv2DOptionsT

	batch, outCh, inCh, filterInCh, groups, perGroup int
	h, w                                             convSpatial
	hasBias                                          bool
	lo, hi                                           float32
	ready                                            bool
	q                                                *qconvParams     // quantized input
	hybrid                                           *qconvHybridConv // FLOAT32 input, INT8 filter
	// gemm is the packed-GEMM path (gemm_path.go), set by Prepare for
	// constant weights; reference keeps the loops below (tests);
	// minParallelMACs > 0 replaces gcMinParallelMACs (tests).
	gemm            *gcConv
	reference       bool
	minParallelMACs int
}

func newConv2D(n *core.Node) (core.Kernel, error) {
	var o tflite.Conv2DOptions
	n.BuiltinOptions(tflite.BuiltinOptionsConv2DOptions, &o)
	k := &conv2DKernel{}
	o.UnPackTo(&k.opts)
	return k, nil
}

// Prepare implements core.Kernel.
func (k *conv2DKernel) Prepare(n *core.Node) error {
	k.ready = false
	if n.NumInputs() == 2 {
		return n.Errorf("has no bias input; TFLite's CONV_2D requires one")
	}
	if err := checkCounts(n, 3, 3, 1); err != nil {
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
	if bias == nil {
		return n.Errorf("bias input is absent; TFLite's CONV_2D requires one")
	}
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
	k.batch, k.inCh = in.Dim(0), in.Dim(3)
	k.outCh, k.filterInCh = filter.Dim(0), filter.Dim(3)
	if k.filterInCh < 1 || k.inCh%k.filterInCh != 0 {
		return n.Errorf("input has %d channels, not a multiple of the filter's %d input channels", k.inCh, k.filterInCh)
	}
	k.groups = k.inCh / k.filterInCh
	if k.groups < 1 || k.outCh%k.groups != 0 {
		return n.Errorf("%d output channels do not split into %d groups", k.outCh, k.groups)
	}
	k.perGroup = k.outCh / k.groups
	k.hasBias = bias != nil
	if k.hasBias && bias.NumElements() != k.outCh {
		return n.Errorf("bias has %d elements for %d output channels", bias.NumElements(), k.outCh)
	}
	o := &k.opts
	if k.h, err = convGeometry(n, "height", o.Padding, in.Dim(1), filter.Dim(1), int(o.StrideH), int(o.DilationHFactor)); err != nil {
		return err
	}
	if k.w, err = convGeometry(n, "width", o.Padding, in.Dim(2), filter.Dim(2), int(o.StrideW), int(o.DilationWFactor)); err != nil {
		return err
	}
	k.lo, k.hi = convActivation(o.FusedActivationFunction)
	if hybrid {
		if err := k.prepareHybrid(n, in, filter, bias, out); err != nil {
			return err
		}
	}
	if quantized {
		// Only the uint8 kernel subtracts the filter's zero point
		// (reference_ops::Conv); ConvPerChannel ignores it.
		if k.q, err = qconvPrepare(n, in, filter, bias, out, k.outCh, 0, o.FusedActivationFunction, in.Type() == core.Uint8); err != nil {
			return err
		}
		k.q.setRounding(tflite.BuiltinOperatorCONV_2D, k.outCh)
	}
	out.SetShape([]int{k.batch, k.h.out, k.w.out, k.outCh})
	k.prepareGEMM(n, in, filter, bias)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *conv2DKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.gemm != nil {
		return k.gemm.eval(n)
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
	if len(x) < k.batch*inH*inW*k.inCh || len(f) < k.outCh*kh*kw*k.filterInCh ||
		len(y) < k.batch*k.h.out*k.w.out*k.outCh {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	fic := k.filterInCh
	fstride := kh * kw * fic // one output channel's filter
	o := 0
	for bt := 0; bt < k.batch; bt++ {
		xb := x[bt*inH*inW*k.inCh:]
		for oy := 0; oy < k.h.out; oy++ {
			y0 := oy*k.h.stride - k.h.pad
			for ox := 0; ox < k.w.out; ox++ {
				x0 := ox*k.w.stride - k.w.pad
				oc := 0
				// Four output channels of one group at a time share the
				// input loads; each channel's sum keeps TFLite's order
				// (filter_y, filter_x, in_channel).
				for ; oc+4 <= k.outCh; oc += 4 {
					if (oc+3)/k.perGroup != oc/k.perGroup {
						break
					}
					g := oc / k.perGroup
					var t0, t1, t2, t3 float32
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
							base := oc*fstride + (fy*kw+fx)*fic
							f0 := f[base:][:len(xs)]
							f1 := f[base+fstride:][:len(xs)]
							f2 := f[base+2*fstride:][:len(xs)]
							f3 := f[base+3*fstride:][:len(xs)]
							for c, v := range xs {
								// The conversions keep Go from fusing
								// multiply-adds, which would round
								// differently from TFLite's loop.
								t0 += float32(v * f0[c])
								t1 += float32(v * f1[c])
								t2 += float32(v * f2[c])
								t3 += float32(v * f3[c])
							}
						}
					}
					if b != nil {
						t0 += b[oc]
						t1 += b[oc+1]
						t2 += b[oc+2]
						t3 += b[oc+3]
					}
					y[o] = clamp(t0, k.lo, k.hi)
					y[o+1] = clamp(t1, k.lo, k.hi)
					y[o+2] = clamp(t2, k.lo, k.hi)
					y[o+3] = clamp(t3, k.lo, k.hi)
					o += 4
				}
				for ; oc < k.outCh; oc++ {
					g := oc / k.perGroup
					var total float32
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
								total += float32(v * fs[c])
							}
						}
					}
					if b != nil {
						total += b[oc]
					}
					y[o] = clamp(total, k.lo, k.hi)
					o++
				}
			}
		}
	}
	return nil
}

// evalQuantized runs the uint8, int8 and int16x8 convolution.
func (k *conv2DKernel) evalQuantized(n *core.Node) error {
	p := k.q
	b32, b64, ok := qconvBias(p, n.Input(2), k.outCh)
	nx := k.batch * k.h.in * k.w.in * k.inCh
	nf := k.outCh * k.h.filter * k.w.filter * k.filterInCh
	ny := k.batch * k.h.out * k.w.out * k.outCh
	in, f, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	switch p.inType {
	case core.Uint8:
		x, w, y := in.Uint8s(), f.Uint8s(), out.Uint8s()
		if !ok || len(x) < nx || len(w) < nf || len(y) < ny {
			break
		}
		qconvConvLoop(k, p, x, w, y, b32, b64)
		return nil
	case core.Int8:
		x, w, y := in.Int8s(), f.Int8s(), out.Int8s()
		if !ok || len(x) < nx || len(w) < nf || len(y) < ny {
			break
		}
		qconvConvLoop(k, p, x, w, y, b32, b64)
		return nil
	case core.Int16:
		x, w, y := in.Int16s(), f.Int8s(), out.Int16s()
		if !ok || len(x) < nx || len(w) < nf || len(y) < ny {
			break
		}
		qconvConvLoop(k, p, x, w, y, b32, b64)
		return nil
	}
	return n.Errorf("tensor storage does not match the prepared shapes")
}
