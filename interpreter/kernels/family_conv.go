package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// convOps registers the kernels of this family (see register.go). Versions
// from TFLite's register.cc, claimed only where the float32 kernels
// implement the version's addition (tools/versioning/op_version.cc):
//
//	CONV_2D           TFLite 1-8: 1 (float32, uint8; dilation), 2/5
//	                  (hybrid, per-tensor/per-channel), 3 (int8
//	                  per-channel), 4 (int16x8), 6 (grouped convolution);
//	                  not 7 (int4), 8 (int16 bias type).
//	DEPTHWISE_CONV_2D TFLite 1-7: 1 (float32, uint8), 2 (dilation), 3
//	                  (int8 per-channel), 4/6 (hybrid; TFLite's kernel needs
//	                  per-channel scales either way), 5 (int16x8); not 7
//	                  (int4).
//	TRANSPOSE_CONV    TFLite 1-5: 1 (float32, uint8), 2 (int8 weights:
//	                  int8 per-channel, int16x8), 3 (bias), 4 (fused
//	                  activation); not 5 (int16 bias type).
var convOps = []builtinEntry{
	{tflite.BuiltinOperatorCONV_2D, []versionRange{{1, 6}}, newConv2D},
	{tflite.BuiltinOperatorDEPTHWISE_CONV_2D, []versionRange{{1, 6}}, newDepthwiseConv2D},
	{tflite.BuiltinOperatorTRANSPOSE_CONV, []versionRange{{1, 4}}, newTransposeConv},
}

// convCustomOps registers the custom ops of the convolution family.
var convCustomOps = []customEntry{
	{"Convolution2DTransposeBias", newTransposeConvBias},
}
