package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// poolKind says which reduction a pooling kernel applies over its window.
type poolKind uint8

const (
	poolMax poolKind = iota
	poolAverage
	poolL2
)

// poolKernel implements float32 MAX_POOL_2D, AVERAGE_POOL_2D and
// L2_POOL_2D as TFLite's pooling.cc and reference kernels do: NHWC input,
// SAME or VALID padding, windows clipped to the input (AVERAGE_POOL_2D
// divides by the number of in-bounds elements, never counting padding;
// L2_POOL_2D takes the square root of their mean square), then the fused
// activation's clamp.
type poolKernel struct {
	kind                  poolKind
	padding               tflite.Padding
	strideH, strideW      int
	filterH, filterW      int
	act                   tflite.ActivationFunctionType
	batches, inH, inW, ch int
	outH, outW            int
	padH, padW            int
	lo, hi                float32
	typ                   core.TensorType
	qlo, qhi              int32
	shape                 []int
	ready                 bool
	// reference selects the reference loop over the vectorised one
	// (fast_spatial.go), for tests.
	reference bool
	// th splits the fast path over the worker pool (th_split.go).
	th poolTask
}

func newPool(kind poolKind) core.KernelFactory {
	return func(n *core.Node) (core.Kernel, error) {
		var o tflite.Pool2DOptions
		n.BuiltinOptions(tflite.BuiltinOptionsPool2DOptions, &o)
		return &poolKernel{
			kind:    kind,
			padding: o.Padding(),
			strideH: int(o.StrideH()), strideW: int(o.StrideW()),
			filterH: int(o.FilterHeight()), filterW: int(o.FilterWidth()),
			act: o.FusedActivationFunction(),
		}, nil
	}
}

// Prepare implements core.Kernel.
func (k *poolKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	switch in.Type() {
	case core.Float32:
	case core.Uint8, core.Int8, core.Int16:
		if k.kind == poolL2 {
			return n.Errorf("%s input is not supported (FLOAT32 only, as TFLite)", in.Type())
		}
	default:
		return n.Errorf("%s input is not supported", in.Type())
	}
	if out.Type() != in.Type() {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), in.Type())
	}
	k.typ = in.Type()
	if k.typ != core.Float32 {
		if err := k.spPrepareQuant(n, in, out); err != nil {
			return err
		}
	}
	if in.Rank() != 4 {
		return n.Errorf("input has rank %d, want 4", in.Rank())
	}
	if k.padding != tflite.PaddingSAME && k.padding != tflite.PaddingVALID {
		return n.Errorf("unknown padding %d", k.padding)
	}
	if k.strideH < 1 || k.strideW < 1 {
		return n.Errorf("strides %dx%d must be at least 1", k.strideH, k.strideW)
	}
	if k.filterH < 1 || k.filterW < 1 {
		return n.Errorf("filter %dx%d must be at least 1x1", k.filterH, k.filterW)
	}
	s := in.Shape()
	k.batches, k.inH, k.inW, k.ch = s[0], s[1], s[2], s[3]
	k.outH = spatialOutSize(k.padding, k.inH, k.filterH, k.strideH)
	k.outW = spatialOutSize(k.padding, k.inW, k.filterW, k.strideW)
	if k.outH < 0 || k.outW < 0 {
		return n.Errorf("filter %dx%d is larger than the input %dx%d with VALID padding", k.filterH, k.filterW, k.inH, k.inW)
	}
	k.padH = spatialPadding(k.strideH, k.inH, k.filterH, k.outH)
	k.padW = spatialPadding(k.strideW, k.inW, k.filterW, k.outW)
	k.lo, k.hi = spatialActivationRange(k.act)
	k.shape = append(k.shape[:0], k.batches, k.outH, k.outW, k.ch)
	out.SetShape(k.shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *poolKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.typ != core.Float32 {
		return k.spEvalQuant(n)
	}
	src, dst := n.Inputs[0].Float32s(), n.Outputs[0].Float32s()
	if len(src) < k.batches*k.inH*k.inW*k.ch || len(dst) < k.batches*k.outH*k.outW*k.ch {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if !k.reference && k.poolRunF32(n, src, dst) {
		return nil
	}
	ch := k.ch
	o := 0
	for b := 0; b < k.batches; b++ {
		base := b * k.inH * k.inW * ch
		for oy := 0; oy < k.outH; oy++ {
			y0 := oy*k.strideH - k.padH
			fy0, fy1 := max(0, -y0), min(k.filterH, k.inH-y0)
			for ox := 0; ox < k.outW; ox++ {
				x0 := ox*k.strideW - k.padW
				fx0, fx1 := max(0, -x0), min(k.filterW, k.inW-x0)
				out := dst[o : o+ch]
				o += ch
				switch k.kind {
				case poolMax:
					k.maxWindow(src, out, base, y0, x0, fy0, fy1, fx0, fx1)
				case poolAverage:
					k.averageWindow(src, out, base, y0, x0, fy0, fy1, fx0, fx1)
				default:
					k.l2Window(src, out, base, y0, x0, fy0, fy1, fx0, fx1)
				}
			}
		}
	}
	return nil
}

func (k *poolKernel) maxWindow(src, out []float32, base, y0, x0, fy0, fy1, fx0, fx1 int) {
	ch := k.ch
	for c := range out {
		out[c] = -spatialMaxFloat32
	}
	for fy := fy0; fy < fy1; fy++ {
		row := base + ((y0+fy)*k.inW)*ch
		for fx := fx0; fx < fx1; fx++ {
			in := src[row+(x0+fx)*ch : row+(x0+fx)*ch+ch]
			for c, v := range in {
				out[c] = spatialMax(out[c], v)
			}
		}
	}
	for c, v := range out {
		out[c] = clamp(v, k.lo, k.hi)
	}
}

func (k *poolKernel) averageWindow(src, out []float32, base, y0, x0, fy0, fy1, fx0, fx1 int) {
	ch := k.ch
	for c := range out {
		out[c] = 0
	}
	count := 0
	for fy := fy0; fy < fy1; fy++ {
		row := base + ((y0+fy)*k.inW)*ch
		for fx := fx0; fx < fx1; fx++ {
			in := src[row+(x0+fx)*ch : row+(x0+fx)*ch+ch]
			for c, v := range in {
				out[c] += v
			}
			count++
		}
	}
	div := float32(count)
	for c, v := range out {
		out[c] = clamp(v/div, k.lo, k.hi)
	}
}

func (k *poolKernel) l2Window(src, out []float32, base, y0, x0, fy0, fy1, fx0, fx1 int) {
	ch := k.ch
	for c := range out {
		out[c] = 0
	}
	count := 0
	for fy := fy0; fy < fy1; fy++ {
		row := base + ((y0+fy)*k.inW)*ch
		for fx := fx0; fx < fx1; fx++ {
			in := src[row+(x0+fx)*ch : row+(x0+fx)*ch+ch]
			for c, v := range in {
				out[c] += float32(v * v)
			}
			count++
		}
	}
	div := float32(count)
	for c, v := range out {
		out[c] = clamp(float32(math.Sqrt(float64(v/div))), k.lo, k.hi)
	}
}

const spatialMaxFloat32 = float32(math.MaxFloat32)

// spatialMax is std::max(a, b) as TFLite's max pool uses it: a NaN in b is
// skipped, a NaN already in a stays.
func spatialMax(a, b float32) float32 {
	if a < b {
		return b
	}
	return a
}
