package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// shapeStridedPlan is a strided copy from an input to a contiguous output
// (see shapeStridedCopy): the copy's dimensions, the input stride of each,
// and the input element the first output element reads.
type shapeStridedPlan struct {
	out, stride [shapeMaxRank]int
	rank, base  int
	// shape is the output tensor's shape (it may differ from out[:rank]
	// by size-1 dimensions, e.g. STRIDED_SLICE's shrunk axes).
	shape []int
}

func (p *shapeStridedPlan) run(n *core.Node, in, out *core.Tensor, es int) error {
	outShape, stride := p.out[:p.rank], p.stride[:p.rank]
	if !shapeStridedInRange(outShape, stride, p.base, in.NumElements()) {
		return n.Errorf("slice reads outside the input")
	}
	total := 1
	for _, d := range outShape {
		total *= d
	}
	src, dst := in.Bytes(), out.Bytes()
	if len(dst) < total*es || len(src) < in.NumElements()*es || out.NumElements() != total {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	shapeStridedCopy(dst, src, es, outShape, stride, p.base)
	return nil
}

// transposeKernel implements TRANSPOSE as TFLite's transpose.cc does: the
// perm input (INT32 or INT64, one entry per input dimension, up to rank 6)
// gives, for each output dimension, the input dimension it takes. A
// non-constant perm makes the output dynamic.
type transposeKernel struct {
	plan    shapeStridedPlan
	perm    []int
	es      int
	dynamic bool
	ready   bool
}

func newTranspose(n *core.Node) (core.Kernel, error) { return &transposeKernel{}, nil }

// Prepare implements core.Kernel.
func (k *transposeKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	perm, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if err := shapeSameType(n, in, out); err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	if in.Rank() > 6 {
		return n.Errorf("input rank %d; TRANSPOSE takes up to 6 dimensions", in.Rank())
	}
	if perm.Rank() != 1 || perm.NumElements() != in.Rank() {
		return n.Errorf("perm has shape %s, want [%d]", core.FormatShape(perm.Shape()), in.Rank())
	}
	if perm.Type() != core.Int32 && perm.Type() != core.Int64 {
		return n.Errorf("perm must be INT32 or INT64, not %s", perm.Type())
	}
	k.perm = make([]int, 0, in.Rank())
	k.plan.shape = make([]int, in.Rank())
	if perm.IsConstant() {
		if err := k.resolve(n, in, perm); err != nil {
			return err
		}
		out.SetShape(k.plan.shape)
		k.dynamic = false
	} else {
		out.SetDynamic()
		k.dynamic = true
	}
	k.ready = true
	return nil
}

func (k *transposeKernel) resolve(n *core.Node, in, permT *core.Tensor) error {
	perm, err := shapeIndexValues(n, permT, "perm", k.perm[:0])
	if err != nil {
		return err
	}
	rank := in.Rank()
	var seen [shapeMaxRank]bool
	var inStride [shapeMaxRank]int
	shapeRowStrides(in.Shape(), inStride[:rank])
	for d, p := range perm {
		if p < 0 || p >= rank || seen[p] {
			return n.Errorf("perm %v is not a permutation of the %d input dimensions", perm, rank)
		}
		seen[p] = true
		k.plan.out[d] = in.Dim(p)
		k.plan.stride[d] = inStride[p]
		k.plan.shape[d] = in.Dim(p)
	}
	k.plan.rank = rank
	k.plan.base = 0
	return nil
}

// Eval implements core.Kernel.
func (k *transposeKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		if err := k.resolve(n, in, n.Inputs[1]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.plan.shape); err != nil {
			return err
		}
	}
	return k.plan.run(n, in, out, k.es)
}
