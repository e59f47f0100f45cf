package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

var edgeSizes = []int{1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 255, 513}

type shape struct{ m, n, k int }

// testShapes covers every edge size in each dimension, paired with random
// others, keeping the naive reference affordable.
func testShapes(r *rand.Rand) []shape {
	var out []shape
	pick := func() int { return edgeSizes[r.IntN(len(edgeSizes))] }
	for _, s := range edgeSizes {
		for range 3 {
			for {
				a, b := pick(), pick()
				if s*a*b > 3<<20 {
					continue
				}
				out = append(out, shape{s, a, b}, shape{a, s, b}, shape{a, b, s})
				break
			}
		}
	}
	return out
}

func randF32(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = r.Float32()*2 - 1
	}
	return v
}

func randI8(r *rand.Rand, n int) []int8 {
	v := make([]int8, n)
	for i := range v {
		v[i] = int8(r.IntN(256) - 128)
	}
	return v
}

// refF32 is the naive product in float64, with the bound of its rounding
// error for float32 summation in any order.
func refF32(a []float32, lda int, b []float32, bias []float32, m, n, k int, lo, hi float32) (c, tol []float64) {
	c = make([]float64, m*n)
	tol = make([]float64, m*n)
	for i := range m {
		for j := range n {
			s, abs := 0.0, 0.0
			if bias != nil {
				s, abs = float64(bias[j]), math.Abs(float64(bias[j]))
			}
			for kk := range k {
				p := float64(a[i*lda+kk]) * float64(b[j*k+kk])
				s += p
				abs += math.Abs(p)
			}
			c[i*n+j] = math.Min(math.Max(s, float64(lo)), float64(hi))
			tol[i*n+j] = abs*float64(k+2)*0x1p-24 + 1e-30
		}
	}
	return c, tol
}

func TestF32MatchesReference(t *testing.T) {
	for _, impl := range Impls() {
		t.Run(impl.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(impl)))
			for _, s := range testShapes(r) {
				m, n, k := s.m, s.n, s.k
				lda, ldc := k+r.IntN(3), n+r.IntN(3)
				a := randF32(r, m*lda)
				b := randF32(r, n*k)
				var bias []float32
				if r.IntN(2) == 0 {
					bias = randF32(r, n)
				}
				lo, hi := float32(math.Inf(-1)), float32(math.Inf(1))
				if r.IntN(2) == 0 {
					lo, hi = -0.5, 0.5
				}
				w, err := PackF32(impl, b, n, k, bias, lo, hi)
				if err != nil {
					t.Fatal(err)
				}
				if r.IntN(3) == 0 {
					// Small K blocks, to test accumulation across blocks in
					// every kernel (the packed depth only blocks large K).
					w.kc = 1 + r.IntN(k)
				}
				const sentinel = 12345
				c := make([]float32, (m-1)*ldc+n+1)
				for i := range c {
					c[i] = sentinel
				}
				scratch := make([]float32, w.ScratchLen())
				// Two row ranges and two column ranges, as split workers would.
				mSplit := r.IntN(m + 1)
				nSplit := r.IntN(n/w.ColAlign()+1) * w.ColAlign()
				for _, rows := range [][2]int{{0, mSplit}, {mSplit, m}} {
					for _, cols := range [][2]int{{0, nSplit}, {nSplit, n}} {
						if err := w.Run(c, ldc, a, lda, rows[0], rows[1], cols[0], cols[1], scratch); err != nil {
							t.Fatal(err)
						}
					}
				}
				want, tol := refF32(a, lda, b, bias, m, n, k, lo, hi)
				for i := range m {
					for j := range ldc {
						o := i*ldc + j
						if o >= len(c) {
							break
						}
						if j >= n {
							if c[o] != sentinel {
								t.Fatalf("%v: wrote C[%d][%d] past N", s, i, j)
							}
							continue
						}
						if d := math.Abs(float64(c[o]) - want[i*n+j]); !(d <= tol[i*n+j]) {
							t.Fatalf("%v: C[%d][%d] = %g, want %g ± %g", s, i, j, c[o], want[i*n+j], tol[i*n+j])
						}
					}
				}
				if c[len(c)-1] != sentinel {
					t.Fatalf("%v: wrote past the last row", s)
				}
			}
		})
	}
}

