package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDWI8Acc3x3MatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for it := 0; it < 300; it++ {
		cs := 1 + rng.IntN(70)
		n := 1 + rng.IntN(cs)
		rs := cs * (3 + rng.IntN(3))
		p := rng.IntN(3 * cs)
		x := make([]int8, p+2*rs+2*cs+n+rng.IntN(3))
		w := make([]int8, 8*cs+n)
		for i := range x {
			x[i] = int8(rng.IntN(256) - 128)
		}
		for i := range w {
			w[i] = int8(rng.IntN(256) - 128)
		}
		inOff, fOff := int32(rng.IntN(256)-128), int32(0)
		if it%3 == 0 {
			fOff = int32(rng.IntN(256) - 128)
		}
		acc := make([]int32, n)
		done := DWI8Acc3x3(acc, x, p, cs, rs, w, inOff, fOff)
		if hasAVX2 && done != n&^7 {
			t.Fatalf("did %d of %d channels", done, n)
		}
		for i := 0; i < done; i++ {
			var s int32
			for fy := 0; fy < 3; fy++ {
				for fx := 0; fx < 3; fx++ {
					s += (int32(x[p+fy*rs+fx*cs+i]) + inOff) * (int32(w[(fy*3+fx)*cs+i]) + fOff)
				}
			}
			if acc[i] != s {
				t.Fatalf("case %d channel %d: %d, want %d", it, i, acc[i], s)
			}
		}
		if n8 := n &^ 7; n8 > 0 {
			need := p + 2*rs + 2*cs + n8
			if DWI8Acc3x3(acc, x[:need-1], p, cs, rs, w, inOff, fOff) != 0 || DWI8Acc3x3(acc, x, p, cs, rs, w[:8*cs+n8-1], inOff, fOff) != 0 {
				t.Fatal("ran on a short slice")
			}
		}
	}
}

// mbqmNeon is TFLite's vectorised MultiplyByQuantizedMultiplier as the
// kernels package implements it (quantmath.go), restated for this test.
func mbqmNeon(x, q int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	a := x * (int32(1) << left)
	var v int32
	if a == q && a == math.MinInt32 {
		v = math.MaxInt32
	} else {
		ab := int64(a) * int64(q)
		nudge := int64(1 << 30)
		if ab < 0 {
			nudge = 1 - 1<<30
		}
		v = int32((ab + nudge) / (1 << 31))
	}
	if right == 0 {
		return v
	}
	return int32((int64(v) + int64(1)<<(right-1)) >> right)
}

// TestRequantI8MatchesScalar: random and extreme accumulators (including
// the int32 limits and exact halves), multipliers and shifts of both
// signs, offsets and clamps.
func TestRequantI8MatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for it := 0; it < 400; it++ {
		c := 8 * (1 + rng.IntN(10))
		mult := make([]int32, c)
		shift := make([]int, c)
		for i := range mult {
			mult[i] = int32(1<<30 + rng.IntN(1<<30))
			if rng.IntN(10) == 0 {
				mult[i] = 1 << 30
			}
			shift[i] = rng.IntN(40) - 31
			if rng.IntN(5) == 0 {
				shift[i] = 0
			}
			if shift[i] > 8 {
				shift[i] = rng.IntN(3)
			}
		}
		r := NewRequantI8(mult, shift)
		c0 := 8 * rng.IntN(c/8)
		n := c - c0
		acc := make([]int32, n)
		for i := range acc {
			switch rng.IntN(6) {
			case 0:
				acc[i] = []int32{math.MinInt32, math.MaxInt32, 0, -1, 1}[rng.IntN(5)]
			case 1:
				acc[i] = int32(rng.IntN(1<<16)-1<<15)&^255 | 128
			default:
				acc[i] = int32(rng.Uint32())
			}
		}
		off := int32(rng.IntN(256) - 128)
		lo, hi := int32(-128), int32(127)
		if it%2 == 1 {
			lo, hi = int32(rng.IntN(100)-128), int32(rng.IntN(100)+27)
		}
		y := make([]int8, n)
		done := r.Apply(y, acc, c0, off, lo, hi)
		if hasAVX2 && done != n {
			t.Fatalf("did %d of %d channels", done, n)
		}
		for i := 0; i < done; i++ {
			want := min(max(mbqmNeon(acc[i], mult[c0+i], shift[c0+i])+off, lo), hi)
			if int32(y[i]) != want {
				t.Fatalf("case %d channel %d: acc %d mult %d shift %d: %d, want %d", it, c0+i, acc[i], mult[c0+i], shift[c0+i], y[i], want)
			}
		}
	}
}
