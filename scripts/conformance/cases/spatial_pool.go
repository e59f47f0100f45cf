package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// PoolConfig is a float32 MAX_POOL_2D or AVERAGE_POOL_2D case.
type PoolConfig struct {
	Op         string `json:"op"`
	Shape      []int  `json:"shape"`
	Filter     [2]int `json:"filter"` // height, width
	Stride     [2]int `json:"stride"` // height, width
	Padding    string `json:"padding"`
	Activation string `json:"activation"`
}

func poolOutSize(padding string, in, filter, stride int) int {
	if padding == "SAME" {
		return (in + stride - 1) / stride
	}
	return (in + stride - filter) / stride
}

func (c PoolConfig) build(b *modelbuilder.Builder) error {
	act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
	if !ok {
		return fmt.Errorf("unknown activation %q", c.Activation)
	}
	pad, ok := tflite.EnumValuesPadding[c.Padding]
	if !ok {
		return fmt.Errorf("unknown padding %q", c.Padding)
	}
	code, ok := map[string]tflite.BuiltinOperator{
		"MAX_POOL_2D": tflite.BuiltinOperatorMAX_POOL_2D, "AVERAGE_POOL_2D": tflite.BuiltinOperatorAVERAGE_POOL_2D,
		"L2_POOL_2D": tflite.BuiltinOperatorL2_POOL_2D,
	}[c.Op]
	if !ok {
		return fmt.Errorf("unknown pool op %q", c.Op)
	}
	g := b.Main()
	x := g.Tensor("x", core.Float32, c.Shape)
	out := []int{c.Shape[0], poolOutSize(c.Padding, c.Shape[1], c.Filter[0], c.Stride[0]), poolOutSize(c.Padding, c.Shape[2], c.Filter[1], c.Stride[1]), c.Shape[3]}
	y := g.Tensor("y", core.Float32, out)
	g.OpVersion(code, 1, []int{x}, []int{y}, &tflite.Pool2DOptionsT{
		Padding: pad, StrideH: int32(c.Stride[0]), StrideW: int32(c.Stride[1]),
		FilterHeight: int32(c.Filter[0]), FilterWidth: int32(c.Filter[1]), FusedActivationFunction: act,
	})
	g.Inputs(x)
	g.Outputs(y)
	return nil
}

func poolCase(op string, shape []int, fh, fw, sh, sw int, padding, act string, o Oracle) *Case {
	cfg := PoolConfig{Op: op, Shape: shape, Filter: [2]int{fh, fw}, Stride: [2]int{sh, sw}, Padding: padding, Activation: act}
	prefix := strings.ToLower(op)
	name := fmt.Sprintf("%s_%s_f%dx%d_s%dx%d_%s_%s", prefix, shapeName(shape), fh, fw, sh, sw, strings.ToLower(padding), strings.ToLower(act))
	return &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build}
}

func poolCases() []*Case {
	wide := floatRange(-8, 8)
	var out []*Case
	for _, op := range []string{"MAX_POOL_2D", "AVERAGE_POOL_2D"} {
		out = append(out,
			poolCase(op, []int{1, 5, 5, 3}, 2, 2, 2, 2, "VALID", "NONE", defaultOracle),
			poolCase(op, []int{1, 5, 5, 3}, 2, 2, 2, 2, "SAME", "NONE", defaultOracle),
			poolCase(op, []int{1, 7, 6, 2}, 3, 3, 1, 1, "SAME", "RELU", defaultOracle),
			poolCase(op, []int{1, 7, 6, 2}, 3, 3, 2, 2, "SAME", "NONE", defaultOracle),
			poolCase(op, []int{1, 7, 7, 2}, 3, 3, 3, 3, "VALID", "NONE", defaultOracle),
			poolCase(op, []int{2, 5, 7, 3}, 2, 3, 1, 2, "SAME", "RELU6", wide),
			poolCase(op, []int{1, 1, 1, 4}, 1, 1, 1, 1, "VALID", "NONE", defaultOracle),
			poolCase(op, []int{1, 4, 4, 1}, 3, 3, 3, 3, "SAME", "RELU_N1_TO_1", floatRange(-3, 3)),
			poolCase(op, []int{1, 9, 8, 2}, 3, 1, 2, 3, "VALID", "NONE", defaultOracle),
			poolCase(op, []int{1, 6, 5, 5}, 1, 2, 3, 1, "SAME", "RELU", defaultOracle),
			poolCase(op, []int{3, 3, 3, 1}, 3, 3, 1, 1, "SAME", "NONE", defaultOracle),
		)
	}
	// L2_POOL_2D (XNNPACK does not take it: TFLite's builtin kernel).
	out = append(out,
		poolCase("L2_POOL_2D", []int{1, 5, 5, 3}, 2, 2, 2, 2, "VALID", "NONE", defaultOracle),
		poolCase("L2_POOL_2D", []int{1, 7, 6, 2}, 3, 3, 2, 2, "SAME", "NONE", defaultOracle),
		poolCase("L2_POOL_2D", []int{2, 5, 7, 3}, 2, 3, 1, 2, "SAME", "RELU6", wide),
		poolCase("L2_POOL_2D", []int{1, 4, 4, 1}, 3, 3, 3, 3, "SAME", "RELU_N1_TO_1", defaultOracle),
	)
	return out
}
