package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// HybridFCConfig is a hybrid (dynamic-range) FULLY_CONNECTED case: FLOAT32
// input and output, INT8 weights with one scale (a model input, so that
// TFLite's builtin kernel runs), an optional FLOAT32 bias.
type HybridFCConfig struct {
	InShape     []int   `json:"in_shape"`
	Units       int     `json:"units"`
	Bias        bool    `json:"bias"`
	KeepDims    bool    `json:"keep_num_dims,omitempty"`
	Activation  string  `json:"activation"`
	Asymmetric  bool    `json:"asymmetric_quantize_inputs"`
	FilterScale float32 `json:"filter_scale"`
}

func (c HybridFCConfig) version() int {
	switch {
	case !c.Bias:
		return 6
	case c.KeepDims:
		return 5
	case c.Asymmetric:
		return 9
	}
	return 3
}

func (c HybridFCConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
		if !ok {
			return fmt.Errorf("unknown activation %q", c.Activation)
		}
		g := b.Main()
		r := seedOf(name)
		inSize := c.InShape[len(c.InShape)-1]
		x := g.Tensor("x", core.Float32, c.InShape)
		w := g.Tensor("w", core.Int8, []int{c.Units, inSize}, modelbuilder.Quant(c.FilterScale, 0))
		ins := []int{x, w}
		if c.Bias {
			ins = append(ins, g.ConstFloat32("b", []int{c.Units}, float32s(r, c.Units, -1, 1)))
		}
		outShape := []int{numElements(c.InShape) / inSize, c.Units}
		if c.KeepDims {
			outShape = append(append([]int(nil), c.InShape[:len(c.InShape)-1]...), c.Units)
		}
		y := g.Tensor("y", core.Float32, outShape)
		g.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, c.version(), ins, []int{y},
			&tflite.FullyConnectedOptionsT{FusedActivationFunction: act, KeepNumDims: c.KeepDims, AsymmetricQuantizeInputs: c.Asymmetric})
		g.Inputs(x, w)
		g.Outputs(y)
		return nil
	}
}

func hybridFCCase(in []int, units int, bias, keep, asym bool, act string, scale float32, o Oracle) *Case {
	c := HybridFCConfig{InShape: in, Units: units, Bias: bias, KeepDims: keep, Activation: act, Asymmetric: asym, FilterScale: scale}
	name := fmt.Sprintf("q_hybrid_fc_%s_u%d_%s", shapeName(in), units, strings.ToLower(act))
	if asym {
		name += "_asym"
	}
	if !bias {
		name += "_nobias"
	}
	if keep {
		name += "_keepdims"
	}
	return &Case{Name: name, Op: "FULLY_CONNECTED", Config: c, Oracle: o, build: c.build(name)}
}

// qconvHybridCases are the hybrid (float activations, int8 weights) cases.
func qconvHybridCases() []*Case {
	return []*Case{
		hybridFCCase([]int{3, 10}, 5, true, false, false, "NONE", 0.0123, defaultOracle),
		hybridFCCase([]int{3, 10}, 5, true, false, true, "NONE", 0.0123, defaultOracle),
		hybridFCCase([]int{2, 17}, 4, true, false, true, "RELU", 0.0078125, floatRange(-0.3, 2)),
		hybridFCCase([]int{2, 17}, 4, true, false, false, "RELU6", 0.05, floatRange(-4, 9)),
		hybridFCCase([]int{4, 6}, 3, false, false, true, "RELU_N1_TO_1", 0.01, floatRange(0.1, 0.7)),
		hybridFCCase([]int{2, 3, 8}, 6, true, true, false, "NONE", 0.003, floatRange(-5, -1)),
		hybridDWCase([]int{1, 5, 5, 3}, 3, 1, 1, 1, "SAME", "NONE", true, true, defaultOracle),
		hybridDWCase([]int{2, 6, 5, 2}, 3, 2, 2, 1, "VALID", "RELU6", true, false, floatRange(-2, 8)),
		hybridDWCase([]int{1, 7, 6, 4}, 2, 1, 1, 2, "SAME", "RELU", false, true, floatRange(-0.5, 1.5)),
		hybridConvCase([]int{1, 5, 6, 3}, 3, 4, 1, 1, "SAME", "NONE", false, true, defaultOracle),
		hybridConvCase([]int{2, 6, 5, 4}, 3, 5, 2, 1, "VALID", "RELU6", false, false, floatRange(-2, 8)),
		hybridConvCase([]int{1, 5, 6, 3}, 3, 4, 1, 1, "SAME", "NONE", true, true, defaultOracle),
		hybridConvCase([]int{2, 6, 5, 4}, 2, 5, 1, 2, "SAME", "RELU", true, false, floatRange(-0.5, 1.5)),
		hybridConvCase([]int{1, 7, 7, 2}, 3, 3, 2, 1, "SAME", "RELU_N1_TO_1", true, true, floatRange(0.2, 0.9)),
	}
}

