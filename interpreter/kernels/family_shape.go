package kernels

import "github.com/edgelite/edgelite/schema/tflite"

// shapeOps registers the kernels of this family (see register.go).
//
//	DENSIFY  TFLite 1 (FLOAT32, FLOAT16, INT8 values).
var shapeOps = []builtinEntry{
	{tflite.BuiltinOperatorDENSIFY, []versionRange{{1, 1}}, newDensify},
}
