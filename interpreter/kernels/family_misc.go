package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// miscOps registers the sequence and detection kernels (LSTM family).
// Versions from TFLite's register.cc, claimed where the kernels implement
// the version's addition (tools/versioning/op_version.cc):
//
//	LSTM                          TFLite 1-4: 1 (float32, FULL kernel;
//	                              full-integer int8, 8x8->16 and 8x8->8), 3
//	                              (hybrid: int8 weights), 4 (hybrid with
//	                              asymmetric inputs); not 2 (BASIC kernel).
//	UNIDIRECTIONAL_SEQUENCE_LSTM  TFLite 1-4: 1 (float32; full-integer int8
//	                              8x8->16), 2 (hybrid), 3 (hybrid with
//	                              asymmetric inputs); not 4 (diagonal
//	                              recurrent tensors).
var miscOps = []builtinEntry{
	{tflite.BuiltinOperatorLSTM, []versionRange{{1, 1}, {3, 4}}, newLSTM},
	{tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, []versionRange{{1, 3}}, newUnidirectionalSequenceLSTM},
}

// miscCustomOps registers SSD's TFLite_Detection_PostProcess and other
// custom ops of real models. TFLite registers TFLite_Detection_PostProcess
// (version 1, its only one) in its builtin op resolver.
var miscCustomOps = []customEntry{
	{"TFLite_Detection_PostProcess", newDetectionPostProcess},
}
