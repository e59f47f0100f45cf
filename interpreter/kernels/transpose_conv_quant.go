package kernels

import "github.com/edgelite/edgelite/interpreter/core"

// evalQuantized runs the uint8, int8 (per-channel) and int16x8 transpose
// convolution as TFLite's reference TransposeConv kernels do: every input
// element scatters (input + input_offset) * (filter + filter_offset) into
// the accumulators, then each output adds its channel's bias, is
// requantized, offset and clamped.
func (k *transposeConvKernel) evalQuantized(n *core.Node) error {
	p := k.q
	b32, b64, ok := qconvBias(p, n.Input(3), k.outCh)
	var acc []int64
	if len(n.Temporaries) > 0 {
		acc = n.Temporaries[0].Int64s()
	}
	nx := k.batch * k.inH * k.inW * k.inCh
	nw := k.outCh * k.kh * k.kw * k.inCh
	ny := k.batch * k.outH * k.outW * k.outCh
	if !ok || len(acc) < ny {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	acc = acc[:ny]
	clear(acc)
	w, in, out := n.Inputs[1], n.Inputs[2], n.Outputs[0]
	switch p.inType {
	case core.Uint8:
		x, f, y := in.Uint8s(), w.Uint8s(), out.Uint8s()
		if len(x) < nx || len(f) < nw || len(y) < ny {
			break
		}
		qconvTransposeScatter(k, p, x, f, acc)
		qconvTransposeFinish(k, p, acc, y, b32, b64)
		return nil
	case core.Int8:
		x, f, y := in.Int8s(), w.Int8s(), out.Int8s()
		if len(x) < nx || len(f) < nw || len(y) < ny {
			break
		}
		qconvTransposeScatter(k, p, x, f, acc)
		qconvTransposeFinish(k, p, acc, y, b32, b64)
		return nil
	case core.Int16:
		x, f, y := in.Int16s(), w.Int8s(), out.Int16s()
		if len(x) < nx || len(f) < nw || len(y) < ny {
			break
		}
		qconvTransposeScatter(k, p, x, f, acc)
		qconvTransposeFinish(k, p, acc, y, b32, b64)
		return nil
	}
	return n.Errorf("tensor storage does not match the prepared shapes")
}

// qconvTransposeScatter accumulates the products into acc (NHWC), in the
// order of TFLite's reference loop.
func qconvTransposeScatter[X, W qconvElem](k *transposeConvKernel, p *qconvParams, x []X, w []W, acc []int64) {
	inOff, fOff := int64(p.inOffset), int64(p.filterOff)
	strideH, strideW := int(k.opts.StrideH), int(k.opts.StrideW)
	step := k.kh * k.kw * k.inCh
	for bt := 0; bt < k.batch; bt++ {
		for iy := 0; iy < k.inH; iy++ {
			oy0 := iy*strideH - k.padH
			for ix := 0; ix < k.inW; ix++ {
				ox0 := ix*strideW - k.padW
				xs := x[((bt*k.inH+iy)*k.inW+ix)*k.inCh:][:k.inCh]
				for ic, xv := range xs {
					v := int64(xv) + inOff
					for fy := 0; fy < k.kh; fy++ {
						oy := oy0 + fy
						if oy < 0 || oy >= k.outH {
							continue
						}
						for fx := 0; fx < k.kw; fx++ {
							ox := ox0 + fx
							if ox < 0 || ox >= k.outW {
								continue
							}
							as := acc[((bt*k.outH+oy)*k.outW+ox)*k.outCh:][:k.outCh]
							wi := (fy*k.kw+fx)*k.inCh + ic
							for oc := range as {
								as[oc] += v * (int64(w[wi+oc*step]) + fOff)
							}
						}
					}
				}
			}
		}
	}
}

// qconvTransposeFinish adds the bias and requantizes every accumulator.
func qconvTransposeFinish[X qconvElem](k *transposeConvKernel, p *qconvParams, acc []int64, y []X, b32 []int32, b64 []int64) {
	for i := 0; i < len(acc); i += k.outCh {
		row := acc[i : i+k.outCh]
		dst := y[i : i+k.outCh]
		for c, a := range row {
			dst[c] = X(p.requant(a+p.biasAt(b32, b64, c), c))
		}
	}
}
