package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ConvConfig is a float32 CONV_2D, DEPTHWISE_CONV_2D or TRANSPOSE_CONV
// case.
type ConvConfig struct {
	Op      string `json:"op"`
	InShape []int  `json:"in_shape"`
	FilterH int    `json:"filter_h"`
	FilterW int    `json:"filter_w"`
	// OutCh is the output channels of CONV_2D and TRANSPOSE_CONV.
	OutCh int `json:"out_ch,omitempty"`
	// FilterInCh is CONV_2D's filter input channels (a divisor of the
	// input's channels: grouped convolution when smaller).
	FilterInCh int `json:"filter_in_ch,omitempty"`
	// Multiplier is DEPTHWISE_CONV_2D's depth multiplier (from the filter
	// shape); MultiplierOption is the option written, when it differs.
	Multiplier       int    `json:"multiplier,omitempty"`
	MultiplierOption int    `json:"multiplier_option,omitempty"`
	StrideH          int    `json:"stride_h"`
	StrideW          int    `json:"stride_w"`
	DilationH        int    `json:"dilation_h"`
	DilationW        int    `json:"dilation_w"`
	Padding          string `json:"padding"`
	Activation       string `json:"activation"`
	Bias             bool   `json:"bias"`
	// WeightsInput makes the weights and bias model inputs: XNNPACK then
	// leaves the node to TFLite's builtin kernel.
	WeightsInput bool `json:"weights_input"`
	// OutShape is TRANSPOSE_CONV's output_shape; ShapeInput makes it a
	// model input (the output is then dynamic).
	OutShape   []int `json:"out_shape,omitempty"`
	ShapeInput bool  `json:"shape_input,omitempty"`
	// AddBias follows a bias-less TRANSPOSE_CONV with an ADD of a bias:
	// the builtin equivalent of MediaPipe's Convolution2DTransposeBias.
	AddBias bool `json:"add_bias,omitempty"`
}

// convOutSize is TFLite's ComputeOutSize.
func convOutSize(padding string, in, filter, stride, dilation int) int {
	eff := (filter-1)*dilation + 1
	if padding == "SAME" {
		return (in + stride - 1) / stride
	}
	return (in + stride - eff) / stride
}

func (c ConvConfig) outChannels() int {
	switch c.Op {
	case "DEPTHWISE_CONV_2D":
		return c.InShape[3] * c.Multiplier
	}
	return c.OutCh
}

func (c ConvConfig) outShape() []int {
	if c.Op == "TRANSPOSE_CONV" {
		return c.OutShape
	}
	return []int{c.InShape[0],
		convOutSize(c.Padding, c.InShape[1], c.FilterH, c.StrideH, c.DilationH),
		convOutSize(c.Padding, c.InShape[2], c.FilterW, c.StrideW, c.DilationW),
		c.outChannels()}
}

func (c ConvConfig) filterShape() []int {
	switch c.Op {
	case "DEPTHWISE_CONV_2D":
		return []int{1, c.FilterH, c.FilterW, c.outChannels()}
	case "TRANSPOSE_CONV":
		return []int{c.OutCh, c.FilterH, c.FilterW, c.InShape[3]}
	}
	return []int{c.OutCh, c.FilterH, c.FilterW, c.FilterInCh}
}

// version follows op_version.cc.
func (c ConvConfig) version() int {
	switch c.Op {
	case "CONV_2D":
		if c.FilterInCh != c.InShape[3] {
			return 6
		}
	case "DEPTHWISE_CONV_2D":
		if c.DilationH != 1 || c.DilationW != 1 {
			return 2
		}
	case "TRANSPOSE_CONV":
		if c.Activation != "NONE" {
			return 4
		}
		if c.Bias {
			return 3
		}
	}
	return 1
}

