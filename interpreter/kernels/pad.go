package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// padMaxRank is TFLite's PadKernelMaxDimensionCount.
const padMaxRank = 5

// padMode says how a pad kernel fills the border.
type padMode uint8

const (
	padConstant  padMode = iota // PAD, PADV2
	padReflect                  // MIRROR_PAD REFLECT: the edge is not repeated
	padSymmetric                // MIRROR_PAD SYMMETRIC: the edge is repeated
)

// padKernel implements PAD, PADV2 and MIRROR_PAD as TFLite's pad.cc and
// mirror_pad.cc do. The paddings input is an INT32 or INT64 [rank, 2]
// matrix of non-negative (before, after) counts; when it is not constant
// the output is dynamic and sized in Eval. PAD fills with zero (false),
// PADV2 with its one-element constant_values input (zero when absent).
// MIRROR_PAD reflects the input, which limits each count to the dimension
// (SYMMETRIC) or the dimension minus one (REFLECT). The kernels move bytes,
// so one implementation serves every supported element type.
type padKernel struct {
	mirror  bool
	mode    padMode
	elem    int
	rank    int
	dynamic bool
	// before/after are the resolved paddings; inShape, outShape the
	// dimensions; inStride/outStride their row-major strides in bytes.
	before, after       [padMaxRank]int
	inShape, outShape   [padMaxRank]int
	inStride, outStride [padMaxRank]int
	shape               []int
	pads                []int
	fill                [8]byte
	zeroFill            bool // the pad value is all zero bytes
	ready               bool
}

func newPad(n *core.Node) (core.Kernel, error) {
	return &padKernel{mode: padConstant}, nil
}

func newMirrorPad(n *core.Node) (core.Kernel, error) {
	var o tflite.MirrorPadOptions
	n.BuiltinOptions(tflite.BuiltinOptionsMirrorPadOptions, &o)
	k := &padKernel{mirror: true}
	switch o.Mode() {
	case tflite.MirrorPadModeREFLECT:
		k.mode = padReflect
	case tflite.MirrorPadModeSYMMETRIC:
		k.mode = padSymmetric
	default:
		return nil, n.Errorf("unknown mirror pad mode %d", o.Mode())
	}
	return k, nil
}

// Prepare implements core.Kernel.
func (k *padKernel) Prepare(n *core.Node) error {
	k.ready = false
	maxIn := 3
	if k.mirror {
		maxIn = 2
	}
	if err := checkCounts(n, 2, maxIn, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	paddings, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	typ := in.Type()
	switch typ {
	case core.Float32, core.Int32, core.Int64:
	case core.Int8, core.Uint8, core.Int16:
		if k.mirror && typ == core.Int16 {
			return n.Errorf("INT16 input is not supported by MIRROR_PAD")
		}
	case core.Bool:
		if k.mirror {
			return n.Errorf("BOOL input is not supported by MIRROR_PAD")
		}
	default:
		return n.Errorf("%s input is not supported", typ)
	}
	if out.Type() != typ {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), typ)
	}
	k.elem = typ.ElementSize()
	k.rank = in.Rank()
	if k.rank > padMaxRank {
		return n.Errorf("input rank %d is above the maximum %d", k.rank, padMaxRank)
	}
	if paddings.Type() != core.Int32 && paddings.Type() != core.Int64 {
		return n.Errorf("paddings are %s, want INT32 or INT64", paddings.Type())
	}
	if ps := paddings.Shape(); len(ps) != 2 || ps[1] != 2 || ps[0] != k.rank {
		return n.Errorf("paddings have shape %s, want [%d, 2]", core.FormatShape(ps), k.rank)
	}
	for i := range k.fill {
		k.fill[i] = 0
	}
	if cv := n.Input(2); cv != nil && !k.mirror {
		if cv.Type() != typ {
			return n.Errorf("constant_values are %s, the input %s", cv.Type(), typ)
		}
		if cv.NumElements() != 1 {
			return n.Errorf("constant_values have %d elements, want 1", cv.NumElements())
		}
	}
	if err := k.spQuantFill(n, typ, out); err != nil {
		return err
	}
	for d, v := range in.Shape() {
		k.inShape[d] = v
	}
	k.pads = make([]int, 0, 2*k.rank)
	k.shape = make([]int, k.rank)
	k.dynamic = !paddings.IsConstant()
	if k.dynamic {
		out.SetDynamic()
	} else {
		if err := k.resolve(n); err != nil {
			return err
		}
		out.SetShape(k.shape)
	}
	k.ready = true
	return nil
}

