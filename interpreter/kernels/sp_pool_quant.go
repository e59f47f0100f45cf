package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// Quantized MAX_POOL_2D and AVERAGE_POOL_2D (UINT8, INT8, INT16) as
// TFLite's pooling.cc and its reference kernels (reference_ops::AveragePool
// and MaxPool for uint8, reference_integer_ops for int8 and int16): the
// output keeps the input's scale and zero point, so both kernels work on
// the stored values. AVERAGE_POOL_2D sums the stored values of the window's
// in-bounds elements in int32 and divides by their count rounding half away
// from zero ((sum +- count/2) / count, C++ truncating division); MAX_POOL_2D
// takes the largest stored value. Both then clamp to the fused activation's
// quantized range (computed with the output's parameters).

func (k *poolKernel) spPrepareQuant(n *core.Node, in, out *core.Tensor) error {
	inScale, inZP, err := spPerTensor(n, in)
	if err != nil {
		return err
	}
	outScale, outZP, err := spPerTensor(n, out)
	if err != nil {
		return err
	}
	// TFLite checks these in debug builds only; its kernels assume them.
	if math.Abs(float64(inScale)-float64(outScale)) > 1e-6 || inZP != outZP {
		return n.Errorf("input scale %g and zero point %d differ from the output's %g and %d", inScale, inZP, outScale, outZP)
	}
	if k.typ == core.Int16 && (inZP != 0 || outZP != 0) {
		return n.Errorf("INT16 zero points must be 0 (input %d, output %d)", inZP, outZP)
	}
	k.qlo, k.qhi = spActivationRangeQuantized(k.act, k.typ, outScale, outZP)
	return nil
}

func (k *poolKernel) spEvalQuant(n *core.Node) error {
	in, out := n.Inputs[0], n.Outputs[0]
	switch k.typ {
	case core.Int8:
		return spPoolRun(k, n, in.Int8s(), out.Int8s())
	case core.Uint8:
		return spPoolRun(k, n, in.Uint8s(), out.Uint8s())
	case core.Int16:
		return spPoolRun(k, n, in.Int16s(), out.Int16s())
	}
	return n.Errorf("%s input is not supported", k.typ)
}

func spPoolRun[T spInt](k *poolKernel, n *core.Node, src, dst []T) error {
	ch := k.ch
	if len(src) < k.batches*k.inH*k.inW*ch || len(dst) < k.batches*k.outH*k.outW*ch {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	lowest := int32(math.MinInt32)
	o := 0
	for b := 0; b < k.batches; b++ {
		base := b * k.inH * k.inW * ch
		for oy := 0; oy < k.outH; oy++ {
			y0 := oy*k.strideH - k.padH
			fy0, fy1 := max(0, -y0), min(k.filterH, k.inH-y0)
			for ox := 0; ox < k.outW; ox++ {
				x0 := ox*k.strideW - k.padW
				fx0, fx1 := max(0, -x0), min(k.filterW, k.inW-x0)
				count := int32(max(fy1-fy0, 0) * max(fx1-fx0, 0))
				for c := 0; c < ch; c++ {
					var acc int32
					if k.kind == poolMax {
						acc = lowest
					}
					for fy := fy0; fy < fy1; fy++ {
						row := base + (y0+fy)*k.inW*ch + c
						for fx := fx0; fx < fx1; fx++ {
							v := int32(src[row+(x0+fx)*ch])
							if k.kind == poolMax {
								acc = max(acc, v)
							} else {
								acc += v
							}
						}
					}
					if k.kind == poolAverage {
						if count == 0 {
							return n.Errorf("empty pooling window")
						}
						if acc > 0 {
							acc = (acc + count/2) / count
						} else {
							acc = (acc - count/2) / count
						}
					}
					dst[o+c] = T(min(max(acc, k.qlo), k.qhi))
				}
				o += ch
			}
		}
	}
	return nil
}
