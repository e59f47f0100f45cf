package cases

// spatialCases are the conformance cases of the spatial kernel family.
func spatialCases() []*Case { return nil }
