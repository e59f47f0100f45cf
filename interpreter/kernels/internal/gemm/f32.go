package gemm

import (
	"errors"
	"fmt"
	"math"
)

// f32Kernel is one float32 microkernel: fn computes the mr×nr tile
//
//	c[i*ldc+j] = clamp(s[i][j] + Σ_k a[i*lda+k]·b[k*nr+j], lo, hi)
//
// from mr rows of A, read in place, and a packed B panel, for k ≥ 1, where
// s is bias[j], or the tile's previous c[i*ldc+j] when accumulate ≠ 0 (a
// later block of K).
type f32Kernel struct {
	mr, nr int
	fn     f32Func
	// tail, where set, gives the kernel for the last rows < mr of a block,
	// which reads and writes only those rows.
	tail func(rows int) f32Func
}

type f32Func = func(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, lo, hi float32, accumulate int)

// kcBytes bounds the part of a B panel one pass over a block of A rows
// uses (kc rows of the panel), so that it stays in L1 across the tiles.
const kcBytes = 24 << 10

// aBlockBytes bounds one block of A rows so that it stays in L2 while the
// B panels stream past it.
const aBlockBytes = 192 << 10

// F32Weights is a packed weight matrix B with the fused epilogue (bias and
// activation clamp) for one Impl. It is immutable after PackF32 and safe for
// concurrent Run calls with distinct scratch.
type F32Weights struct {
	impl   Impl
	kern   f32Kernel
	n, k   int
	panels int
	mc     int       // rows of A per block, a multiple of kern.mr
	kc     int       // depth of one K block
	data   []float32 // panels × k × nr
	bias   []float32 // panels × nr, zero padded
	lo, hi float32
}

// PackF32 packs b (n×k row-major, TFLite's [out][in] weights) for impl.
// bias (length n, or nil for none) is added to every output row, then
// outputs are clamped to [lo, hi] (use ±Inf for no activation).
func PackF32(impl Impl, b []float32, n, k int, bias []float32, lo, hi float32) (*F32Weights, error) {
	if !Supported(impl) {
		return nil, fmt.Errorf("gemm: %v kernels are not supported on this CPU or build", impl)
	}
	if n <= 0 || k <= 0 {
		return nil, fmt.Errorf("gemm: weight matrix is %d×%d; both sizes must be positive", n, k)
	}
	if n > math.MaxInt32/k || len(b) < n*k {
		return nil, fmt.Errorf("gemm: weight matrix %d×%d needs %d values, have %d", n, k, n*k, len(b))
	}
	if bias != nil && len(bias) < n {
		return nil, fmt.Errorf("gemm: bias has %d values for %d output channels", len(bias), n)
	}
	if lo > hi || lo != lo || hi != hi {
		return nil, fmt.Errorf("gemm: invalid activation range [%g, %g]", lo, hi)
	}
	kern := f32KernelFor(impl)
	w := &F32Weights{impl: impl, kern: kern, n: n, k: k, lo: lo, hi: hi}
	nr := kern.nr
	w.panels = (n + nr - 1) / nr
	// Split K into equal blocks of at most kcBytes of a B panel.
	kcMax := max(kcBytes/(4*nr), 1)
	blocks := (k + kcMax - 1) / kcMax
	w.kc = (k + blocks - 1) / blocks
	w.mc = blockRows(kern.mr, w.kc*4)
	w.data = make([]float32, w.panels*k*nr)
	w.bias = make([]float32, w.panels*nr)
	for p := range w.panels {
		dst := w.data[p*k*nr : (p+1)*k*nr]
		for j := range nr {
			col := p*nr + j
			if col >= n {
				break
			}
			row := b[col*k : col*k+k]
			for kk, v := range row {
				dst[kk*nr+j] = v
			}
			if bias != nil {
				w.bias[col] = bias[col]
			}
		}
	}
	return w, nil
}

// maxBlockRows caps a block of A rows for short rows, bounding the
// scratch (float32 edge columns take a block's rows × nr).
const maxBlockRows = 1024

// blockRows is the number of A rows (a multiple of mr) packed per block
// when one row takes rowBytes.
func blockRows(mr, rowBytes int) int {
	rows := min(aBlockBytes/rowBytes, maxBlockRows) / mr * mr
	return max(rows, mr)
}

// Impl is the implementation w was packed for.
func (w *F32Weights) Impl() Impl { return w.impl }

// N is the number of output channels (columns of C).
func (w *F32Weights) N() int { return w.n }

// K is the reduction depth (columns of A).
func (w *F32Weights) K() int { return w.k }

// ColAlign is the column granularity of Run: a column range must start at a
// multiple of it.
func (w *F32Weights) ColAlign() int { return w.kern.nr }

// RowAlign is the row granularity that wastes no work when rows are split
// between callers (any split is correct).
func (w *F32Weights) RowAlign() int { return w.kern.mr }

// ScratchLen is the number of float32 values of scratch one Run call needs.
func (w *F32Weights) ScratchLen() int {
	return w.kern.mr*w.k + w.mc*w.kern.nr
}

var errScratch = errors.New("gemm: scratch too small (see ScratchLen)")