// TFLite's requantization, written from interpreter/kernels/quantmath.go.
func refQuantizeMultiplier(m float64) (int32, int32) {
	frac, exp := math.Frexp(m)
	q := int64(math.Round(frac * (1 << 31)))
	if q == 1<<31 {
		q /= 2
		exp++
	}
	return int32(q), int32(exp)
}

func refSRDHM(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - 1<<30
	}
	return int32((ab + nudge) / (1 << 31))
}

func refRDBPOT(x int32, e int) int32 {
	mask := int32(1)<<e - 1
	rem := x & mask
	thr := mask >> 1
	if x < 0 {
		thr++
	}
	r := x >> e
	if rem > thr {
		r++
	}
	return r
}

func refMBQM(x, q int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	return refRDBPOT(refSRDHM(x*(int32(1)<<left), q), right)
}

// refMBQMHalfUp is the NEON requantization (quantmath.go's
// multiplyByQuantizedMultiplierNeon): the same doubling high multiply, then
// a right shift rounding half up in exact arithmetic.
func refMBQMHalfUp(x, q int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	v := refSRDHM(x*(int32(1)<<left), q)
	if right == 0 {
		return v
	}
	return int32((int64(v) + int64(1)<<(right-1)) >> right)
}

func refRequant(x, q int32, shift int, r Rounding) int32 {
	if r == RoundHalfUp {
		return refMBQMHalfUp(x, q, shift)
	}
	return refMBQM(x, q, shift)
}

// negShift is PackI8's rqNeg for a rounding and right shift.
func negShift(r Rounding, right int32) int32 {
	if r == RoundReference && right > 0 {
		return 31
	}
	return 32
}

func refI8(a []int8, lda int, b []int8, m, n, k int, p I8Params) []int8 {
	c := make([]int8, m*n)
	for i := range m {
		for j := range n {
			var acc int32
			for kk := range k {
				acc += (int32(a[i*lda+kk]) - p.InputZeroPoint) * (int32(b[j*k+kk]) - p.WeightZeroPoint)
			}
			if p.Bias != nil {
				acc += p.Bias[j]
			}
			ch := 0
			if len(p.Multiplier) > 1 {
				ch = j
			}
			v := refRequant(acc, p.Multiplier[ch], int(p.Shift[ch]), p.Rounding) + p.OutputZeroPoint
			c[i*n+j] = int8(min(max(v, p.Min), p.Max))
		}
	}
	return c
}

func randI8Params(r *rand.Rand, n, k int) I8Params {
	p := I8Params{InputZeroPoint: int32(r.IntN(256) - 128), OutputZeroPoint: int32(r.IntN(256) - 128), Min: -128, Max: 127,
		Rounding: Rounding(r.IntN(2))}
	if r.IntN(2) == 0 {
		p.WeightZeroPoint = int32(r.IntN(256) - 128)
	}
	if r.IntN(3) == 0 {
		p.Min, p.Max = int32(r.IntN(100)-100), int32(r.IntN(100))
	}
	if r.IntN(4) != 0 {
		p.Bias = make([]int32, n)
		for i := range p.Bias {
			p.Bias[i] = int32(r.IntN(1<<16) - 1<<15)
		}
	}
	ch := n
	if r.IntN(3) == 0 {
		ch = 1
	}
	if r.IntN(8) == 0 {
		// Extremes: any bias, shift and multiplier TFLite can produce, so
		// accumulators wrap and the rounding shift sees |x| ≥ 2^30.
		for i := range p.Bias {
			p.Bias[i] = int32(r.Uint32())
		}
		for range ch {
			p.Multiplier = append(p.Multiplier, int32(1<<30+r.IntN(1<<30)))
			p.Shift = append(p.Shift, int32(r.IntN(62)-31))
		}
		return p
	}
	// Scales around the ones that map the accumulator range onto int8,
	// some above 1 for left shifts.
	for range ch {
		scale := math.Exp2(r.Float64()*14-10) / math.Sqrt(float64(k)) / 128
		if r.IntN(8) == 0 {
			scale = math.Exp2(r.Float64() * 4)
		}
		q, s := refQuantizeMultiplier(scale)
		p.Multiplier = append(p.Multiplier, q)
		p.Shift = append(p.Shift, s)
	}
	return p
}

