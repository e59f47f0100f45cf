package cases

// qspatialCases are the quantized conformance cases of the spatial kernels.
func qspatialCases() []*Case { return nil }
