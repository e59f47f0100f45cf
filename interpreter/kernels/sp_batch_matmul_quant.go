package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// Quantized BATCH_MATMUL as TFLite's batch_matmul.cc Prepare and
// reference_ops::BatchMatMul<T, AccumT> compute it: the multiplier is
// QuantizeMultiplier(s_lhs*s_rhs/s_out) (double); each output is the sum
// over K of (lhs-zp_lhs)*(rhs-zp_rhs), in int32 for INT8 (then the
// two-rounding MultiplyByQuantizedMultiplier) and in int64 for INT16 (then
// TFLite's int64 MultiplyByQuantizedMultiplier, which rounds once with a
// 16-bit multiplier), plus the output zero point, clamped to the type
// (BATCH_MATMUL has no fused activation). INT16 zero points must be 0.

func (k *batchMatMulKernel) spPrepareQuant(n *core.Node, lhs, rhs, out *core.Tensor) error {
	ls, lzp, err := spPerTensor(n, lhs)
	if err != nil {
		return err
	}
	rs, rzp, err := spPerTensor(n, rhs)
	if err != nil {
		return err
	}
	os, ozp, err := spPerTensor(n, out)
	if err != nil {
		return err
	}
	if k.typ == core.Int16 && (lzp != 0 || rzp != 0 || ozp != 0) {
		return n.Errorf("INT16 zero points must be 0 (lhs %d, rhs %d, output %d)", lzp, rzp, ozp)
	}
	k.lzp, k.rzp, k.ozp = lzp, rzp, ozp
	k.qmult, k.qshift = quantizeMultiplier(float64(ls) * float64(rs) / float64(os))
	if k.typ == core.Int16 && (k.qshift < -31 || k.qshift > 7) {
		return n.Errorf("scales %g*%g/%g give a multiplier out of TFLite's INT16 range", ls, rs, os)
	}
	return nil
}

// spMultiplyByQuantizedMultiplier64 is TFLite's int64 overload of
// MultiplyByQuantizedMultiplier: the multiplier reduced to 16 bits
// (rounded), one rounding right shift by 15-shift.
func spMultiplyByQuantizedMultiplier64(x int64, q int32, shift int) int32 {
	reduced := int64(0x7FFF)
	if q < 0x7FFF0000 {
		reduced = int64((q + (1 << 15)) >> 16)
	}
	total := uint(15 - shift)
	return int32((x*reduced + int64(1)<<(total-1)) >> total)
}

func spBatchMatMulRun[T ~int8 | ~int16](k *batchMatMulKernel, n *core.Node, lhs, rhs, out []T) error {
	m, kk, nn := k.m, k.k, k.n
	if len(out) < len(k.lhsOff)*m*nn || len(lhs) < n.Inputs[0].NumElements() || len(rhs) < n.Inputs[1].NumElements() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	lo, hi := intRange(k.typ)
	li, lp := kk, 1
	if k.adjX {
		li, lp = 1, m
	}
	rp, rj := nn, 1
	if k.adjY {
		rp, rj = 1, kk
	}
	wide := k.typ == core.Int16
	o := 0
	for b := range k.lhsOff {
		l, r := k.lhsOff[b], k.rhsOff[b]
		for i := range m {
			for j := range nn {
				var sum int64
				lpos, rpos := l+i*li, r+j*rj
				for range kk {
					sum += int64(int32(lhs[lpos])-k.lzp) * int64(int32(rhs[rpos])-k.rzp)
					lpos += lp
					rpos += rp
				}
				var v int32
				if wide {
					v = spMultiplyByQuantizedMultiplier64(sum, k.qmult, k.qshift)
				} else {
					v = multiplyByQuantizedMultiplier(int32(sum), k.qmult, k.qshift)
				}
				v += k.ozp
				out[o] = T(min(max(int64(v), lo), hi))
				o++
			}
		}
	}
	return nil
}
