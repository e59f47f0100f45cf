package cases

// qmiscCases are the quantized conformance cases of the misc kernels.
func qmiscCases() []*Case { return nil }
