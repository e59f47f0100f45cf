package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// shapeOps registers the kernels of this family (see register.go). Most of
// them move bytes without arithmetic, so every fixed-size element type
// works alike (quantized tensors keep their parameters, as in TFLite); the
// versions claimed are those of TFLite's register.cc whose additions (see
// op_version.cc) are implemented:
//
//	DENSIFY        1 (FLOAT32, FLOAT16, INT8 values).
//	SQUEEZE        1; not 2 (STRING).
//	EXPAND_DIMS    1.
//	TRANSPOSE      1-6 (INT8, BOOL, 5-D, INT16, 6-D).
//	SLICE          1-2, 4-6 (INT8, INT16, 5-D, UINT32); not 3 (STRING).
//	STRIDED_SLICE  1-4, 6-8 (INT8, BOOL, 5-D, ellipsis/new axis, UINT32,
//	               offset); not 5 (STRING).
//	SPLIT          1-4.  SPLIT_V 1-2.  PACK 1-4.  UNPACK 1-4.
//	GATHER         1-6 (INT8, BOOL, INT16, batch_dims, INT16 indices).
//	GATHER_ND      1, 3-4 (INT16 params and indices); not 2 (STRING).
//	TILE           1, 3 (INT8); not 2 (STRING).
//	BROADCAST_TO   2-3.
//	SHAPE, ZEROS_LIKE, CUMSUM  1 (TFLite has no ONES_LIKE builtin).
//	FILL           1-4 (BOOL, INT8/INT16, FLOAT16; STRING rejected).
//	ARG_MAX/MIN    1-3 (INT8, BOOL).
//	TOPK_V2        1-3 (INT8; INT16 input, k or indices).
//	BATCH_MATMUL   1 (FLOAT32; hybrid FLOAT32 x INT8), 2 (INT8), 3 (INT16),
//	               4 (hybrid with asymmetric_quantize_inputs).
var shapeOps = []builtinEntry{
	{tflite.BuiltinOperatorDENSIFY, []versionRange{{1, 1}}, newDensify},
	{tflite.BuiltinOperatorSQUEEZE, []versionRange{{1, 1}}, newSqueeze},
	{tflite.BuiltinOperatorEXPAND_DIMS, []versionRange{{1, 1}}, newExpandDims},
	{tflite.BuiltinOperatorTRANSPOSE, []versionRange{{1, 6}}, newTranspose},
	{tflite.BuiltinOperatorSLICE, []versionRange{{1, 2}, {4, 6}}, newSlice},
	{tflite.BuiltinOperatorSTRIDED_SLICE, []versionRange{{1, 4}, {6, 8}}, newStridedSlice},
	{tflite.BuiltinOperatorSPLIT, []versionRange{{1, 4}}, newSplit},
	{tflite.BuiltinOperatorSPLIT_V, []versionRange{{1, 2}}, newSplitV},
	{tflite.BuiltinOperatorPACK, []versionRange{{1, 4}}, newPack},
	{tflite.BuiltinOperatorUNPACK, []versionRange{{1, 4}}, newUnpack},
	{tflite.BuiltinOperatorGATHER, []versionRange{{1, 6}}, newGather},
	{tflite.BuiltinOperatorGATHER_ND, []versionRange{{1, 1}, {3, 4}}, newGatherNd},
	{tflite.BuiltinOperatorTILE, []versionRange{{1, 1}, {3, 3}}, newTile},
	{tflite.BuiltinOperatorBROADCAST_TO, []versionRange{{2, 3}}, newBroadcastTo},
	{tflite.BuiltinOperatorSHAPE, []versionRange{{1, 1}}, newShape},
	{tflite.BuiltinOperatorFILL, []versionRange{{1, 4}}, newFill},
	{tflite.BuiltinOperatorZEROS_LIKE, []versionRange{{1, 1}}, newZerosLike},
	{tflite.BuiltinOperatorARG_MAX, []versionRange{{1, 3}}, newArgMax},
	{tflite.BuiltinOperatorARG_MIN, []versionRange{{1, 3}}, newArgMin},
	{tflite.BuiltinOperatorCUMSUM, []versionRange{{1, 1}}, newCumsum},
	{tflite.BuiltinOperatorTOPK_V2, []versionRange{{1, 3}}, newTopK},
	{tflite.BuiltinOperatorBATCH_MATMUL, []versionRange{{1, 4}}, newBatchMatMul},
}
