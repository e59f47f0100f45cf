package xnnpack

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// This file lowers TFLite nodes to a description of an XNNPACK subgraph
// (values and operators) in pure Go; xnnpack_cgo.go turns the description
// into xnn_define_* calls. Every constraint of the C library that this
// package knows is checked here, with a message that says why.

// maxDims is XNN_MAX_TENSOR_DIMS.
const maxDims = 6

// xdtype mirrors enum xnn_datatype.
type xdtype uint8

const (
	dtFP32    xdtype = 1
	dtQInt8   xdtype = 3
	dtQUInt8  xdtype = 4
	dtQInt32  xdtype = 5
	dtQCInt8  xdtype = 6
	dtQCInt32 xdtype = 7
)

// Flags of XNNPACK's define functions (xnnpack.h).
const (
	flagTensorFlowSamePadding = 0x4
	flagTensorFlowReshape2D   = 0x4
	flagTensorFlowLegacyMode  = 0x4
	flagAlignCorners          = 0x8
)

// xvalue is one XNNPACK value: a tensor of the partition or a constant the
// lowering made (a zero bias, a reshaped slope).
type xvalue struct {
	t       *core.Tensor // nil for values the lowering made
	dtype   xdtype
	shape   []int // the TFLite shape (set on partition outputs)
	dims    []int // the dims XNNPACK gets (same element count)
	data    []byte
	scale   float32
	zp      int32
	scales  []float32
	chanDim int
	input   int // index in the kernel's inputs, or -1
	output  int // index in the kernel's outputs, or -1
}

func (v *xvalue) static() bool { return v.data != nil }

type opKind uint8

const (
	opConv opKind = iota
	opDepthwise
	opDeconv
	opFullyConnected
	opAvgPool
	opMaxPool
	opGlobalAvgPool
	opAdd
	opMul
	opSub
	opDiv
	opMaximum
	opMinimum
	opSquaredDiff
	opClamp
	opHardSwish
	opSigmoid
	opLeakyRelu
	opElu
	opPrelu
	opSoftmax
	opAbs
	opCeil
	opFloor
	opRound
	opNegate
	opSquare
	opSqrt
	opPad
	opReshape
	opResize
	opDepthToSpace
	opConvert
)

// xop is one XNNPACK operator with the parameters its define call takes.
type xop struct {
	kind                   opKind
	node                   int // the TFLite node it comes from
	in                     []int
	out                    int
	padT, padR, padB, padL uint32
	kh, kw, sh, sw, dh, dw uint32
	adjH, adjW             uint32
	groups                 uint32
	gic, goc               int
	outMin, outMax         float32
	alpha                  float32
	pre, post              []int
	newH, newW             int
	block                  uint32
	flags                  uint32
}

// lowering is the XNNPACK description of a partition for the current
// input shapes.
type lowering struct {
	g     *delegates.Graph
	fold  *folder
	vals  []*xvalue
	byT   map[*core.Tensor]int
	ops   []xop
	ins   []*core.Tensor // the kernel's inputs (partition inputs)
	outs  []*core.Tensor
	isOut map[*core.Tensor]int
	// staticOuts are partition outputs whose data the lowering knows
	// (folded weights read outside the partition): Eval copies them.
	staticOuts []int
}

// lower describes nodes as one XNNPACK subgraph. ins are the tensors the
// kernel will be given as inputs; a non-constant operand that no node of
// the partition writes must be one of them. outs are the partition's
// outputs.
func lower(g *delegates.Graph, f *folder, nodes []*core.Node, ins, outs []*core.Tensor) (*lowering, error) {
	l := &lowering{g: g, fold: f, byT: map[*core.Tensor]int{}, ins: ins, outs: outs, isOut: map[*core.Tensor]int{}}
	for i, t := range outs {
		if t == nil {
			return nil, fmt.Errorf("partition output %d is absent", i)
		}
		l.isOut[t] = i
	}
	for _, n := range nodes {
		if err := l.node(n); err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name(), err)
		}
	}
	for i, t := range outs {
		vi, ok := l.byT[t]
		if !ok {
			return nil, fmt.Errorf("partition output %d (%s) is not written by the partition", i, t.Name())
		}
		if l.vals[vi].static() {
			l.staticOuts = append(l.staticOuts, vi)
		}
	}
	return l, nil
}

func (l *lowering) add(v *xvalue) int {
	v.input, v.output = -1, -1
	l.vals = append(l.vals, v)
	return len(l.vals) - 1
}

func (l *lowering) emit(o xop) { l.ops = append(l.ops, o) }

// tensorType maps an activation tensor to its XNNPACK type and
// per-tensor quantization.
func tensorType(t *core.Tensor) (xdtype, float32, int32, error) {
	switch t.Type() {
	case core.Float32:
		return dtFP32, 0, 0, nil
	case core.Int8, core.Uint8:
		q := t.Quantization()
		if len(q.Scale) != 1 {
			return 0, 0, 0, fmt.Errorf("tensor %q: %s needs one per-tensor scale (has %d)", t.Name(), t.Type(), len(q.Scale))
		}
		scale, zp := q.Params(0)
		if !(scale > 0) || math.IsInf(float64(scale), 0) {
			return 0, 0, 0, fmt.Errorf("tensor %q: scale %g is not positive and finite", t.Name(), scale)
		}
		if t.Type() == core.Int8 {
			if zp < -128 || zp > 127 {
				return 0, 0, 0, fmt.Errorf("tensor %q: zero point %d out of INT8 range", t.Name(), zp)
			}
			return dtQInt8, scale, int32(zp), nil
		}
		if zp < 0 || zp > 255 {
			return 0, 0, 0, fmt.Errorf("tensor %q: zero point %d out of UINT8 range", t.Name(), zp)
		}
		return dtQUInt8, scale, int32(zp), nil
	}
	return 0, 0, 0, fmt.Errorf("tensor %q: type %s is not supported (FLOAT32, INT8, UINT8 only)", t.Name(), t.Type())
}

func checkShape(t *core.Tensor, shape []int) error {
	if len(shape) > maxDims {
		return fmt.Errorf("tensor %q has rank %d; XNNPACK takes at most %d", t.Name(), len(shape), maxDims)
	}
	for _, d := range shape {
		if d <= 0 {
			return fmt.Errorf("tensor %q has shape %s; XNNPACK needs every dimension positive", t.Name(), core.FormatShape(shape))
		}
	}
	return nil
}

// operand returns the value of a tensor a node reads: one the partition
// wrote, a static tensor (constant or folded), or a kernel input.
func (l *lowering) operand(t *core.Tensor) (int, error) {
	if t == nil {
		return -1, fmt.Errorf("a required input is absent")
	}
	if vi, ok := l.byT[t]; ok {
		if l.vals[vi].dtype == 0 {
			return -1, fmt.Errorf("tensor %q is %s, which XNNPACK does not take", t.Name(), t.Type())
		}
		return vi, nil
	}
	typ, scale, zp, err := tensorType(t)
	if err != nil {
		return -1, err
	}
	st, err := l.fold.static(t)
	if err != nil {
		return -1, err
	}
	if st != nil {
		if err := checkShape(t, st.Shape()); err != nil {
			return -1, err
		}
		vi := l.add(&xvalue{t: t, dtype: typ, shape: st.Shape(), dims: st.Shape(), data: st.Bytes(), scale: scale, zp: zp})
		l.byT[t] = vi
		return vi, nil
	}
	idx := -1
	for i, in := range l.ins {
		if in == t {
			idx = i
			break
		}
	}
	if idx < 0 {
		return -1, fmt.Errorf("tensor %q is neither constant, written by the partition, nor a partition input", t.Name())
	}
	if err := checkShape(t, t.Shape()); err != nil {
		return -1, err
	}
	vi := l.add(&xvalue{t: t, dtype: typ, shape: t.Shape(), dims: t.Shape(), scale: scale, zp: zp})
	l.vals[vi].input = idx
	l.byT[t] = vi
	return vi, nil
}

