package gemm

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"
)

// aFormat is how an int8 kernel wants A packed.
type aFormat uint8

const (
	aInt8  aFormat = iota // as is
	aUint8                // a+128 as uint8 (VPDPBUSD's unsigned operand)
	aInt16                // sign-extended to int16
)

// i8Kernel is one int8 microkernel: fn writes the raw int32 dot products of
// an mr×nr tile,
//
//	c[i*ldc+j] = Σ_g Σ_q a[i*lda+g*kg+q] · b[(g*nr+j)*kg+q]
//
// for g < groups ≥ 1, from mr rows of A in the kernel's aFormat (lda in
// elements of that format) and a packed int8 B panel.
type i8Kernel struct {
	mr, nr, kg int
	a          aFormat
	fn         func(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)
	// fused, where set, replaces fn and requantRow: it requantizes the tile
	// with the panel's block q and row terms (mr values) and stores rows
	// < rows and the columns set in colMask to c as int8. fusedRows gives
	// the fused kernel that computes only rows < mr rows.
	fused     i8FusedFunc
	fusedRows func(rows int) i8FusedFunc
	// requant, where set, replaces requantRow: it requantizes rows ≥ 1 rows
	// of fn's tile (ldc = nr) with the panel's block q and row terms into
	// out, nr bytes a row.
	requant func(acc *int32, rows int, q, rowTerm *int32, zp, lo, hi int32, out *int8)
	// packU8, where set, packs rows ≥ 1 rows of A in the aUint8 format
	// (stride kp; bytes k to kp arbitrary).
	packU8 func(dst, src unsafe.Pointer, rows, k, lda, kp int)
}

type i8FusedFunc = func(groups int, a unsafe.Pointer, lda int, b *int8, c *int8, ldc int, q, rowTerm *int32, zp, lo, hi int32, colMask uint32, rows int)

// Rounding is how the requantization's final right shift rounds.
type Rounding uint8

const (
	// RoundReference is TFLite's reference MultiplyByQuantizedMultiplier:
	// RoundingDivideByPOT rounds half away from zero.
	RoundReference Rounding = iota
	// RoundHalfUp rounds the right shift half up (toward +∞), as ARM's
	// SRSHL does: TFLite's optimized int8 CONV_2D and FULLY_CONNECTED
	// (ruy) requantize this way.
	RoundHalfUp
)

// I8Params is the quantization of an int8 GEMM, as TFLite's CONV_2D and
// FULLY_CONNECTED use it: acc = bias[n] + Σ_k (a-InputZeroPoint)·(b-
// WeightZeroPoint) in int32, then
// MultiplyByQuantizedMultiplier(acc, Multiplier[n], Shift[n]) +
// OutputZeroPoint, clamped to [Min, Max]. Rounding selects how the
// multiplier's right shift rounds (both after the same saturating rounding
// doubling high multiply).
type I8Params struct {
	Bias            []int32 // length N, or nil for none
	InputZeroPoint  int32
	WeightZeroPoint int32
	// Multiplier and Shift are TFLite's QuantizeMultiplier results, per
	// output channel (length N) or per tensor (length 1). A positive shift
	// is a left shift.
	Multiplier      []int32
	Shift           []int32
	OutputZeroPoint int32
	Min, Max        int32 // activation clamp, within [-128, 127]
	Rounding        Rounding
}

// I8Weights is a packed int8 weight matrix B with its requantization for
// one Impl. It is immutable after PackI8 and safe for concurrent Run calls
// with distinct scratch.
type I8Weights struct {
	impl       Impl
	kern       i8Kernel
	n, k, kp   int // kp: k rounded up to kern.kg
	panels, mc int
	data       []int8
	// rq holds each panel's requantization block (see rq* offsets).
	rq            []int32
	rowScale      int32 // -WeightZeroPoint: row term = rowScale·Σa
	outZP, lo, hi int32
	aBytes        int // bytes per packed A element
}

// A panel's requantization block, nr values each: the column term (bias and
// zero points), left shift, right shift, its rounding mask and threshold
// ((1<<right)-1 and half of it), the multiplier, and the rounding's
// negative-tie shift (31 where negative values raise the threshold by one,
// rounding half away from zero; 32, which shifts the sign bit out, for
// half up or no right shift), padded so that the assembly may load the
// multipliers from one element past the start.
const (
	rqTerm = iota
	rqLeft
	rqRight
	rqMask
	rqThr
	rqMult
	rqNeg
	rqArrays
	rqPad = 16
)

