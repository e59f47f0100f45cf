package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// FullyConnectedConfig is a float32 FULLY_CONNECTED case.
type FullyConnectedConfig struct {
	InShape []int `json:"in_shape"`
	// InputSize is the weights' second dimension (default: the input's
	// last dimension).
	InputSize   int    `json:"input_size"`
	Units       int    `json:"units"`
	Bias        bool   `json:"bias"`
	KeepNumDims bool   `json:"keep_num_dims"`
	Activation  string `json:"activation"`
	// WeightsInput makes the weights (and bias) model inputs: XNNPACK then
	// leaves the node to TFLite's builtin kernel.
	WeightsInput bool `json:"weights_input"`
}

// version follows op_version.cc: no bias is 6, keep_num_dims 5.
func (c FullyConnectedConfig) version() int {
	switch {
	case !c.Bias:
		return 6
	case c.KeepNumDims:
		return 5
	}
	return 1
}

func (c FullyConnectedConfig) outShape() []int {
	if c.KeepNumDims {
		s := append([]int(nil), c.InShape...)
		s[len(s)-1] = c.Units
		return s
	}
	return []int{numElements(c.InShape) / c.InputSize, c.Units}
}

func (c FullyConnectedConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
		if !ok {
			return fmt.Errorf("unknown activation %q", c.Activation)
		}
		g := b.Main()
		r := seedOf(name)
		x := g.Tensor("x", core.Float32, c.InShape)
		modelIns := []int{x}
		wShape := []int{c.Units, c.InputSize}
		var w int
		if c.WeightsInput {
			w = g.Tensor("w", core.Float32, wShape)
			modelIns = append(modelIns, w)
		} else {
			w = g.ConstFloat32("w", wShape, float32s(r, c.Units*c.InputSize, -1, 1))
		}
		ins := []int{x, w}
		if c.Bias {
			var bias int
			if c.WeightsInput {
				bias = g.Tensor("b", core.Float32, []int{c.Units})
				modelIns = append(modelIns, bias)
			} else {
				bias = g.ConstFloat32("b", []int{c.Units}, float32s(r, c.Units, -1, 1))
			}
			ins = append(ins, bias)
		}
		y := g.Tensor("y", core.Float32, c.outShape())
		g.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, c.version(), ins, []int{y},
			&tflite.FullyConnectedOptionsT{FusedActivationFunction: act, KeepNumDims: c.KeepNumDims})
		g.Inputs(modelIns...)
		g.Outputs(y)
		return nil
	}
}

func fcCase(in []int, inputSize, units int, bias, keep bool, act string, weightsInput bool, o Oracle) *Case {
	if inputSize == 0 {
		inputSize = in[len(in)-1]
	}
	cfg := FullyConnectedConfig{InShape: in, InputSize: inputSize, Units: units, Bias: bias, KeepNumDims: keep, Activation: act, WeightsInput: weightsInput}
	name := fmt.Sprintf("fully_connected_%s_in%d_u%d_%s", shapeName(in), inputSize, units, strings.ToLower(act))
	if !bias {
		name += "_nobias"
	}
	if keep {
		name += "_keepdims"
	}
	if weightsInput {
		name += "_winput"
	}
	return &Case{Name: name, Op: "FULLY_CONNECTED", Config: cfg, Oracle: o, build: cfg.build(name)}
}

func fullyConnectedCases() []*Case {
	wide := floatRange(-4, 4)
	return []*Case{
		fcCase([]int{1, 8}, 0, 4, true, false, "NONE", false, defaultOracle),
		fcCase([]int{3, 8}, 0, 5, true, false, "RELU", true, defaultOracle),
		fcCase([]int{3, 8}, 0, 5, false, false, "NONE", true, defaultOracle),
		fcCase([]int{3, 8}, 0, 5, false, false, "NONE", false, defaultOracle),
		fcCase([]int{2, 3, 8}, 0, 6, true, true, "RELU6", true, wide),
		fcCase([]int{2, 3, 8}, 0, 4, true, false, "RELU_N1_TO_1", true, defaultOracle),
		fcCase([]int{2, 12}, 6, 4, true, false, "NONE", true, defaultOracle),
		fcCase([]int{8}, 0, 3, true, false, "NONE", false, defaultOracle),
		fcCase([]int{1, 1, 1, 16}, 0, 7, false, true, "NONE", true, defaultOracle),
		fcCase([]int{4, 17}, 0, 9, true, false, "NONE", false, defaultOracle),
		fcCase([]int{5, 3}, 0, 4, true, false, "RELU6", true, wide),
		fcCase([]int{2, 2, 2, 5}, 0, 3, true, true, "RELU", false, defaultOracle),
		fcCase([]int{3, 33}, 0, 1, true, false, "RELU_N1_TO_1", true, defaultOracle),
		fcCase([]int{2, 64}, 0, 16, true, false, "NONE", true, defaultOracle),
		fcCase([]int{2, 64}, 0, 16, true, false, "RELU6", false, wide),
	}
}