// Run computes rows [m0, m1) and columns [n0, n1) of C = A·B with the
// fused epilogue. a is row-major with row stride lda (≥ K), c with row
// stride ldc (≥ N); both hold at least m1 rows. n0 must be a multiple of
// ColAlign. scratch holds ScratchLen values and must not be shared with a
// concurrent call. Run does not allocate.
func (w *F32Weights) Run(c []float32, ldc int, a []float32, lda int, m0, m1, n0, n1 int, scratch []float32) error {
	k, mr, nr := w.k, w.kern.mr, w.kern.nr
	if err := checkRun(w.n, k, nr, len(c), ldc, len(a), lda, m0, m1, n0, n1); err != nil {
		return err
	}
	if len(scratch) < w.ScratchLen() {
		return errScratch
	}
	if m0 == m1 || n0 == n1 {
		return nil
	}
	edge := scratch[:mr*k]
	strip := scratch[mr*k : mr*k+w.mc*nr]
	inf := float32(math.Inf(1))
	p0, p1 := n0/nr, (n1+nr-1)/nr
	for mb := m0; mb < m1; mb += w.mc {
		rows := min(w.mc, m1-mb)
		full, tiles := rows/mr, (rows+mr-1)/mr
		var tail f32Func
		if full < tiles && w.kern.tail != nil {
			tail = w.kern.tail(rows - full*mr)
		} else if full < tiles {
			// The kernel reads whole tiles: copy the last rows, zero padded.
			clear(edge)
			for i := range rows - full*mr {
				r := mb + full*mr + i
				copy(edge[i*k:(i+1)*k], a[r*lda:r*lda+k])
			}
		}
		for p := p0; p < p1; p++ {
			bias := &w.bias[p*nr]
			col := p * nr
			cols := min(nr, n1-col)
			// Tiles that do not fit C whole go through strip.
			direct := full
			if tail != nil {
				direct = tiles
			}
			if cols < nr {
				direct = 0
			}
			for kb := 0; kb < k; kb += w.kc {
				kl := min(w.kc, k-kb)
				lo, hi := -inf, inf // no clamp before the last block
				if kb+kl == k {
					lo, hi = w.lo, w.hi
				}
				acc := min(kb, 1)
				panel := &w.data[(p*k+kb)*nr]
				for t := range tiles {
					row := mb + t*mr
					fn, ap, alda := w.kern.fn, &edge[kb], k
					if t < full || tail != nil {
						ap, alda = &a[row*lda+kb], lda
					}
					if t == full && tail != nil {
						fn = tail
					}
					if t < direct {
						fn(kl, ap, alda, panel, &c[row*ldc+col], ldc, bias, lo, hi, acc)
					} else {
						fn(kl, ap, alda, panel, &strip[t*mr*nr], nr, bias, lo, hi, acc)
					}
				}
			}
			for t := direct; t < tiles; t++ {
				row := mb + t*mr
				for i := range min(mr, m1-row) {
					o := (row+i)*ldc + col
					copy(c[o:o+cols], strip[(t*mr+i)*nr:(t*mr+i)*nr+cols])
				}
			}
		}
	}
	return nil
}

// checkRun validates the operands of a Run call.
func checkRun(n, k, nr, lc, ldc, la, lda, m0, m1, n0, n1 int) error {
	if m0 < 0 || m1 < m0 || n0 < 0 || n1 < n0 || n1 > n {
		return fmt.Errorf("gemm: bad tile rows [%d,%d) columns [%d,%d) of N=%d", m0, m1, n0, n1, n)
	}
	if n0%nr != 0 && n0 != n1 {
		return fmt.Errorf("gemm: column start %d is not a multiple of %d", n0, nr)
	}
	if lda < k || ldc < n {
		return fmt.Errorf("gemm: strides lda=%d ldc=%d below K=%d N=%d", lda, ldc, k, n)
	}
	// Rows available, by division so that huge sizes cannot overflow.
	if m1 > 0 && (la < k || lc < n1 || m1-1 > (la-k)/lda || m1-1 > (lc-n1)/ldc) {
		return fmt.Errorf("gemm: %d rows of A (stride %d) and C (stride %d) need more than %d and %d values", m1, lda, ldc, la, lc)
	}
	return nil
}

// f32Portable is the Go microkernel: 4×8 tiles.
var f32Portable = f32Kernel{mr: 4, nr: 8, fn: f32Kernel4x8Go}

func f32Kernel4x8Go(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, lo, hi float32, accumulate int) {
	const mr, nr = 4, 8
	as := unsafeSlice(a, (mr-1)*lda+k)
	bs := unsafeSlice(b, k*nr)
	cs := unsafeSlice(c, (mr-1)*ldc+nr)
	a0, a1, a2, a3 := as[:k], as[lda:lda+k], as[2*lda:2*lda+k], as[3*lda:3*lda+k]
	var acc [mr][nr]float32
	for i := range mr {
		if accumulate != 0 {
			copy(acc[i][:], cs[i*ldc:i*ldc+nr])
		} else {
			copy(acc[i][:], unsafeSlice(bias, nr))
		}
	}
	for kk := range k {
		bv := bs[kk*nr : kk*nr+nr : kk*nr+nr]
		x0, x1, x2, x3 := a0[kk], a1[kk], a2[kk], a3[kk]
		for j := range nr {
			acc[0][j] += x0 * bv[j]
			acc[1][j] += x1 * bv[j]
			acc[2][j] += x2 * bv[j]
			acc[3][j] += x3 * bv[j]
		}
	}
	for i := range mr {
		for j := range nr {
			v := acc[i][j]
			v = max(v, lo)
			v = min(v, hi)
			cs[i*ldc+j] = v
		}
	}
}