// resolve reads the paddings and computes the output shape and strides.
func (k *padKernel) resolve(n *core.Node) error {
	pads, ok := spatialInts(n.Inputs[1], k.pads)
	if !ok || len(pads) != 2*k.rank {
		return n.Errorf("paddings have no data or values outside the int32 range")
	}
	off := 0
	if k.mode == padReflect {
		off = 1
	}
	for d := 0; d < k.rank; d++ {
		b, a := pads[2*d], pads[2*d+1]
		if b < 0 || a < 0 {
			return n.Errorf("paddings (%d, %d) of dimension %d must not be negative", b, a, d)
		}
		if k.mirror && (b > k.inShape[d]-off || a > k.inShape[d]-off) {
			return n.Errorf("paddings (%d, %d) of dimension %d are too large for size %d in this mirror mode", b, a, d, k.inShape[d])
		}
		k.before[d], k.after[d] = b, a
		k.outShape[d] = k.inShape[d] + b + a
		k.shape[d] = k.outShape[d]
	}
	is, os := k.elem, k.elem
	for d := k.rank - 1; d >= 0; d-- {
		k.inStride[d], k.outStride[d] = is, os
		is *= k.inShape[d]
		os *= k.outShape[d]
	}
	return nil
}

// Eval implements core.Kernel.
func (k *padKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.dynamic {
		if err := k.resolve(n); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.shape); err != nil {
			return err
		}
	}
	if cv := n.Input(2); cv != nil && !k.mirror {
		b := cv.Bytes()
		if len(b) < k.elem {
			return n.Errorf("constant_values have no data")
		}
		copy(k.fill[:], b[:k.elem])
	}
	k.zeroFill = true
	for _, b := range k.fill[:k.elem] {
		k.zeroFill = k.zeroFill && b == 0
	}
	src, dst := n.Inputs[0].Bytes(), n.Outputs[0].Bytes()
	inBytes, outBytes := k.elem, k.elem
	for d := 0; d < k.rank; d++ {
		inBytes *= k.inShape[d]
		outBytes *= k.outShape[d]
	}
	if len(src) < inBytes || len(dst) < outBytes {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if k.rank == 0 {
		copy(dst[:k.elem], src[:k.elem])
		return nil
	}
	if outBytes == 0 {
		return nil
	}
	if k.mirror {
		k.mirrorDim(0, src, dst)
	} else {
		k.constDim(0, src, dst)
	}
	return nil
}

// fillBytes writes the pad value into every element of dst: a clear for
// zero (the usual pad value), else the element doubled by copies (dst holds
// whole elements).
func (k *padKernel) fillBytes(dst []byte) {
	if len(dst) == 0 {
		return
	}
	if k.zeroFill {
		clear(dst)
		return
	}
	n := copy(dst, k.fill[:k.elem])
	for n < len(dst) {
		n += copy(dst[n:], dst[:n])
	}
}

// constDim pads dimension d of the block src (input) into dst (output).
func (k *padKernel) constDim(d int, src, dst []byte) {
	os := k.outStride[d]
	b, in := k.before[d], k.inShape[d]
	k.fillBytes(dst[:b*os])
	k.fillBytes(dst[(b+in)*os : k.outShape[d]*os])
	if d == k.rank-1 {
		copy(dst[b*os:(b+in)*os], src[:in*k.inStride[d]])
		return
	}
	is := k.inStride[d]
	for i := 0; i < in; i++ {
		k.constDim(d+1, src[i*is:(i+1)*is], dst[(b+i)*os:(b+i+1)*os])
	}
}

// mirrorIndex is TFLite's GetInputDimension: the input index that output
// index p of a dimension of size size reads.
func (k *padKernel) mirrorIndex(p, before, size int) int {
	off := 0
	if k.mode == padReflect {
		off = 1
	}
	if p < before {
		orig := before + off - 1
		return orig - min(p, orig-off)
	}
	p -= before
	if p >= size {
		p -= size
		orig := size - (1 + off)
		return orig - min(p, orig)
	}
	return p
}

// mirrorDim fills dimension d of the output block dst from the input
// block src.
func (k *padKernel) mirrorDim(d int, src, dst []byte) {
	is, os := k.inStride[d], k.outStride[d]
	for p := 0; p < k.outShape[d]; p++ {
		i := k.mirrorIndex(p, k.before[d], k.inShape[d])
		if d == k.rank-1 {
			copy(dst[p*os:(p+1)*os], src[i*is:(i+1)*is])
		} else {
			k.mirrorDim(d+1, src[i*is:(i+1)*is], dst[p*os:(p+1)*os])
		}
	}
}