// result makes the value of a tensor a node writes, of the given shape.
func (l *lowering) result(t *core.Tensor, shape []int) (int, error) {
	if t == nil {
		return -1, fmt.Errorf("the output is absent")
	}
	if _, ok := l.byT[t]; ok {
		return -1, fmt.Errorf("tensor %q is written twice", t.Name())
	}
	typ, scale, zp, err := tensorType(t)
	if err != nil {
		return -1, err
	}
	if err := checkShape(t, shape); err != nil {
		return -1, err
	}
	vi := l.add(&xvalue{t: t, dtype: typ, shape: shape, dims: shape, scale: scale, zp: zp})
	if i, ok := l.isOut[t]; ok {
		l.vals[vi].output = i
	}
	l.byT[t] = vi
	return vi, nil
}

// staticValue returns the static value of a weight operand, failing when
// it is not static.
func (l *lowering) staticValue(t *core.Tensor, what string) (*core.Tensor, error) {
	if t == nil {
		return nil, fmt.Errorf("%s is absent", what)
	}
	st, err := l.fold.static(t)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("%s %q is not constant (XNNPACK packs weights once)", what, t.Name())
	}
	return st, nil
}

// activationRange maps a fused activation to XNNPACK's output_min/max.
func activationRange(a tflite.ActivationFunctionType) (float32, float32, error) {
	inf := float32(math.Inf(1))
	switch a {
	case tflite.ActivationFunctionTypeNONE:
		return -inf, inf, nil
	case tflite.ActivationFunctionTypeRELU:
		return 0, inf, nil
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		return -1, 1, nil
	case tflite.ActivationFunctionTypeRELU6:
		return 0, 6, nil
	}
	return 0, 0, fmt.Errorf("fused activation %s is not supported", a)
}

func sameQuant(a, b *xvalue) bool {
	return a.dtype == b.dtype && a.scale == b.scale && a.zp == b.zp
}

// node lowers one TFLite node.
func (l *lowering) node(n *core.Node) error {
	if n.Op.Builtin == tflite.BuiltinOperatorCUSTOM {
		if n.Op.Custom == "Convolution2DTransposeBias" {
			return l.transposeConvBias(n)
		}
		return fmt.Errorf("custom op %q is not supported", n.Op.Custom)
	}
	switch n.Op.Builtin {
	case tflite.BuiltinOperatorDEQUANTIZE, tflite.BuiltinOperatorDENSIFY:
		return l.foldOrConvert(n)
	case tflite.BuiltinOperatorQUANTIZE:
		return l.convert(n)
	case tflite.BuiltinOperatorCONV_2D:
		return l.conv(n, false)
	case tflite.BuiltinOperatorDEPTHWISE_CONV_2D:
		return l.conv(n, true)
	case tflite.BuiltinOperatorTRANSPOSE_CONV:
		return l.transposeConv(n)
	case tflite.BuiltinOperatorFULLY_CONNECTED:
		return l.fullyConnected(n)
	case tflite.BuiltinOperatorAVERAGE_POOL_2D:
		return l.pool(n, opAvgPool)
	case tflite.BuiltinOperatorMAX_POOL_2D:
		return l.pool(n, opMaxPool)
	case tflite.BuiltinOperatorMEAN:
		return l.mean(n)
	case tflite.BuiltinOperatorADD:
		var o tflite.AddOptions
		n.BuiltinOptions(tflite.BuiltinOptionsAddOptions, &o)
		return l.binary(n, opAdd, o.FusedActivationFunction())
	case tflite.BuiltinOperatorMUL:
		var o tflite.MulOptions
		n.BuiltinOptions(tflite.BuiltinOptionsMulOptions, &o)
		return l.binary(n, opMul, o.FusedActivationFunction())
	case tflite.BuiltinOperatorSUB:
		var o tflite.SubOptions
		n.BuiltinOptions(tflite.BuiltinOptionsSubOptions, &o)
		return l.binary(n, opSub, o.FusedActivationFunction())
	case tflite.BuiltinOperatorDIV:
		var o tflite.DivOptions
		n.BuiltinOptions(tflite.BuiltinOptionsDivOptions, &o)
		return l.binary(n, opDiv, o.FusedActivationFunction())
	case tflite.BuiltinOperatorMAXIMUM:
		return l.binary(n, opMaximum, tflite.ActivationFunctionTypeNONE)
	case tflite.BuiltinOperatorMINIMUM:
		return l.binary(n, opMinimum, tflite.ActivationFunctionTypeNONE)
	case tflite.BuiltinOperatorSQUARED_DIFFERENCE:
		return l.binary(n, opSquaredDiff, tflite.ActivationFunctionTypeNONE)
	case tflite.BuiltinOperatorRELU:
		return l.clamp(n, 0, float32(math.Inf(1)))
	case tflite.BuiltinOperatorRELU6:
		return l.clamp(n, 0, 6)
	case tflite.BuiltinOperatorRELU_N1_TO_1:
		return l.clamp(n, -1, 1)
	case tflite.BuiltinOperatorRELU_0_TO_1:
		return l.clamp(n, 0, 1)
	case tflite.BuiltinOperatorHARD_SWISH:
		return l.unary(n, opHardSwish, 0)
	case tflite.BuiltinOperatorLOGISTIC:
		return l.unary(n, opSigmoid, 0)
	case tflite.BuiltinOperatorLEAKY_RELU:
		var o tflite.LeakyReluOptions
		n.BuiltinOptions(tflite.BuiltinOptionsLeakyReluOptions, &o)
		return l.unary(n, opLeakyRelu, o.Alpha())
	case tflite.BuiltinOperatorELU:
		return l.unary(n, opElu, 1)
	case tflite.BuiltinOperatorABS:
		return l.unary(n, opAbs, 0)
	case tflite.BuiltinOperatorCEIL:
		return l.unary(n, opCeil, 0)
	case tflite.BuiltinOperatorFLOOR:
		return l.unary(n, opFloor, 0)
	case tflite.BuiltinOperatorROUND:
		return l.unary(n, opRound, 0)
	case tflite.BuiltinOperatorNEG:
		return l.unary(n, opNegate, 0)
	case tflite.BuiltinOperatorSQUARE:
		return l.unary(n, opSquare, 0)
	case tflite.BuiltinOperatorSQRT:
		return l.unary(n, opSqrt, 0)
	case tflite.BuiltinOperatorPRELU:
		return l.prelu(n)
	case tflite.BuiltinOperatorSOFTMAX:
		return l.softmax(n)
	case tflite.BuiltinOperatorPAD, tflite.BuiltinOperatorPADV2:
		return l.pad(n)
	case tflite.BuiltinOperatorRESHAPE:
		return l.reshape(n)
	case tflite.BuiltinOperatorRESIZE_BILINEAR:
		return l.resize(n)
	case tflite.BuiltinOperatorDEPTH_TO_SPACE:
		return l.depthToSpace(n)
	case tflite.BuiltinOperatorCONCATENATION:
		return l.concat(n)
	}
	return fmt.Errorf("op %s is not supported by the XNNPACK delegate", n.Op.Name())
}