// HybridDWConfig is a hybrid DEPTHWISE_CONV_2D case: FLOAT32 input and
// output, INT8 filter with one scale per output channel, FLOAT32 bias.
type HybridDWConfig struct {
	InShape    []int     `json:"in_shape"`
	FilterH    int       `json:"filter_h"`
	FilterW    int       `json:"filter_w"`
	Multiplier int       `json:"multiplier"`
	Stride     int       `json:"stride"`
	Dilation   int       `json:"dilation"`
	Padding    string    `json:"padding"`
	Activation string    `json:"activation"`
	Bias       bool      `json:"bias"`
	Scales     []float32 `json:"scales"`
	// WeightsInput makes the filter a model input.
	WeightsInput bool `json:"weights_input"`
}

func (c HybridDWConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		act := tflite.EnumValuesActivationFunctionType[c.Activation]
		pad := tflite.EnumValuesPadding[c.Padding]
		g := b.Main()
		r := seedOf(name)
		oc := c.InShape[3] * c.Multiplier
		x := g.Tensor("x", core.Float32, c.InShape)
		fShape := []int{1, c.FilterH, c.FilterW, oc}
		q := modelbuilder.PerAxisQuant(c.Scales, make([]int64, oc), 3)
		var w int
		ins := []int{x}
		if c.WeightsInput {
			w = g.Tensor("w", core.Int8, fShape, q)
			ins = append(ins, w)
		} else {
			w = g.Const("w", core.Int8, fShape, randomBytes(r, core.Int8, numElements(fShape)), q)
		}
		opIns := []int{x, w}
		if c.Bias {
			opIns = append(opIns, g.ConstFloat32("b", []int{oc}, float32s(r, oc, -1, 1)))
		}
		outShape := []int{c.InShape[0],
			convOutSize(c.Padding, c.InShape[1], c.FilterH, c.Stride, c.Dilation),
			convOutSize(c.Padding, c.InShape[2], c.FilterW, c.Stride, c.Dilation), oc}
		y := g.Tensor("y", core.Float32, outShape)
		g.OpVersion(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, 6, opIns, []int{y}, &tflite.DepthwiseConv2DOptionsT{
			Padding: pad, StrideW: int32(c.Stride), StrideH: int32(c.Stride), DepthMultiplier: int32(c.Multiplier),
			FusedActivationFunction: act, DilationWFactor: int32(c.Dilation), DilationHFactor: int32(c.Dilation)})
		g.Inputs(ins...)
		g.Outputs(y)
		return nil
	}
}

func hybridDWCase(in []int, k, mult, stride, dil int, pad, act string, bias, winput bool, o Oracle) *Case {
	oc := in[3] * mult
	scales := make([]float32, oc)
	for i := range scales {
		scales[i] = 0.0123 * float32(1+0.37*float64(i%5))
	}
	c := HybridDWConfig{InShape: in, FilterH: k, FilterW: k, Multiplier: mult, Stride: stride, Dilation: dil, Padding: pad,
		Activation: act, Bias: bias, Scales: scales, WeightsInput: winput}
	name := fmt.Sprintf("q_hybrid_dwconv_%s_k%dx%d_m%d_s%d_d%d_%s_%s", shapeName(in), k, k, mult, stride, dil, strings.ToLower(pad), strings.ToLower(act))
	if !bias {
		name += "_nobias"
	}
	if winput {
		name += "_winput"
	}
	return &Case{Name: name, Op: "DEPTHWISE_CONV_2D", Config: c, Oracle: o, build: c.build(name)}
}

