package cases

// shapeCases are the conformance cases of the shape kernel family.
func shapeCases() []*Case {
	var all []*Case
	for _, f := range []func() []*Case{
		densifyCases, squeezeCases, expandDimsCases, transposeCases, sliceCases, stridedSliceCases,
		splitCases, splitVCases, packCases, unpackCases, gatherCases, gatherNdCases, tileCases,
		broadcastToCases, shapeOfCases, fillCases, zerosLikeCases, argMinMaxCases, cumsumCases,
		topKCases, batchMatMulCases,
	} {
		all = append(all, f()...)
	}
	return all
}
