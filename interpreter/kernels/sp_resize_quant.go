package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// Quantized RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR. The output keeps
// the input's parameters, so the kernels work on stored values:
//
//   - RESIZE_NEAREST_NEIGHBOR copies the nearest element (the float32 index
//     rule of the float kernel);
//   - RESIZE_BILINEAR of UINT8 is TFLite's reference_ops::ResizeBilinear<T>:
//     the float32 interpolation of the float kernel plus 0.5, truncated;
//   - RESIZE_BILINEAR of INT8 and INT16 is reference_ops::
//     ResizeBilinearInteger, TFLite's builtin path for them: coordinates in
//     10-bit fixed point, the four products summed in int64 with 20
//     fractional bits, then divided by 2^20 rounding half away from zero.
func spResizeRun[T spInt](k *resizeKernel, n *core.Node, src, dst []T) error {
	if len(src) < k.batches*k.inH*k.inW*k.ch || len(dst) < k.batches*k.outH*k.outW*k.ch {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	switch {
	case !k.bilinear:
		spResizeNearest(k, src, dst)
	case k.typ == core.Uint8:
		spResizeBilinearFloat(k, src, dst)
	default:
		spResizeBilinearInteger(k, src, dst)
	}
	return nil
}

func spResizeNearest[T spInt](k *resizeKernel, src, dst []T) {
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

func spResizeBilinearFloat[T spInt](k *resizeKernel, src, dst []T) {
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
				p00, p10 := base+y0*rowIn+x0*ch, base+y1*rowIn+x0*ch
				p01, p11 := base+y0*rowIn+x1*ch, base+y1*rowIn+x1*ch
				ny, nx := 1-dy, 1-dx
				for c := 0; c < ch; c++ {
					t0 := float32(float32(float32(src[p00+c])*ny) * nx)
					t1 := float32(float32(float32(src[p10+c])*dy) * nx)
					t2 := float32(float32(float32(src[p01+c])*ny) * dx)
					t3 := float32(float32(float32(src[p11+c])*dy) * dx)
					v := float32(float32(float32(float32(t0+t1)+t2)+t3) + 0.5)
					dst[o+c] = T(int32(v))
				}
				o += ch
			}
		}
	}
}

// spScale10 is ResizeBilinearInteger's 10-bit fixed-point scale.
func spScale10(in, out int, align bool) int32 {
	if align && out > 1 {
		return int32(((1<<10)*(in-1) + (out-1)/2) / (out - 1))
	}
	return int32(((1<<10)*in + out/2) / out)
}

// spInterp10 is ComputeInterpolationValuesInteger.
func spInterp10(v int, scale int32, halfPixel bool, size int) (pos int32, lo, hi int) {
	if halfPixel {
		pos = int32(v)*scale + scale/2 - (1 << 9)
	} else {
		pos = int32(v) * scale
	}
	lo = int(max(pos/(1<<10), 0))
	hi = min(int((pos+(1<<10)-1)/(1<<10)), size-1)
	return pos, lo, hi
}

func spResizeBilinearInteger[T spInt](k *resizeKernel, src, dst []T) {
	ch := k.ch
	rowIn, batchIn := k.inW*ch, k.inH*k.inW*ch
	hs := spScale10(k.inH, k.outH, k.alignCorners)
	ws := spScale10(k.inW, k.outW, k.alignCorners)
	o := 0
	for b := 0; b < k.batches; b++ {
		base := b * batchIn
		for y := 0; y < k.outH; y++ {
			iy, y0, y1 := spInterp10(y, hs, k.halfPixel, k.inH)
			fy := int64(iy - int32(y0)<<10)
			for x := 0; x < k.outW; x++ {
				ix, x0, x1 := spInterp10(x, ws, k.halfPixel, k.inW)
				fx := int64(ix - int32(x0)<<10)
				p00, p10 := base+y0*rowIn+x0*ch, base+y1*rowIn+x0*ch
				p01, p11 := base+y0*rowIn+x1*ch, base+y1*rowIn+x1*ch
				for c := 0; c < ch; c++ {
					v := int64(src[p00+c])*(1024-fy)*(1024-fx) +
						int64(src[p10+c])*fy*(1024-fx) +
						int64(src[p01+c])*(1024-fy)*fx +
						int64(src[p11+c])*fy*fx
					if v > 0 {
						v += 1 << 19
					} else {
						v -= 1 << 19
					}
					dst[o+c] = T(v / (1 << 20))
				}
				o += ch
			}
		}
	}
}