// PackI8 packs b (n×k row-major int8, TFLite's [out][in] weights) with its
// quantization for impl.
func PackI8(impl Impl, b []int8, n, k int, q I8Params) (*I8Weights, error) {
	if !Supported(impl) {
		return nil, fmt.Errorf("gemm: %v kernels are not supported on this CPU or build", impl)
	}
	if n <= 0 || k <= 0 {
		return nil, fmt.Errorf("gemm: weight matrix is %d×%d; both sizes must be positive", n, k)
	}
	if n > math.MaxInt32/k || len(b) < n*k {
		return nil, fmt.Errorf("gemm: weight matrix %d×%d needs %d values, have %d", n, k, n*k, len(b))
	}
	if q.Bias != nil && len(q.Bias) < n {
		return nil, fmt.Errorf("gemm: bias has %d values for %d output channels", len(q.Bias), n)
	}
	if (len(q.Multiplier) != 1 && len(q.Multiplier) < n) || len(q.Shift) != len(q.Multiplier) {
		return nil, fmt.Errorf("gemm: %d multipliers and %d shifts for %d output channels", len(q.Multiplier), len(q.Shift), n)
	}
	if q.Rounding > RoundHalfUp {
		return nil, fmt.Errorf("gemm: unknown rounding %d", q.Rounding)
	}
	if q.Min > q.Max || q.Min < math.MinInt8 || q.Max > math.MaxInt8 {
		return nil, fmt.Errorf("gemm: invalid int8 activation range [%d, %d]", q.Min, q.Max)
	}
	for i, s := range q.Shift {
		if s < -31 || s > 30 {
			return nil, fmt.Errorf("gemm: shift %d of channel %d outside TFLite's [-31, 30]", s, i)
		}
		if q.Multiplier[i] < 0 {
			return nil, fmt.Errorf("gemm: negative multiplier %d of channel %d", q.Multiplier[i], i)
		}
	}
	kern := i8KernelFor(impl)
	nr, kg := kern.nr, kern.kg
	w := &I8Weights{impl: impl, kern: kern, n: n, k: k, kp: (k + kg - 1) / kg * kg,
		rowScale: -q.WeightZeroPoint, outZP: q.OutputZeroPoint, lo: q.Min, hi: q.Max}
	w.aBytes = 1
	if kern.a == aInt16 {
		w.aBytes = 2
	}
	w.panels = (n + nr - 1) / nr
	w.mc = blockRows(kern.mr, w.kp*w.aBytes)
	w.data = make([]int8, w.panels*w.kp*nr)
	stride := rqArrays*nr + rqPad
	w.rq = make([]int32, w.panels*stride)
	// The packed product sees a' = a+shift for the kernel's A format.
	var aShift int32
	if kern.a == aUint8 {
		aShift = 128
	}
	za, zb := q.InputZeroPoint, q.WeightZeroPoint
	for col := range n {
		p, j := col/nr, col%nr
		dst := w.data[p*w.kp*nr:]
		row := b[col*k : col*k+k]
		var sum int32
		for kk, v := range row {
			dst[(kk/kg*nr+j)*kg+kk%kg] = v
			sum += int32(v)
		}
		// Σ(a-za)(b-zb) = Σa'b - (za+aShift)Σb - zbΣa + k·za·zb.
		t := -(za+aShift)*sum + int32(k)*za*zb
		if q.Bias != nil {
			t += q.Bias[col]
		}
		ch := 0
		if len(q.Multiplier) > 1 {
			ch = col
		}
		right := max(-q.Shift[ch], 0)
		rq := w.rq[p*stride:]
		rq[rqTerm*nr+j] = t
		rq[rqLeft*nr+j] = max(q.Shift[ch], 0)
		rq[rqRight*nr+j] = right
		rq[rqMask*nr+j] = int32(1)<<right - 1
		rq[rqThr*nr+j] = (int32(1)<<right - 1) >> 1
		rq[rqMult*nr+j] = q.Multiplier[ch]
		rq[rqNeg*nr+j] = 32
		if q.Rounding == RoundReference && right > 0 {
			rq[rqNeg*nr+j] = 31
		}
	}
	return w, nil
}

// Impl is the implementation w was packed for.
func (w *I8Weights) Impl() Impl { return w.impl }

// N is the number of output channels (columns of C).
func (w *I8Weights) N() int { return w.n }

// K is the reduction depth (columns of A).
func (w *I8Weights) K() int { return w.k }

// ColAlign is the column granularity of Run: a column range must start at a
// multiple of it.
func (w *I8Weights) ColAlign() int { return w.kern.nr }

// RowAlign is the row granularity that wastes no work when rows are split
// between callers (any split is correct).
func (w *I8Weights) RowAlign() int { return w.kern.mr }