func counts(n *core.Node, minIn, maxIn, outs int) error {
	if len(n.Inputs) < minIn || len(n.Inputs) > maxIn {
		return fmt.Errorf("has %d inputs; want %d to %d", len(n.Inputs), minIn, maxIn)
	}
	if len(n.Outputs) != outs {
		return fmt.Errorf("has %d outputs; want %d", len(n.Outputs), outs)
	}
	return nil
}

// foldOrConvert lowers DEQUANTIZE and DENSIFY: static inputs are folded
// (fp16 or int8 weights become fp32 constants, as TFLite's delegate does);
// a DEQUANTIZE of a runtime INT8/UINT8 tensor becomes a Convert.
func (l *lowering) foldOrConvert(n *core.Node) error {
	if err := counts(n, 1, 1, 1); err != nil {
		return err
	}
	out := n.Outputs[0]
	st, err := l.fold.static(out)
	if err != nil {
		return err
	}
	if st != nil {
		if _, ok := l.byT[out]; ok {
			return fmt.Errorf("tensor %q is written twice", out.Name())
		}
		// A folded FLOAT16 (DENSIFY before DEQUANTIZE) has no XNNPACK
		// type: it stays a Go-side constant that only the next fold reads.
		dtype := xdtype(0)
		if out.Type() == core.Float32 {
			dtype = dtFP32
		}
		vi := l.add(&xvalue{t: out, dtype: dtype, shape: st.Shape(), dims: st.Shape(), data: st.Bytes()})
		if i, ok := l.isOut[out]; ok {
			l.vals[vi].output = i
		}
		l.byT[out] = vi
		return nil
	}
	if n.Op.Builtin == tflite.BuiltinOperatorDENSIFY {
		return fmt.Errorf("DENSIFY of a non-constant tensor is not supported")
	}
	return l.convert(n)
}

