package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// This file holds BATCH_MATMUL's hybrid (dynamic-range) kernel: FLOAT32
// lhs and output, INT8 rhs with one scale (version 1, or 4 with
// asymmetric_quantize_inputs), as TFLite's batch_matmul.cc EvalHybrid and
// reference_ops::BatchMatMul: each lhs row (K values) is quantized on the
// fly (symmetrically to [-127, 127], or asymmetrically to [-128, 127] with
// a zero point), its int32 dot products with the rhs columns less the
// column sums times the zero point (in float, truncated back to int32, as
// TFLite does), then scaled by the row's scale times the rhs scale.
//
// TFLite's reference kernel finds each output batch's row scales, zero
// points and rhs column sums at the sum of its batch indices times the
// rows per batch (ioff_ext/woff_ext in reference_ops::BatchMatMul), not at
// the flat batch index: with two or more batch dimensions of size > 1
// some batches use another batch's row scales. The kernel reproduces that
// (qlBMMSourceBatches); with one batch dimension the two agree.

// qlBMMHybrid is the hybrid state of a batchMatMulKernel.
type qlBMMHybrid struct {
	asymmetric bool
	scale      float32 // the rhs scale
	q          []int8  // quantized lhs rows, all batches [lhsBatches*m*k]
	sf         []float32
	off        []int32
	colSums    []int32 // [rhsBatches*n]
	// Per output batch: the batch whose row scales and zero points
	// (sIdx) and column sums (wIdx) TFLite uses.
	sIdx, wIdx []int
	lhsBatches int
	rhsBatches int
}

// qlPrepareHybrid validates the hybrid BATCH_MATMUL; the shapes are
// checked by Prepare.
func (k *batchMatMulKernel) qlPrepareHybrid(n *core.Node, rhs *core.Tensor) error {
	q := rhs.Quantization()
	if len(q.Scale) != 1 {
		return n.Errorf("hybrid BATCH_MATMUL needs one (per-tensor) rhs scale, have %d", len(q.Scale))
	}
	s := q.Scale[0]
	if !(s > 0) || math.IsInf(float64(s), 0) {
		return n.Errorf("invalid rhs scale %g", s)
	}
	k.hybrid = &qlBMMHybrid{asymmetric: k.asymmetric, scale: s}
	return nil
}

// qlHybridAlloc sizes the scratch once the shapes are known and maps each
// output batch to its source batches; lb and rb are the batch dimensions
// of lhs and rhs (right-aligned to the output's, 1 where absent).
func (k *batchMatMulKernel) qlHybridAlloc(n *core.Node, batch, lb, rb []int) error {
	h := k.hybrid
	h.lhsBatches = n.Inputs[0].NumElements() / max(k.m*k.k, 1)
	h.rhsBatches = n.Inputs[1].NumElements() / max(k.k*k.n, 1)
	if h.asymmetric && len(rb) == 3 && rb[0] > 1 {
		return n.Errorf("hybrid BATCH_MATMUL with asymmetric inputs and a rank-5 rhs with leading dimension %d is not supported (TFLite reads column sums it never computed)", rb[0])
	}
	h.q = make([]int8, h.lhsBatches*k.m*k.k)
	h.sf = make([]float32, h.lhsBatches*k.m)
	h.off = make([]int32, h.lhsBatches*k.m)
	h.colSums = make([]int32, h.rhsBatches*k.n)
	h.sIdx, h.wIdx = qlBMMSourceBatches(batch, lb, rb)
	return nil
}

// qlBMMSourceBatches returns, per output batch, the sum of its batch
// indices over the dimensions where lhs (sIdx) or rhs (wIdx) is not
// broadcast: where TFLite's reference kernel reads that batch's row
// scales and column sums.
func qlBMMSourceBatches(batch, lb, rb []int) (sIdx, wIdx []int) {
	total := 1
	for _, d := range batch {
		total *= d
	}
	sIdx, wIdx = make([]int, total), make([]int, total)
	idx := make([]int, len(batch))
	for b := range total {
		for i, v := range idx {
			if lb[i] != 1 {
				sIdx[b] += v
			}
			if rb[i] != 1 {
				wIdx[b] += v
			}
		}
		for i := len(batch) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < batch[i] {
				break
			}
			idx[i] = 0
		}
	}
	return sIdx, wIdx
}