// ScratchLen is the number of int32 values of scratch one Run call needs.
func (w *I8Weights) ScratchLen() int {
	mr, nr := w.kern.mr, w.kern.nr
	return 2*mr*nr + w.mc + mr + (w.mc*w.kp*w.aBytes+3)/4
}

// Run computes rows [m0, m1) and columns [n0, n1) of the requantized
// C = A·B. a is row-major with row stride lda (≥ K), c with row stride ldc
// (≥ N); both hold at least m1 rows. n0 must be a multiple of ColAlign.
// scratch holds ScratchLen values and must not be shared with a concurrent
// call. Run does not allocate.
func (w *I8Weights) Run(c []int8, ldc int, a []int8, lda int, m0, m1, n0, n1 int, scratch []int32) error {
	mr, nr, kg := w.kern.mr, w.kern.nr, w.kern.kg
	if err := checkRun(w.n, w.k, nr, len(c), ldc, len(a), lda, m0, m1, n0, n1); err != nil {
		return err
	}
	if len(scratch) < w.ScratchLen() {
		return errScratch
	}
	if m0 == m1 || n0 == n1 {
		return nil
	}
	tile := scratch[:mr*nr]
	out := unsafe.Slice((*int8)(unsafe.Pointer(&scratch[mr*nr])), mr*nr)
	rowTerms := scratch[2*mr*nr : 2*mr*nr+w.mc+mr]
	packed := unsafe.Pointer(&scratch[2*mr*nr+w.mc+mr])
	// Kernels that take int8 A as is read full tiles in place.
	direct := w.kern.a == aInt8 && w.k%kg == 0
	groups := w.kp / kg
	p0, p1 := n0/nr, (n1+nr-1)/nr
	for mb := m0; mb < m1; mb += w.mc {
		rows := min(w.mc, m1-mb)
		full, tiles := rows/mr, (rows+mr-1)/mr
		first := 0
		if direct {
			first = full * mr
		}
		w.packA(packed, a, lda, mb+first, rows-first, tiles*mr-first)
		clear(rowTerms)
		if w.rowScale != 0 {
			for r := range rows {
				var s int32
				for _, v := range a[(mb+r)*lda : (mb+r)*lda+w.k] {
					s += int32(v)
				}
				rowTerms[r] = w.rowScale * s
			}
		}
		for p := p0; p < p1; p++ {
			panel := &w.data[p*w.kp*nr]
			rq := w.rq[p*(rqArrays*nr+rqPad):]
			col := p * nr
			cols := min(nr, n1-col)
			for t := range tiles {
				row := mb + t*mr
				var ap unsafe.Pointer
				alda := w.kp
				switch {
				case direct && t < full:
					ap, alda = unsafe.Pointer(&a[row*lda]), lda
				case direct:
					ap = packed
				default:
					ap = unsafe.Add(packed, t*mr*w.kp*w.aBytes)
				}
				tr := min(mr, m1-row)
				if w.kern.fused != nil {
					fn := w.kern.fused
					if tr < mr {
						fn = w.kern.fusedRows(tr)
					}
					fn(groups, ap, alda, panel, &c[row*ldc+col], ldc, &rq[0], &rowTerms[row-mb],
						w.outZP, w.lo, w.hi, uint32(1<<cols-1), tr)
					continue
				}
				w.kern.fn(groups, ap, alda, panel, &tile[0], nr)
				if w.kern.requant != nil {
					w.kern.requant(&tile[0], tr, &rq[0], &rowTerms[row-mb], w.outZP, w.lo, w.hi, &out[0])
					for i := range tr {
						o := (row+i)*ldc + col
						copy(c[o:o+cols], out[i*nr:i*nr+cols])
					}
					continue
				}
				for i := range tr {
					o := (row+i)*ldc + col
					w.requantRow(c[o:o+cols], tile[i*nr:i*nr+cols], rowTerms[row-mb+i], rq)
				}
			}
		}
	}
	return nil
}

