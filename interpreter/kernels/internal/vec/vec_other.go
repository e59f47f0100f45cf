//go:build purego || !amd64

package vec

const hasAVX2 = false

func dwK3AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32) {
	panic("vec: no AVX2 build")
}

func dwK5AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32) {
	panic("vec: no AVX2 build")
}
