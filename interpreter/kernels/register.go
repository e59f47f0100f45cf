package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// versionRange is a span of op versions one kernel implements.
type versionRange struct{ min, max int }

// builtinTable lists the builtin kernels with the versions they implement.
//
// The ranges come from TFLite's BuiltinOpResolver (core/kernels/register.cc)
// but claim only the versions whose additions (see TFLite's
// tools/versioning/op_version.cc) these kernels really implement, so a model
// that needs a missing feature is rejected when the interpreter is made,
// naming the op and version, instead of failing later:
//
//	ADD             TFLite 1-5: 1 (float32, int32, uint8, int16 with
//	                power-of-two scales), 2 (int8), 3 (int16 general scale),
//	                4 (int64); not 5 (int16 unquantized).
//	SUB             TFLite 1-5: 1 (uint8 too), 2 (int8), 3 (broadcast above
//	                4-D), 4 (int64), 5 (int16 general scale).
//	MUL             TFLite 1-7: 1 (uint8 too), 2 (int8), 3 (rescale >= 1),
//	                4 (int16), 5 (int64); not 6 (complex64), 7 (int16
//	                unquantized, uint32).
//	RESHAPE         TFLite 1.
//	DEQUANTIZE      TFLite 1-6: 1 (uint8), 2 (int8), 3 (int16, float16), 5
//	                (per-channel int8); not 4 (no converter emits it; its
//	                meaning is undocumented) nor 6 (int4).
//	QUANTIZE        TFLite 1-4: 1-3 (uint8/int8, int16, per-channel); not 4
//	                (int4).
//	CONCATENATION   TFLite 1-4: all (float32/int32/int64/uint8, int8, int16,
//	                uint32).
//	FULLY_CONNECTED TFLite 1-13: 1 (float32, uint8), 3 (hybrid int8
//	                weights), 4 (int8), 5 (keep_num_dims), 6 (no bias), 7
//	                (int16x8), 9 (hybrid, asymmetric_quantize_inputs), 12
//	                (hybrid with per-channel weights); not 2 or 8, 10, 11,
//	                13 (shuffled, sparse and int4 weights, int16 bias).
//
// Types a claimed version allows but the kernel does not implement yet (for
// example uint8 ADD, version 1) are rejected by Prepare, naming the type.
var builtinTable = []builtinEntry{
	{tflite.BuiltinOperatorADD, []versionRange{{1, 4}}, newAdd},
	{tflite.BuiltinOperatorSUB, []versionRange{{1, 5}}, newSub},
	{tflite.BuiltinOperatorMUL, []versionRange{{1, 5}}, newMul},
	{tflite.BuiltinOperatorRESHAPE, []versionRange{{1, 1}}, newReshape},
	{tflite.BuiltinOperatorDEQUANTIZE, []versionRange{{1, 3}, {5, 5}}, newDequantize},
	{tflite.BuiltinOperatorQUANTIZE, []versionRange{{1, 3}}, newQuantize},
	{tflite.BuiltinOperatorCONCATENATION, []versionRange{{1, 4}}, newConcatenation},
	{tflite.BuiltinOperatorFULLY_CONNECTED, []versionRange{{1, 1}, {3, 7}, {9, 9}, {12, 12}}, newFullyConnected},
}

// builtinEntry registers one builtin op's kernel for its version ranges.
type builtinEntry struct {
	op       tflite.BuiltinOperator
	versions []versionRange
	factory  core.KernelFactory
}

// customEntry registers a custom op kernel by name (any version).
type customEntry struct {
	name    string
	factory core.KernelFactory
}

// opFamilies lists the registration tables of every op family file, so
// each family registers its ops next to their kernels.
var opFamilies = [][]builtinEntry{builtinTable, convOps, spatialOps, elementwiseOps, shapeOps, miscOps}

// customFamilies lists the custom op tables (MediaPipe's and SSD's ops).
var customFamilies = [][]customEntry{convCustomOps, miscCustomOps}

// Builtins returns a new resolver with every builtin kernel of this package
// and the custom ops real models use (MediaPipe's
// Convolution2DTransposeBias...) registered. Each call returns a fresh
// resolver the caller may extend.
func Builtins() *core.Ops {
	r := core.NewOps()
	for _, family := range opFamilies {
		for _, e := range family {
			for _, v := range e.versions {
				r.AddBuiltin(e.op, v.min, v.max, e.factory)
			}
		}
	}
	for _, family := range customFamilies {
		for _, e := range family {
			r.AddCustom(e.name, e.factory)
		}
	}
	return r
}
