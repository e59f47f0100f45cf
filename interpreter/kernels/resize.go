package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
	"github.com/edgelite/edgelite/schema/tflite"
)

// resizeKernel implements float32 RESIZE_BILINEAR and
// RESIZE_NEAREST_NEIGHBOR as TFLite's reference kernels do. The input is
// NHWC; the size input is an INT32 vector [new_height, new_width] (positive
// for RESIZE_BILINEAR); when it is not constant the output is dynamic.
// RESIZE_BILINEAR rejects align_corners together with half_pixel_centers,
// as TFLite does; RESIZE_NEAREST_NEIGHBOR accepts the pair.
type resizeKernel struct {
	bilinear       bool
	alignCorners   bool
	halfPixel      bool
	dynamic        bool
	batches, ch    int
	inH, inW       int
	outH, outW     int
	shape          []int
	sizes          []int
	ready          bool
	hScale, wScale float32
	typ            core.TensorType
	// reference selects the reference loop over the vectorised one
	// (fast_spatial.go), for tests.
	reference bool
	// xtab is the float32 bilinear fast path's column interpolation for a
	// constant size (fast_spatial.go); empty otherwise.
	xtab []resizeTap
	xrow vec.BilinearRow
	// th splits the fast path over the worker pool (th_split.go).
	th resizeTask
}

func newResizeBilinear(n *core.Node) (core.Kernel, error) {
	var o tflite.ResizeBilinearOptions
	n.BuiltinOptions(tflite.BuiltinOptionsResizeBilinearOptions, &o)
	return &resizeKernel{bilinear: true, alignCorners: o.AlignCorners(), halfPixel: o.HalfPixelCenters()}, nil
}

func newResizeNearest(n *core.Node) (core.Kernel, error) {
	var o tflite.ResizeNearestNeighborOptions
	n.BuiltinOptions(tflite.BuiltinOptionsResizeNearestNeighborOptions, &o)
	return &resizeKernel{alignCorners: o.AlignCorners(), halfPixel: o.HalfPixelCenters()}, nil
}

// Prepare implements core.Kernel.
func (k *resizeKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	size, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	switch in.Type() {
	case core.Float32, core.Uint8, core.Int8, core.Int16:
	default:
		return n.Errorf("%s input is not supported", in.Type())
	}
	k.typ = in.Type()
	if out.Type() != in.Type() {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), in.Type())
	}
	if in.Rank() != 4 {
		return n.Errorf("input has rank %d, want 4", in.Rank())
	}
	if size.Type() != core.Int32 || size.Rank() != 1 || size.Dim(0) != 2 {
		return n.Errorf("size must be an INT32 vector of 2 elements, got %s %s", size.Type(), core.FormatShape(size.Shape()))
	}
	if k.bilinear && k.alignCorners && k.halfPixel {
		return n.Errorf("half_pixel_centers requires align_corners false")
	}
	s := in.Shape()
	k.batches, k.inH, k.inW, k.ch = s[0], s[1], s[2], s[3]
	k.shape = make([]int, 4)
	k.sizes = make([]int, 0, 2)
	k.dynamic = !size.IsConstant()
	k.xtab = k.xtab[:0]
	if k.dynamic {
		out.SetDynamic()
	} else {
		if err := k.resolve(n); err != nil {
			return err
		}
		out.SetShape(k.shape)
		k.prepareXTab()
	}
	k.ready = true
	return nil
}

// resolve reads the size input and computes the output shape and scales.
func (k *resizeKernel) resolve(n *core.Node) error {
	sizes, ok := spatialInts(n.Inputs[1], k.sizes)
	if !ok || len(sizes) != 2 {
		return n.Errorf("size input has no data")
	}
	k.outH, k.outW = sizes[0], sizes[1]
	if k.bilinear && (k.outH <= 0 || k.outW <= 0) {
		return n.Errorf("size %dx%d must be positive", k.outH, k.outW)
	}
	if k.outH < 0 || k.outW < 0 {
		return n.Errorf("size %dx%d must not be negative", k.outH, k.outW)
	}
	if (k.inH == 0 && k.outH > 0) || (k.inW == 0 && k.outW > 0) {
		return n.Errorf("cannot resize an empty %dx%d input to %dx%d", k.inH, k.inW, k.outH, k.outW)
	}
	k.shape[0], k.shape[1], k.shape[2], k.shape[3] = k.batches, k.outH, k.outW, k.ch
	k.hScale = resizeScale(k.inH, k.outH, k.alignCorners)
	k.wScale = resizeScale(k.inW, k.outW, k.alignCorners)
	return nil
}

// resizeScale is the input/output ratio TFLite uses: (in-1)/(out-1) with
// align_corners (when out > 1), in/out otherwise, in float32.
func resizeScale(in, out int, align bool) float32 {
	if align && out > 1 {
		return float32(in-1) / float32(out-1)
	}
	return float32(in) / float32(out)
}

