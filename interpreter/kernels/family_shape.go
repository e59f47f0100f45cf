package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// shapeOps registers the kernels of this family (see register.go). These
// kernels move bytes without arithmetic, so every fixed-size element type
// works alike (quantized tensors keep their parameters, as in TFLite);
// the versions claimed are those whose additions are implemented:
//
//	DENSIFY        TFLite 1 (FLOAT32, FLOAT16, INT8 values).
//	SQUEEZE        TFLite 1 (2 is STRING).
//	EXPAND_DIMS    TFLite 1.
//	TRANSPOSE      TFLite 1-6 (INT8, BOOL, 5-D, INT16, 6-D).
//	SLICE          TFLite 1-6 except 3 (STRING); 5: 5-D, 6: UINT32.
//	STRIDED_SLICE  TFLite 1-8 except 5 (STRING): 6 ellipsis/new axis, 7 UINT32, 8 offset.
var shapeOps = []builtinEntry{
	{tflite.BuiltinOperatorDENSIFY, []versionRange{{1, 1}}, newDensify},
	{tflite.BuiltinOperatorSQUEEZE, []versionRange{{1, 1}}, newSqueeze},
	{tflite.BuiltinOperatorEXPAND_DIMS, []versionRange{{1, 1}}, newExpandDims},
	{tflite.BuiltinOperatorTRANSPOSE, []versionRange{{1, 6}}, newTranspose},
	{tflite.BuiltinOperatorSLICE, []versionRange{{1, 2}, {4, 6}}, newSlice},
	{tflite.BuiltinOperatorSTRIDED_SLICE, []versionRange{{1, 4}, {6, 8}}, newStridedSlice},
}
