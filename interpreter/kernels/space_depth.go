package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spatialMoveType checks an input type for the data-movement kernels of
// this file (FLOAT32, INT32, INT64, and the quantized UINT8 and INT8 moved
// as stored; the callers reject INT16, which TFLite's kernels lack) and
// returns its element size.
func spatialMoveType(n *core.Node, in, out *core.Tensor) (int, error) {
	typ := in.Type()
	switch typ {
	case core.Float32, core.Int32, core.Int64, core.Int8, core.Uint8, core.Int16:
	default:
		return 0, n.Errorf("%s input is not supported", typ)
	}
	if out.Type() != typ {
		return 0, n.Errorf("output type %s differs from the input type %s", out.Type(), typ)
	}
	return typ.ElementSize(), nil
}

// depthSpaceKernel implements DEPTH_TO_SPACE and SPACE_TO_DEPTH as TFLite's
// reference kernels do, on NHWC tensors: DEPTH_TO_SPACE moves blocks of
// block*block channel groups into block x block spatial tiles
// (output[b][h*bs+by][w*bs+bx][c] = input[b][h][w][(by*bs+bx)*C+c]) and
// SPACE_TO_DEPTH is its inverse.
type depthSpaceKernel struct {
	toSpace bool
	block   int
	elem    int
	// b, h, w, c are the DEPTH_TO_SPACE input (SPACE_TO_DEPTH output)
	// dimensions; c is the channel count of one block position.
	b, h, w, c int
	shape      []int
	ready      bool
}

func newDepthToSpace(n *core.Node) (core.Kernel, error) {
	var o tflite.DepthToSpaceOptions
	n.BuiltinOptions(tflite.BuiltinOptionsDepthToSpaceOptions, &o)
	return &depthSpaceKernel{toSpace: true, block: int(o.BlockSize())}, nil
}

func newSpaceToDepth(n *core.Node) (core.Kernel, error) {
	var o tflite.SpaceToDepthOptions
	n.BuiltinOptions(tflite.BuiltinOptionsSpaceToDepthOptions, &o)
	return &depthSpaceKernel{block: int(o.BlockSize())}, nil
}

