package cases

// qconvCases are the quantized conformance cases of the conv kernels.
func qconvCases() []*Case { return nil }
