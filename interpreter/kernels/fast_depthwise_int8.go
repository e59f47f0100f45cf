package kernels

import "github.com/edgelite/edgelite/interpreter/core"

// Fast int8 per-channel DEPTHWISE_CONV_2D with a 3×3 filter, depth
// multiplier 1 and no dilation. The accumulator is TFLite's int32 (the
// reference loop sums in int64 and wraps to int32 before requantizing; the
// sum modulo 2^32 is the same), and the output stage is the reference's
// qconvRoundNeonQuantize: channels [0, neonChannels) round half up, the
// rest as the scalar MultiplyByQuantizedMultiplier. Bit-exact with
// qconvDepthwiseLoop.

// dwInt8FastOK reports whether the prepared quantized kernel can take the
// int8 3×3 fast path.
func (k *depthwiseConv2DKernel) dwInt8FastOK() bool {
	p := k.q
	return !k.reference && p != nil && p.inType == core.Int8 && !p.wide && p.rounding == qconvRoundNeonQuantize && k.mult == 1 &&
		k.h.filter == 3 && k.w.filter == 3 && k.h.dilation == 1 && k.w.dilation == 1 &&
		len(k.qacc) == k.outCh
}

// dwInt8Rows computes output rows [r0, r1) of the batch×out_h rows. b is
// the int32 bias (nil without one).
func (k *depthwiseConv2DKernel) dwInt8Rows(x, f, y []int8, b []int32, r0, r1 int) {
	p := k.q
	c := k.inCh
	inH, inW := k.h.in, k.w.in
	outH, outW := k.h.out, k.w.out
	rs := inW * c
	acc := k.qacc[:c]
	for r := r0; r < r1; r++ {
		bt, oy := r/outH, r%outH
		xb := x[bt*inH*rs : (bt+1)*inH*rs]
		yr := y[r*outW*c : (r+1)*outW*c]
		y0 := oy*k.h.stride - k.h.pad
		for ox := 0; ox < outW; ox++ {
			x0 := ox*k.w.stride - k.w.pad
			if y0 >= 0 && y0+3 <= inH && x0 >= 0 && x0+3 <= inW {
				dwInt8Acc3x3(acc, xb, (y0*inW+x0)*c, rs, f, p.inOffset, p.filterOff)
			} else {
				k.dwInt8AccEdge(acc, xb, f, y0, x0)
			}
			if b != nil {
				bb := b[:len(acc)]
				for i := range acc {
					acc[i] += bb[i]
				}
			}
			dwInt8Requant(p, acc, yr[ox*c:(ox+1)*c])
		}
	}
}

// dwInt8Acc3x3 sums one interior pixel's 9 taps per channel.
func dwInt8Acc3x3(acc []int32, x []int8, p, rs int, w []int8, inOff, fOff int32) {
	n := len(acc)
	q := p + rs
	r := q + rs
	x0, x1, x2 := x[p:][:n], x[p+n:][:n], x[p+2*n:][:n]
	x3, x4, x5 := x[q:][:n], x[q+n:][:n], x[q+2*n:][:n]
	x6, x7, x8 := x[r:][:n], x[r+n:][:n], x[r+2*n:][:n]
	w0, w1, w2 := w[:n], w[n:][:n], w[2*n:][:n]
	w3, w4, w5 := w[3*n:][:n], w[4*n:][:n], w[5*n:][:n]
	w6, w7, w8 := w[6*n:][:n], w[7*n:][:n], w[8*n:][:n]
	for i := range acc {
		s := (int32(x0[i]) + inOff) * (int32(w0[i]) + fOff)
		s += (int32(x1[i]) + inOff) * (int32(w1[i]) + fOff)
		s += (int32(x2[i]) + inOff) * (int32(w2[i]) + fOff)
		s += (int32(x3[i]) + inOff) * (int32(w3[i]) + fOff)
		s += (int32(x4[i]) + inOff) * (int32(w4[i]) + fOff)
		s += (int32(x5[i]) + inOff) * (int32(w5[i]) + fOff)
		s += (int32(x6[i]) + inOff) * (int32(w6[i]) + fOff)
		s += (int32(x7[i]) + inOff) * (int32(w7[i]) + fOff)
		s += (int32(x8[i]) + inOff) * (int32(w8[i]) + fOff)
		acc[i] = s
	}
}

// dwInt8AccEdge sums the taps of a pixel whose window crosses the border:
// only the taps inside the image, as the reference loop.
func (k *depthwiseConv2DKernel) dwInt8AccEdge(acc []int32, xb, f []int8, y0, x0 int) {
	p := k.q
	n := len(acc)
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	clear(acc)
	for fy := max(0, -y0); fy < min(kh, inH-y0); fy++ {
		for fx := max(0, -x0); fx < min(kw, inW-x0); fx++ {
			xs := xb[((y0+fy)*inW+x0+fx)*n:][:n]
			ws := f[(fy*kw+fx)*n:][:n]
			for i, v := range xs {
				acc[i] += (int32(v) + p.inOffset) * (int32(ws[i]) + p.filterOff)
			}
		}
	}
}

// dwInt8Requant is qconvParams.requant for a whole pixel of int8 outputs.
func dwInt8Requant(p *qconvParams, acc []int32, y []int8) {
	n := len(acc)
	y = y[:n]
	mult, shift := p.mult[:n], p.shift[:n]
	neon := min(p.neonChannels, n)
	lo, hi, off := p.actMin, p.actMax, p.outOffset
	for i := 0; i < neon; i++ {
		v := multiplyByQuantizedMultiplierNeon(acc[i], mult[i], shift[i]) + off
		y[i] = int8(min(max(v, lo), hi))
	}
	for i := neon; i < n; i++ {
		v := multiplyByQuantizedMultiplier(acc[i], mult[i], shift[i]) + off
		y[i] = int8(min(max(v, lo), hi))
	}
}