// Eval implements core.Kernel.
func (k *resizeKernel) Eval(n *core.Node) error {
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
	switch k.typ {
	case core.Uint8:
		return spResizeRun(k, n, n.Inputs[0].Uint8s(), n.Outputs[0].Uint8s())
	case core.Int8:
		return spResizeRun(k, n, n.Inputs[0].Int8s(), n.Outputs[0].Int8s())
	case core.Int16:
		return spResizeRun(k, n, n.Inputs[0].Int16s(), n.Outputs[0].Int16s())
	}
	src, dst := n.Inputs[0].Float32s(), n.Outputs[0].Float32s()
	if len(src) < k.batches*k.inH*k.inW*k.ch || len(dst) < k.batches*k.outH*k.outW*k.ch {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if k.bilinear && !k.reference {
		k.bilinearRunF32(n, src, dst)
	} else if k.bilinear {
		k.evalBilinear(src, dst)
	} else {
		k.evalNearest(src, dst)
	}
	return nil
}

// resizeInterpolation is TFLite's ComputeInterpolationValues: the source
// coordinate of output index v and its two neighbouring input indices.
// Every float32 operation is rounded on its own (explicit conversions keep
// the compiler from fusing multiply-adds) so the coordinates match TFLite's.
func resizeInterpolation(v int, scale float32, halfPixel bool, size int) (pos float32, lo, hi int) {
	if halfPixel {
		pos = float32(float32(float32(v)+0.5)*scale) - 0.5
	} else {
		pos = float32(float32(v) * scale)
	}
	fl := float32(math.Floor(float64(pos)))
	lo = max(int(int32(fl)), 0)
	hi = min(int(int32(float32(math.Ceil(float64(pos))))), size-1)
	return pos, lo, hi
}

func (k *resizeKernel) evalBilinear(src, dst []float32) {
	ch := k.ch
	rowIn, batchIn := k.inW*ch, k.inH*k.inW*ch
	o := 0
	for b := 0; b < k.batches; b++ {
		base := b * batchIn
		for y := 0; y < k.outH; y++ {
			iy, y0, y1 := resizeInterpolation(y, k.hScale, k.halfPixel, k.inH)
			dy := iy - float32(y0)
			for x := 0; x < k.outW; x++ {
				ix, x0, x1 := resizeInterpolation(x, k.wScale, k.halfPixel, k.inW)
				dx := ix - float32(x0)
				// The four weights as TFLite forms them, left to right:
				// v00*(1-dy)*(1-dx) + v10*dy*(1-dx) + v01*(1-dy)*dx + v11*dy*dx.
				p00 := src[base+y0*rowIn+x0*ch : base+y0*rowIn+x0*ch+ch]
				p10 := src[base+y1*rowIn+x0*ch : base+y1*rowIn+x0*ch+ch]
				p01 := src[base+y0*rowIn+x1*ch : base+y0*rowIn+x1*ch+ch]
				p11 := src[base+y1*rowIn+x1*ch : base+y1*rowIn+x1*ch+ch]
				out := dst[o : o+ch]
				o += ch
				ny, nx := 1-dy, 1-dx
				for c := range out {
					t0 := float32(float32(p00[c]*ny) * nx)
					t1 := float32(float32(p10[c]*dy) * nx)
					t2 := float32(float32(p01[c]*ny) * dx)
					t3 := float32(float32(p11[c]*dy) * dx)
					out[c] = float32(float32(t0+t1)+t2) + t3
				}
			}
		}
	}
}

// resizeNearestIndex is TFLite's GetNearestNeighbor.
func resizeNearestIndex(v, inSize int, scale float32, align, halfPixel bool) int {
	off := float32(0)
	if halfPixel {
		off = 0.5
	}
	p := float32(float32(float32(v)+off) * scale)
	var r int
	if align {
		r = int(int32(math.Round(float64(p))))
	} else {
		r = int(int32(math.Floor(float64(p))))
	}
	r = min(r, inSize-1)
	if halfPixel {
		r = max(r, 0)
	}
	return r
}

func (k *resizeKernel) evalNearest(src, dst []float32) {
	ch := k.ch
	rowIn, batchIn := k.inW*ch, k.inH*k.inW*ch
	o := 0
	for b := 0; b < k.batches; b++ {
		base := b * batchIn
		for y := 0; y < k.outH; y++ {
			iy := resizeNearestIndex(y, k.inH, k.hScale, k.alignCorners, k.halfPixel)
			for x := 0; x < k.outW; x++ {
				ix := resizeNearestIndex(x, k.inW, k.wScale, k.alignCorners, k.halfPixel)
				off := base + iy*rowIn + ix*ch
				copy(dst[o:o+ch], src[off:off+ch])
				o += ch
			}
		}
	}
}
