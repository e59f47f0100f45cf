package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// batchMatMulKernel implements FLOAT32 BATCH_MATMUL as TFLite's
// batch_matmul.cc does: lhs [..., M, K] (or [..., K, M] with adj_x) times
// rhs [..., K, N] (or [..., N, K] with adj_y), ranks 2 to 5, the batch
// dimensions broadcast against each other (right-aligned, 1 stretches);
// each output is a sum over K in order, as TFLite's reference kernel.
// INT8 and INT16 (all three tensors of one type) follow TFLite's reference
// integer kernel (sp_batch_matmul_quant.go); FLOAT32 x INT8 is the
// hybrid kernel (qlstm_bmm_hybrid.go).
type batchMatMulKernel struct {
	adjX, adjY bool
	m, k, n    int
	// lhsOff and rhsOff are the element offsets of each output batch's
	// operands.
	lhsOff, rhsOff []int
	ready          bool
	// Quantized parameters (see sp_batch_matmul_quant.go).
	typ           core.TensorType
	lzp, rzp, ozp int32
	qmult         int32
	qshift        int
	// Hybrid (FLOAT32 lhs, INT8 rhs).
	asymmetric bool
	hybrid     *qlBMMHybrid
	// gemm is the packed-GEMM path for a constant FLOAT32 rhs
	// (gemm_path.go); reference keeps the loop below and minParallelMACs
	// > 0 replaces gcMinParallelMACs (tests).
	gemm            *gcBMM
	reference       bool
	minParallelMACs int
}

func newBatchMatMul(n *core.Node) (core.Kernel, error) {
	var o tflite.BatchMatMulOptions
	n.BuiltinOptions(tflite.BuiltinOptionsBatchMatMulOptions, &o)
	return &batchMatMulKernel{adjX: o.AdjX(), adjY: o.AdjY(), asymmetric: o.AsymmetricQuantizeInputs()}, nil
}

// Prepare implements core.Kernel.
func (k *batchMatMulKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	lhs, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	rhs, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	k.typ = lhs.Type()
	switch {
	case k.typ == core.Float32 && rhs.Type() == core.Float32 && out.Type() == core.Float32:
		k.hybrid = nil
	case k.typ == core.Float32 && rhs.Type() == core.Int8 && out.Type() == core.Float32:
		if err := k.qlPrepareHybrid(n, rhs); err != nil {
			return err
		}
	case (k.typ == core.Int8 || k.typ == core.Int16) && rhs.Type() == k.typ && out.Type() == k.typ:
		if err := k.spPrepareQuant(n, lhs, rhs, out); err != nil {
			return err
		}
	default:
		return n.Errorf("%s x %s -> %s is not supported yet (FLOAT32, INT8, INT16, or FLOAT32 x INT8 hybrid)", lhs.Type(), rhs.Type(), out.Type())
	}
	lr, rr := lhs.Rank(), rhs.Rank()
	if lr < 2 || lr > 5 || rr < 2 || rr > 5 {
		return n.Errorf("input ranks %d and %d; BATCH_MATMUL takes 2 to 5", lr, rr)
	}
	lm, lk := lhs.Dim(-2), lhs.Dim(-1)
	if k.adjX {
		lm, lk = lk, lm
	}
	rk, rn := rhs.Dim(-2), rhs.Dim(-1)
	if k.adjY {
		rk, rn = rn, rk
	}
	if lk != rk {
		return n.Errorf("lhs %s and rhs %s (adj_x %v, adj_y %v) have inner sizes %d and %d", core.FormatShape(lhs.Shape()), core.FormatShape(rhs.Shape()), k.adjX, k.adjY, lk, rk)
	}
	k.m, k.k, k.n = lm, lk, rn
	rank := max(lr, rr)
	nb := rank - 2
	batch := make([]int, nb)
	lb := make([]int, nb)
	rb := make([]int, nb)
	for i := range nb {
		ld, rd := 1, 1
		if j := i - (rank - lr); j >= 0 {
			ld = lhs.Dim(j)
		}
		if j := i - (rank - rr); j >= 0 {
			rd = rhs.Dim(j)
		}
		switch {
		case ld == rd, rd == 1:
			batch[i] = ld
		case ld == 1:
			batch[i] = rd
		default:
			return n.Errorf("batch dimensions of %s and %s do not broadcast", core.FormatShape(lhs.Shape()), core.FormatShape(rhs.Shape()))
		}
		lb[i], rb[i] = ld, rd
	}
	// Element strides of the batch dimensions (0 where broadcast).
	ls, rs := make([]int, nb), make([]int, nb)
	accL, accR := lm*lk, rk*rn
	for i := nb - 1; i >= 0; i-- {
		if lb[i] != 1 {
			ls[i] = accL
		}
		if rb[i] != 1 {
			rs[i] = accR
		}
		accL *= lb[i]
		accR *= rb[i]
	}
	total := 1
	for _, d := range batch {
		total *= d
	}
	k.lhsOff = make([]int, total)
	k.rhsOff = make([]int, total)
	idx := make([]int, nb)
	for b := range total {
		lo, ro := 0, 0
		for i := range nb {
			lo += idx[i] * ls[i]
			ro += idx[i] * rs[i]
		}
		k.lhsOff[b], k.rhsOff[b] = lo, ro
		for i := nb - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < batch[i] {
				break
			}
			idx[i] = 0
		}
	}
	shape := append(batch, lm, rn)
	out.SetShape(shape)
	if k.hybrid != nil {
		if err := k.qlHybridAlloc(n, batch, lb, rb); err != nil {
			return err
		}
	}
	k.prepareGEMM(n)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *batchMatMulKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.hybrid != nil {
		return k.qlEvalHybrid(n)
	}
	if k.gemm != nil {
		return k.evalGEMM(n)
	}
	switch k.typ {
	case core.Int8:
		return spBatchMatMulRun(k, n, n.Inputs[0].Int8s(), n.Inputs[1].Int8s(), n.Outputs[0].Int8s())
	case core.Int16:
		return spBatchMatMulRun(k, n, n.Inputs[0].Int16s(), n.Inputs[1].Int16s(), n.Outputs[0].Int16s())
	}
	lhs, rhs, out := n.Inputs[0].Float32s(), n.Inputs[1].Float32s(), n.Outputs[0].Float32s()
	m, kk, nn := k.m, k.k, k.n
	if len(out) < len(k.lhsOff)*m*nn || len(lhs) < n.Inputs[0].NumElements() || len(rhs) < n.Inputs[1].NumElements() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	// Row and column steps of lhs (i, p) and rhs (p, j).
	li, lp := kk, 1
	if k.adjX {
		li, lp = 1, m
	}
	rp, rj := nn, 1
	if k.adjY {
		rp, rj = 1, kk
	}
	o := 0
	for b := range k.lhsOff {
		l, r := k.lhsOff[b], k.rhsOff[b]
		for i := range m {
			for j := range nn {
				var sum float32
				lpos, rpos := l+i*li, r+j*rj
				for range kk {
					sum += lhs[lpos] * rhs[rpos]
					lpos += lp
					rpos += rp
				}
				out[o] = sum
				o++
			}
		}
	}
	return nil
}
