package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// spatialOps registers the kernels of this family (see register.go). The
// version ranges come from TFLite's register.cc, claiming only versions
// whose additions (tools/versioning/op_version.cc) are implemented:
//
//	PAD, PADV2           1 (float32, int32, int64, bool, uint8), 2 (int8),
//	                     3 (int16), 4 (rank 5).
//	MIRROR_PAD           1 (float32, int32, int64, uint8), 2 (int8); not 3
//	                     (int16).
//	MAX_POOL_2D,
//	AVERAGE_POOL_2D      1 (float32, uint8), 2 (int8), 3 (int16).
//	L2_POOL_2D           1 (float32, its only version).
//	RESIZE_BILINEAR      1 (float32, uint8), 2 (int8), 3 (half_pixel_centers),
//	                     4 (int16).
//	RESIZE_NEAREST_NEIGHBOR 1, 2 (int8), 3 (align_corners/half_pixel_centers),
//	                     4 (int16).
//	MEAN, REDUCE_MAX,
//	REDUCE_MIN           1 (float32, int32, int64, uint8), 2 (int8),
//	                     3 (int16).
//	SUM                  1 (uint8), 2 (int8, int16).
//	REDUCE_PROD          1-2 (2: int8, int16 quantized).
//	REDUCE_ANY,
//	REDUCE_ALL           1 (bool, their only version).
//	DEPTH_TO_SPACE,
//	SPACE_TO_DEPTH       1 (float32, int32, int64, uint8), 2 (int8).
//	SPACE_TO_BATCH_ND,
//	BATCH_TO_SPACE_ND    1 (4-D, uint8), 2 (int8), 3 (3-D); not 4 (int16).
var spatialOps = []builtinEntry{
	{tflite.BuiltinOperatorPAD, []versionRange{{1, 4}}, newPad},
	{tflite.BuiltinOperatorPADV2, []versionRange{{1, 4}}, newPad},
	{tflite.BuiltinOperatorMIRROR_PAD, []versionRange{{1, 2}}, newMirrorPad},
	{tflite.BuiltinOperatorMAX_POOL_2D, []versionRange{{1, 3}}, newPool(poolMax)},
	{tflite.BuiltinOperatorAVERAGE_POOL_2D, []versionRange{{1, 3}}, newPool(poolAverage)},
	{tflite.BuiltinOperatorL2_POOL_2D, []versionRange{{1, 1}}, newPool(poolL2)},
	{tflite.BuiltinOperatorRESIZE_BILINEAR, []versionRange{{1, 4}}, newResizeBilinear},
	{tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, []versionRange{{1, 4}}, newResizeNearest},
	{tflite.BuiltinOperatorMEAN, []versionRange{{1, 3}}, newReduce(reduceMean)},
	{tflite.BuiltinOperatorSUM, []versionRange{{1, 2}}, newReduce(reduceSum)},
	{tflite.BuiltinOperatorREDUCE_PROD, []versionRange{{1, 2}}, newReduce(reduceProd)},
	{tflite.BuiltinOperatorREDUCE_MAX, []versionRange{{1, 3}}, newReduce(reduceMax)},
	{tflite.BuiltinOperatorREDUCE_MIN, []versionRange{{1, 3}}, newReduce(reduceMin)},
	{tflite.BuiltinOperatorREDUCE_ANY, []versionRange{{1, 1}}, newReduce(reduceAny)},
	{tflite.BuiltinOperatorREDUCE_ALL, []versionRange{{1, 1}}, newReduce(reduceAll)},
	{tflite.BuiltinOperatorDEPTH_TO_SPACE, []versionRange{{1, 2}}, newDepthToSpace},
	{tflite.BuiltinOperatorSPACE_TO_DEPTH, []versionRange{{1, 2}}, newSpaceToDepth},
	{tflite.BuiltinOperatorSPACE_TO_BATCH_ND, []versionRange{{1, 3}}, newSpaceToBatch},
	{tflite.BuiltinOperatorBATCH_TO_SPACE_ND, []versionRange{{1, 3}}, newBatchToSpace},
}
