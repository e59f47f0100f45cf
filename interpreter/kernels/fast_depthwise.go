package kernels

import "github.com/edgelite/edgelite/interpreter/kernels/internal/vec"

// Fast float32 DEPTHWISE_CONV_2D for a depth multiplier of 1 and no
// dilation. Per output row, the run of columns whose window lies inside
// the image horizontally goes to vec.DWF32 (AVX2: 8 channels at a time,
// 3- and 5-wide filters, over the filter rows inside the image), its
// remaining channels to dwF32WindowTail; the border columns take the
// reference order per pixel with vectorised taps (dwFloatPixel). Without
// AVX2 (or with fewer than 8 channels) the columns run in Go with the taps
// unrolled (3×3 fully, other widths one filter row at a time), the
// accumulator kept in a register. Everywhere the sum runs over the same
// taps in the same (filter_y, filter_x) order and starts from zero as the
// reference loop does, with products rounded to float32 before the add (no
// fused multiply-add), then the bias and the clamp, so the result equals
// the reference kernel's (a -0 at a clamp bound of 0 may come out +0, see
// fastClamp).

// dwFastOK reports whether the prepared float kernel can take the fast path.
func (k *depthwiseConv2DKernel) dwFastOK() bool {
	return !k.reference && k.mult == 1 && k.h.dilation == 1 && k.w.dilation == 1
}

// dwFloatRows computes output rows [r0, r1) of the batch×out_h rows of a
// float32 depthwise convolution with a depth multiplier of 1. b has outCh
// elements (zeros when the op has no bias). The row range lets a thread pool
// split the work; rows are independent.
func (k *depthwiseConv2DKernel) dwFloatRows(x, f, b, y []float32, r0, r1 int) {
	c := k.inCh
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	outH, outW := k.h.out, k.w.out
	rs := inW * c
	b = b[:c]
	// Output columns [oxA, oxB) have their whole window inside the image
	// horizontally.
	oxA := min(outW, (k.w.pad+k.w.stride-1)/k.w.stride)
	oxB := 0
	if inW-kw+k.w.pad >= 0 {
		oxB = min(outW, (inW-kw+k.w.pad)/k.w.stride+1)
	}
	oxB = max(oxA, oxB)
	for r := r0; r < r1; r++ {
		bt, oy := r/outH, r%outH
		xb := x[bt*inH*rs : (bt+1)*inH*rs]
		yr := y[r*outW*c : (r+1)*outW*c]
		y0 := oy*k.h.stride - k.h.pad
		fy0, fy1 := max(0, -y0), min(kh, inH-y0)
		ox := 0
		if fy0 < fy1 && oxA < oxB {
			// The vectorised loop takes the interior run's first channels
			// in blocks of 8, over the filter rows inside the image (all
			// but at the top and bottom); the rest continue below.
			x0 := oxA*k.w.stride - k.w.pad
			npix := oxB - oxA
			xr := xb[((y0+fy0)*inW+x0)*c:]
			fr := f[fy0*kw*c:]
			done := vec.DWF32(yr[oxA*c:], xr, fr, b, c, rs, fy1-fy0, kw, k.w.stride*c, npix, k.lo, k.hi)
			if done > 0 {
				for ox := 0; ox < oxA; ox++ {
					k.dwFloatPixel(xb, f, b, yr[ox*c:(ox+1)*c], y0, ox*k.w.stride-k.w.pad)
				}
				if done < c {
					for j := 0; j < npix; j++ {
						o := (oxA + j) * c
						dwF32WindowTail(yr[o+done:o+c], xr[j*k.w.stride*c+done:], c, rs, fy1-fy0, kw, fr[done:], b[done:], k.lo, k.hi)
					}
				}
				ox = oxB
			}
		}
		for ; ox < outW; ox++ {
			x0 := ox*k.w.stride - k.w.pad
			acc := yr[ox*c : (ox+1)*c]
			if x0 < 0 || x0+kw > inW || fy0 >= fy1 {
				k.dwFloatPixel(xb, f, b, acc, y0, x0)
				continue
			}
			if kh == 3 && kw == 3 && fy0 == 0 && fy1 == 3 {
				dwF32Pixel3x3(acc, xb, (y0*inW+x0)*c, rs, f, b, k.lo, k.hi)
				continue
			}
			for fy := fy0; fy < fy1; fy++ {
				p := ((y0+fy)*inW + x0) * c
				w := f[fy*kw*c : (fy+1)*kw*c]
				switch kw {
				case 3:
					dwF32Row3(acc, xb[p:p+3*c], w, fy == fy0)
				case 5:
					dwF32Row5(acc, xb[p:p+5*c], w, fy == fy0)
				default:
					dwF32RowN(acc, xb[p:p+kw*c], w, kw, fy == fy0)
				}
			}
			dwF32BiasClamp(acc, b, k.lo, k.hi)
		}
	}
}

