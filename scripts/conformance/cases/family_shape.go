package cases

// shapeCases are the conformance cases of the shape kernel family.
func shapeCases() []*Case {
	var all []*Case
	for _, f := range []func() []*Case{
		densifyCases, squeezeCases, expandDimsCases, transposeCases, sliceCases, stridedSliceCases,
	} {
		all = append(all, f()...)
	}
	return all
}
