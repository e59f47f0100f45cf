// Package vec holds vectorised float32 loops for the kernels package: the
// depthwise convolution's channel loop and the elementwise clamp-and-combine
// loops. Each function checks its slices, runs the assembly where the CPU
// has it (amd64 with AVX2), and otherwise reports that it did nothing or
// runs a portable loop, as documented per function. The `purego` build tag
// keeps every loop in Go.
//
// The arithmetic is the scalar kernels': products are rounded before they
// are added (no fused multiply-add) in the same order, so results are
// bit-identical to a Go loop, except the clamp: max(v, lo) and min(v, hi)
// keep a NaN and may keep a -0 where Go's max gives +0.
package vec

// DWF32 computes channels [0, c8) of npix consecutive output pixels of a
// float32 depthwise convolution (depth multiplier 1) whose windows lie
// inside the image, and returns c8, a multiple of 8 (0 when it did
// nothing; the caller computes the channels from the returned count on).
//
// Output pixel j is out[j*c:], its window's top-left input pixel
// x[j*xstep:]; input rows are rs elements apart and pixels c apart; the
// filter w is [kh][kw][c] with kw 3 or 5 and b the c biases. Per channel
// the sum starts from 0 and adds the taps in (filter_y, filter_x) order,
// then the bias; the result is clamped to [lo, hi].
func DWF32(out, x, w, b []float32, c, rs, kh, kw, xstep, npix int, lo, hi float32) int {
	c8 := c &^ 7
	if !hasAVX2 || c8 == 0 || npix <= 0 || kh <= 0 || (kw != 3 && kw != 5) || xstep < 0 || rs < kw*c {
		return 0
	}
	if len(out) < npix*c || len(w) < kh*kw*c || len(b) < c ||
		len(x) < (npix-1)*xstep+(kh-1)*rs+kw*c {
		return 0
	}
	if kw == 3 {
		dwK3AVX2(&out[0], &x[0], &w[0], &b[0], c8, c, rs, kh, xstep, npix, lo, hi)
	} else {
		dwK5AVX2(&out[0], &x[0], &w[0], &b[0], c8, c, rs, kh, xstep, npix, lo, hi)
	}
	return c8
}

// Accelerated reports whether the loops run vectorised on this CPU and
// build (otherwise they are plain Go loops).
func Accelerated() bool { return hasAVX2 }
