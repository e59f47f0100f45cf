package kernels

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
)

// densifyKernel implements DENSIFY as TFLite's densify.cc and its
// FormatConverter do: the constant input carries a sparse encoding
// (traversal order, block map, per traversed level a dense size or CSR
// segments and indices) and its buffer holds only the stored values; the
// output is the dense tensor of the input's shape and type (FLOAT32,
// FLOAT16, INT8), zeros where nothing is stored.
//
// Prepare validates the whole encoding against the buffer (TFLite's
// converter silently skips what is out of range; here every segment and
// index must be in range, segments non-decreasing and the number of stored
// values must equal the buffer's) and computes the destination of every
// stored value, so Eval is a scatter.
type densifyKernel struct {
	// dest[i] is the flat output index of stored value i.
	dest  []int32
	elem  int
	ready bool
}

func newDensify(n *core.Node) (core.Kernel, error) { return &densifyKernel{}, nil }

// Foldable reports that the output depends only on the constant input, so
// the interpreter may compute it once.
func (k *densifyKernel) Foldable(*core.Node) bool { return true }

// Prepare implements core.Kernel.
func (k *densifyKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	switch in.Type() {
	case core.Float32, core.Float16, core.Int8:
	default:
		return n.Errorf("%s input is not supported (DENSIFY takes FLOAT32, FLOAT16 and INT8)", in.Type())
	}
	if out.Type() != in.Type() {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), in.Type())
	}
	sp := in.Sparsity()
	if sp == nil {
		return n.Errorf("input %q has no sparsity parameters", in.Name())
	}
	if !in.IsConstant() {
		return n.Errorf("input %q is not a constant", in.Name())
	}
	shape := in.Shape()
	total, ok := core.NumElements(shape)
	if !ok || total > 1<<31-1 {
		return n.Errorf("input shape %s is too large", core.FormatShape(shape))
	}
	dest, err := densifyPlan(shape, sp)
	if err != nil {
		return n.Errorf("input %q: %v", in.Name(), err)
	}
	elem := in.Type().ElementSize()
	if stored := len(in.Bytes()) / elem; len(in.Bytes())%elem != 0 || stored != len(dest) {
		return n.Errorf("input %q: the sparse encoding stores %d values, the buffer holds %d bytes (%d values of %s)", in.Name(), len(dest), len(in.Bytes()), stored, in.Type())
	}
	k.dest = dest
	k.elem = elem
	out.SetShape(shape)
	k.ready = true
	return nil
}

func densifyErrorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// densifyPlan validates a sparse encoding of a tensor of the given shape
// and returns, in storage order, the flat dense index of every stored
// value (the order of TFLite's FormatConverter::Populate).
func densifyPlan(shape []int, sp *core.Sparsity) ([]int32, error) {
	rank := len(shape)
	nb := len(sp.BlockMap)
	levels := rank + nb
	if len(sp.TraversalOrder) != levels || len(sp.DimMetadata) != levels {
		return nil, densifyErrorf("traversal_order has %d entries and dim_metadata %d, want %d", len(sp.TraversalOrder), len(sp.DimMetadata), levels)
	}
	// TFLite's converter reads the first rank levels as the original
	// dimensions and the rest as the block dimensions in order; it also
	// pairs blocks with dimensions in increasing order of block_map.
	for l := 0; l < levels; l++ {
		d := sp.TraversalOrder[l]
		if l < rank && (d < 0 || d >= rank) {
			return nil, densifyErrorf("traversal_order[%d] = %d: the first %d levels must be the original dimensions", l, d, rank)
		}
		if l >= rank && d != l {
			return nil, densifyErrorf("traversal_order[%d] = %d: block dimensions must be traversed last and in order", l, d)
		}
	}
	blockSize := make([]int, nb)
	blocked := append([]int(nil), shape...)
	for b, d := range sp.BlockMap {
		if d < 0 || d >= rank || (b > 0 && d <= sp.BlockMap[b-1]) {
			return nil, densifyErrorf("block_map %v must be increasing dimensions of rank %d", sp.BlockMap, rank)
		}
		md := sp.DimMetadata[rank+b]
		if !md.Dense {
			return nil, densifyErrorf("block dimension %d is not dense (TFLite supports dense blocks only)", b)
		}
		bs := md.DenseSize
		if bs <= 0 || shape[d]%bs != 0 {
			return nil, densifyErrorf("block size %d does not divide dimension %d of size %d", bs, d, shape[d])
		}
		blockSize[b] = bs
		blocked[d] = shape[d] / bs
	}
	levelSize := make([]int, levels)
	for l := range levels {
		if l < rank {
			levelSize[l] = blocked[sp.TraversalOrder[l]]
		} else {
			levelSize[l] = blockSize[l-rank]
		}
	}
	// Walk the levels breadth first, as positions: coord[p*levels+l] is
	// position p's index at level l (levels above the current one).
	positions := 1
	coord := make([]int32, levels)
	for l := range levels {
		md := &sp.DimMetadata[l]
		size := levelSize[l]
		if md.Dense {
			if md.DenseSize != size {
				return nil, densifyErrorf("dim_metadata[%d]: dense_size %d, the level has size %d", l, md.DenseSize, size)
			}
			next := positions * size
			if next > 1<<31-1 {
				return nil, densifyErrorf("too many values")
			}
			nc := make([]int32, next*levels)
			for p := range positions {
				for i := range size {
					q := p*size + i
					copy(nc[q*levels:q*levels+l], coord[p*levels:p*levels+l])
					nc[q*levels+l] = int32(i)
				}
			}
			coord, positions = nc, next
			continue
		}
		seg, idx := md.ArraySegments, md.ArrayIndices
		if len(seg) != positions+1 {
			return nil, densifyErrorf("dim_metadata[%d]: %d array_segments, want %d (one more than the %d positions of the level above)", l, len(seg), positions+1, positions)
		}
		if seg[0] != 0 {
			return nil, densifyErrorf("dim_metadata[%d]: array_segments[0] is %d, want 0", l, seg[0])
		}
		for p := range positions {
			if seg[p+1] < seg[p] {
				return nil, densifyErrorf("dim_metadata[%d]: array_segments decrease at %d (%d after %d)", l, p+1, seg[p+1], seg[p])
			}
		}
		if seg[positions] != len(idx) {
			return nil, densifyErrorf("dim_metadata[%d]: array_segments end at %d, there are %d array_indices", l, seg[positions], len(idx))
		}
		for p := range positions {
			for i := seg[p]; i < seg[p+1]; i++ {
				if idx[i] < 0 || idx[i] >= size {
					return nil, densifyErrorf("dim_metadata[%d]: array_indices[%d] = %d out of range [0,%d)", l, i, idx[i], size)
				}
				if i > seg[p] && idx[i] <= idx[i-1] {
					return nil, densifyErrorf("dim_metadata[%d]: array_indices not increasing within segment %d (%d after %d)", l, p, idx[i], idx[i-1])
				}
			}
		}
		next := len(idx)
		nc := make([]int32, next*levels)
		for p := range positions {
			for i := seg[p]; i < seg[p+1]; i++ {
				copy(nc[i*levels:i*levels+l], coord[p*levels:p*levels+l])
				nc[i*levels+l] = int32(idx[i])
			}
		}
		coord, positions = nc, next
	}
	// Map each stored value's level indices to its dense flat index.
	strides := make([]int, rank)
	acc := 1
	for d := rank - 1; d >= 0; d-- {
		strides[d] = acc
		acc *= shape[d]
	}
	orig := make([]int, rank)
	dest := make([]int32, positions)
	for p := range positions {
		c := coord[p*levels : (p+1)*levels]
		for l := range rank {
			orig[sp.TraversalOrder[l]] = int(c[l])
		}
		for b := range nb {
			d := sp.BlockMap[b]
			orig[d] = orig[d]*blockSize[b] + int(c[rank+b])
		}
		flat := 0
		for d := range rank {
			flat += orig[d] * strides[d]
		}
		dest[p] = int32(flat)
	}
	return dest, nil
}

// Eval implements core.Kernel.
func (k *densifyKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	src, dst := in.Bytes(), out.Bytes()
	size := out.ByteSize()
	if len(dst) < size || len(src) < len(k.dest)*k.elem {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	clear(dst[:size])
	switch k.elem {
	case 1:
		for i, d := range k.dest {
			dst[d] = src[i]
		}
	case 2:
		for i, d := range k.dest {
			copy(dst[2*int(d):2*int(d)+2], src[2*i:2*i+2])
		}
	default:
		e := k.elem
		for i, d := range k.dest {
			copy(dst[e*int(d):e*int(d)+e], src[e*i:e*i+e])
		}
	}
	return nil
}
