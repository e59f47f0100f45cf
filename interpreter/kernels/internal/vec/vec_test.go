package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// dwRef is DWF32's contract as a scalar loop.
func dwRef(out, x, w, b []float32, c, rs, kh, kw, xstep, npix int, lo, hi float32) {
	for j := 0; j < npix; j++ {
		for i := 0; i < c; i++ {
			var s float32
			for fy := 0; fy < kh; fy++ {
				for fx := 0; fx < kw; fx++ {
					s += float32(x[j*xstep+fy*rs+fx*c+i] * w[(fy*kw+fx)*c+i])
				}
			}
			v := s + b[i]
			if v < lo {
				v = lo
			}
			if hi < v {
				v = hi
			}
			out[j*c+i] = v
		}
	}
}

func TestDWF32MatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for it := 0; it < 300; it++ {
		c := 1 + rng.IntN(40)
		kw := 3 + 2*rng.IntN(2)
		kh := 1 + rng.IntN(5)
		npix := 1 + rng.IntN(6)
		xstep := c * (1 + rng.IntN(2))
		rs := (npix*xstep/c + kw + rng.IntN(3)) * c
		x := make([]float32, (npix-1)*xstep+(kh-1)*rs+kw*c)
		w := make([]float32, kh*kw*c)
		b := make([]float32, c)
		for _, v := range [][]float32{x, w, b} {
			for i := range v {
				v[i] = rng.Float32()*4 - 2
			}
		}
		if it%10 == 0 {
			x[rng.IntN(len(x))] = float32(math.NaN())
			x[rng.IntN(len(x))] = float32(math.Inf(1))
		}
		lo, hi := float32(-math.MaxFloat32), float32(math.MaxFloat32)
		if it%3 == 1 {
			lo, hi = 0, 6
		}
		got := make([]float32, npix*c)
		want := make([]float32, npix*c)
		done := DWF32(got, x, w, b, c, rs, kh, kw, xstep, npix, lo, hi)
		if done != 0 && done != c&^7 {
			t.Fatalf("DWF32 did %d of %d channels", done, c)
		}
		dwRef(want, x, w, b, c, rs, kh, kw, xstep, npix, lo, hi)
		for j := 0; j < npix; j++ {
			for i := 0; i < done; i++ {
				g, e := got[j*c+i], want[j*c+i]
				if g != e && !(g != g && e != e) {
					t.Fatalf("case %d (c %d, %dx%d, %d pixels): pixel %d channel %d: %v, want %v", it, c, kh, kw, npix, j, i, g, e)
				}
			}
			for i := done; i < c; i++ {
				if got[j*c+i] != 0 {
					t.Fatalf("channel %d beyond the %d done was written", i, done)
				}
			}
		}
	}
}

// TestDWF32RejectsShortSlices: a slice too short for the geometry makes
// DWF32 do nothing instead of reading or writing out of bounds.
func TestDWF32RejectsShortSlices(t *testing.T) {
	c, kh, kw, npix := 8, 3, 3, 2
	x := make([]float32, (npix-1)*c+(kh-1)*4*c+kw*c)
	w := make([]float32, kh*kw*c)
	b := make([]float32, c)
	out := make([]float32, npix*c)
	if DWF32(out[:len(out)-1], x, w, b, c, 4*c, kh, kw, c, npix, 0, 6) != 0 ||
		DWF32(out, x[:len(x)-1], w, b, c, 4*c, kh, kw, c, npix, 0, 6) != 0 ||
		DWF32(out, x, w[:len(w)-1], b, c, 4*c, kh, kw, c, npix, 0, 6) != 0 ||
		DWF32(out, x, w, b[:c-1], c, 4*c, kh, kw, c, npix, 0, 6) != 0 {
		t.Fatal("DWF32 ran on a short slice")
	}
	if hasAVX2 && DWF32(out, x, w, b, c, 4*c, kh, kw, c, npix, 0, 6) != 8 {
		t.Fatal("DWF32 refused valid slices")
	}
}