// Prepare implements core.Kernel.
func (k *depthSpaceKernel) Prepare(n *core.Node) error {
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
	if k.elem, err = spatialMoveType(n, in, out); err != nil {
		return err
	}
	if in.Type() == core.Int16 {
		return n.Errorf("INT16 input is not supported")
	}
	if in.Rank() != 4 {
		return n.Errorf("input has rank %d, want 4", in.Rank())
	}
	bs := k.block
	if bs < 1 {
		return n.Errorf("block size %d must be at least 1", bs)
	}
	s := in.Shape()
	if k.toSpace {
		if s[3]%(bs*bs) != 0 {
			return n.Errorf("depth %d is not a multiple of block size %d squared", s[3], bs)
		}
		k.b, k.h, k.w, k.c = s[0], s[1], s[2], s[3]/(bs*bs)
		k.shape = []int{k.b, k.h * bs, k.w * bs, k.c}
	} else {
		if s[1]%bs != 0 || s[2]%bs != 0 {
			return n.Errorf("height %d and width %d must be multiples of block size %d", s[1], s[2], bs)
		}
		k.b, k.h, k.w, k.c = s[0], s[1]/bs, s[2]/bs, s[3]
		k.shape = []int{k.b, k.h, k.w, k.c * bs * bs}
	}
	out.SetShape(k.shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *depthSpaceKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	bs := k.block
	total := k.b * k.h * k.w * k.c * bs * bs * k.elem
	src, dst := n.Inputs[0].Bytes(), n.Outputs[0].Bytes()
	if len(src) < total || len(dst) < total {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	// deep is the tensor with block*block*c channels, wide the one with
	// (h*bs) x (w*bs) positions; run is one block position's channels.
	run := k.c * k.elem
	deepPix := run * bs * bs
	for b := 0; b < k.b; b++ {
		for h := 0; h < k.h; h++ {
			for w := 0; w < k.w; w++ {
				deep := ((b*k.h+h)*k.w + w) * deepPix
				for by := 0; by < bs; by++ {
					wide := ((b*k.h*bs+h*bs+by)*k.w*bs + w*bs) * run
					for bx := 0; bx < bs; bx++ {
						d := deep + (by*bs+bx)*run
						x := wide + bx*run
						if k.toSpace {
							copy(dst[x:x+run], src[d:d+run])
						} else {
							copy(dst[d:d+run], src[x:x+run])
						}
					}
				}
			}
		}
	}
	return nil
}

// batchSpaceKernel implements SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND as
// TFLite's reference kernels do, for 4-D NHWC inputs and 3-D NHC ones
// (run as NH1C with a block width of 1). The block shape is an INT32
// vector of one entry per spatial dimension (at least 1); paddings and
// crops are INT32 [spatial, 2] matrices of non-negative values. When they
// are not constant the output is dynamic. SPACE_TO_BATCH_ND pads with
// zero bytes, or with the output's zero point for quantized types (as
// TFLite's space_to_batch_nd.cc).
type batchSpaceKernel struct {
	toBatch bool
	dynamic bool
	elem    int
	rank    int
	spatial int
	// in4 and out4 are the NHWC dimensions of input and output.
	in4, out4      [4]int
	blockH, blockW int
	padTop, padLft int
	shape          []int
	vals           []int
	ready          bool
	spFill         [2]byte
	spFillSet      bool
}

func newSpaceToBatch(n *core.Node) (core.Kernel, error) {
	return &batchSpaceKernel{toBatch: true}, nil
}

func newBatchToSpace(n *core.Node) (core.Kernel, error) {
	return &batchSpaceKernel{}, nil
}

// Prepare implements core.Kernel.
func (k *batchSpaceKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 3, 3, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	block, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	pads, err := requireInput(n, 2)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if k.elem, err = spatialMoveType(n, in, out); err != nil {
		return err
	}
	if in.Type() == core.Int16 {
		return n.Errorf("INT16 input is not supported")
	}
	if err := k.spSetFill(n, in, out); err != nil {
		return err
	}
	k.rank = in.Rank()
	if k.rank != 3 && k.rank != 4 {
		return n.Errorf("input has rank %d, want 3 or 4", k.rank)
	}
	k.spatial = k.rank - 2
	if block.Type() != core.Int32 || block.Rank() != 1 || block.Dim(0) != k.spatial {
		return n.Errorf("block shape must be an INT32 vector of %d elements, got %s %s", k.spatial, block.Type(), core.FormatShape(block.Shape()))
	}
	if ps := pads.Shape(); pads.Type() != core.Int32 || len(ps) != 2 || ps[0] != k.spatial || ps[1] != 2 {
		return n.Errorf("paddings/crops must be an INT32 [%d, 2] matrix, got %s %s", k.spatial, pads.Type(), core.FormatShape(ps))
	}
	s := in.Shape()
	k.in4 = [4]int{s[0], s[1], 1, s[k.rank-1]}
	if k.rank == 4 {
		k.in4[2] = s[2]
	}
	k.shape = make([]int, k.rank)
	k.vals = make([]int, 0, 2*k.spatial)
	k.dynamic = !block.IsConstant() || !pads.IsConstant()
	if k.dynamic {
		out.SetDynamic()
	} else {
		if err := k.resolve(n); err != nil {
			return err
		}
		out.SetShape(k.shape)
	}
	k.ready = true
	return nil
}

func (k *batchSpaceKernel) resolve(n *core.Node) error {
	vals, ok := spatialInts(n.Inputs[1], k.vals)
	if !ok || len(vals) != k.spatial {
		return n.Errorf("block shape has no data")
	}
	k.blockH, k.blockW = vals[0], 1
	if k.spatial == 2 {
		k.blockW = vals[1]
	}
	if k.blockH < 1 || k.blockW < 1 {
		return n.Errorf("block shape %v must be at least 1", vals)
	}
	vals, ok = spatialInts(n.Inputs[2], k.vals)
	if !ok || len(vals) != 2*k.spatial {
		return n.Errorf("paddings/crops have no data")
	}
	var p [4]int
	copy(p[:], vals)
	for _, v := range vals {
		if v < 0 {
			return n.Errorf("paddings/crops %v must not be negative", vals)
		}
	}
	k.padTop, k.padLft = p[0], p[2]
	bh, bw := k.blockH, k.blockW
	in := k.in4
	if k.toBatch {
		h, w := in[1]+p[0]+p[1], in[2]+p[2]+p[3]
		if h%bh != 0 || w%bw != 0 {
			return n.Errorf("padded spatial size %dx%d is not a multiple of the block %dx%d", h, w, bh, bw)
		}
		k.out4 = [4]int{in[0] * bh * bw, h / bh, w / bw, in[3]}
	} else {
		if in[0]%(bh*bw) != 0 {
			return n.Errorf("batch %d is not a multiple of the block size %d", in[0], bh*bw)
		}
		h, w := in[1]*bh-p[0]-p[1], in[2]*bw-p[2]-p[3]
		if h < 0 || w < 0 {
			return n.Errorf("crops %v are larger than the output", vals)
		}
		k.out4 = [4]int{in[0] / (bh * bw), h, w, in[3]}
	}
	k.shape[0], k.shape[1], k.shape[k.rank-1] = k.out4[0], k.out4[1], k.out4[3]
	if k.rank == 4 {
		k.shape[2] = k.out4[2]
	}
	return nil
}

// Eval implements core.Kernel.
func (k *batchSpaceKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.dynamic {
		if err := k.resolve(n); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.shape); err != nil {
			return err
		}
	}
	in, out := k.in4, k.out4
	src, dst := n.Inputs[0].Bytes(), n.Outputs[0].Bytes()
	if len(src) < in[0]*in[1]*in[2]*in[3]*k.elem || len(dst) < out[0]*out[1]*out[2]*out[3]*k.elem {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	run := in[3] * k.elem
	bh, bw := k.blockH, k.blockW
	if k.toBatch {
		for ob := 0; ob < out[0]; ob++ {
			ib := ob % in[0]
			shift := ob / in[0]
			sh, sw := shift/bw, shift%bw
			for oy := 0; oy < out[1]; oy++ {
				for ox := 0; ox < out[2]; ox++ {
					d := ((ob*out[1]+oy)*out[2] + ox) * run
					iy, ix := oy*bh+sh-k.padTop, ox*bw+sw-k.padLft
					if iy < 0 || iy >= in[1] || ix < 0 || ix >= in[2] {
						if k.spFillSet {
							spFillElems(dst[d:d+run], k.spFill[:k.elem])
						} else {
							clear(dst[d : d+run])
						}
						continue
					}
					s := ((ib*in[1]+iy)*in[2] + ix) * run
					copy(dst[d:d+run], src[s:s+run])
				}
			}
		}
		return nil
	}
	for ib := 0; ib < in[0]; ib++ {
		ob := ib % out[0]
		shift := ib / out[0]
		sh, sw := shift/bw, shift%bw
		for iy := 0; iy < in[1]; iy++ {
			oy := iy*bh + sh - k.padTop
			if oy < 0 || oy >= out[1] {
				continue
			}
			for ix := 0; ix < in[2]; ix++ {
				ox := ix*bw + sw - k.padLft
				if ox < 0 || ox >= out[2] {
					continue
				}
				s := ((ib*in[1]+iy)*in[2] + ix) * run
				d := ((ob*out[1]+oy)*out[2] + ox) * run
				copy(dst[d:d+run], src[s:s+run])
			}
		}
	}
	return nil
}
