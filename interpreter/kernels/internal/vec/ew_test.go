package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ewValues returns n random values with NaN, ±Inf and ±0 sprinkled in.
func ewValues(rng *rand.Rand, n int) []float32 {
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1)), -3, 6}
	v := make([]float32, n)
	for i := range v {
		v[i] = rng.Float32()*20 - 10
		if rng.IntN(8) == 0 {
			v[i] = special[rng.IntN(len(special))]
		}
	}
	return v
}

// same reports whether a and b are equal or both NaN.
func same(a, b float32) bool { return a == b || (a != a && b != b) }

func scalarClamp(v, lo, hi float32) float32 {
	if v < lo {
		v = lo
	}
	if hi < v {
		v = hi
	}
	return v
}

// TestEwMatchesScalar compares each loop with the scalar arithmetic it
// documents on lengths around the vector width.
func TestEwMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	bounds := [][2]float32{{-math.MaxFloat32, math.MaxFloat32}, {0, 6}, {-1, 1}, {0, float32(math.Inf(1))}}
	for n := 0; n < 70; n++ {
		a, b := ewValues(rng, n), ewValues(rng, n)
		s := ewValues(rng, 1)[0]
		lh := bounds[n%len(bounds)]
		lo, hi := lh[0], lh[1]
		out := make([]float32, n)
		check := func(what string, want func(i int) float32) {
			t.Helper()
			for i := range out {
				if w := want(i); !same(out[i], w) {
					t.Fatalf("%s n=%d [%d]: %v, want %v", what, n, i, out[i], w)
				}
			}
		}
		ops := map[Op]func(x, y float32) float32{
			Add: func(x, y float32) float32 { return x + y },
			Sub: func(x, y float32) float32 { return x - y },
			Mul: func(x, y float32) float32 { return x * y },
		}
		for op, f := range ops {
			BinF32(op, out, a, b, lo, hi)
			check("BinF32", func(i int) float32 { return scalarClamp(f(a[i], b[i]), lo, hi) })
			BinScalarF32(op, out, a, s, lo, hi)
			check("BinScalarF32", func(i int) float32 { return scalarClamp(f(a[i], s), lo, hi) })
		}
		BinScalarF32(RSub, out, a, s, lo, hi)
		check("RSub", func(i int) float32 { return scalarClamp(s-a[i], lo, hi) })
		ClampF32(out, a, lo, hi)
		check("ClampF32", func(i int) float32 { return scalarClamp(a[i], lo, hi) })
		HardSwishF32(out, a)
		check("HardSwishF32", func(i int) float32 { return a[i] * min(6, max(0, a[i]+3)) / 6 })
		copy(out, a)
		MaxAccF32(out, b)
		check("MaxAccF32", func(i int) float32 {
			if a[i] < b[i] {
				return b[i]
			}
			return a[i]
		})
		copy(out, a)
		AddAccF32(out, b)
		check("AddAccF32", func(i int) float32 { return a[i] + b[i] })
		c, d := ewValues(rng, n), ewValues(rng, n)
		PreluF32(out, a, b)
		check("PreluF32", func(i int) float32 {
			if a[i] >= 0 {
				return a[i]
			}
			return a[i] * b[i]
		})
		copy(out, a)
		MulAddAccF32(out, b, c)
		check("MulAddAccF32", func(i int) float32 { return a[i] + float32(b[i]*c[i]) })
		ny, dy, nx, dx := rng.Float32(), rng.Float32(), rng.Float32(), rng.Float32()
		BilinearF32(out, a, b, c, d, ny, dy, nx, dx)
		check("BilinearF32", func(i int) float32 {
			t0 := float32(float32(a[i]*ny) * nx)
			t1 := float32(float32(b[i]*dy) * nx)
			t2 := float32(float32(c[i]*ny) * dx)
			t3 := float32(float32(d[i]*dy) * dx)
			return float32(float32(t0+t1)+t2) + t3
		})
	}
}

func TestEwAllocatesNothing(t *testing.T) {
	a, out := make([]float32, 37), make([]float32, 37)
	if n := testing.AllocsPerRun(10, func() {
		BinF32(Add, out, a, a, 0, 6)
		ClampF32(out, a, 0, 6)
		HardSwishF32(out, a)
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

// TestLogisticF32: the whole float32 range the approximation spans, from
// the subnormal results below -87 to the cutoff at 16.6, every 2^-10 in
// [-110, 20], plus NaN and ±Inf, against the reference formula with
// math.Exp: within 5e-7 relative, or one subnormal step.
func TestLogisticF32(t *testing.T) {
	var x []float32
	for v := float32(-110); v <= 20; v += 1.0 / 1024 {
		x = append(x, v)
	}
	x = append(x, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -88, 88, -87.33, -9, 16.619047164916992188, -1e-30, 0, float32(math.Copysign(0, -1)), 1e30, -1e30)
	out := make([]float32, len(x))
	LogisticF32(out, x)
	var worst float64
	for i, v := range x {
		want := logisticRef(v)
		got := out[i]
		if want != want {
			if got == got {
				t.Fatalf("logistic(%v) = %v, want NaN", v, got)
			}
			continue
		}
		d := math.Abs(float64(got) - float64(want))
		if d > 5e-7*math.Abs(float64(want))+1.5e-45 {
			t.Fatalf("logistic(%v) = %v, want %v (relative %.3g)", v, got, want, d/math.Abs(float64(want)))
		}
		if math.Abs(float64(want)) >= 0x1p-126 {
			worst = max(worst, d/math.Abs(float64(want)))
		}
	}
	t.Logf("worst relative error of normal results %.3g over %d values", worst, len(x))
}

// TestBilinearRow: the row loop equals BilinearF32 per pixel, for channel
// counts around the vector width; bad tables are refused.
func TestBilinearRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for it := 0; it < 100; it++ {
		ch := 1 + rng.IntN(20)
		inW := 1 + rng.IntN(6)
		npix := rng.IntN(9)
		rowLen := inW * ch
		var x0, x1 []int
		var dx []float32
		for j := 0; j < npix; j++ {
			a := rng.IntN(inW)
			x0 = append(x0, a*ch)
			x1 = append(x1, min(a+1, inW-1)*ch)
			dx = append(dx, rng.Float32())
		}
		r0, r1 := ewValues(rng, rowLen), ewValues(rng, rowLen)
		ny, dy := rng.Float32(), rng.Float32()
		row := NewBilinearRow(x0, x1, dx, ch, rowLen)
		out := make([]float32, npix*ch)
		if !row.Apply(out, r0, r1, ny, dy) {
			t.Fatalf("case %d refused", it)
		}
		want := make([]float32, ch)
		for j := 0; j < npix; j++ {
			a, b := x0[j], x1[j]
			BilinearF32(want, r0[a:a+ch], r1[a:a+ch], r0[b:b+ch], r1[b:b+ch], ny, dy, 1-dx[j], dx[j])
			for i := range want {
				if !same(out[j*ch+i], want[i]) {
					t.Fatalf("case %d pixel %d channel %d: %v, want %v", it, j, i, out[j*ch+i], want[i])
				}
			}
		}
		if npix > 0 && row.Apply(out, r0[:rowLen-1], r1, ny, dy) {
			t.Fatal("ran on a short input row")
		}
	}
	bad := NewBilinearRow([]int{0}, []int{8}, []float32{0.5}, 8, 8)
	if bad.Apply(make([]float32, 8), make([]float32, 16), make([]float32, 16), 1, 0) {
		t.Fatal("ran with a column beyond the row")
	}
}