func (c ConvConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
		if !ok {
			return fmt.Errorf("unknown activation %q", c.Activation)
		}
		pad, ok := tflite.EnumValuesPadding[c.Padding]
		if !ok {
			return fmt.Errorf("unknown padding %q", c.Padding)
		}
		g := b.Main()
		r := seedOf(name)
		x := g.Tensor("x", core.Float32, c.InShape)
		modelIns := []int{x}
		fShape := c.filterShape()
		var w int
		if c.WeightsInput {
			w = g.Tensor("w", core.Float32, fShape)
			modelIns = append(modelIns, w)
		} else {
			w = g.ConstFloat32("w", fShape, float32s(r, numElements(fShape), -1, 1))
		}
		oc := c.outChannels()
		bias := -1
		if c.Bias || c.AddBias {
			if c.WeightsInput {
				bias = g.Tensor("b", core.Float32, []int{oc})
				modelIns = append(modelIns, bias)
			} else {
				bias = g.ConstFloat32("b", []int{oc}, float32s(r, oc, -1, 1))
			}
		}
		y := g.Tensor("y", core.Float32, c.outShape())
		switch c.Op {
		case "CONV_2D":
			ins := []int{x, w}
			if c.Bias {
				ins = append(ins, bias)
			}
			g.OpVersion(tflite.BuiltinOperatorCONV_2D, c.version(), ins, []int{y}, &tflite.Conv2DOptionsT{
				Padding: pad, StrideW: int32(c.StrideW), StrideH: int32(c.StrideH), FusedActivationFunction: act,
				DilationWFactor: int32(c.DilationW), DilationHFactor: int32(c.DilationH)})
		case "DEPTHWISE_CONV_2D":
			ins := []int{x, w}
			if c.Bias {
				ins = append(ins, bias)
			}
			mult := c.Multiplier
			if c.MultiplierOption != 0 {
				mult = c.MultiplierOption
			}
			g.OpVersion(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, c.version(), ins, []int{y}, &tflite.DepthwiseConv2DOptionsT{
				Padding: pad, StrideW: int32(c.StrideW), StrideH: int32(c.StrideH), DepthMultiplier: int32(mult),
				FusedActivationFunction: act, DilationWFactor: int32(c.DilationW), DilationHFactor: int32(c.DilationH)})
		case "TRANSPOSE_CONV":
			var shape int
			if c.ShapeInput {
				shape = g.Tensor("output_shape", core.Int32, []int{4})
				modelIns = append(modelIns, shape)
			} else {
				shape = g.ConstInt32("output_shape", []int{4}, toInt32s(c.OutShape))
			}
			ins := []int{shape, w, x}
			if c.Bias {
				ins = append(ins, bias)
			}
			conv := y
			if c.AddBias {
				conv = g.Tensor("conv", core.Float32, c.outShape())
			}
			g.OpVersion(tflite.BuiltinOperatorTRANSPOSE_CONV, c.version(), ins, []int{conv}, &tflite.TransposeConvOptionsT{
				Padding: pad, StrideW: int32(c.StrideW), StrideH: int32(c.StrideH), FusedActivationFunction: act})
			if c.AddBias {
				g.Op(tflite.BuiltinOperatorADD, []int{conv, bias}, []int{y}, &tflite.AddOptionsT{})
			}
		default:
			return fmt.Errorf("unknown op %q", c.Op)
		}
		g.Inputs(modelIns...)
		g.Outputs(y)
		return nil
	}
}

func toInt32s(v []int) []int32 {
	out := make([]int32, len(v))
	for i, x := range v {
		out[i] = int32(x)
	}
	return out
}

// crafted returns the case's own input data: TRANSPOSE_CONV's output shape
// when it is a model input (the last one).
func (c ConvConfig) crafted() func() [][]byte {
	if !c.ShapeInput {
		return nil
	}
	n := 1
	if c.WeightsInput {
		n += 1
		if c.Bias {
			n++
		}
	}
	return func() [][]byte {
		ins := make([][]byte, n+1)
		ins[n] = modelbuilder.Int32Bytes(toInt32s(c.OutShape))
		return ins
	}
}

func (c ConvConfig) name() string {
	var s strings.Builder
	switch c.Op {
	case "CONV_2D":
		s.WriteString("conv2d")
	case "DEPTHWISE_CONV_2D":
		s.WriteString("depthwise")
	case "TRANSPOSE_CONV":
		s.WriteString("transpose_conv")
	}
	fmt.Fprintf(&s, "_%s_k%dx%d", shapeName(c.InShape), c.FilterH, c.FilterW)
	switch c.Op {
	case "CONV_2D", "TRANSPOSE_CONV":
		fmt.Fprintf(&s, "_o%d", c.OutCh)
	case "DEPTHWISE_CONV_2D":
		fmt.Fprintf(&s, "_m%d", c.Multiplier)
	}
	fmt.Fprintf(&s, "_s%dx%d", c.StrideH, c.StrideW)
	if c.Op != "TRANSPOSE_CONV" {
		fmt.Fprintf(&s, "_d%dx%d", c.DilationH, c.DilationW)
	} else {
		fmt.Fprintf(&s, "_out%s", shapeName(c.OutShape[1:3]))
	}
	fmt.Fprintf(&s, "_%s_%s", strings.ToLower(c.Padding), strings.ToLower(c.Activation))
	if c.Op == "CONV_2D" && c.FilterInCh != c.InShape[3] {
		fmt.Fprintf(&s, "_g%d", c.InShape[3]/c.FilterInCh)
	}
	if c.MultiplierOption != 0 {
		fmt.Fprintf(&s, "_opt%d", c.MultiplierOption)
	}
	if !c.Bias {
		s.WriteString("_nobias")
	}
	if c.AddBias {
		s.WriteString("_addbias")
	}
	if c.WeightsInput {
		s.WriteString("_winput")
	}
	if c.ShapeInput {
		s.WriteString("_shapein")
	}
	return s.String()
}

