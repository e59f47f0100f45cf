package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// elementwiseOps registers the kernels of this family (see register.go).
//
// Versions from TFLite's register.cc, claimed only where these kernels
// implement the version's additions (tools/versioning/op_version.cc):
//
//	LOGISTIC, TANH               1-3 (float32, uint8; 2: int8; 3: int16).
//	RELU, RELU6                  1-3 (float32, uint8; 2: int8; 3: int16).
//	RELU_N1_TO_1, RELU_0_TO_1,
//	HARD_SWISH                   1 (float32, uint8, int8).
//	ELU                          1 (float32, int8).
//	PRELU                        1 (float32, uint8, int8).
//	LEAKY_RELU                   1-2 (float32, uint8, int8; 2: int16).
//	GELU                         1-2 (float32; 2: int8, uint8).
//	SOFTMAX                      1-3 (float32, uint8, int8 inputs; uint8,
//	                             int8, int16 outputs; 3: int16 input).
//	LOG_SOFTMAX                  1-2 (float32, uint8; 2: int8).
//	L2_NORMALIZATION             1-2 (float32, uint8; 2: int8).
//	DIV                          1-2 (float32, int32, uint8; 2: broadcast
//	                             to rank 5).
//	SQUARED_DIFFERENCE           1-2 (float32, int32; 2: int8).
//	POW                          1 (float32, int32).
//	MAXIMUM, MINIMUM             1-4 (float32, int32, int64; 2 int8, 3 rank-5
//	                             broadcast, 4 int16: raw values compared).
//	EXP, LOG                     1; not 2 (int8/int16).
//	RSQRT                        1-2 (float32; 2: int8); not 3 (int16,
//	                             which TFLite's resolver does not register).
//	SQRT, SQUARE, NEG, FLOOR,
//	CEIL, ROUND, SIN, COS        1.
//	ABS                          1-5 (float32; 2: int8; 3: int16 quantized;
//	                             4: int16 plain; 5: int32). uint8 (which
//	                             op_version.cc maps to 2) fails in TFLite's
//	                             kernel and here.
//	EQUAL, NOT_EQUAL, LESS,
//	LESS_EQUAL, GREATER,
//	GREATER_EQUAL                1-2 (float32, int32, int64, uint8 and int8
//	                             rescaled; bool for EQUAL and NOT_EQUAL); not
//	                             3+ (string, int16).
//	LOGICAL_AND/OR/NOT           1.
//	SELECT                       1-4 (3: rank 5, 4: uint32).
//	SELECT_V2                    1-2.
//	CAST                         1-5 (float32/64, float16, int8/16/32/64,
//	                             uint8/16/32, bool); not 6-7 (int4, bfloat16).
var elementwiseOps = []builtinEntry{
	{tflite.BuiltinOperatorLOGISTIC, ewV13, unaryFactory(uLogistic)},
	{tflite.BuiltinOperatorTANH, ewV13, unaryFactory(uTanh)},
	{tflite.BuiltinOperatorRELU, ewV13, unaryFactory(uRelu)},
	{tflite.BuiltinOperatorRELU6, ewV13, unaryFactory(uRelu6)},
	{tflite.BuiltinOperatorRELU_N1_TO_1, ewV1, unaryFactory(uReluN1To1)},
	{tflite.BuiltinOperatorRELU_0_TO_1, ewV1, unaryFactory(uRelu0To1)},
	{tflite.BuiltinOperatorLEAKY_RELU, ewV12, unaryFactory(uLeakyRelu)},
	{tflite.BuiltinOperatorHARD_SWISH, ewV1, unaryFactory(uHardSwish)},
	{tflite.BuiltinOperatorELU, ewV1, unaryFactory(uElu)},
	{tflite.BuiltinOperatorGELU, ewV12, unaryFactory(uGelu)},
	{tflite.BuiltinOperatorPRELU, ewV1, ewFactory(ewPrelu, 4)},
	{tflite.BuiltinOperatorSOFTMAX, ewV13, rowNormFactory(normSoftmax)},
	{tflite.BuiltinOperatorLOG_SOFTMAX, ewV12, rowNormFactory(normLogSoftmax)},
	{tflite.BuiltinOperatorL2_NORMALIZATION, ewV12, rowNormFactory(normL2)},
	{tflite.BuiltinOperatorDIV, []versionRange{{1, 2}}, ewFactory(ewDiv, 5)},
	{tflite.BuiltinOperatorSQUARED_DIFFERENCE, ewV12, ewFactory(ewSquaredDifference, 4)},
	{tflite.BuiltinOperatorPOW, ewV1, ewFactory(ewPow, 4)},
	{tflite.BuiltinOperatorMAXIMUM, []versionRange{{1, 4}}, ewFactory(ewMaximum, 5)},
	{tflite.BuiltinOperatorMINIMUM, []versionRange{{1, 4}}, ewFactory(ewMinimum, 5)},
	{tflite.BuiltinOperatorEXP, ewV1, unaryFactory(uExp)},
	{tflite.BuiltinOperatorLOG, ewV1, unaryFactory(uLog)},
	{tflite.BuiltinOperatorSQRT, ewV1, unaryFactory(uSqrt)},
	{tflite.BuiltinOperatorRSQRT, ewV12, unaryFactory(uRsqrt)},
	{tflite.BuiltinOperatorSQUARE, ewV1, unaryFactory(uSquare)},
	{tflite.BuiltinOperatorABS, []versionRange{{1, 5}}, unaryFactory(uAbs)},
	{tflite.BuiltinOperatorNEG, ewV1, unaryFactory(uNeg)},
	{tflite.BuiltinOperatorFLOOR, ewV1, unaryFactory(uFloor)},
	{tflite.BuiltinOperatorCEIL, ewV1, unaryFactory(uCeil)},
	{tflite.BuiltinOperatorROUND, ewV1, unaryFactory(uRound)},
	{tflite.BuiltinOperatorSIN, ewV1, unaryFactory(uSin)},
	{tflite.BuiltinOperatorCOS, ewV1, unaryFactory(uCos)},
	{tflite.BuiltinOperatorEQUAL, ewV12, ewFactory(ewEqual, 4)},
	{tflite.BuiltinOperatorNOT_EQUAL, ewV12, ewFactory(ewNotEqual, 4)},
	{tflite.BuiltinOperatorLESS, ewV12, ewFactory(ewLess, 4)},
	{tflite.BuiltinOperatorLESS_EQUAL, ewV12, ewFactory(ewLessEqual, 4)},
	{tflite.BuiltinOperatorGREATER, ewV12, ewFactory(ewGreater, 4)},
	{tflite.BuiltinOperatorGREATER_EQUAL, ewV12, ewFactory(ewGreaterEqual, 4)},
	{tflite.BuiltinOperatorLOGICAL_AND, ewV1, ewFactory(ewLogicalAnd, 4)},
	{tflite.BuiltinOperatorLOGICAL_OR, ewV1, ewFactory(ewLogicalOr, 4)},
	{tflite.BuiltinOperatorLOGICAL_NOT, ewV1, unaryFactory(uLogicalNot)},
	{tflite.BuiltinOperatorSELECT, []versionRange{{1, 4}}, newSelect},
	{tflite.BuiltinOperatorSELECT_V2, []versionRange{{1, 2}}, newSelectV2},
	{tflite.BuiltinOperatorCAST, []versionRange{{1, 5}}, newCast},
}

// ewV1 is the version range of ops that only have version 1 here.
var ewV1 = []versionRange{{1, 1}}

// ewV12 is the version range of ops whose version 2 adds int8 (or int16).
var ewV12 = []versionRange{{1, 2}}

// ewV13 is the version range of ops whose versions 2 and 3 add int8 and
// int16.
var ewV13 = []versionRange{{1, 3}}