func TestI8BitExact(t *testing.T) {
	for _, impl := range Impls() {
		t.Run(impl.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(2, uint64(impl)))
			inside, total := 0, 0
			for _, s := range testShapes(r) {
				m, n, k := s.m, s.n, s.k
				lda, ldc := k+r.IntN(3), n+r.IntN(3)
				a := randI8(r, m*lda)
				b := randI8(r, n*k)
				p := randI8Params(r, n, k)
				w, err := PackI8(impl, b, n, k, p)
				if err != nil {
					t.Fatal(err)
				}
				const sentinel = 99
				c := make([]int8, (m-1)*ldc+n+1)
				for i := range c {
					c[i] = sentinel
				}
				scratch := make([]int32, w.ScratchLen())
				mSplit := r.IntN(m + 1)
				nSplit := r.IntN(n/w.ColAlign()+1) * w.ColAlign()
				for _, rows := range [][2]int{{0, mSplit}, {mSplit, m}} {
					for _, cols := range [][2]int{{0, nSplit}, {nSplit, n}} {
						if err := w.Run(c, ldc, a, lda, rows[0], rows[1], cols[0], cols[1], scratch); err != nil {
							t.Fatal(err)
						}
					}
				}
				want := refI8(a, lda, b, m, n, k, p)
				for i := range m {
					for j := range min(ldc, len(c)-i*ldc) {
						o := i*ldc + j
						if j >= n {
							if c[o] != sentinel {
								t.Fatalf("%v: wrote C[%d][%d] past N", s, i, j)
							}
							continue
						}
						if c[o] != want[i*n+j] {
							t.Fatalf("%v za=%d zb=%d: C[%d][%d] = %d, want %d", s, p.InputZeroPoint, p.WeightZeroPoint, i, j, c[o], want[i*n+j])
						}
						if c[o] > int8(p.Min) && c[o] < int8(p.Max) {
							inside++
						}
						total++
					}
				}
				if c[len(c)-1] != sentinel {
					t.Fatalf("%v: wrote past the last row", s)
				}
			}
			// Most outputs must land inside the clamp, or the test would
			// not see requantization errors.
			if inside < total/4 {
				t.Errorf("only %d of %d outputs inside the activation range", inside, total)
			}
		})
	}
}

// TestI8Saturation drives the accumulators to their extremes: all -128
// activations and weights with large zero points, and the saturating
// corner of the doubling multiply.
func TestI8Saturation(t *testing.T) {
	for _, impl := range Impls() {
		m, n, k := 9, 33, 513
		a := make([]int8, m*k)
		b := make([]int8, n*k)
		for i := range a {
			a[i] = -128
		}
		for i := range b {
			b[i] = int8(127 - 255*(i%2))
		}
		p := I8Params{InputZeroPoint: 127, WeightZeroPoint: -128, Min: -128, Max: 127}
		for j := range n {
			q, s := refQuantizeMultiplier(math.Exp2(float64(j%20 - 22)))
			p.Multiplier = append(p.Multiplier, q)
			p.Shift = append(p.Shift, s)
		}
		w, err := PackI8(impl, b, n, k, p)
		if err != nil {
			t.Fatal(err)
		}
		c := make([]int8, m*n)
		if err := w.Run(c, n, a, k, 0, m, 0, n, make([]int32, w.ScratchLen())); err != nil {
			t.Fatal(err)
		}
		want := refI8(a, k, b, m, n, k, p)
		for i := range c {
			if c[i] != want[i] {
				t.Fatalf("%v: C[%d] = %d, want %d", impl, i, c[i], want[i])
			}
		}
	}
	if got, want := mulByQuantizedMultiplier(math.MinInt32, math.MaxInt32, 0, 0, 32), refMBQM(math.MinInt32, math.MaxInt32, 0); got != want {
		t.Errorf("saturating corner: got %d", got)
	}
}