func (c ConvConfig) toCase(o Oracle) *Case {
	name := c.name()
	return &Case{Name: name, Op: c.Op, Config: c, Oracle: o, build: c.build(name), inputs: c.crafted()}
}

// convOpts are the optional settings of a grid entry.
type convOpts struct {
	act    string
	nobias bool
	winput bool
	wide   bool
}

func conv2dCase(in []int, kh, kw, oc, filterInCh, sh, sw, dh, dw int, pad string, o convOpts) *Case {
	if filterInCh == 0 {
		filterInCh = in[3]
	}
	if o.act == "" {
		o.act = "NONE"
	}
	c := ConvConfig{Op: "CONV_2D", InShape: in, FilterH: kh, FilterW: kw, OutCh: oc, FilterInCh: filterInCh,
		StrideH: sh, StrideW: sw, DilationH: dh, DilationW: dw, Padding: pad, Activation: o.act,
		Bias: !o.nobias, WeightsInput: o.winput}
	return c.toCase(o.oracle())
}

func depthwiseCase(in []int, kh, kw, mult, sh, sw, dh, dw int, pad string, o convOpts) *Case {
	if o.act == "" {
		o.act = "NONE"
	}
	c := ConvConfig{Op: "DEPTHWISE_CONV_2D", InShape: in, FilterH: kh, FilterW: kw, Multiplier: mult,
		StrideH: sh, StrideW: sw, DilationH: dh, DilationW: dw, Padding: pad, Activation: o.act,
		Bias: !o.nobias, WeightsInput: o.winput}
	return c.toCase(o.oracle())
}

// depthwiseOptCase writes a depth_multiplier option other than the one
// the shapes give (weights as inputs, for TFLite's builtin kernel).
func depthwiseOptCase(in []int, kh, kw, mult, sh, sw, dh, dw int, pad string, opt int) *Case {
	c := ConvConfig{Op: "DEPTHWISE_CONV_2D", InShape: in, FilterH: kh, FilterW: kw, Multiplier: mult,
		MultiplierOption: opt, StrideH: sh, StrideW: sw, DilationH: dh, DilationW: dw, Padding: pad,
		Activation: "NONE", Bias: true, WeightsInput: true}
	return c.toCase(defaultOracle)
}

// transposeConvCase makes a TRANSPOSE_CONV case; out is the output's
// height and width (0: in*stride for SAME, (in-1)*stride+k for VALID).
func transposeConvCase(in []int, kh, kw, oc, sh, sw int, pad string, outH, outW int, shapeInput bool, o convOpts) *Case {
	if o.act == "" {
		o.act = "NONE"
	}
	if outH == 0 {
		outH, outW = in[1]*sh, in[2]*sw
		if pad == "VALID" {
			outH, outW = (in[1]-1)*sh+kh, (in[2]-1)*sw+kw
		}
	}
	c := ConvConfig{Op: "TRANSPOSE_CONV", InShape: in, FilterH: kh, FilterW: kw, OutCh: oc,
		StrideH: sh, StrideW: sw, DilationH: 1, DilationW: 1, Padding: pad, Activation: o.act,
		Bias: !o.nobias, WeightsInput: o.winput, OutShape: []int{in[0], outH, outW, oc}, ShapeInput: shapeInput}
	return c.toCase(o.oracle())
}

// TransposeConvBiasOutSize is the output size MediaPipe's
// Convolution2DTransposeBias gives one spatial dimension, and the padding
// before it.
func TransposeConvBiasOutSize(same bool, in, filter, stride int) (out, padBefore int) {
	p := 0
	if same {
		p = max(0, filter-(in-1)%stride-1)
	}
	return stride*(in-1) + filter - p, p / 2
}