// dwF32WindowTail computes the channels of out (the last of a pixel's c
// channels) over kh filter rows of kw taps inside the image: x and w start
// at the first of those channels and rows, pixels and taps c apart, input
// rows rs apart.
func dwF32WindowTail(out, x []float32, c, rs, kh, kw int, w, b []float32, lo, hi float32) {
	for i := range out {
		var s float32
		for fy := 0; fy < kh; fy++ {
			for fx := 0; fx < kw; fx++ {
				s += float32(x[fy*rs+fx*c+i] * w[(fy*kw+fx)*c+i])
			}
		}
		out[i] = fastClamp(s+b[i], lo, hi)
	}
}

// dwFloatPixel is the reference loop for one output pixel (multiplier 1,
// no dilation): the taps inside the image, in order.
func (k *depthwiseConv2DKernel) dwFloatPixel(xb, f, b, acc []float32, y0, x0 int) {
	c := k.inCh
	inH, inW, kh, kw := k.h.in, k.w.in, k.h.filter, k.w.filter
	clear(acc)
	for fy := max(0, -y0); fy < min(kh, inH-y0); fy++ {
		for fx := max(0, -x0); fx < min(kw, inW-x0); fx++ {
			vec.MulAddAccF32(acc, xb[((y0+fy)*inW+x0+fx)*c:], f[(fy*kw+fx)*c:])
		}
	}
	vec.BinF32(vec.Add, acc, acc, b, k.lo, k.hi)
}

// dwF32BiasClamp adds the bias and applies the activation clamp.
func dwF32BiasClamp(acc, b []float32, lo, hi float32) {
	b = b[:len(acc)]
	for i, v := range acc {
		acc[i] = fastClamp(v+b[i], lo, hi)
	}
}

// dwF32Pixel3x3 computes one interior output pixel of a 3×3 filter: x[p:][:n]
// is the window's top-left pixel, rs the input row stride, w the filter
// [9][c]. Every operand is its own slice of len(out) so that the compiler
// drops the bounds checks; the float32 conversions keep Go from fusing
// multiply-adds.
func dwF32Pixel3x3(out, x []float32, p, rs int, w, b []float32, lo, hi float32) {
	n := len(out)
	q := p + rs
	r := q + rs
	x0, x1, x2 := x[p:][:n], x[p+n:][:n], x[p+2*n:][:n]
	x3, x4, x5 := x[q:][:n], x[q+n:][:n], x[q+2*n:][:n]
	x6, x7, x8 := x[r:][:n], x[r+n:][:n], x[r+2*n:][:n]
	w0, w1, w2 := w[:n], w[n:][:n], w[2*n:][:n]
	w3, w4, w5 := w[3*n:][:n], w[4*n:][:n], w[5*n:][:n]
	w6, w7, w8 := w[6*n:][:n], w[7*n:][:n], w[8*n:][:n]
	b = b[:n]
	for i := range out {
		s := 0 + float32(x0[i]*w0[i])
		s += float32(x1[i] * w1[i])
		s += float32(x2[i] * w2[i])
		s += float32(x3[i] * w3[i])
		s += float32(x4[i] * w4[i])
		s += float32(x5[i] * w5[i])
		s += float32(x6[i] * w6[i])
		s += float32(x7[i] * w7[i])
		s += float32(x8[i] * w8[i])
		out[i] = fastClamp(s+b[i], lo, hi)
	}
}

// dwF32Row3 adds one filter row of 3 taps to acc (or starts it from zero
// when first): x holds the 3 input pixels, w the 3 taps' channels.
func dwF32Row3(acc, x, w []float32, first bool) {
	n := len(acc)
	x0, x1, x2 := x[:][:n], x[n:][:n], x[2*n:][:n]
	w0, w1, w2 := w[:n], w[n:][:n], w[2*n:][:n]
	if first {
		clear(acc)
	}
	for i := range acc {
		s := acc[i]
		s += float32(x0[i] * w0[i])
		s += float32(x1[i] * w1[i])
		s += float32(x2[i] * w2[i])
		acc[i] = s
	}
}

// dwF32Row5 is dwF32Row3 for 5 taps.
func dwF32Row5(acc, x, w []float32, first bool) {
	n := len(acc)
	x0, x1, x2, x3, x4 := x[:][:n], x[n:][:n], x[2*n:][:n], x[3*n:][:n], x[4*n:][:n]
	w0, w1, w2, w3, w4 := w[:n], w[n:][:n], w[2*n:][:n], w[3*n:][:n], w[4*n:][:n]
	if first {
		clear(acc)
	}
	for i := range acc {
		s := acc[i]
		s += float32(x0[i] * w0[i])
		s += float32(x1[i] * w1[i])
		s += float32(x2[i] * w2[i])
		s += float32(x3[i] * w3[i])
		s += float32(x4[i] * w4[i])
		acc[i] = s
	}
}

// dwF32RowN is dwF32Row3 for kw taps.
func dwF32RowN(acc, x, w []float32, kw int, first bool) {
	n := len(acc)
	if first {
		clear(acc)
	}
	for t := 0; t < kw; t++ {
		xs := x[t*n : (t+1)*n]
		ws := w[t*n : (t+1)*n]
		for i, v := range xs {
			acc[i] += float32(v * ws[i])
		}
	}
}
