//go:build purego || !amd64

package vec

const hasAVX2 = false

func dwK3AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32) {
	panic("vec: no AVX2 build")
}

func dwK5AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32) {
	panic("vec: no AVX2 build")
}

func binAVX2(op int, out, a, b *float32, n int, lo, hi float32) { panic("vec: no AVX2 build") }
func binScalarAVX2(op int, out, a *float32, s float32, n int, lo, hi float32) {
	panic("vec: no AVX2 build")
}
func clampAVX2(out, x *float32, n int, lo, hi float32) { panic("vec: no AVX2 build") }
func hardSwishAVX2(out, x *float32, n int)             { panic("vec: no AVX2 build") }
func maxAccAVX2(acc, x *float32, n int)                { panic("vec: no AVX2 build") }
func addAccAVX2(acc, x *float32, n int)                { panic("vec: no AVX2 build") }
func bilinearAVX2(out, p00, p10, p01, p11 *float32, n int, ny, dy, nx, dx float32) {
	panic("vec: no AVX2 build")
}

func mulAddAccAVX2(acc, x, w *float32, n int) { panic("vec: no AVX2 build") }

func preluAVX2(out, x, alpha *float32, n int) { panic("vec: no AVX2 build") }

func logisticAVX2(out, x *float32, n int) { panic("vec: no AVX2 build") }

func dwI8K3AVX2(acc *int32, x, w *int8, n8, cs, rs int, inOff, fOff int32) {
	panic("vec: no AVX2 build")
}

func requantI8AVX2(y *int8, acc, mult, left, right, right1, rmask *int32, n8 int, off, lo, hi int32) {
	panic("vec: no AVX2 build")
}

func bilinearRowAVX2(out, r0, r1 *float32, tab *int32, npix, ch, ch8 int, ny, dy float32) {
	panic("vec: no AVX2 build")
}
