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
	}
}