// transposeConvBiasCase is the builtin equivalent of MediaPipe's
// Convolution2DTransposeBias: TRANSPOSE_CONV (no bias) + ADD(bias), with
// MediaPipe's output size. TestConvolution2DTransposeBias runs the custom
// op on the same weights, bias and input against these vectors.
func transposeConvBiasCase(in []int, kh, kw, oc, sh, sw int, pad string) *Case {
	outH, _ := TransposeConvBiasOutSize(pad == "SAME", in[1], kh, sh)
	outW, _ := TransposeConvBiasOutSize(pad == "SAME", in[2], kw, sw)
	c := ConvConfig{Op: "TRANSPOSE_CONV", InShape: in, FilterH: kh, FilterW: kw, OutCh: oc,
		StrideH: sh, StrideW: sw, DilationH: 1, DilationW: 1, Padding: pad, Activation: "NONE",
		OutShape: []int{in[0], outH, outW, oc}, AddBias: true}
	return c.toCase(defaultOracle)
}

func (o convOpts) oracle() Oracle {
	if o.wide {
		return floatRange(-3, 3)
	}
	return defaultOracle
}

// ConvBiasCases lists the cases that stand for MediaPipe's
// Convolution2DTransposeBias, with their configurations.
func ConvBiasCases() []*Case {
	var out []*Case
	for _, c := range convCases() {
		if cfg, ok := c.Config.(ConvConfig); ok && cfg.AddBias {
			out = append(out, c)
		}
	}
	return out
}

