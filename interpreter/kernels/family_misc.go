package kernels

// miscOps registers the sequence and detection kernels (LSTM family).
var miscOps = []builtinEntry{}

// miscCustomOps registers SSD's TFLite_Detection_PostProcess and other
// custom ops of real models. TFLite registers TFLite_Detection_PostProcess
// (version 1, its only one) in its builtin op resolver.
var miscCustomOps = []customEntry{
	{"TFLite_Detection_PostProcess", newDetectionPostProcess},
}
