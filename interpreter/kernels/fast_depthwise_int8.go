package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
)

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
		k.h.filter == 3 && k.w.filter == 3 && k.h.dilation == 1 && k.w.dilation == 1
}

// dwInt8Chunk is how many channels dwInt8Rows accumulates at a time, in a
// stack buffer so that concurrent calls on disjoint rows share nothing.
const dwInt8Chunk = 128

// dwInt8Rows computes output rows [r0, r1) of the batch×out_h rows. b is
// the int32 bias (nil without one). Calls on disjoint row ranges may run
// concurrently.
func (k *depthwiseConv2DKernel) dwInt8Rows(x, f, y []int8, b []int32, r0, r1 int) {
	p := k.q
	c := k.inCh
	inH, inW := k.h.in, k.w.in
	outH, outW := k.h.out, k.w.out
	rs := inW * c
	var buf [dwInt8Chunk]int32
	for r := r0; r < r1; r++ {
		bt, oy := r/outH, r%outH
		xb := x[bt*inH*rs : (bt+1)*inH*rs]
		yr := y[r*outW*c : (r+1)*outW*c]
		y0 := oy*k.h.stride - k.h.pad
		for ox := 0; ox < outW; ox++ {
			x0 := ox*k.w.stride - k.w.pad
			interior := y0 >= 0 && y0+3 <= inH && x0 >= 0 && x0+3 <= inW
			for c0 := 0; c0 < c; c0 += dwInt8Chunk {
				acc := buf[:min(dwInt8Chunk, c-c0)]
				if interior {
					dwInt8Acc3x3(acc, xb, (y0*inW+x0)*c+c0, c, rs, f[c0:], p.inOffset, p.filterOff)
				} else {
					k.dwInt8AccEdge(acc, xb[c0:], f[c0:], y0, x0)
				}
				if b != nil {
					bb := b[c0:][:len(acc)]
					for i := range acc {
						acc[i] += bb[i]
					}
				}
				dwInt8Output(p, &k.i8rq, acc, yr[ox*c+c0:][:len(acc)], c0)
			}
		}
	}
}

// dwInt8Acc3x3 sums one interior pixel's 9 taps for len(acc) channels:
// x[p:] is the window's top-left pixel at that first channel, pixels (and
// the filter's taps) cs apart, rows rs apart.
func dwInt8Acc3x3(acc []int32, x []int8, p, cs, rs int, w []int8, inOff, fOff int32) {
	// The vectorised loop takes whole blocks of 8 channels.
	done := vec.DWI8Acc3x3(acc, x, p, cs, rs, w, inOff, fOff)
	acc, p, w = acc[done:], p+done, w[done:]
	n := len(acc)
	if n == 0 {
		return
	}
	q := p + rs
	r := q + rs
	x0, x1, x2 := x[p:][:n], x[p+cs:][:n], x[p+2*cs:][:n]
	x3, x4, x5 := x[q:][:n], x[q+cs:][:n], x[q+2*cs:][:n]
	x6, x7, x8 := x[r:][:n], x[r+cs:][:n], x[r+2*cs:][:n]
	w0, w1, w2 := w[:n], w[cs:][:n], w[2*cs:][:n]
	w3, w4, w5 := w[3*cs:][:n], w[4*cs:][:n], w[5*cs:][:n]
	w6, w7, w8 := w[6*cs:][:n], w[7*cs:][:n], w[8*cs:][:n]
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

// dwInt8AccEdge sums the taps of a pixel whose window crosses the border,
// for len(acc) channels (xb and f start at the first of them): only the
// taps inside the image, as the reference loop.
func (k *depthwiseConv2DKernel) dwInt8AccEdge(acc []int32, xb, f []int8, y0, x0 int) {
	p := k.q
	n, c := len(acc), k.inCh
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	clear(acc)
	for fy := max(0, -y0); fy < min(kh, inH-y0); fy++ {
		for fx := max(0, -x0); fx < min(kw, inW-x0); fx++ {
			xs := xb[((y0+fy)*inW+x0+fx)*c:][:n]
			ws := f[(fy*kw+fx)*c:][:n]
			for i, v := range xs {
				acc[i] += (int32(v) + p.inOffset) * (int32(ws[i]) + p.filterOff)
			}
		}
	}
}

// dwInt8Output requantizes len(acc) channels from c0 on: those below
// neonChannels (a multiple of 8, rounding half up) in the vector loop where
// there is one, the rest with dwInt8Requant.
func dwInt8Output(p *qconvParams, rq *vec.RequantI8, acc []int32, y []int8, c0 int) {
	done := 0
	if nv := min(len(acc), p.neonChannels-c0); nv > 0 {
		done = rq.Apply(y, acc[:nv], c0, p.outOffset, p.actMin, p.actMax)
	}
	dwInt8Requant(p, acc[done:], y[done:], c0+done)
}

// dwInt8Requant is qconvParams.requant for len(acc) int8 outputs from
// channel c0 on.
func dwInt8Requant(p *qconvParams, acc []int32, y []int8, c0 int) {
	n := len(acc)
	y = y[:n]
	mult, shift := p.mult[c0:][:n], p.shift[c0:][:n]
	neon := min(max(p.neonChannels-c0, 0), n)
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