// convert lowers QUANTIZE (FLOAT32 to INT8/UINT8) and DEQUANTIZE (INT8/
// UINT8 to FLOAT32) of runtime tensors.
func (l *lowering) convert(n *core.Node) error {
	if err := counts(n, 1, 1, 1); err != nil {
		return err
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if in == nil || out == nil {
		return fmt.Errorf("input or output is absent")
	}
	fin, fout := in.Type() == core.Float32, out.Type() == core.Float32
	if fin == fout {
		return fmt.Errorf("conversion from %s to %s is not supported", in.Type(), out.Type())
	}
	a, err := l.operand(in)
	if err != nil {
		return err
	}
	if l.vals[a].static() {
		return fmt.Errorf("conversion of a constant is not supported")
	}
	o, err := l.result(out, l.vals[a].shape)
	if err != nil {
		return err
	}
	l.emit(xop{kind: opConvert, node: n.Index, in: []int{a}, out: o})
	return nil
}

// convOut is TFLite's output size of a convolution or pooling dimension.
func convOut(p tflite.Padding, in, filter, stride, dilation int) (int, error) {
	eff := (filter-1)*dilation + 1
	var out int
	switch p {
	case tflite.PaddingSAME:
		out = (in + stride - 1) / stride
	case tflite.PaddingVALID:
		out = (in + stride - eff) / stride
	default:
		return 0, fmt.Errorf("padding %s is not supported", p)
	}
	if out <= 0 {
		return 0, fmt.Errorf("input size %d with filter %d, stride %d and dilation %d gives no output", in, filter, stride, dilation)
	}
	return out, nil
}

// filterValue makes the value of a convolution's static weights: fp32,
// per-tensor INT8/UINT8 or per-channel INT8 along chanDim.
func (l *lowering) filterValue(t *core.Tensor, inType xdtype, chanDim int) (int, error) {
	st, err := l.staticValue(t, "filter")
	if err != nil {
		return -1, err
	}
	v := &xvalue{t: t, shape: st.Shape(), dims: st.Shape(), data: st.Bytes()}
	if err := checkShape(t, v.shape); err != nil {
		return -1, err
	}
	q := t.Quantization()
	switch inType {
	case dtFP32:
		if t.Type() != core.Float32 {
			return -1, fmt.Errorf("filter %q is %s with a FLOAT32 input (hybrid quantization is not supported)", t.Name(), t.Type())
		}
		v.dtype = dtFP32
	case dtQUInt8:
		if t.Type() != core.Uint8 || len(q.Scale) != 1 {
			return -1, fmt.Errorf("filter %q must be per-tensor UINT8 with a UINT8 input", t.Name())
		}
		s, zp := q.Params(0)
		if !(s > 0) || zp < 0 || zp > 255 {
			return -1, fmt.Errorf("filter %q has bad quantization (scale %g, zero point %d)", t.Name(), s, zp)
		}
		v.dtype, v.scale, v.zp = dtQUInt8, s, int32(zp)
	case dtQInt8:
		if t.Type() != core.Int8 || len(q.Scale) == 0 {
			return -1, fmt.Errorf("filter %q must be quantized INT8 with an INT8 input", t.Name())
		}
		for _, zp := range q.ZeroPoint {
			if zp != 0 {
				return -1, fmt.Errorf("filter %q has zero point %d; INT8 filters must be symmetric", t.Name(), zp)
			}
		}
		for _, s := range q.Scale {
			if !(s > 0) || math.IsInf(float64(s), 0) {
				return -1, fmt.Errorf("filter %q has scale %g", t.Name(), s)
			}
		}
		if len(q.Scale) == 1 {
			v.dtype, v.scale = dtQInt8, q.Scale[0]
		} else {
			if chanDim >= len(v.shape) || q.QuantizedDimension != chanDim || len(q.Scale) != v.shape[chanDim] {
				return -1, fmt.Errorf("filter %q is quantized along dimension %d with %d scales; want dimension %d with %d", t.Name(), q.QuantizedDimension, len(q.Scale), chanDim, v.shape[chanDim])
			}
			v.dtype, v.scales, v.chanDim = dtQCInt8, q.Scale, chanDim
		}
	default:
		return -1, fmt.Errorf("input type is not supported")
	}
	vi := l.add(v)
	l.byT[t] = vi
	return vi, nil
}

// biasValue makes the value of a convolution's static bias (or zeros when
// the model has none: XNNPACK's convolution needs one).
func (l *lowering) biasValue(t *core.Tensor, in, filter *xvalue, channels int) (int, error) {
	v := &xvalue{shape: []int{channels}, dims: []int{channels}}
	if t == nil {
		v.data = make([]byte, 4*channels) // fp32 or int32 zeros
	} else {
		st, err := l.staticValue(t, "bias")
		if err != nil {
			return -1, err
		}
		if st.NumElements() != channels || st.Rank() != 1 {
			return -1, fmt.Errorf("bias %q has shape %s; want [%d]", t.Name(), core.FormatShape(st.Shape()), channels)
		}
		want := core.Float32
		if in.dtype != dtFP32 {
			want = core.Int32
		}
		if t.Type() != want {
			return -1, fmt.Errorf("bias %q is %s; want %s", t.Name(), t.Type(), want)
		}
		v.t, v.data = t, st.Bytes()
	}
	switch {
	case in.dtype == dtFP32:
		v.dtype = dtFP32
	case filter.dtype == dtQCInt8:
		if len(filter.scales) != channels {
			return -1, fmt.Errorf("filter has %d scales for %d output channels", len(filter.scales), channels)
		}
		v.dtype = dtQCInt32
		v.scales = make([]float32, channels)
		for i := range v.scales {
			v.scales[i] = in.scale * filter.scales[i]
		}
	default:
		v.dtype, v.scale = dtQInt32, in.scale*filter.scale
	}
	vi := l.add(v)
	if t != nil {
		l.byT[t] = vi
	}
	return vi, nil
}

// checkRequant is XNNPACK's bound on a quantized operator's requantization
// scale (input scale * filter scale / output scale < 256).
func checkRequant(in, filter, out *xvalue) error {
	if in.dtype == dtFP32 {
		return nil
	}
	scales := filter.scales
	if scales == nil {
		scales = []float32{filter.scale}
	}
	for _, s := range scales {
		r := in.scale * s / out.scale
		if !(r < 256) || !(r >= 1.0/(1<<32)) {
			return fmt.Errorf("requantization scale %g is outside XNNPACK's range [2^-32, 256)", r)
		}
	}
	return nil
}

func (l *lowering) conv(n *core.Node, depthwise bool) error {
	if err := counts(n, 2, 3, 1); err != nil {
		return err
	}
	var padding tflite.Padding
	var sw, sh, dw, dh, mult int
	var act tflite.ActivationFunctionType
	if depthwise {
		var o tflite.DepthwiseConv2DOptions
		n.BuiltinOptions(tflite.BuiltinOptionsDepthwiseConv2DOptions, &o)
		padding, sw, sh, dw, dh, act = o.Padding(), int(o.StrideW()), int(o.StrideH()), int(o.DilationWFactor()), int(o.DilationHFactor()), o.FusedActivationFunction()
		mult = int(o.DepthMultiplier())
	} else {
		var o tflite.Conv2DOptions
		n.BuiltinOptions(tflite.BuiltinOptionsConv2DOptions, &o)
		padding, sw, sh, dw, dh, act = o.Padding(), int(o.StrideW()), int(o.StrideH()), int(o.DilationWFactor()), int(o.DilationHFactor()), o.FusedActivationFunction()
	}
	if sw < 1 || sh < 1 || dw < 1 || dh < 1 {
		return fmt.Errorf("strides %dx%d and dilations %dx%d must be at least 1", sh, sw, dh, dw)
	}
	lo, hi, err := activationRange(act)
	if err != nil {
		return err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if in.static() {
		return fmt.Errorf("constant input is not supported")
	}
	if len(in.shape) != 4 {
		return fmt.Errorf("input has rank %d; want 4", len(in.shape))
	}
	chanDim := 0
	if depthwise {
		chanDim = 3
	}
	f, err := l.filterValue(n.Inputs[1], in.dtype, chanDim)
	if err != nil {
		return err
	}
	filter := l.vals[f]
	if len(filter.shape) != 4 {
		return fmt.Errorf("filter has rank %d; want 4", len(filter.shape))
	}
	batch, ih, iw, ic := in.shape[0], in.shape[1], in.shape[2], in.shape[3]
	var oc, kh, kw, groups, gic int
	if depthwise {
		if filter.shape[0] != 1 {
			return fmt.Errorf("depthwise filter has shape %s; want [1,h,w,c]", core.FormatShape(filter.shape))
		}
		kh, kw, oc = filter.shape[1], filter.shape[2], filter.shape[3]
		if oc%ic != 0 {
			return fmt.Errorf("output channels %d are not a multiple of input channels %d", oc, ic)
		}
		// TFLite derives the multiplier from the shapes, not the option.
		mult = oc / ic
	} else {
		oc, kh, kw, gic = filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3]
		if ic%gic != 0 {
			return fmt.Errorf("input channels %d are not a multiple of the filter's %d", ic, gic)
		}
		groups = ic / gic
		if oc%groups != 0 {
			return fmt.Errorf("output channels %d are not a multiple of the %d groups", oc, groups)
		}
	}
	// TFLite's CONV_2D and DEPTHWISE_CONV_2D kernels require the bias.
	if len(n.Inputs) < 3 || n.Inputs[2] == nil {
		return fmt.Errorf("bias is absent (TFLite requires one)")
	}
	b, err := l.biasValue(n.Inputs[2], in, filter, oc)
	if err != nil {
		return err
	}
	oh, err := convOut(padding, ih, kh, sh, dh)
	if err != nil {
		return err
	}
	ow, err := convOut(padding, iw, kw, sw, dw)
	if err != nil {
		return err
	}
	o, err := l.result(n.Outputs[0], []int{batch, oh, ow, oc})
	if err != nil {
		return err
	}
	out := l.vals[o]
	if out.dtype != in.dtype {
		return fmt.Errorf("output type differs from the input's")
	}
	if err := checkRequant(in, filter, out); err != nil {
		return err
	}
	op := xop{node: n.Index, in: []int{a, f, b}, out: o, kh: uint32(kh), kw: uint32(kw), sh: uint32(sh), sw: uint32(sw), dh: uint32(dh), dw: uint32(dw), outMin: lo, outMax: hi}
	if padding == tflite.PaddingSAME {
		op.flags = flagTensorFlowSamePadding
	}
	if depthwise {
		op.kind, op.block, op.gic = opDepthwise, uint32(mult), ic
	} else {
		op.kind, op.groups, op.gic, op.goc = opConv, uint32(groups), gic, oc/groups
	}
	l.emit(op)
	return nil
}

// deconv lowers a transposed convolution (weights [O,kh,kw,I]) whose
// output size is given, padded as TFLite pads TRANSPOSE_CONV.
func (l *lowering) deconv(n *core.Node, inT, wT, biasT, outT *core.Tensor, padding tflite.Padding, sh, sw, oh, ow int, act tflite.ActivationFunctionType) error {
	if sw < 1 || sh < 1 {
		return fmt.Errorf("strides %dx%d must be at least 1", sh, sw)
	}
	lo, hi, err := activationRange(act)
	if err != nil {
		return err
	}
	a, err := l.operand(inT)
	if err != nil {
		return err
	}
	in := l.vals[a]
	if in.static() || len(in.shape) != 4 {
		return fmt.Errorf("input must be a non-constant 4-D tensor")
	}
	f, err := l.filterValue(wT, in.dtype, 0)
	if err != nil {
		return err
	}
	filter := l.vals[f]
	if filter.dtype == dtQCInt8 {
		return fmt.Errorf("per-channel quantized weights are not supported by this XNNPACK's deconvolution")
	}
	if len(filter.shape) != 4 || filter.shape[3] != in.shape[3] {
		return fmt.Errorf("filter shape %s does not fit input %s", core.FormatShape(filter.shape), core.FormatShape(in.shape))
	}
	oc, kh, kw := filter.shape[0], filter.shape[1], filter.shape[2]
	b, err := l.biasValue(biasT, in, filter, oc)
	if err != nil {
		return err
	}
	var pads [2][2]int
	var adj [2]int
	for d, g := range [2]struct{ in, out, k, s int }{{in.shape[1], oh, kh, sh}, {in.shape[2], ow, kw, sw}} {
		full := (g.in-1)*g.s + g.k
		total := full - g.out
		switch padding {
		case tflite.PaddingVALID:
			if total != 0 {
				return fmt.Errorf("VALID output size %d differs from %d", g.out, full)
			}
		case tflite.PaddingSAME:
		default:
			return fmt.Errorf("padding %s is not supported", padding)
		}
		if total >= 0 {
			pads[d] = [2]int{total / 2, total - total/2}
		} else {
			adj[d] = -total
			if adj[d] >= g.s {
				return fmt.Errorf("output size %d is too large for input %d, filter %d and stride %d", g.out, g.in, g.k, g.s)
			}
		}
	}
	o, err := l.result(outT, []int{in.shape[0], oh, ow, oc})
	if err != nil {
		return err
	}
	out := l.vals[o]
	if out.dtype != in.dtype {
		return fmt.Errorf("output type differs from the input's")
	}
	if err := checkRequant(in, filter, out); err != nil {
		return err
	}
	l.emit(xop{kind: opDeconv, node: n.Index, in: []int{a, f, b}, out: o,
		padT: uint32(pads[0][0]), padB: uint32(pads[0][1]), padL: uint32(pads[1][0]), padR: uint32(pads[1][1]),
		adjH: uint32(adj[0]), adjW: uint32(adj[1]), kh: uint32(kh), kw: uint32(kw), sh: uint32(sh), sw: uint32(sw), dh: 1, dw: 1,
		groups: 1, gic: in.shape[3], goc: oc, outMin: lo, outMax: hi})
	return nil
}

func (l *lowering) transposeConv(n *core.Node) error {
	if err := counts(n, 3, 4, 1); err != nil {
		return err
	}
	var o tflite.TransposeConvOptions
	n.BuiltinOptions(tflite.BuiltinOptionsTransposeConvOptions, &o)
	s, err := intsOf(n.Inputs[0])
	if err != nil || n.Inputs[0].Type() != core.Int32 || len(s) != 4 {
		return fmt.Errorf("output shape must be a constant INT32 [4] tensor")
	}
	var bias *core.Tensor
	if len(n.Inputs) > 3 {
		bias = n.Inputs[3]
	}
	in := n.Inputs[2]
	if in != nil && in.Rank() == 4 && int(s[0]) != in.Dim(0) {
		return fmt.Errorf("output batch %d differs from the input's %d", s[0], in.Dim(0))
	}
	if w := n.Inputs[1]; w != nil && w.Rank() == 4 && int(s[3]) != w.Dim(0) {
		return fmt.Errorf("output channels %d differ from the filter's %d", s[3], w.Dim(0))
	}
	return l.deconv(n, in, n.Inputs[1], bias, n.Outputs[0], o.Padding(), int(o.StrideH()), int(o.StrideW()), int(s[1]), int(s[2]), o.FusedActivationFunction())
}

// transposeConvBias lowers MediaPipe's Convolution2DTransposeBias: custom
// options are TfLiteTransposeConvParams (padding, stride_w, stride_h);
// the output size is stride*(in-1) + k - p with p = max(0, k - (in-1) %
// stride - 1) for SAME, 0 for VALID.
func (l *lowering) transposeConvBias(n *core.Node) error {
	if err := counts(n, 3, 3, 1); err != nil {
		return err
	}
	opts := n.CustomOptions
	if len(opts) < 12 {
		return fmt.Errorf("custom options have %d bytes; want 12", len(opts))
	}
	pad := int32(binary.LittleEndian.Uint32(opts[0:]))
	sw := int(int32(binary.LittleEndian.Uint32(opts[4:])))
	sh := int(int32(binary.LittleEndian.Uint32(opts[8:])))
	var padding tflite.Padding
	switch pad {
	case 1:
		padding = tflite.PaddingSAME
	case 2:
		padding = tflite.PaddingVALID
	default:
		return fmt.Errorf("padding %d is neither SAME (1) nor VALID (2)", pad)
	}
	in, w := n.Inputs[0], n.Inputs[1]
	if in == nil || w == nil || in.Type() != core.Float32 {
		return fmt.Errorf("only FLOAT32 is supported")
	}
	a, err := l.operand(in)
	if err != nil {
		return err
	}
	shape := l.vals[a].shape
	if len(shape) != 4 || w.Rank() != 4 || sw < 1 || sh < 1 {
		return fmt.Errorf("input and filter must be 4-D, strides positive")
	}
	size := func(in, k, s int) int {
		p := 0
		if padding == tflite.PaddingSAME {
			p = max(0, k-(in-1)%s-1)
		}
		return s*(in-1) + k - p
	}
	oh, ow := size(shape[1], w.Dim(1), sh), size(shape[2], w.Dim(2), sw)
	return l.deconv(n, in, w, n.Inputs[2], n.Outputs[0], tflite.PaddingSAME, sh, sw, oh, ow, tflite.ActivationFunctionTypeNONE)
}

func (l *lowering) fullyConnected(n *core.Node) error {
	if err := counts(n, 2, 3, 1); err != nil {
		return err
	}
	var o tflite.FullyConnectedOptions
	n.BuiltinOptions(tflite.BuiltinOptionsFullyConnectedOptions, &o)
	if o.WeightsFormat() != tflite.FullyConnectedOptionsWeightsFormatDEFAULT {
		return fmt.Errorf("weights format %s is not supported", o.WeightsFormat())
	}
	lo, hi, err := activationRange(o.FusedActivationFunction())
	if err != nil {
		return err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if in.static() {
		return fmt.Errorf("constant input is not supported")
	}
	f, err := l.filterValue(n.Inputs[1], in.dtype, 0)
	if err != nil {
		return err
	}
	filter := l.vals[f]
	if filter.dtype == dtQCInt8 {
		return fmt.Errorf("per-channel quantized weights are not supported by this XNNPACK's fully connected")
	}
	if len(filter.shape) != 2 {
		return fmt.Errorf("weights have rank %d; want 2", len(filter.shape))
	}
	oc, ic := filter.shape[0], filter.shape[1]
	var bias *core.Tensor
	if len(n.Inputs) > 2 {
		bias = n.Inputs[2]
	}
	b, err := l.biasValue(bias, in, filter, oc)
	if err != nil {
		return err
	}
	var shape []int
	var flags uint32
	numel := 1
	for _, d := range in.shape {
		numel *= d
	}
	if o.KeepNumDims() {
		if len(in.shape) == 0 || in.shape[len(in.shape)-1] != ic {
			return fmt.Errorf("input shape %s does not end in the weights' %d inputs", core.FormatShape(in.shape), ic)
		}
		shape = append(append([]int(nil), in.shape[:len(in.shape)-1]...), oc)
	} else {
		if numel%ic != 0 {
			return fmt.Errorf("input of %d elements is not a multiple of %d", numel, ic)
		}
		shape = []int{numel / ic, oc}
		flags = flagTensorFlowReshape2D
	}
	r, err := l.result(n.Outputs[0], shape)
	if err != nil {
		return err
	}
	out := l.vals[r]
	if out.dtype != in.dtype {
		return fmt.Errorf("output type differs from the input's")
	}
	if err := checkRequant(in, filter, out); err != nil {
		return err
	}
	l.emit(xop{kind: opFullyConnected, node: n.Index, in: []int{a, f, b}, out: r, outMin: lo, outMax: hi, flags: flags})
	return nil
}

func (l *lowering) pool(n *core.Node, kind opKind) error {
	if err := counts(n, 1, 1, 1); err != nil {
		return err
	}
	var o tflite.Pool2DOptions
	n.BuiltinOptions(tflite.BuiltinOptionsPool2DOptions, &o)
	lo, hi, err := activationRange(o.FusedActivationFunction())
	if err != nil {
		return err
	}
	kh, kw, sh, sw := int(o.FilterHeight()), int(o.FilterWidth()), int(o.StrideH()), int(o.StrideW())
	if kh < 1 || kw < 1 || sh < 1 || sw < 1 {
		return fmt.Errorf("filter %dx%d and strides %dx%d must be at least 1", kh, kw, sh, sw)
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if len(in.shape) != 4 {
		return fmt.Errorf("input has rank %d; want 4", len(in.shape))
	}
	oh, err := convOut(o.Padding(), in.shape[1], kh, sh, 1)
	if err != nil {
		return err
	}
	ow, err := convOut(o.Padding(), in.shape[2], kw, sw, 1)
	if err != nil {
		return err
	}
	r, err := l.result(n.Outputs[0], []int{in.shape[0], oh, ow, in.shape[3]})
	if err != nil {
		return err
	}
	if !sameQuant(in, l.vals[r]) {
		return fmt.Errorf("output type or quantization differs from the input's")
	}
	if kind == opAvgPool && in.dtype != dtFP32 {
		return fmt.Errorf("quantized AVERAGE_POOL_2D is not supported by this XNNPACK's subgraph API (FLOAT32 only)")
	}
	if kh == 1 && kw == 1 {
		// XNNPACK rejects 1x1 pooling; with stride 1 it is the clamp.
		if sh != 1 || sw != 1 {
			return fmt.Errorf("1x1 pooling with stride %dx%d is not supported", sh, sw)
		}
		l.emit(xop{kind: opClamp, node: n.Index, in: []int{a}, out: r, outMin: lo, outMax: hi})
		return nil
	}
	op := xop{kind: kind, node: n.Index, in: []int{a}, out: r, kh: uint32(kh), kw: uint32(kw), sh: uint32(sh), sw: uint32(sw), dh: 1, dw: 1, outMin: lo, outMax: hi}
	if o.Padding() == tflite.PaddingSAME {
		op.flags = flagTensorFlowSamePadding
	}
	l.emit(op)
	return nil
}

// intsOf reads a constant INT32 or INT64 tensor.
func intsOf(t *core.Tensor) ([]int, error) {
	if t == nil || !t.IsConstant() {
		return nil, fmt.Errorf("must be a constant tensor")
	}
	var out []int
	n := t.NumElements()
	if len(t.Bytes()) < t.ByteSize() {
		return nil, fmt.Errorf("has %d bytes; want %d", len(t.Bytes()), t.ByteSize())
	}
	switch t.Type() {
	case core.Int32:
		for _, v := range t.Int32s()[:n] {
			out = append(out, int(v))
		}
	case core.Int64:
		for _, v := range t.Int64s()[:n] {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, fmt.Errorf("value %d out of range", v)
			}
			out = append(out, int(v))
		}
	default:
		return nil, fmt.Errorf("type %s is not INT32 or INT64", t.Type())
	}
	return out, nil
}

// mean lowers MEAN over the spatial axes of a 4-D tensor as global average
// pooling, as TFLite's delegate does.
func (l *lowering) mean(n *core.Node) error {
	if err := counts(n, 2, 2, 1); err != nil {
		return err
	}
	var o tflite.ReducerOptions
	n.BuiltinOptions(tflite.BuiltinOptionsReducerOptions, &o)
	axes, err := intsOf(n.Inputs[1])
	if err != nil {
		return fmt.Errorf("axes %w", err)
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if len(in.shape) != 4 {
		return fmt.Errorf("input has rank %d; want 4", len(in.shape))
	}
	var seen [4]bool
	for _, ax := range axes {
		if ax < 0 {
			ax += 4
		}
		if ax != 1 && ax != 2 {
			return fmt.Errorf("axes %v: only the spatial axes 1 and 2 are supported", axes)
		}
		seen[ax] = true
	}
	if !seen[1] || !seen[2] {
		return fmt.Errorf("axes %v: both spatial axes 1 and 2 are needed", axes)
	}
	shape := []int{in.shape[0], 1, 1, in.shape[3]}
	if !o.KeepDims() {
		shape = []int{in.shape[0], in.shape[3]}
	}
	r, err := l.result(n.Outputs[0], shape)
	if err != nil {
		return err
	}
	out := l.vals[r]
	out.dims = []int{in.shape[0], 1, 1, in.shape[3]}
	if out.dtype != in.dtype {
		return fmt.Errorf("output type differs from the input's")
	}
	if in.dtype != dtFP32 {
		if q := in.scale / out.scale; !(q >= 1.0/256 && q < 256) {
			return fmt.Errorf("input to output scale ratio %g is outside XNNPACK's range [2^-8, 2^8)", q)
		}
	}
	inf := float32(math.Inf(1))
	l.emit(xop{kind: opGlobalAvgPool, node: n.Index, in: []int{a}, out: r, outMin: -inf, outMax: inf})
	return nil
}

// broadcastShape is NumPy broadcasting as TFLite does it.
func broadcastShape(a, b []int) ([]int, error) {
	r := max(len(a), len(b))
	out := make([]int, r)
	for i := range r {
		da, db := 1, 1
		if j := len(a) - r + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - r + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db, db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, fmt.Errorf("shapes %s and %s do not broadcast", core.FormatShape(a), core.FormatShape(b))
		}
	}
	return out, nil
}

func (l *lowering) binary(n *core.Node, kind opKind, act tflite.ActivationFunctionType) error {
	if err := counts(n, 2, 2, 1); err != nil {
		return err
	}
	lo, hi, err := activationRange(act)
	if err != nil {
		return err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	b, err := l.operand(n.Inputs[1])
	if err != nil {
		return err
	}
	va, vb := l.vals[a], l.vals[b]
	if va.static() && vb.static() {
		return fmt.Errorf("both inputs are constant")
	}
	if va.dtype != vb.dtype {
		return fmt.Errorf("input types differ")
	}
	shape, err := broadcastShape(va.shape, vb.shape)
	if err != nil {
		return err
	}
	r, err := l.result(n.Outputs[0], shape)
	if err != nil {
		return err
	}
	out := l.vals[r]
	if out.dtype != va.dtype {
		return fmt.Errorf("output type differs from the inputs'")
	}
	if va.dtype != dtFP32 {
		switch kind {
		case opAdd, opSub:
			for _, s := range []float32{va.scale, vb.scale} {
				if q := s / out.scale; !(q >= 1.0/1024 && q < 256) {
					return fmt.Errorf("input to output scale ratio %g is outside XNNPACK's range [2^-10, 2^8)", q)
				}
			}
		case opMul:
			if q := va.scale * vb.scale / out.scale; !(q >= 1.0/65536 && q < 256) {
				return fmt.Errorf("product to output scale ratio %g is outside XNNPACK's range [2^-16, 2^8)", q)
			}
		default:
			return fmt.Errorf("quantized %s is not supported", n.Op.Name())
		}
	}
	l.emit(xop{kind: kind, node: n.Index, in: []int{a, b}, out: r, outMin: lo, outMax: hi})
	return nil
}

// unaryIn reads the single non-constant input of an elementwise node and
// makes its output of the same shape.
func (l *lowering) unaryIn(n *core.Node) (int, int, error) {
	if err := counts(n, 1, 1, 1); err != nil {
		return -1, -1, err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return -1, -1, err
	}
	if l.vals[a].static() {
		return -1, -1, fmt.Errorf("constant input is not supported")
	}
	r, err := l.result(n.Outputs[0], l.vals[a].shape)
	if err != nil {
		return -1, -1, err
	}
	if l.vals[r].dtype != l.vals[a].dtype {
		return -1, -1, fmt.Errorf("output type differs from the input's")
	}
	return a, r, nil
}

func (l *lowering) clamp(n *core.Node, lo, hi float32) error {
	a, r, err := l.unaryIn(n)
	if err != nil {
		return err
	}
	if !sameQuant(l.vals[a], l.vals[r]) {
		return fmt.Errorf("quantized clamp needs the same input and output quantization")
	}
	l.emit(xop{kind: opClamp, node: n.Index, in: []int{a}, out: r, outMin: lo, outMax: hi})
	return nil
}

func (l *lowering) unary(n *core.Node, kind opKind, alpha float32) error {
	a, r, err := l.unaryIn(n)
	if err != nil {
		return err
	}
	in, out := l.vals[a], l.vals[r]
	if in.dtype != dtFP32 {
		switch kind {
		case opSigmoid:
			want := int32(0)
			if out.dtype == dtQInt8 {
				want = -128
			}
			if out.scale != 1.0/256 || out.zp != want {
				return fmt.Errorf("quantized LOGISTIC needs output scale 1/256 and zero point %d", want)
			}
		default:
			return fmt.Errorf("quantized %s is not supported", n.Op.Name())
		}
	}
	if kind == opLeakyRelu && (math.IsNaN(float64(alpha)) || math.IsInf(float64(alpha), 0)) {
		return fmt.Errorf("alpha %g is not finite", alpha)
	}
	l.emit(xop{kind: kind, node: n.Index, in: []int{a}, out: r, alpha: alpha})
	return nil
}

// prelu lowers PRELU with a static slope of one value per channel (all its
// dimensions 1 but the last, which is the input's channel count).
func (l *lowering) prelu(n *core.Node) error {
	if err := counts(n, 2, 2, 1); err != nil {
		return err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if in.dtype != dtFP32 || in.static() || len(in.shape) < 1 {
		return fmt.Errorf("only a non-constant FLOAT32 input is supported")
	}
	slopeT := n.Inputs[1]
	st, err := l.staticValue(slopeT, "slope")
	if err != nil {
		return err
	}
	if slopeT.Type() != core.Float32 {
		return fmt.Errorf("slope is %s; want FLOAT32", slopeT.Type())
	}
	c := in.shape[len(in.shape)-1]
	ss := st.Shape()
	if len(ss) == 0 || len(ss) > len(in.shape) || ss[len(ss)-1] != c {
		return fmt.Errorf("slope shape %s is not per-channel for input %s", core.FormatShape(ss), core.FormatShape(in.shape))
	}
	for _, d := range ss[:len(ss)-1] {
		if d != 1 {
			return fmt.Errorf("slope shape %s is not per-channel for input %s", core.FormatShape(ss), core.FormatShape(in.shape))
		}
	}
	s := l.add(&xvalue{t: slopeT, dtype: dtFP32, shape: []int{c}, dims: []int{c}, data: st.Bytes()})
	r, err := l.result(n.Outputs[0], in.shape)
	if err != nil {
		return err
	}
	if l.vals[r].dtype != dtFP32 {
		return fmt.Errorf("output is not FLOAT32")
	}
	l.emit(xop{kind: opPrelu, node: n.Index, in: []int{a, s}, out: r})
	return nil
}

func (l *lowering) softmax(n *core.Node) error {
	var o tflite.SoftmaxOptions
	n.BuiltinOptions(tflite.BuiltinOptionsSoftmaxOptions, &o)
	if o.Beta() != 1 {
		return fmt.Errorf("beta %g is not supported (1 only)", o.Beta())
	}
	a, r, err := l.unaryIn(n)
	if err != nil {
		return err
	}
	if l.vals[a].dtype != dtFP32 {
		return fmt.Errorf("quantized SOFTMAX is not supported")
	}
	if len(l.vals[a].shape) < 1 {
		return fmt.Errorf("input must have a rank of at least 1")
	}
	l.emit(xop{kind: opSoftmax, node: n.Index, in: []int{a}, out: r})
	return nil
}

func (l *lowering) pad(n *core.Node) error {
	if err := counts(n, 2, 3, 1); err != nil {
		return err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if in.static() {
		return fmt.Errorf("constant input is not supported")
	}
	p, err := intsOf(n.Inputs[1])
	if err != nil {
		return fmt.Errorf("paddings %w", err)
	}
	if pt := n.Inputs[1]; pt.Rank() != 2 || pt.Dim(0) != len(in.shape) || pt.Dim(1) != 2 {
		return fmt.Errorf("paddings have shape %s; want [%d,2]", core.FormatShape(pt.Shape()), len(in.shape))
	}
	var value float32
	if len(n.Inputs) == 3 && n.Inputs[2] != nil {
		vt := n.Inputs[2]
		if in.dtype != dtFP32 || vt.Type() != core.Float32 || !vt.IsConstant() || vt.NumElements() != 1 || len(vt.Float32s()) < 1 {
			return fmt.Errorf("PADV2 needs FLOAT32 data and a constant scalar value")
		}
		value = vt.Float32s()[0]
	}
	pre, post := make([]int, len(in.shape)), make([]int, len(in.shape))
	shape := make([]int, len(in.shape))
	for i := range in.shape {
		pre[i], post[i] = p[2*i], p[2*i+1]
		if pre[i] < 0 || post[i] < 0 {
			return fmt.Errorf("negative paddings %v are not supported", p)
		}
		shape[i] = in.shape[i] + pre[i] + post[i]
	}
	r, err := l.result(n.Outputs[0], shape)
	if err != nil {
		return err
	}
	if !sameQuant(in, l.vals[r]) {
		return fmt.Errorf("output type or quantization differs from the input's")
	}
	l.emit(xop{kind: opPad, node: n.Index, in: []int{a}, out: r, pre: pre, post: post, alpha: value})
	return nil
}

func (l *lowering) reshape(n *core.Node) error {
	if err := counts(n, 1, 2, 1); err != nil {
		return err
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if in.static() {
		return fmt.Errorf("constant input is not supported")
	}
	var want []int
	if len(n.Inputs) == 2 && n.Inputs[1] != nil && !(n.Inputs[1].Rank() == 1 && n.Inputs[1].Dim(0) == 0 && n.Operator != nil) {
		want, err = intsOf(n.Inputs[1])
		if err != nil {
			return fmt.Errorf("new shape %w", err)
		}
		if n.Inputs[1].Rank() > 1 {
			return fmt.Errorf("new shape tensor must be 1-D")
		}
	} else {
		var o tflite.ReshapeOptions
		if n.BuiltinOptions(tflite.BuiltinOptionsReshapeOptions, &o) {
			for i := range o.NewShapeLength() {
				want = append(want, int(o.NewShape(i)))
			}
		} else {
			want = n.Outputs[0].Shape()
		}
	}
	numel := 1
	for _, d := range in.shape {
		numel *= d
	}
	shape := append([]int(nil), want...)
	unknown, known := -1, 1
	for i, d := range shape {
		switch {
		case d == -1 && unknown < 0:
			unknown = i
		case d > 0:
			known *= d
		default:
			return fmt.Errorf("new shape %v is not supported", want)
		}
	}
	if unknown >= 0 {
		if numel%known != 0 {
			return fmt.Errorf("cannot reshape %s to %v", core.FormatShape(in.shape), want)
		}
		shape[unknown] = numel / known
	} else if known != numel {
		return fmt.Errorf("cannot reshape %s to %v", core.FormatShape(in.shape), want)
	}
	r, err := l.result(n.Outputs[0], shape)
	if err != nil {
		return err
	}
	if !sameQuant(in, l.vals[r]) {
		return fmt.Errorf("output type or quantization differs from the input's")
	}
	l.emit(xop{kind: opReshape, node: n.Index, in: []int{a}, out: r, pre: shape})
	return nil
}

func (l *lowering) resize(n *core.Node) error {
	if err := counts(n, 2, 2, 1); err != nil {
		return err
	}
	var o tflite.ResizeBilinearOptions
	n.BuiltinOptions(tflite.BuiltinOptionsResizeBilinearOptions, &o)
	if o.AlignCorners() && o.HalfPixelCenters() {
		return fmt.Errorf("align_corners and half_pixel_centers together are not supported")
	}
	size, err := intsOf(n.Inputs[1])
	if err != nil {
		return fmt.Errorf("size %w", err)
	}
	if len(size) != 2 || size[0] < 1 || size[1] < 1 {
		return fmt.Errorf("size %v must be two positive values", size)
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if len(in.shape) != 4 || in.static() {
		return fmt.Errorf("input must be a non-constant 4-D tensor")
	}
	r, err := l.result(n.Outputs[0], []int{in.shape[0], size[0], size[1], in.shape[3]})
	if err != nil {
		return err
	}
	if !sameQuant(in, l.vals[r]) {
		return fmt.Errorf("output type or quantization differs from the input's")
	}
	var flags uint32
	switch {
	case o.AlignCorners():
		flags = flagAlignCorners
	case !o.HalfPixelCenters():
		flags = flagTensorFlowLegacyMode
	}
	l.emit(xop{kind: opResize, node: n.Index, in: []int{a}, out: r, newH: size[0], newW: size[1], flags: flags})
	return nil
}

func (l *lowering) depthToSpace(n *core.Node) error {
	var o tflite.DepthToSpaceOptions
	n.BuiltinOptions(tflite.BuiltinOptionsDepthToSpaceOptions, &o)
	if err := counts(n, 1, 1, 1); err != nil {
		return err
	}
	bs := int(o.BlockSize())
	if bs < 2 {
		return fmt.Errorf("block size %d is not supported (2 or more)", bs)
	}
	a, err := l.operand(n.Inputs[0])
	if err != nil {
		return err
	}
	in := l.vals[a]
	if len(in.shape) != 4 || in.static() || in.dtype != dtFP32 {
		return fmt.Errorf("input must be a non-constant FLOAT32 4-D tensor")
	}
	if in.shape[3]%(bs*bs) != 0 {
		return fmt.Errorf("channels %d are not a multiple of %d", in.shape[3], bs*bs)
	}
	r, err := l.result(n.Outputs[0], []int{in.shape[0], in.shape[1] * bs, in.shape[2] * bs, in.shape[3] / (bs * bs)})
	if err != nil {
		return err
	}
	if l.vals[r].dtype != dtFP32 {
		return fmt.Errorf("output is not FLOAT32")
	}
	l.emit(xop{kind: opDepthToSpace, node: n.Index, in: []int{a}, out: r, block: uint32(bs)})
	return nil
}

// concat lowers FLOAT32 CONCATENATION, which this XNNPACK has no operator
// for, as a sum of zero-padded inputs: each input is padded with zeros to
// its place in the output, and x + 0 is x exactly.
func (l *lowering) concat(n *core.Node) error {
	if len(n.Inputs) < 1 || len(n.Outputs) != 1 {
		return fmt.Errorf("has %d inputs and %d outputs", len(n.Inputs), len(n.Outputs))
	}
	var o tflite.ConcatenationOptions
	n.BuiltinOptions(tflite.BuiltinOptionsConcatenationOptions, &o)
	// TFLite's CONCATENATION kernel takes no fused activation.
	if o.FusedActivationFunction() != tflite.ActivationFunctionTypeNONE {
		return fmt.Errorf("fused activation %s is not supported", o.FusedActivationFunction())
	}
	inf := float32(math.Inf(1))
	lo, hi := -inf, inf
	var ins []int
	for _, t := range n.Inputs {
		a, err := l.operand(t)
		if err != nil {
			return err
		}
		if l.vals[a].dtype != dtFP32 {
			return fmt.Errorf("only FLOAT32 CONCATENATION is supported")
		}
		ins = append(ins, a)
	}
	first := l.vals[ins[0]].shape
	rank := len(first)
	axis := int(o.Axis())
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return fmt.Errorf("axis %d out of range for rank %d", o.Axis(), rank)
	}
	shape := append([]int(nil), first...)
	shape[axis] = 0
	for _, a := range ins {
		s := l.vals[a].shape
		if len(s) != rank {
			return fmt.Errorf("input ranks differ")
		}
		for d := range s {
			if d != axis && s[d] != first[d] {
				return fmt.Errorf("input shapes %s and %s differ off the axis", core.FormatShape(first), core.FormatShape(s))
			}
		}
		shape[axis] += s[axis]
	}
	r, err := l.result(n.Outputs[0], shape)
	if err != nil {
		return err
	}
	if l.vals[r].dtype != dtFP32 {
		return fmt.Errorf("output is not FLOAT32")
	}
	if len(ins) == 1 {
		l.emit(xop{kind: opClamp, node: n.Index, in: ins, out: r, outMin: lo, outMax: hi})
		return nil
	}
	offset, acc := 0, -1
	for i, a := range ins {
		s := l.vals[a].shape
		pre, post := make([]int, rank), make([]int, rank)
		pre[axis], post[axis] = offset, shape[axis]-offset-s[axis]
		offset += s[axis]
		p := l.add(&xvalue{dtype: dtFP32, shape: shape, dims: shape})
		l.emit(xop{kind: opPad, node: n.Index, in: []int{a}, out: p, pre: pre, post: post})
		switch {
		case i == 0:
			acc = p
		case i == len(ins)-1:
			l.emit(xop{kind: opAdd, node: n.Index, in: []int{acc, p}, out: r, outMin: lo, outMax: hi})
		default:
			sum := l.add(&xvalue{dtype: dtFP32, shape: shape, dims: shape})
			l.emit(xop{kind: opAdd, node: n.Index, in: []int{acc, p}, out: sum, outMin: -inf, outMax: inf})
			acc = sum
		}
	}
	return nil
}