func TestMulByQuantizedMultiplier(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	xs := []int32{0, 1, -1, 2, -2, math.MaxInt32, math.MinInt32, math.MinInt32 + 1, 1 << 30, -1 << 30, 1<<30 - 1, -1<<30 + 1}
	for range 2000 {
		xs = append(xs, int32(r.Uint32()), int32(r.IntN(1<<16)-1<<15))
	}
	qs := []int32{0, 1, 1 << 30, math.MaxInt32, 1<<30 + 1}
	for range 20 {
		qs = append(qs, int32(r.Uint32()>>1))
	}
	for _, rd := range []Rounding{RoundReference, RoundHalfUp} {
		for shift := -31; shift <= 30; shift++ {
			left, right := int32(max(shift, 0)), int32(max(-shift, 0))
			for _, q := range qs {
				for _, x := range xs {
					if got, want := mulByQuantizedMultiplier(x, q, left, right, negShift(rd, right)), refRequant(x, q, shift, rd); got != want {
						t.Fatalf("rounding %d x=%d q=%d shift=%d: got %d, want %d", rd, x, q, shift, got, want)
					}
				}
			}
		}
	}
}

func TestErrors(t *testing.T) {
	b := make([]float32, 6)
	if _, err := PackF32(Portable, b, 2, 4, nil, 0, 1); err == nil {
		t.Error("PackF32 accepted 6 values for 2×4")
	}
	if _, err := PackF32(Portable, b, 0, 4, nil, 0, 1); err == nil {
		t.Error("PackF32 accepted N=0")
	}
	if _, err := PackF32(Portable, b, 2, 3, nil, 1, 0); err == nil {
		t.Error("PackF32 accepted lo > hi")
	}
	if _, err := PackF32(Impl(200), b, 2, 3, nil, 0, 1); err == nil {
		t.Error("PackF32 accepted an unknown Impl")
	}
	w, err := PackF32(Portable, b, 2, 3, nil, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	a, c, s := make([]float32, 12), make([]float32, 8), make([]float32, w.ScratchLen())
	for _, tc := range []struct {
		name                     string
		c, a, s                  []float32
		ldc, lda, m0, m1, n0, n1 int
	}{
		{"short scratch", c, a, s[:1], 2, 3, 0, 4, 0, 2},
		{"short A", c, a[:5], s, 2, 3, 0, 4, 0, 2},
		{"short C", c[:3], a, s, 2, 3, 0, 4, 0, 2},
		{"small lda", c, a, s, 2, 2, 0, 4, 0, 2},
		{"columns past N", c, a, s, 2, 3, 0, 4, 0, 3},
		{"reversed rows", c, a, s, 2, 3, 3, 1, 0, 2},
		{"unaligned column", c, a, s, 2, 3, 0, 4, 1, 2},
		{"huge rows", c, a, s, 2, 3, 0, math.MaxInt / 2, 0, 2},
		{"huge stride", c, a, s, 2, math.MaxInt / 2, 0, 4, 0, 2},
	} {
		if err := w.Run(tc.c, tc.ldc, tc.a, tc.lda, tc.m0, tc.m1, tc.n0, tc.n1, tc.s); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	bi := make([]int8, 6)
	good := I8Params{Multiplier: []int32{1 << 30}, Shift: []int32{0}, Min: -128, Max: 127}
	for name, p := range map[string]I8Params{
		"no multiplier": {Min: -128, Max: 127},
		"shift range":   {Multiplier: []int32{1 << 30}, Shift: []int32{31}, Min: -128, Max: 127},
		"clamp range":   {Multiplier: []int32{1 << 30}, Shift: []int32{0}, Min: -129, Max: 127},
		"two of three":  {Multiplier: []int32{1, 1}, Shift: []int32{0, 0}, Min: -128, Max: 127},
		"short bias":    {Bias: []int32{1}, Multiplier: []int32{1 << 30}, Shift: []int32{0}, Min: -128, Max: 127},
	} {
		if _, err := PackI8(Portable, bi, 3, 2, p); err == nil {
			t.Errorf("PackI8 %s: no error", name)
		}
	}
	if _, err := PackI8(Portable, bi, 3, 2, good); err != nil {
		t.Errorf("PackI8: %v", err)
	}
}

func TestRunDoesNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	m, n, k := 37, 70, 45
	for _, impl := range Impls() {
		wf, err := PackF32(impl, randF32(r, n*k), n, k, nil, -1, 1)
		if err != nil {
			t.Fatal(err)
		}
		a, c, s := randF32(r, m*k), make([]float32, m*n), make([]float32, wf.ScratchLen())
		if got := testing.AllocsPerRun(10, func() { _ = wf.Run(c, n, a, k, 0, m, 0, n, s) }); got != 0 {
			t.Errorf("%v float32: %v allocations per Run", impl, got)
		}
		wi, err := PackI8(impl, randI8(r, n*k), n, k, I8Params{Multiplier: []int32{1 << 30}, Shift: []int32{-8}, Min: -128, Max: 127})
		if err != nil {
			t.Fatal(err)
		}
		ai, ci, si := randI8(r, m*k), make([]int8, m*n), make([]int32, wi.ScratchLen())
		if got := testing.AllocsPerRun(10, func() { _ = wi.Run(ci, n, ai, k, 0, m, 0, n, si) }); got != 0 {
			t.Errorf("%v int8: %v allocations per Run", impl, got)
		}
	}
}

func TestImpls(t *testing.T) {
	impls := Impls()
	if len(impls) == 0 || impls[0] != Portable || Best() != impls[len(impls)-1] {
		t.Fatalf("Impls() = %v, Best() = %v", impls, Best())
	}
	t.Logf("supported: %v", impls)
	if s := fmt.Sprint(Impl(99)); s != "Impl(99)" {
		t.Errorf("String = %q", s)
	}
}

// TestF32EveryRowCount runs every tail kernel (rows < mr), with and without
// K blocks and edge columns.
func TestF32EveryRowCount(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, impl := range Impls() {
		for _, n := range []int{32, 35} {
			k := 37
			b, bias := randF32(r, n*k), randF32(r, n)
			w, err := PackF32(impl, b, n, k, bias, -3, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, kc := range []int{k, 10} {
				w.kc = kc
				for m := 1; m <= 2*w.RowAlign()+1; m++ {
					a := randF32(r, m*k)
					c := make([]float32, m*n)
					if err := w.Run(c, n, a, k, 0, m, 0, n, make([]float32, w.ScratchLen())); err != nil {
						t.Fatal(err)
					}
					want, tol := refF32(a, k, b, bias, m, n, k, -3, 3)
					for i := range c {
						if d := math.Abs(float64(c[i]) - want[i]); !(d <= tol[i]) {
							t.Fatalf("%v m=%d n=%d kc=%d: C[%d] = %g, want %g", impl, m, n, kc, i, c[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestI8EveryRowCount runs every row count of a tile, with edge columns.
func TestI8EveryRowCount(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	for _, impl := range Impls() {
		for _, n := range []int{32, 35} {
			k := 37
			b := randI8(r, n*k)
			p := randI8Params(r, n, k)
			p.Bias = nil
			w, err := PackI8(impl, b, n, k, p)
			if err != nil {
				t.Fatal(err)
			}
			for m := 1; m <= 2*w.RowAlign()+1; m++ {
				a := randI8(r, m*k)
				c := make([]int8, m*n)
				if err := w.Run(c, n, a, k, 0, m, 0, n, make([]int32, w.ScratchLen())); err != nil {
					t.Fatal(err)
				}
				want := refI8(a, k, b, m, n, k, p)
				for i := range c {
					if c[i] != want[i] {
						t.Fatalf("%v m=%d n=%d: C[%d] = %d, want %d", impl, m, n, i, c[i], want[i])
					}
				}
			}
		}
	}
}

// TestI8Uint8Mapping checks the package doc's recipe for uint8 tensors
// against a reference computed on the uint8 values.
func TestI8Uint8Mapping(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	m, n, k := 19, 37, 45
	au, bu := make([]uint8, m*k), make([]uint8, n*k)
	for i := range au {
		au[i] = uint8(r.IntN(256))
	}
	for i := range bu {
		bu[i] = uint8(r.IntN(256))
	}
	za, zb, zo, lo, hi := int32(131), int32(117), int32(140), int32(0), int32(200)
	q, s := refQuantizeMultiplier(0.0013)
	want := make([]uint8, m*n)
	for i := range m {
		for j := range n {
			var acc int32
			for kk := range k {
				acc += (int32(au[i*k+kk]) - za) * (int32(bu[j*k+kk]) - zb)
			}
			v := refMBQM(acc, q, int(s)) + zo
			want[i*n+j] = uint8(min(max(v, lo), hi))
		}
	}
	flip := func(u []uint8) []int8 {
		out := make([]int8, len(u))
		for i, v := range u {
			out[i] = int8(v ^ 0x80)
		}
		return out
	}
	for _, impl := range Impls() {
		w, err := PackI8(impl, flip(bu), n, k, I8Params{InputZeroPoint: za - 128, WeightZeroPoint: zb - 128,
			Multiplier: []int32{q}, Shift: []int32{s}, OutputZeroPoint: zo - 128, Min: lo - 128, Max: hi - 128})
		if err != nil {
			t.Fatal(err)
		}
		c := make([]int8, m*n)
		if err := w.Run(c, n, flip(au), k, 0, m, 0, n, make([]int32, w.ScratchLen())); err != nil {
			t.Fatal(err)
		}
		for i, v := range c {
			if uint8(v)^0x80 != want[i] {
				t.Fatalf("%v: C[%d] = %d, want %d", impl, i, uint8(v)^0x80, want[i])
			}
		}
	}
}

// FuzzRunArgs feeds Run arbitrary ranges, strides and buffer sizes: it must
// return an error or compute, never panic or touch memory out of bounds.
func FuzzRunArgs(f *testing.F) {
	f.Add(0, 5, 0, 9, 9, 7, 45, 35, 200)
	f.Add(3, 2, 0, 9, 9, 7, 45, 35, 200)
	f.Add(0, 5, 8, 9, 9, 7, 45, 35, 200)
	f.Add(0, 5, 0, 9, -9, 7, 45, 35, 200)
	f.Add(0, math.MaxInt/2, 0, 9, 1<<30, 1<<30, 45, 35, 200)
	f.Add(0, 5, 0, 9, 9, 7, 44, 34, 1)
	w, err := PackF32(Best(), make([]float32, 9*7), 9, 7, nil, -1, 1)
	if err != nil {
		f.Fatal(err)
	}
	wi, err := PackI8(Best(), make([]int8, 9*7), 9, 7, I8Params{Multiplier: []int32{1 << 30}, Shift: []int32{0}, Min: -128, Max: 127})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, m0, m1, n0, n1, ldc, lda, lc, la, ls int) {
		lc, la, ls = min(max(lc, 0), 1<<12), min(max(la, 0), 1<<12), min(max(ls, 0), 1<<16)
		_ = w.Run(make([]float32, lc), ldc, make([]float32, la), lda, m0, m1, n0, n1, make([]float32, ls))
		_ = wi.Run(make([]int8, lc), ldc, make([]int8, la), lda, m0, m1, n0, n1, make([]int32, ls))
	})
}

// TestF32NaN checks that NaN passes the activation clamp, as in TFLite's
// std::min(std::max(x, lo), hi), in every kernel.
func TestF32NaN(t *testing.T) {
	m, n, k := 9, 33, 5
	for _, impl := range Impls() {
		w, err := PackF32(impl, make([]float32, n*k), n, k, nil, -1, 1)
		if err != nil {
			t.Fatal(err)
		}
		a := make([]float32, m*k)
		a[3*k+2] = float32(math.NaN()) // row 3: NaN·0 = NaN
		c := make([]float32, m*n)
		if err := w.Run(c, n, a, k, 0, m, 0, n, make([]float32, w.ScratchLen())); err != nil {
			t.Fatal(err)
		}
		for i, v := range c {
			if nan := i/n == 3; nan != math.IsNaN(float64(v)) {
				t.Fatalf("%v: C[%d] = %g", impl, i, v)
			}
		}
	}
}

// TestI8RoundingTies puts exact ties (h = odd·2^(right-1), negative and
// positive) and their neighbours under every right shift in every column
// position of every kernel, for both roundings: the two differ only on
// negative ties, which random data rarely hits.
func TestI8RoundingTies(t *testing.T) {
	const m, k = 11, 3
	var bias []int32
	var shifts []int32
	for right := int32(1); right <= 30; right++ {
		for _, sign := range []int32{1, -1} {
			for _, odd := range []int32{1, 3} {
				if right == 30 && odd == 3 {
					continue // 3·2^30 does not fit
				}
				tie := sign * odd << right // 2h: the doubling multiply by 2^30 halves it
				for _, d := range []int32{0, 2, -2} {
					bias = append(bias, tie+d)
					shifts = append(shifts, -right)
				}
			}
		}
	}
	n := len(bias)
	mults := make([]int32, n)
	for i := range mults {
		mults[i] = 1 << 30
	}
	r := rand.New(rand.NewPCG(9, 9))
	a := randI8(r, m*k)
	b := make([]int8, n*k) // zero weights: the accumulator is the bias
	for _, impl := range Impls() {
		for _, rd := range []Rounding{RoundReference, RoundHalfUp} {
			// Output zero point -100 and a clamp wide enough for the
			// small results; large ones clamp either way.
			p := I8Params{Bias: bias, Multiplier: mults, Shift: shifts, OutputZeroPoint: 0, Min: -128, Max: 127, Rounding: rd}
			w, err := PackI8(impl, b, n, k, p)
			if err != nil {
				t.Fatal(err)
			}
			c := make([]int8, m*n)
			if err := w.Run(c, n, a, k, 0, m, 0, n, make([]int32, w.ScratchLen())); err != nil {
				t.Fatal(err)
			}
			differ := 0
			for i := range m {
				for j := range n {
					want := int8(min(max(refRequant(bias[j], mults[j], int(shifts[j]), rd), -128), 127))
					if c[i*n+j] != want {
						t.Fatalf("%v rounding %d: acc %d shift %d: got %d, want %d", impl, rd, bias[j], shifts[j], c[i*n+j], want)
					}
					if refMBQM(bias[j], mults[j], int(shifts[j])) != refMBQMHalfUp(bias[j], mults[j], int(shifts[j])) {
						differ++
					}
				}
			}
			if differ == 0 {
				t.Fatal("no tie where the roundings differ")
			}
		}
	}
}
