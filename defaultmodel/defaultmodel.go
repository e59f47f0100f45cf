// Package defaultmodel builds Edgelite's built-in example model: a small
// float multi-layer perceptron that the project makes itself, in Go, at run
// time, so no binary model file has to be committed or fetched.
//
// It exists so that tools have something real to run when no model is
// given: tflite-benchmark benchmarks it when --graph is empty, and tests use
// it as a non-trivial graph that every build can load. The model is
// deterministic: its weights come from a fixed-seed generator in this
// package, so Bytes returns the same bytes in every process and on every
// platform.
//
// The graph (all FLOAT32, batch 1):
//
//	input [1,256]
//	h1     = FULLY_CONNECTED(input, 128 units, RELU)          [1,128]
//	n1     = ADD(MUL(h1, scale[128]), shift[128])             [1,128]
//	a      = FULLY_CONNECTED(n1, 64 units, RELU)              [1,64]
//	b      = FULLY_CONNECTED(input, 64 units, RELU)  (skip)   [1,64]
//	h2     = ADD(CONCATENATION(a, b, axis 1), h1)  (residual) [1,128]
//	r      = RESHAPE(h2, [2,64])                              [2,64]
//	o      = FULLY_CONNECTED(r, 16 units)                     [2,16]
//	logits = RESHAPE(o, [1,32])                               [1,32]
//
// It has the signature "serving_default" (input "input", output "logits")
// and a metadata entry "model_name" holding Name.
package defaultmodel

import (
	"math"
	"sync"

	"github.com/edgelite/edgelite/internal/inputgen"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Name is the default model's name, recorded in its description and in its
// "model_name" metadata entry.
const Name = "edgelite_default_mlp"

// Shapes of the model's single input and single output.
var (
	InputShape  = []int{1, 256}
	OutputShape = []int{1, 32}
)

// seed is the fixed seed of the weight generator. Changing it changes the
// model's bytes and outputs.
const seed = 0x5eed_0001

var build = sync.OnceValue(func() []byte {
	b, err := newBuilder().Bytes()
	if err != nil {
		// The graph above is fixed; a builder error is a bug in this
		// package that every test run catches.
		panic("defaultmodel: " + err.Error())
	}
	return b
})

// Bytes returns the serialized model (a TFLite flatbuffer). Each call
// returns a new copy that the caller may keep or modify.
func Bytes() []byte {
	return append([]byte(nil), build()...)
}

func newBuilder() *modelbuilder.Builder {
	b := modelbuilder.New()
	b.Model().Description = Name + ": Edgelite's built-in example model (3-layer float MLP)"
	g := b.Main()
	rng := newRNG(seed)

	fc := func(name string, in, units, inSize int, act tflite.ActivationFunctionType, outShape []int) int {
		w := g.ConstFloat32(name+"/weights", []int{units, inSize}, rng.heUniform(units*inSize, inSize))
		bias := g.ConstFloat32(name+"/bias", []int{units}, rng.uniform(units, -0.1, 0.1))
		out := g.Tensor(name, core.Float32, outShape)
		g.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{in, w, bias}, []int{out},
			&tflite.FullyConnectedOptionsT{FusedActivationFunction: act})
		return out
	}

	input := g.Tensor("input", core.Float32, InputShape)
	h1 := fc("dense1", input, 128, 256, tflite.ActivationFunctionTypeRELU, []int{1, 128})

	scale := g.ConstFloat32("norm/scale", []int{128}, rng.uniform(128, 0.5, 1.5))
	shift := g.ConstFloat32("norm/shift", []int{128}, rng.uniform(128, -0.1, 0.1))
	scaled := g.Tensor("norm/mul", core.Float32, []int{1, 128})
	g.Op(tflite.BuiltinOperatorMUL, []int{h1, scale}, []int{scaled}, &tflite.MulOptionsT{})
	n1 := g.Tensor("norm/add", core.Float32, []int{1, 128})
	g.Op(tflite.BuiltinOperatorADD, []int{scaled, shift}, []int{n1}, &tflite.AddOptionsT{})

	a := fc("dense2a", n1, 64, 128, tflite.ActivationFunctionTypeRELU, []int{1, 64})
	bb := fc("dense2b", input, 64, 256, tflite.ActivationFunctionTypeRELU, []int{1, 64})
	cat := g.Tensor("concat", core.Float32, []int{1, 128})
	g.Op(tflite.BuiltinOperatorCONCATENATION, []int{a, bb}, []int{cat}, &tflite.ConcatenationOptionsT{Axis: 1})
	h2 := g.Tensor("residual", core.Float32, []int{1, 128})
	g.Op(tflite.BuiltinOperatorADD, []int{cat, h1}, []int{h2}, &tflite.AddOptionsT{})

	shape1 := g.ConstInt32("reshape1/shape", []int{2}, []int32{2, 64})
	r := g.Tensor("reshape1", core.Float32, []int{2, 64})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{h2, shape1}, []int{r}, &tflite.ReshapeOptionsT{NewShape: []int32{2, 64}})
	o := fc("dense3", r, 16, 64, tflite.ActivationFunctionTypeNONE, []int{2, 16})
	shape2 := g.ConstInt32("logits/shape", []int{2}, []int32{1, 32})
	logits := g.Tensor("logits", core.Float32, OutputShape)
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{o, shape2}, []int{logits}, &tflite.ReshapeOptionsT{NewShape: []int32{1, 32}})

	g.Inputs(input)
	g.Outputs(logits)
	b.Signature("serving_default", g, map[string]int{"input": input}, map[string]int{"logits": logits})
	b.Metadata("model_name", []byte(Name))
	return b
}

// rng draws the weights from splitmix32 (the oracle's generator, shared
// with the tools): deterministic on every platform.
type rng struct{ *inputgen.SplitMix32 }

func newRNG(seed uint32) rng { return rng{inputgen.NewSplitMix32(seed)} }

// uniform returns n values uniform in [lo, hi).
func (r rng) uniform(n int, lo, hi float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(lo + (hi-lo)*float64(r.Next())/(1<<32))
	}
	return out
}

// heUniform returns n weights uniform in ±sqrt(6/fanIn), the He
// initialization that keeps RELU activations at a stable scale.
func (r rng) heUniform(n, fanIn int) []float32 {
	a := math.Sqrt(6 / float64(fanIn))
	return r.uniform(n, -a, a)
}
