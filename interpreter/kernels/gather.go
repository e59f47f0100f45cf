package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// gatherIndex returns index i of an INT32, INT64 or INT16 indices tensor.
func gatherIndex(t *core.Tensor, i int) int64 {
	switch t.Type() {
	case core.Int32:
		return int64(t.Int32s()[i])
	case core.Int64:
		return t.Int64s()[i]
	case core.Int16:
		return int64(t.Int16s()[i])
	}
	return -1
}

func gatherIndexType(n *core.Node, t *core.Tensor) error {
	switch t.Type() {
	case core.Int32, core.Int64, core.Int16:
		return nil
	}
	return n.Errorf("indices must be INT32, INT64 or INT16, not %s", t.Type())
}

// gatherKernel implements GATHER as TFLite's gather.cc does: slices of
// params along axis (negative counts from the end) picked by indices, with
// batch_dims leading dimensions shared by params and indices (negative
// counts from the indices' rank; batch_dims <= axis). The output shape is
// params[:axis] + indices[batch_dims:] + params[axis+1:]. An index out of
// [0, params.dim(axis)) is an error when the node runs, as in TFLite.
type gatherKernel struct {
	axisOpt, batchOpt int
	es                int
	batch, outer      int
	coords, axisSize  int
	innerBytes        int
	ready             bool
}

func newGather(n *core.Node) (core.Kernel, error) {
	var o tflite.GatherOptions
	n.BuiltinOptions(tflite.BuiltinOptionsGatherOptions, &o)
	return &gatherKernel{axisOpt: int(o.Axis()), batchOpt: int(o.BatchDims())}, nil
}

// Prepare implements core.Kernel.
func (k *gatherKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	params, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	indices, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if err := shapeSameType(n, params, out); err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, params.Type()); err != nil {
		return err
	}
	if err := gatherIndexType(n, indices); err != nil {
		return err
	}
	pr, ir := params.Rank(), indices.Rank()
	axis := k.axisOpt
	if axis < 0 {
		axis += pr
	}
	if axis < 0 || axis >= pr {
		return n.Errorf("axis %d out of range for params of rank %d", k.axisOpt, pr)
	}
	bd := k.batchOpt
	if bd < 0 {
		bd += ir
	}
	if bd < 0 || bd > ir || bd > axis {
		return n.Errorf("batch_dims %d out of range (indices rank %d, axis %d)", k.batchOpt, ir, axis)
	}
	k.batch = 1
	for i := range bd {
		if params.Dim(i) != indices.Dim(i) {
			return n.Errorf("batch dimension %d: params has %d, indices %d", i, params.Dim(i), indices.Dim(i))
		}
		k.batch *= params.Dim(i)
	}
	k.outer = 1
	for _, d := range params.Shape()[bd:axis] {
		k.outer *= d
	}
	k.coords = 1
	for _, d := range indices.Shape()[bd:] {
		k.coords *= d
	}
	k.axisSize = params.Dim(axis)
	inner := 1
	for _, d := range params.Shape()[axis+1:] {
		inner *= d
	}
	k.innerBytes = inner * k.es
	shape := make([]int, 0, pr+ir)
	shape = append(shape, params.Shape()[:axis]...)
	shape = append(shape, indices.Shape()[bd:]...)
	shape = append(shape, params.Shape()[axis+1:]...)
	out.SetShape(shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *gatherKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	params, indices, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	src, dst := params.Bytes(), out.Bytes()
	m := k.innerBytes
	if len(src) < k.batch*k.outer*k.axisSize*m || len(dst) < k.batch*k.outer*k.coords*m || indices.NumElements() != k.batch*k.coords || len(indices.Bytes()) < indices.ByteSize() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	o := 0
	for b := range k.batch {
		for j := range k.outer {
			base := (b*k.outer + j) * k.axisSize
			for c := range k.coords {
				idx := gatherIndex(indices, b*k.coords+c)
				if idx < 0 || idx >= int64(k.axisSize) {
					return n.Errorf("index %d out of range [0,%d)", idx, k.axisSize)
				}
				s := (base + int(idx)) * m
				copy(dst[o:o+m], src[s:s+m])
				o += m
			}
		}
	}
	return nil
}

// gatherNdKernel implements GATHER_ND as TFLite's gather_nd.cc does: the
// last dimension of indices (at most params' rank) indexes params' leading
// dimensions; the output shape is indices[:-1] + params[nd:]. An index out
// of range is an error when the node runs.
type gatherNdKernel struct {
	nd         int
	es         int
	count      int
	sliceBytes int
	strides    [shapeMaxRank]int
	dims       [shapeMaxRank]int
	ready      bool
}

func newGatherNd(n *core.Node) (core.Kernel, error) { return &gatherNdKernel{}, nil }

// Prepare implements core.Kernel.
func (k *gatherNdKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	params, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	indices, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if err := shapeSameType(n, params, out); err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, params.Type()); err != nil {
		return err
	}
	if err := gatherIndexType(n, indices); err != nil {
		return err
	}
	pr, ir := params.Rank(), indices.Rank()
	if pr < 1 {
		return n.Errorf("params must have at least one dimension")
	}
	if ir < 1 {
		return n.Errorf("indices must have at least one dimension")
	}
	nd := indices.Dim(-1)
	if nd > pr {
		return n.Errorf("indices index %d dimensions, params has %d", nd, pr)
	}
	if pr > shapeMaxRank {
		return n.Errorf("params rank %d is not supported", pr)
	}
	k.nd = nd
	slice := 1
	for _, d := range params.Shape()[nd:] {
		slice *= d
	}
	k.sliceBytes = slice * k.es
	acc := slice
	for d := nd - 1; d >= 0; d-- {
		k.strides[d] = acc
		k.dims[d] = params.Dim(d)
		acc *= params.Dim(d)
	}
	k.count = 1
	for _, d := range indices.Shape()[:ir-1] {
		k.count *= d
	}
	shape := make([]int, 0, ir-1+pr-nd)
	shape = append(shape, indices.Shape()[:ir-1]...)
	shape = append(shape, params.Shape()[nd:]...)
	out.SetShape(shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *gatherNdKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	params, indices, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	src, dst := params.Bytes(), out.Bytes()
	m := k.sliceBytes
	if len(src) < params.ByteSize() || len(dst) < k.count*m || len(indices.Bytes()) < indices.ByteSize() || indices.NumElements() != k.count*k.nd {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	for i := range k.count {
		off := 0
		for d := range k.nd {
			idx := gatherIndex(indices, i*k.nd+d)
			if idx < 0 || idx >= int64(k.dims[d]) {
				return n.Errorf("index %d out of range [0,%d) in dimension %d", idx, k.dims[d], d)
			}
			off += int(idx) * k.strides[d]
		}
		s := off * k.es
		copy(dst[i*m:i*m+m], src[s:s+m])
	}
	return nil
}
