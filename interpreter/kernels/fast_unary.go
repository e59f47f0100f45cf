package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
)

// unaryF32Range runs the vectorised float32 form of the unary op on
// elements [i0, i1) and reports whether there is one; the range lets a
// thread pool split the work. RELU and its bounded variants are clamps
// (equal to max(0, v) and the like, NaN kept; a -0 input may stay -0 where
// the reference gives +0), HARD_SWISH the same operations as the reference
// loop, LOGISTIC an approximation of the reference's exp.
func (k *unaryKernel) unaryF32Range(x, y []float32, i0, i1 int) bool {
	inf := float32(math.Inf(1))
	switch k.op {
	case uRelu:
		vec.ClampF32(y[i0:i1], x[i0:i1], 0, inf)
	case uRelu6:
		vec.ClampF32(y[i0:i1], x[i0:i1], 0, 6)
	case uReluN1To1:
		vec.ClampF32(y[i0:i1], x[i0:i1], -1, 1)
	case uRelu0To1:
		vec.ClampF32(y[i0:i1], x[i0:i1], 0, 1)
	case uHardSwish:
		vec.HardSwishF32(y[i0:i1], x[i0:i1])
	case uLogistic:
		// Within 2e-7 relative of the reference (vec.LogisticF32), well
		// inside the 1e-5 the float kernels are held to.
		vec.LogisticF32(y[i0:i1], x[i0:i1])
	default:
		return false
	}
	return true
}