// packA copies rows [m0, m0+rows) of a to dst in the kernel's A format,
// row stride kp, zero padding each row to kp and the rows to padRows.
func (w *I8Weights) packA(dst unsafe.Pointer, a []int8, lda, m0, rows, padRows int) {
	k, kp := w.k, w.kp
	if padRows == 0 {
		return
	}
	switch w.kern.a {
	case aInt16:
		d := unsafe.Slice((*int16)(dst), padRows*kp)
		for r := range rows {
			row := d[r*kp : (r+1)*kp]
			for kk, v := range a[(m0+r)*lda : (m0+r)*lda+k] {
				row[kk] = int16(v)
			}
			clear(row[k:])
		}
		clear(d[rows*kp:])
	case aUint8:
		if w.kern.packU8 != nil && rows > 0 {
			w.kern.packU8(dst, unsafe.Pointer(&a[m0*lda]), rows, k, lda, kp)
			clear(unsafe.Slice((*byte)(dst), padRows*kp)[rows*kp:])
			return
		}
		fallthrough
	default:
		d := unsafe.Slice((*byte)(dst), padRows*kp)
		src := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(a))), len(a))
		for r := range rows {
			row := d[r*kp : (r+1)*kp]
			s := src[(m0+r)*lda : (m0+r)*lda+k]
			if w.kern.a == aUint8 {
				// a+128 as uint8 flips the sign bit; eight at a time.
				i := 0
				for ; i+8 <= k; i += 8 {
					binary.LittleEndian.PutUint64(row[i:], binary.LittleEndian.Uint64(s[i:])^0x8080808080808080)
				}
				for ; i < k; i++ {
					row[i] = s[i] ^ 0x80
				}
			} else {
				copy(row, s)
			}
			clear(row[k:])
		}
		clear(d[rows*kp:])
	}
}

// requantRow finishes one row of a tile: adds the zero-point and bias
// terms, requantizes per channel with the panel's block rq and clamps.
func (w *I8Weights) requantRow(dst []int8, acc []int32, rowTerm int32, rq []int32) {
	nr, n := w.kern.nr, len(dst)
	term := rq[rqTerm*nr : rqTerm*nr+n]
	left := rq[rqLeft*nr : rqLeft*nr+n]
	right := rq[rqRight*nr : rqRight*nr+n]
	mult := rq[rqMult*nr : rqMult*nr+n]
	neg := rq[rqNeg*nr : rqNeg*nr+n]
	acc = acc[:n]
	for j := range dst {
		v := mulByQuantizedMultiplier(acc[j]+term[j]+rowTerm, mult[j], left[j], right[j], neg[j]) + w.outZP
		v = max(v, w.lo)
		v = min(v, w.hi)
		dst[j] = int8(v)
	}
}

// mulByQuantizedMultiplier is TFLite's MultiplyByQuantizedMultiplier as in
// interpreter/kernels/quantmath.go, with the shift split into its left and
// right parts: SaturatingRoundingDoublingHighMul(x·2^left, q), then
// RoundingDivideByPOT(·, right). With q ≥ 0 (PackI8 checks) the doubling
// high multiply never saturates, and its nudge-then-truncate is one
// arithmetic shift: (ab + 2^30) >> 31 for either sign of ab (for ab < 0,
// truncating (ab + 1 - 2^30) / 2^31 adds 2^31 - 1 before flooring). The
// assembly kernels use the same identity. neg is the block's rqNeg: 31
// rounds ties half away from zero (the threshold grows by one for negative
// h), 32 rounds them half up.
func mulByQuantizedMultiplier(x, q, left, right, neg int32) int32 {
	h := int32((int64(x<<left)*int64(q) + 1<<30) >> 31)
	mask := int32(1)<<right - 1
	thr := mask>>1 + int32(uint32(h)>>uint32(neg))
	r := h >> right
	if h&mask > thr {
		r++
	}
	return r
}

// i8Portable is the Go microkernel: 4×8 tiles over groups of 4 int8.
var i8Portable = i8Kernel{mr: 4, nr: 8, kg: 4, a: aInt8, fn: i8Kernel4x8Go}

func i8Kernel4x8Go(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int) {
	const mr, nr, kg = 4, 8, 4
	k := groups * kg
	as := unsafe.Slice((*int8)(a), (mr-1)*lda+k)
	bs := unsafe.Slice(b, k*nr)
	var acc [mr][nr]int32
	for i := range mr {
		ar := as[i*lda : i*lda+k]
		r := &acc[i]
		for g := range groups {
			av := ar[g*kg : g*kg+kg : g*kg+kg]
			bv := bs[g*nr*kg : (g+1)*nr*kg : (g+1)*nr*kg]
			a0, a1, a2, a3 := int32(av[0]), int32(av[1]), int32(av[2]), int32(av[3])
			for j := range nr {
				bj := bv[j*kg : j*kg+kg : j*kg+kg]
				r[j] += a0*int32(bj[0]) + a1*int32(bj[1]) + a2*int32(bj[2]) + a3*int32(bj[3])
			}
		}
	}
	cs := unsafe.Slice(c, (mr-1)*ldc+nr)
	for i := range mr {
		copy(cs[i*ldc:i*ldc+nr], acc[i][:])
	}
}
