package cases

// spatialCases are the conformance cases of the spatial kernel family.
func spatialCases() []*Case {
	var out []*Case
	out = append(out, poolCases()...)
	out = append(out, resizeCases()...)
	out = append(out, reduceCases()...)
	out = append(out, padCases()...)
	out = append(out, spaceCases()...)
	return out
}