// HybridConvConfig is a hybrid CONV_2D case: FLOAT32 input and output, INT8
// filter (one scale, version 2, or differing channel scales, version 5),
// FLOAT32 bias.
type HybridConvConfig struct {
	InShape    []int     `json:"in_shape"`
	FilterH    int       `json:"filter_h"`
	FilterW    int       `json:"filter_w"`
	OutCh      int       `json:"out_ch"`
	Stride     int       `json:"stride"`
	Dilation   int       `json:"dilation"`
	Padding    string    `json:"padding"`
	Activation string    `json:"activation"`
	Scales     []float32 `json:"scales"`
	// WeightsInput makes the filter a model input.
	WeightsInput bool `json:"weights_input"`
}

func (c HybridConvConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		act := tflite.EnumValuesActivationFunctionType[c.Activation]
		pad := tflite.EnumValuesPadding[c.Padding]
		g := b.Main()
		r := seedOf(name)
		x := g.Tensor("x", core.Float32, c.InShape)
		fShape := []int{c.OutCh, c.FilterH, c.FilterW, c.InShape[3]}
		q := modelbuilder.Quant(c.Scales[0], 0)
		version := 2
		if len(c.Scales) > 1 {
			q = modelbuilder.PerAxisQuant(c.Scales, make([]int64, len(c.Scales)), 0)
			version = 5
		}
		var w int
		ins := []int{x}
		if c.WeightsInput {
			w = g.Tensor("w", core.Int8, fShape, q)
			ins = append(ins, w)
		} else {
			w = g.Const("w", core.Int8, fShape, randomBytes(r, core.Int8, numElements(fShape)), q)
		}
		bias := g.ConstFloat32("b", []int{c.OutCh}, float32s(r, c.OutCh, -1, 1))
		outShape := []int{c.InShape[0],
			convOutSize(c.Padding, c.InShape[1], c.FilterH, c.Stride, c.Dilation),
			convOutSize(c.Padding, c.InShape[2], c.FilterW, c.Stride, c.Dilation), c.OutCh}
		y := g.Tensor("y", core.Float32, outShape)
		g.OpVersion(tflite.BuiltinOperatorCONV_2D, version, []int{x, w, bias}, []int{y}, &tflite.Conv2DOptionsT{
			Padding: pad, StrideW: int32(c.Stride), StrideH: int32(c.Stride), FusedActivationFunction: act,
			DilationWFactor: int32(c.Dilation), DilationHFactor: int32(c.Dilation)})
		g.Inputs(ins...)
		g.Outputs(y)
		return nil
	}
}

func hybridConvCase(in []int, k, oc, stride, dil int, pad, act string, perChannel, winput bool, o Oracle) *Case {
	scales := []float32{0.0123}
	if perChannel {
		scales = make([]float32, oc)
		for i := range scales {
			scales[i] = 0.0123 * float32(1+0.37*float64(i%5))
		}
	}
	c := HybridConvConfig{InShape: in, FilterH: k, FilterW: k, OutCh: oc, Stride: stride, Dilation: dil, Padding: pad,
		Activation: act, Scales: scales, WeightsInput: winput}
	name := fmt.Sprintf("q_hybrid_conv2d_%s_k%dx%d_o%d_s%d_d%d_%s_%s", shapeName(in), k, k, oc, stride, dil, strings.ToLower(pad), strings.ToLower(act))
	if perChannel {
		name += "_pc"
	}
	if winput {
		name += "_winput"
	}
	return &Case{Name: name, Op: "CONV_2D", Config: c, Oracle: o, build: c.build(name)}
}
