package vec

import "math"

// Op is the arithmetic of BinF32 and BinScalarF32.
type Op int

const (
	Add  Op = iota // a + b
	Sub            // a - b
	Mul            // a * b
	RSub           // b - a (BinScalarF32 only: the scalar minus a)
)

// clampF32 clamps v to [lo, hi], a NaN v staying NaN as in the assembly.
// Go's min and max compile without branches (which mispredict on data of
// random sign); they turn a -0 at a bound of 0 into +0, where the assembly
// keeps it, so with AVX2 the clamping loops run their last elements through
// the assembly too (padded to 8): a result never depends on where a range
// starts.
func clampF32(v, lo, hi float32) float32 { return min(max(v, lo), hi) }

// BinF32 sets out[i] = clamp(a[i] op b[i], lo, hi) for i < len(out); a and
// b must be at least as long as out (it panics otherwise, as indexing
// would).
func BinF32(op Op, out, a, b []float32, lo, hi float32) {
	n := len(out)
	a, b = a[:n], b[:n]
	if hasAVX2 && op <= Mul {
		i := n &^ 7
		if i > 0 {
			binAVX2(int(op), &out[0], &a[0], &b[0], i, lo, hi)
		}
		if i < n {
			var ta, tb, to [8]float32
			copy(ta[:], a[i:])
			copy(tb[:], b[i:])
			binAVX2(int(op), &to[0], &ta[0], &tb[0], 8, lo, hi)
			copy(out[i:], to[:])
		}
		return
	}
	i := 0
	switch op {
	case Add:
		for ; i < n; i++ {
			out[i] = clampF32(a[i]+b[i], lo, hi)
		}
	case Sub:
		for ; i < n; i++ {
			out[i] = clampF32(a[i]-b[i], lo, hi)
		}
	case Mul:
		for ; i < n; i++ {
			out[i] = clampF32(a[i]*b[i], lo, hi)
		}
	default:
		panic("vec: BinF32 with an unknown op")
	}
}

// BinScalarF32 sets out[i] = clamp(a[i] op s, lo, hi) (RSub: s - a[i]).
func BinScalarF32(op Op, out, a []float32, s float32, lo, hi float32) {
	n := len(out)
	a = a[:n]
	if hasAVX2 && op <= RSub {
		i := n &^ 7
		if i > 0 {
			binScalarAVX2(int(op), &out[0], &a[0], s, i, lo, hi)
		}
		if i < n {
			var ta, to [8]float32
			copy(ta[:], a[i:])
			binScalarAVX2(int(op), &to[0], &ta[0], s, 8, lo, hi)
			copy(out[i:], to[:])
		}
		return
	}
	i := 0
	switch op {
	case Add:
		for ; i < n; i++ {
			out[i] = clampF32(a[i]+s, lo, hi)
		}
	case Sub:
		for ; i < n; i++ {
			out[i] = clampF32(a[i]-s, lo, hi)
		}
	case Mul:
		for ; i < n; i++ {
			out[i] = clampF32(a[i]*s, lo, hi)
		}
	case RSub:
		for ; i < n; i++ {
			out[i] = clampF32(s-a[i], lo, hi)
		}
	default:
		panic("vec: BinScalarF32 with an unknown op")
	}
}

// ClampF32 sets out[i] = clamp(x[i], lo, hi) (RELU, RELU6, RELU_N1_TO_1).
func ClampF32(out, x []float32, lo, hi float32) {
	n := len(out)
	x = x[:n]
	if hasAVX2 {
		i := n &^ 7
		if i > 0 {
			clampAVX2(&out[0], &x[0], i, lo, hi)
		}
		if i < n {
			var tx, to [8]float32
			copy(tx[:], x[i:])
			clampAVX2(&to[0], &tx[0], 8, lo, hi)
			copy(out[i:], to[:])
		}
		return
	}
	for i := range out {
		out[i] = clampF32(x[i], lo, hi)
	}
}

// HardSwishF32 sets out[i] = v * min(6, max(0, v+3)) / 6 for v = x[i],
// each operation rounded to float32 in that order.
func HardSwishF32(out, x []float32) {
	n := len(out)
	x = x[:n]
	i := 0
	if hasAVX2 && n >= 8 {
		i = n &^ 7
		hardSwishAVX2(&out[0], &x[0], i)
	}
	for ; i < n; i++ {
		v := x[i]
		out[i] = v * clampF32(v+3, 0, 6) / 6
	}
}

// MaxAccF32 sets acc[i] = x[i] where acc[i] < x[i] (std::max(acc, x): a
// NaN in x is skipped, one in acc stays).
func MaxAccF32(acc, x []float32) {
	n := len(acc)
	x = x[:n]
	i := 0
	if hasAVX2 && n >= 8 {
		i = n &^ 7
		maxAccAVX2(&acc[0], &x[0], i)
	}
	for ; i < n; i++ {
		if acc[i] < x[i] {
			acc[i] = x[i]
		}
	}
}

// AddAccF32 sets acc[i] += x[i].
func AddAccF32(acc, x []float32) {
	n := len(acc)
	x = x[:n]
	i := 0
	if hasAVX2 && n >= 8 {
		i = n &^ 7
		addAccAVX2(&acc[0], &x[0], i)
	}
	for ; i < n; i++ {
		acc[i] += x[i]
	}
}

