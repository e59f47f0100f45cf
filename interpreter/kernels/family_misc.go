package kernels

// miscOps registers the sequence and detection kernels (LSTM family).
var miscOps = []builtinEntry{}

// miscCustomOps registers SSD's TFLite_Detection_PostProcess and other
// custom ops of real models.
var miscCustomOps = []customEntry{}
