//go:build !purego

package vec

import "golang.org/x/sys/cpu"

// hasAVX2 is fixed at start-up from the CPU's features.
var hasAVX2 = cpu.X86.HasAVX2

// dwK3AVX2 and dwK5AVX2 are DWF32's loops for kw 3 and 5 (vec_amd64.s);
// c8 > 0 and npix > 0, every access checked by DWF32.
//
//go:noescape
func dwK3AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32)

//go:noescape
func dwK5AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32)

// The elementwise loops (ew_amd64.s): n is a positive multiple of 8 and
// every slice holds n elements.

//go:noescape
func binAVX2(op int, out, a, b *float32, n int, lo, hi float32)

//go:noescape
func binScalarAVX2(op int, out, a *float32, s float32, n int, lo, hi float32)

//go:noescape
func clampAVX2(out, x *float32, n int, lo, hi float32)

//go:noescape
func hardSwishAVX2(out, x *float32, n int)

//go:noescape
func maxAccAVX2(acc, x *float32, n int)

//go:noescape
func addAccAVX2(acc, x *float32, n int)

//go:noescape
func bilinearAVX2(out, p00, p10, p01, p11 *float32, n int, ny, dy, nx, dx float32)

//go:noescape
func mulAddAccAVX2(acc, x, w *float32, n int)

//go:noescape
func preluAVX2(out, x, alpha *float32, n int)

//go:noescape
func logisticAVX2(out, x *float32, n int)

// dwI8K3AVX2 is DWI8Acc3x3's loop (dwi8_amd64.s); n8 > 0, every access
// checked by DWI8Acc3x3.
//
//go:noescape
func dwI8K3AVX2(acc *int32, x, w *int8, n8, cs, rs int, inOff, fOff int32)

//go:noescape
func requantI8AVX2(y *int8, acc, mult, left, right, right1, rmask *int32, n8 int, off, lo, hi int32)

//go:noescape
func bilinearRowAVX2(out, r0, r1 *float32, tab *int32, npix, ch, ch8 int, ny, dy float32)