// qlEvalHybrid runs the hybrid batch matmul.
func (k *batchMatMulKernel) qlEvalHybrid(n *core.Node) error {
	h := k.hybrid
	lhs, rhs, out := n.Inputs[0].Float32s(), n.Inputs[1].Int8s(), n.Outputs[0].Float32s()
	m, kk, nn := k.m, k.k, k.n
	if len(out) < len(k.lhsOff)*m*nn || len(lhs) < n.Inputs[0].NumElements() || len(rhs) < n.Inputs[1].NumElements() ||
		len(h.q) < h.lhsBatches*m*kk || len(h.colSums) < h.rhsBatches*nn || len(h.sIdx) < len(k.lhsOff) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	// Element steps of lhs (row i, depth p) and rhs (depth p, column j).
	li, lp := kk, 1
	if k.adjX {
		li, lp = 1, m
	}
	rp, rj := nn, 1
	if k.adjY {
		rp, rj = 1, kk
	}
	// Quantize every lhs row once, and sum every rhs column.
	for lb := range h.lhsBatches {
		for i := range m {
			row := lb*m + i
			h.sf[row], h.off[row] = qlQuantizeRow(lhs, lb*m*kk+i*li, lp, h.q[row*kk:(row+1)*kk], h.asymmetric)
			h.sf[row] *= h.scale
		}
	}
	if h.asymmetric {
		for rb := range h.rhsBatches {
			for j := range nn {
				var s int32
				pos := rb*kk*nn + j*rj
				for range kk {
					s += int32(rhs[pos])
					pos += rp
				}
				h.colSums[rb*nn+j] = s
			}
		}
	}
	o := 0
	for b := range k.lhsOff {
		lb, r := k.lhsOff[b]/(m*kk), k.rhsOff[b]
		sb, wb := h.sIdx[b]*m, h.wIdx[b]*nn
		for i := range m {
			q := h.q[(lb*m+i)*kk : (lb*m+i+1)*kk]
			sf, off := h.sf[sb+i], float32(h.off[sb+i])
			for j := range nn {
				var total int32
				pos := r + j*rj
				for _, v := range q {
					total += int32(v) * int32(rhs[pos])
					pos += rp
				}
				if h.asymmetric {
					// TFLite subtracts in float and stores back to int32.
					total = int32(float32(total) - float32(float32(h.colSums[wb+j])*off))
				}
				out[o] = float32(sf * float32(total))
				o++
			}
		}
	}
	return nil
}

// qlQuantizeRow quantizes the K values of one lhs row (start, step) into
// q as TFLite's BatchQuantizeFloats: symmetric (scale max|v|/127, 1 for an
// all-zero row) or asymmetric with a zero point (scale 0 for a constant
// row of zeros). It returns the scale and zero point.
func qlQuantizeRow(x []float32, start, step int, q []int8, asymmetric bool) (float32, int32) {
	lo, hi := x[start], x[start]
	pos := start
	for range q {
		lo, hi = min(lo, x[pos]), max(hi, x[pos])
		pos += step
	}
	if !asymmetric {
		r := max(float32(math.Abs(float64(lo))), float32(math.Abs(float64(hi))))
		if r == 0 {
			clear(q)
			return 1, 0
		}
		inv := 127 / r
		pos = start
		for i := range q {
			t := int32(math.Round(float64(x[pos] * inv)))
			q[i] = int8(min(127, max(-127, t)))
			pos += step
		}
		return r / 127, 0
	}
	rmin, rmax := float64(min(0, lo)), float64(max(0, hi))
	if rmin == rmax {
		clear(q)
		return 0, 0
	}
	const qmin, qmax = -128.0, 127.0
	s := (rmax - rmin) / (qmax - qmin)
	zpMin := qmin - rmin/s
	zpMax := qmax - rmax/s
	zp := zpMax
	if math.Abs(qmin)+math.Abs(rmin/s) < math.Abs(qmax)+math.Abs(rmax/s) {
		zp = zpMin
	}
	var offset int32
	switch {
	case zp <= qmin:
		offset = qmin
	case zp >= qmax:
		offset = qmax
	default:
		offset = int32(math.Round(zp))
	}
	scale := float32(s)
	inv := 1 / scale
	pos = start
	for i := range q {
		t := int32(math.Round(float64(float32(offset) + float32(x[pos]*inv))))
		q[i] = int8(min(127, max(-128, t)))
		pos += step
	}
	return scale, offset
}