// BilinearF32 sets out[i] = ((p00[i]*ny*nx + p10[i]*dy*nx) + p01[i]*ny*dx)
// + p11[i]*dy*dx with every product and sum rounded to float32 in that
// order (TFLite's ResizeBilinear arithmetic).
func BilinearF32(out, p00, p10, p01, p11 []float32, ny, dy, nx, dx float32) {
	n := len(out)
	p00, p10, p01, p11 = p00[:n], p10[:n], p01[:n], p11[:n]
	i := 0
	if hasAVX2 && n >= 8 {
		i = n &^ 7
		bilinearAVX2(&out[0], &p00[0], &p10[0], &p01[0], &p11[0], i, ny, dy, nx, dx)
	}
	for ; i < n; i++ {
		t0 := float32(float32(p00[i]*ny) * nx)
		t1 := float32(float32(p10[i]*dy) * nx)
		t2 := float32(float32(p01[i]*ny) * dx)
		t3 := float32(float32(p11[i]*dy) * dx)
		out[i] = float32(float32(t0+t1)+t2) + t3
	}
}

// MulAddAccF32 sets acc[i] += x[i]*w[i], the product rounded to float32
// before the add (no fused multiply-add).
func MulAddAccF32(acc, x, w []float32) {
	n := len(acc)
	x, w = x[:n], w[:n]
	i := 0
	if hasAVX2 && n >= 8 {
		i = n &^ 7
		mulAddAccAVX2(&acc[0], &x[0], &w[0], i)
	}
	for ; i < n; i++ {
		acc[i] += float32(x[i] * w[i])
	}
}

// PreluF32 sets out[i] = x[i] if x[i] >= 0, else x[i]*alpha[i].
func PreluF32(out, x, alpha []float32) {
	n := len(out)
	x, alpha = x[:n], alpha[:n]
	i := 0
	if hasAVX2 && n >= 8 {
		i = n &^ 7
		preluAVX2(&out[0], &x[0], &alpha[0], i)
	}
	for ; i < n; i++ {
		if v := x[i]; v >= 0 {
			out[i] = v
		} else {
			out[i] = v * alpha[i]
		}
	}
}

// Constants of TFLite's float LOGISTIC (reference_ops::Logistic): above
// the upper cutoff the result is 1, below the lower one exp(x).
const (
	logisticCutoffUpper = float32(16.619047164916992188)
	logisticCutoffLower = float32(-9)
)

// LogisticF32 sets out[i] to TFLite's reference Logistic of x[i]. With
// AVX2 the exponential is a float32 polynomial (Cephes' expf) within 3e-7
// relative of the correctly rounded result (subnormal results within one
// subnormal step), the remainder of a multiple of 8 going through the same
// loop so that a value's result does not depend on where a range starts;
// otherwise math.Exp rounded to float32 as the reference kernel computes
// it.
func LogisticF32(out, x []float32) {
	n := len(out)
	x = x[:n]
	if hasAVX2 {
		i := n &^ 7
		if i > 0 {
			logisticAVX2(&out[0], &x[0], i)
		}
		if i < n {
			var buf [8]float32
			copy(buf[:], x[i:])
			logisticAVX2(&buf[0], &buf[0], 8)
			copy(out[i:], buf[:])
		}
		return
	}
	for i := 0; i < n; i++ {
		out[i] = logisticRef(x[i])
	}
}

func logisticRef(v float32) float32 {
	switch {
	case v > logisticCutoffUpper:
		return 1
	case v < logisticCutoffLower:
		return float32(math.Exp(float64(v)))
	}
	return 1 / (1 + float32(math.Exp(float64(-v))))
}

// BilinearRow is one output row's column interpolation for BilinearRowF32,
// checked once against the input row length.
type BilinearRow struct {
	tab        []int32 // per pixel: byte offsets of the two columns, dx, 1-dx
	x0, x1     []int   // element offsets of the two columns
	dx         []float32
	ch, rowLen int
	ok         bool
}

// NewBilinearRow prepares output pixels whose input columns start at
// element offsets x0[j] and x1[j] of an input row of rowLen elements, with
// weights 1-dx[j] and dx[j], ch channels each.
func NewBilinearRow(x0, x1 []int, dx []float32, ch, rowLen int) BilinearRow {
	r := BilinearRow{x0: x0, x1: x1, dx: dx, ch: ch, rowLen: rowLen, ok: len(x1) == len(x0) && len(dx) == len(x0) && ch > 0}
	for j := range x0 {
		if !r.ok {
			break
		}
		if x0[j] < 0 || x1[j] < 0 || x0[j]+ch > rowLen || x1[j]+ch > rowLen || 4*(rowLen) > 1<<31-1 {
			r.ok = false
			break
		}
		r.tab = append(r.tab, int32(4*x0[j]), int32(4*x1[j]), int32(math.Float32bits(dx[j])), int32(math.Float32bits(1-dx[j])))
	}
	return r
}

// Apply computes the row from input rows r0 and r1 (weights ny and dy)
// into out (len(x0)*ch elements) with BilinearF32's arithmetic, and
// reports whether it could (false: nothing written).
func (r *BilinearRow) Apply(out, r0, r1 []float32, ny, dy float32) bool {
	npix := len(r.x0)
	if !r.ok || len(r0) < r.rowLen || len(r1) < r.rowLen || len(out) < npix*r.ch {
		return false
	}
	if npix == 0 {
		return true
	}
	ch, ch8 := r.ch, r.ch&^7
	if hasAVX2 && ch8 > 0 {
		bilinearRowAVX2(&out[0], &r0[0], &r1[0], &r.tab[0], npix, ch, ch8, ny, dy)
	} else {
		ch8 = 0
	}
	if ch8 < ch {
		for j := 0; j < npix; j++ {
			a, b, dx := r.x0[j], r.x1[j], r.dx[j]
			BilinearF32(out[j*ch+ch8:(j+1)*ch], r0[a+ch8:a+ch], r1[a+ch8:a+ch], r0[b+ch8:b+ch], r1[b+ch8:b+ch], ny, dy, 1-dx, dx)
		}
	}
	return true
}
