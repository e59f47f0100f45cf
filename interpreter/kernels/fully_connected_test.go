package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

type fcSpec struct {
	in      []int
	w       []int
	bias    int // -1: absent (index -1); 0: two inputs; >0: bias length
	out     []int
	opts    tflite.FullyConnectedOptionsT
	version int
	inType  core.TensorType
	wType   core.TensorType
}

func fcModel(s fcSpec, wv, bv []float32) *modelbuilder.Builder {
	if s.inType == 0 && s.wType == 0 {
		s.wType = core.Float32
	}
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", s.inType, s.in)
	var w int
	if s.wType == core.Float32 {
		w = g.ConstFloat32("w", s.w, wv)
	} else {
		w = g.Const("w", s.wType, s.w, make([]byte, numElements(s.w)), modelbuilder.Quant(0.1, 0))
	}
	ins := []int{x, w}
	switch {
	case s.bias < 0:
		ins = append(ins, -1)
	case s.bias > 0:
		ins = append(ins, g.ConstFloat32("b", []int{s.bias}, bv))
	}
	y := g.Tensor("y", s.inType, s.out)
	version := s.version
	if version == 0 {
		version = 1
	}
	opts := s.opts
	g.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, version, ins, []int{y}, &opts)
	g.Inputs(x)
	g.Outputs(y)
	return b
}

// referenceFC is TFLite's reference FullyConnected in float64 (the check
// then allows float32 rounding).
func referenceFC(x, w, bias []float32, batch, inSize, units int, lo, hi float64) []float64 {
	out := make([]float64, batch*units)
	for b := 0; b < batch; b++ {
		for u := 0; u < units; u++ {
			sum := 0.0
			for d := 0; d < inSize; d++ {
				sum += float64(x[b*inSize+d]) * float64(w[u*inSize+d])
			}
			if bias != nil {
				sum += float64(bias[u])
			}
			out[b*units+u] = math.Min(math.Max(sum, lo), hi)
		}
	}
	return out
}

func TestFullyConnected(t *testing.T) {
	for _, c := range []struct {
		name string
		spec fcSpec
		lo   float64
		hi   float64
	}{
		{"bias", fcSpec{in: []int{3, 4}, w: []int{5, 4}, bias: 5, out: []int{3, 5}}, math.Inf(-1), math.Inf(1)},
		{"no bias, two inputs", fcSpec{in: []int{2, 4}, w: []int{3, 4}, out: []int{2, 3}, version: 6}, math.Inf(-1), math.Inf(1)},
		{"no bias, index -1", fcSpec{in: []int{2, 4}, w: []int{3, 4}, bias: -1, out: []int{2, 3}, version: 6}, math.Inf(-1), math.Inf(1)},
		{"flattened batch", fcSpec{in: []int{2, 3, 4}, w: []int{2, 6}, bias: 2, out: []int{4, 2}, opts: tflite.FullyConnectedOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU}}, 0, math.Inf(1)},
		{"keep_num_dims", fcSpec{in: []int{2, 3, 4}, w: []int{5, 4}, bias: 5, out: []int{2, 3, 5}, version: 5, opts: tflite.FullyConnectedOptionsT{KeepNumDims: true, FusedActivationFunction: tflite.ActivationFunctionTypeRELU6}}, 0, 6},
		{"rank 1 input", fcSpec{in: []int{4}, w: []int{2, 4}, bias: 2, out: []int{1, 2}, opts: tflite.FullyConnectedOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU_N1_TO_1}}, -1, 1},
	} {
		s := c.spec
		inSize, units := s.w[1], s.w[0]
		batch := numElements(s.in) / inSize
		x := ramp(numElements(s.in), -2, 0.37)
		w := ramp(numElements(s.w), 1.5, -0.21)
		var bias []float32
		if s.bias > 0 {
			bias = ramp(s.bias, -0.5, 0.4)
		}
		it := run(t, fcModel(s, w, bias), f32Bytes(x...))
		out := it.Output(0)
		require.Equal(t, s.out, out.Shape(), c.name)
		want := referenceFC(x, w, bias, batch, inSize, units, c.lo, c.hi)
		got := out.Float32s()
		for i := range want {
			assert.InDelta(t, want[i], got[i], 1e-5, "%s [%d]", c.name, i)
		}
	}
}

func TestFullyConnectedErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		spec fcSpec
		want string
	}{
		{"shuffled", fcSpec{in: []int{1, 4}, w: []int{2, 4}, bias: 2, out: []int{1, 2}, opts: tflite.FullyConnectedOptionsT{WeightsFormat: tflite.FullyConnectedOptionsWeightsFormatSHUFFLED4x16INT8}}, "weights format SHUFFLED4x16INT8 is not supported yet"},
		{"tanh", fcSpec{in: []int{1, 4}, w: []int{2, 4}, bias: 2, out: []int{1, 2}, opts: tflite.FullyConnectedOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}}, "fused activation TANH is not supported"},
		{"bias size", fcSpec{in: []int{1, 4}, w: []int{2, 4}, bias: 3, out: []int{1, 2}}, "bias has 3 elements for 2 units"},
		{"not divisible", fcSpec{in: []int{1, 5}, w: []int{2, 4}, bias: 2, out: []int{1, 2}}, "does not split into rows of input_size 4"},
		{"keep_num_dims", fcSpec{in: []int{2, 4}, w: []int{2, 8}, bias: 2, out: []int{1, 2}, version: 5, opts: tflite.FullyConnectedOptionsT{KeepNumDims: true}}, "keep_num_dims needs the input's last dimension to be input_size 8"},
		{"weights rank", fcSpec{in: []int{1, 4}, w: []int{2, 2, 2}, bias: 2, out: []int{1, 2}}, "want rank 2 [units, input_size]"},
		{"hybrid uint8", fcSpec{in: []int{1, 4}, w: []int{2, 4}, bias: 2, out: []int{1, 2}, inType: core.Float32, wType: core.Uint8}, "hybrid FLOAT32 input with UINT8 weights is not supported"},
		{"quantized", fcSpec{in: []int{1, 4}, w: []int{2, 4}, out: []int{1, 2}, inType: core.Int8, wType: core.Int8, version: 6}, `INT8 tensor "x" has no quantization parameters`},
		{"version 8", fcSpec{in: []int{1, 4}, w: []int{2, 4}, bias: 2, out: []int{1, 2}, version: 8}, "FULLY_CONNECTED version 8 is not supported (supported: 1, 3-7, 9, 12)"},
	} {
		err := prepareError(t, fcModel(c.spec, ramp(numElements(c.spec.w), 0, 1), ramp(max(c.spec.bias, 0), 0, 1)))
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}
