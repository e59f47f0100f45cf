package kernels

import "github.com/edgelite/edgelite/interpreter/kernels/internal/vec"

// Float32 fast paths of ADD, SUB and MUL: the same shapes, one input a
// single value, or one input repeating along the other's trailing
// dimensions (a per-channel bias or scale) run as flat loops without the
// broadcast walk's strided indexing. Per element the arithmetic and the
// clamp are the reference's, so results are identical.

// binFastKind is the broadcast pattern a fast path handles.
type binFastKind uint8

const (
	binFastNone    binFastKind = iota
	binFastSame                // a, b and out have the same elements
	binFastScalarA             // a has one element
	binFastScalarB             // b has one element
	binFastRepeatA             // a repeats with period n1 along out (b is out)
	binFastRepeatB             // b repeats with period n2 along out (a is out)
)

// binFastPlan picks the fast path for input shapes a and b.
func binFastPlan(bc *broadcast, a, b []int) binFastKind {
	switch {
	case bc.n == 0:
		return binFastNone
	case bc.same:
		return binFastSame
	case bc.n1 == 1 && bc.n2 == bc.n:
		return binFastScalarA
	case bc.n2 == 1 && bc.n1 == bc.n:
		return binFastScalarB
	case bc.n1 == bc.n && binIsSuffix(b, a):
		return binFastRepeatB
	case bc.n2 == bc.n && binIsSuffix(a, b):
		return binFastRepeatA
	}
	return binFastNone
}

// binIsSuffix reports whether short (without leading 1s) is the trailing
// part of long's shape: then short repeats along long.
func binIsSuffix(short, long []int) bool {
	for len(short) > 0 && short[0] == 1 {
		short = short[1:]
	}
	if len(short) > len(long) {
		return false
	}
	tail := long[len(long)-len(short):]
	for i := range short {
		if short[i] != tail[i] {
			return false
		}
	}
	return true
}

// binF32Range computes output elements [i0, i1) of a float32 ADD, SUB or
// MUL planned as kind. The range lets a thread pool split the work.
func binF32Range(op binOp, kind binFastKind, a, b, out []float32, lo, hi float32, i0, i1 int) {
	switch kind {
	case binFastSame:
		binF32Same(op, a[i0:i1], b[i0:i1], out[i0:i1], lo, hi)
	case binFastScalarA:
		binF32ScalarA(op, a[0], b[i0:i1], out[i0:i1], lo, hi)
	case binFastScalarB:
		binF32ScalarB(op, a[i0:i1], b[0], out[i0:i1], lo, hi)
	case binFastRepeatA, binFastRepeatB:
		rep, full := a, b
		if kind == binFastRepeatB {
			rep, full = b, a
		}
		p := len(rep)
		for i := i0; i < i1; {
			j := i % p
			m := min(p-j, i1-i)
			if kind == binFastRepeatB {
				binF32Same(op, full[i:i+m], rep[j:j+m], out[i:i+m], lo, hi)
			} else {
				binF32Same(op, rep[j:j+m], full[i:i+m], out[i:i+m], lo, hi)
			}
			i += m
		}
	}
}

// binVecOp is op as the vec package names it.
func binVecOp(op binOp) vec.Op {
	switch op {
	case opSub:
		return vec.Sub
	case opMul:
		return vec.Mul
	}
	return vec.Add
}

func binF32Same(op binOp, a, b, out []float32, lo, hi float32) {
	vec.BinF32(binVecOp(op), out, a, b, lo, hi)
}

func binF32ScalarA(op binOp, a float32, b, out []float32, lo, hi float32) {
	// a op b[i]: ADD and MUL commute exactly; SUB is the scalar minus b.
	vop := binVecOp(op)
	if op == opSub {
		vop = vec.RSub
	}
	vec.BinScalarF32(vop, out, b, a, lo, hi)
}

func binF32ScalarB(op binOp, a []float32, b float32, out []float32, lo, hi float32) {
	vec.BinScalarF32(binVecOp(op), out, a, b, lo, hi)
}

// fastClamp is clamp with Go's branch-free min and max: the same value for
// every input, NaN included, except that a -0 clamped at a bound of 0
// becomes +0 (as it does in TFLite's vectorised kernels). clamp's branches
// mispredict on data of random sign.
func fastClamp(v, lo, hi float32) float32 { return min(max(v, lo), hi) }

// preluF32Range computes output elements [i0, i1) of a float32 PRELU whose
// alpha has the input's shape or repeats along its trailing dimensions (a
// per-channel alpha).
func preluF32Range(x, alpha, out []float32, i0, i1 int) {
	p := len(alpha)
	for i := i0; i < i1; {
		j := i % p
		m := min(p-j, i1-i)
		vec.PreluF32(out[i:i+m], x[i:i+m], alpha[j:j+m])
		i += m
	}
}