// convCases are the conformance cases of the conv kernel family.
func convCases() []*Case {
	var cs []*Case
	in7 := []int{1, 7, 7, 3}
	acts := []string{"NONE", "RELU", "RELU6", "RELU_N1_TO_1"}
	// CONV_2D: strides x paddings x kernels, activations and weight
	// placement rotating through the grid.
	i := 0
	for _, k := range []int{1, 3, 5} {
		for _, s := range []int{1, 2, 3} {
			for _, pad := range []string{"SAME", "VALID"} {
				cs = append(cs, conv2dCase(in7, k, k, 4, 0, s, s, 1, 1, pad, convOpts{act: acts[i%4], winput: i%3 == 1}))
				i++
			}
		}
	}
	cs = append(cs,
		// dilation
		conv2dCase([]int{1, 9, 9, 3}, 3, 3, 4, 0, 1, 1, 2, 2, "SAME", convOpts{}),
		conv2dCase([]int{1, 9, 9, 3}, 3, 3, 4, 0, 1, 1, 2, 2, "VALID", convOpts{act: "RELU", winput: true}),
		conv2dCase([]int{1, 9, 9, 3}, 3, 3, 4, 0, 2, 2, 2, 2, "SAME", convOpts{winput: true}),
		conv2dCase([]int{1, 9, 8, 2}, 3, 2, 3, 0, 1, 2, 2, 1, "VALID", convOpts{act: "RELU6", wide: true}),
		conv2dCase([]int{1, 8, 9, 2}, 2, 3, 3, 0, 2, 1, 1, 2, "SAME", convOpts{winput: true}),
		// non-square kernels and strides, odd sizes
		conv2dCase([]int{1, 6, 5, 3}, 3, 1, 5, 0, 1, 2, 1, 1, "SAME", convOpts{}),
		conv2dCase([]int{1, 5, 6, 3}, 1, 5, 5, 0, 2, 1, 1, 1, "VALID", convOpts{winput: true}),
		conv2dCase([]int{1, 5, 7, 3}, 2, 4, 2, 0, 2, 3, 1, 1, "SAME", convOpts{act: "RELU"}),
		// batch 2, channel counts 1 and 8
		conv2dCase([]int{2, 5, 5, 3}, 3, 3, 4, 0, 1, 1, 1, 1, "SAME", convOpts{act: "RELU6", wide: true}),
		conv2dCase([]int{2, 6, 6, 3}, 3, 3, 4, 0, 2, 2, 1, 1, "VALID", convOpts{winput: true}),
		conv2dCase([]int{1, 6, 6, 1}, 3, 3, 1, 0, 1, 1, 1, 1, "SAME", convOpts{}),
		conv2dCase([]int{1, 6, 6, 1}, 3, 3, 8, 0, 2, 2, 1, 1, "SAME", convOpts{winput: true}),
		conv2dCase([]int{1, 5, 5, 8}, 3, 3, 8, 0, 1, 1, 1, 1, "SAME", convOpts{act: "RELU_N1_TO_1"}),
		conv2dCase([]int{1, 4, 4, 8}, 1, 1, 8, 0, 1, 1, 1, 1, "VALID", convOpts{winput: true}),
		// a filter larger than the input with SAME padding; 1x1 input
		conv2dCase([]int{1, 2, 2, 3}, 5, 5, 2, 0, 1, 1, 1, 1, "SAME", convOpts{}),
		conv2dCase([]int{1, 1, 1, 8}, 1, 1, 4, 0, 1, 1, 1, 1, "VALID", convOpts{act: "RELU"}),
		// grouped convolution (version 6): only TFLite's builtin kernel
		conv2dCase([]int{1, 5, 5, 6}, 3, 3, 4, 3, 1, 1, 1, 1, "SAME", convOpts{winput: true}),
		conv2dCase([]int{1, 6, 6, 8}, 3, 3, 8, 2, 2, 2, 1, 1, "VALID", convOpts{act: "RELU", winput: true}),
		conv2dCase([]int{2, 5, 5, 4}, 1, 1, 6, 2, 1, 1, 1, 1, "SAME", convOpts{winput: true}),
		conv2dCase([]int{1, 5, 5, 6}, 3, 3, 6, 3, 1, 1, 1, 1, "SAME", convOpts{}),
		// TANH and SIGN_BIT are no clamp in TFLite's CalculateActivationRange:
		// the builtin kernel leaves the output as with NONE.
		conv2dCase([]int{1, 5, 5, 3}, 3, 3, 4, 0, 1, 1, 1, 1, "SAME", convOpts{act: "TANH", winput: true, wide: true}),
		conv2dCase([]int{1, 5, 5, 3}, 3, 3, 4, 0, 2, 2, 1, 1, "SAME", convOpts{act: "SIGN_BIT", wide: true}),
		// No bias-less cases: TFLite's CONV_2D requires the bias (the
		// oracle refuses such models), and so does Edgelite's.
	)
	// DEPTHWISE_CONV_2D
	i = 0
	for _, k := range []int{3, 5} {
		for _, s := range []int{1, 2, 3} {
			for _, pad := range []string{"SAME", "VALID"} {
				cs = append(cs, depthwiseCase(in7, k, k, 1, s, s, 1, 1, pad, convOpts{act: acts[(i+1)%4], winput: i%3 == 2}))
				i++
			}
		}
	}
	cs = append(cs,
		depthwiseCase(in7, 1, 1, 1, 1, 1, 1, 1, "VALID", convOpts{}),
		depthwiseCase([]int{1, 9, 9, 3}, 3, 3, 1, 1, 1, 2, 2, "SAME", convOpts{}),
		depthwiseCase([]int{1, 9, 9, 3}, 3, 3, 1, 1, 1, 2, 2, "VALID", convOpts{winput: true}),
		depthwiseCase([]int{1, 9, 9, 3}, 3, 3, 2, 2, 2, 2, 2, "SAME", convOpts{act: "RELU"}),
		depthwiseCase([]int{1, 9, 8, 2}, 3, 2, 1, 1, 2, 2, 1, "SAME", convOpts{winput: true}),
		// depth multiplier 2 (and the option disagreeing with the shapes)
		depthwiseCase([]int{1, 6, 6, 3}, 3, 3, 2, 1, 1, 1, 1, "SAME", convOpts{}),
		depthwiseCase([]int{1, 6, 6, 3}, 3, 3, 2, 2, 2, 1, 1, "VALID", convOpts{act: "RELU6", winput: true, wide: true}),
		depthwiseCase([]int{1, 1, 1, 4}, 1, 1, 2, 1, 1, 1, 1, "VALID", convOpts{}),
		// non-square, odd sizes
		depthwiseCase([]int{1, 6, 5, 3}, 3, 1, 1, 1, 2, 1, 1, "SAME", convOpts{}),
		depthwiseCase([]int{1, 5, 7, 3}, 2, 4, 1, 2, 3, 1, 1, "SAME", convOpts{act: "RELU_N1_TO_1", winput: true}),
		// batch 2, channels 1 and 8
		depthwiseCase([]int{2, 5, 5, 3}, 3, 3, 1, 1, 1, 1, 1, "SAME", convOpts{}),
		depthwiseCase([]int{2, 6, 6, 3}, 3, 3, 2, 2, 2, 1, 1, "SAME", convOpts{winput: true}),
		depthwiseCase([]int{1, 6, 6, 1}, 3, 3, 1, 1, 1, 1, 1, "SAME", convOpts{}),
		depthwiseCase([]int{1, 6, 6, 1}, 3, 3, 8, 1, 1, 1, 1, "VALID", convOpts{winput: true}),
		depthwiseCase([]int{1, 5, 5, 8}, 3, 3, 1, 2, 2, 1, 1, "SAME", convOpts{act: "RELU6", wide: true}),
		depthwiseCase([]int{1, 2, 2, 3}, 5, 5, 1, 1, 1, 1, 1, "SAME", convOpts{}),
		// the depth_multiplier option disagreeing with the shapes
		depthwiseOptCase([]int{1, 5, 5, 2}, 3, 3, 2, 1, 1, 1, 1, "SAME", 1),
		depthwiseOptCase([]int{1, 5, 5, 2}, 3, 3, 2, 1, 1, 1, 1, "SAME", 3),
		depthwiseCase([]int{1, 5, 5, 3}, 3, 3, 1, 1, 1, 1, 1, "SAME", convOpts{act: "TANH", winput: true, wide: true}),
		// no bias
		depthwiseCase([]int{1, 5, 5, 4}, 3, 3, 1, 1, 1, 1, 1, "SAME", convOpts{nobias: true}),
		depthwiseCase([]int{1, 5, 5, 4}, 3, 3, 1, 1, 1, 1, 1, "SAME", convOpts{nobias: true, winput: true}),
	)
	// TRANSPOSE_CONV
	tin := []int{1, 4, 4, 3}
	i = 0
	for _, k := range []int{2, 3, 4} {
		for _, s := range []int{1, 2, 3} {
			for _, pad := range []string{"SAME", "VALID"} {
				cs = append(cs, transposeConvCase(tin, k, k, 2, s, s, pad, 0, 0, false, convOpts{nobias: i%2 == 1, winput: i%4 == 3}))
				i++
			}
		}
	}
	cs = append(cs,
		// Fused activations (version 4) are not here: the oracle's TFLite
		// (2.12-2.13) registers TRANSPOSE_CONV versions 1-3 only and refuses
		// the model; TestTransposeConvActivation checks them instead.
		// non-square, odd sizes, batch 2, channel counts
		transposeConvCase([]int{1, 3, 5, 2}, 3, 2, 3, 2, 1, "SAME", 0, 0, false, convOpts{}),
		transposeConvCase([]int{1, 5, 3, 2}, 2, 3, 3, 1, 2, "VALID", 0, 0, false, convOpts{winput: true}),
		transposeConvCase([]int{2, 3, 3, 3}, 3, 3, 2, 2, 2, "SAME", 0, 0, false, convOpts{}),
		transposeConvCase([]int{1, 3, 3, 1}, 3, 3, 8, 2, 2, "SAME", 0, 0, false, convOpts{}),
		transposeConvCase([]int{1, 3, 3, 8}, 3, 3, 1, 2, 2, "VALID", 0, 0, false, convOpts{nobias: true}),
		// an output size other than the natural one
		transposeConvCase(tin, 3, 3, 2, 2, 2, "SAME", 7, 7, false, convOpts{}),
		transposeConvCase(tin, 3, 3, 2, 2, 2, "VALID", 10, 10, false, convOpts{nobias: true}),
		// output_shape as data (dynamic output)
		transposeConvCase(tin, 3, 3, 2, 2, 2, "SAME", 0, 0, true, convOpts{}),
		transposeConvCase(tin, 4, 4, 2, 2, 2, "VALID", 0, 0, true, convOpts{nobias: true, winput: true}),
		// the builtin equivalents of MediaPipe's Convolution2DTransposeBias
		transposeConvBiasCase([]int{1, 4, 4, 3}, 2, 2, 2, 2, 2, "SAME"),
		transposeConvBiasCase([]int{1, 4, 4, 3}, 3, 3, 2, 2, 2, "SAME"),
		transposeConvBiasCase([]int{1, 5, 4, 3}, 4, 4, 2, 2, 2, "SAME"),
		transposeConvBiasCase([]int{1, 4, 5, 3}, 3, 3, 2, 2, 2, "VALID"),
		transposeConvBiasCase([]int{2, 3, 3, 4}, 3, 3, 1, 1, 1, "SAME"),
		transposeConvBiasCase([]int{1, 3, 5, 2}, 3, 3, 2, 2, 2, "SAME"),
		// selfie_segmentation's geometry, scaled down (2x2, stride 2, 16 → 1)
		transposeConvBiasCase([]int{1, 8, 8, 16}, 2, 2, 1, 2, 2, "SAME"),
	)
	return cs
}
