package cases

// elementwiseCases are the conformance cases of the elementwise kernel family.
func elementwiseCases() []*Case { return nil }
