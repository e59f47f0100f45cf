package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
)

// Vectorised float32 MAX_POOL_2D, AVERAGE_POOL_2D and RESIZE_BILINEAR: the
// reference loops' arithmetic in the same order, each window tap or
// interpolation applied to a whole channel row at once.

// poolF32Rows computes output rows [r0, r1) of the batch×out_h rows of a
// float32 max or average pool and reports whether it could (L2_POOL_2D
// stays on the reference loop).
func (k *poolKernel) poolF32Rows(src, dst []float32, r0, r1 int) bool {
	if k.kind != poolMax && k.kind != poolAverage {
		return false
	}
	ch := k.ch
	for r := r0; r < r1; r++ {
		b, oy := r/k.outH, r%k.outH
		base := b * k.inH * k.inW * ch
		y0 := oy*k.strideH - k.padH
		fy0, fy1 := max(0, -y0), min(k.filterH, k.inH-y0)
		o := r * k.outW * ch
		for ox := 0; ox < k.outW; ox++ {
			x0 := ox*k.strideW - k.padW
			fx0, fx1 := max(0, -x0), min(k.filterW, k.inW-x0)
			out := dst[o : o+ch]
			o += ch
			if k.kind == poolMax {
				for c := range out {
					out[c] = -spatialMaxFloat32
				}
			} else {
				clear(out)
			}
			for fy := fy0; fy < fy1; fy++ {
				row := base + (y0+fy)*k.inW*ch
				for fx := fx0; fx < fx1; fx++ {
					in := src[row+(x0+fx)*ch : row+(x0+fx+1)*ch]
					if k.kind == poolMax {
						vec.MaxAccF32(out, in)
					} else {
						vec.AddAccF32(out, in)
					}
				}
			}
			if k.kind == poolMax {
				vec.ClampF32(out, out, k.lo, k.hi)
				continue
			}
			div := float32(max(fy1-fy0, 0) * max(fx1-fx0, 0))
			for c, v := range out {
				out[c] = fastClamp(v/div, k.lo, k.hi)
			}
		}
	}
	return true
}

// bilinearF32Rows computes output rows [r0, r1) of the batch×out_h rows of
// a float32 RESIZE_BILINEAR.
func (k *resizeKernel) bilinearF32Rows(src, dst []float32, r0, r1 int) {
	ch := k.ch
	rowIn, batchIn := k.inW*ch, k.inH*k.inW*ch
	for r := r0; r < r1; r++ {
		b, y := r/k.outH, r%k.outH
		base := b * batchIn
		iy, y0, y1 := resizeInterpolation(y, k.hScale, k.halfPixel, k.inH)
		dy := iy - float32(y0)
		ny := 1 - dy
		o := r * k.outW * ch
		if len(k.xtab) == k.outW && k.xrow.Apply(dst[o:o+k.outW*ch], src[base+y0*rowIn:][:rowIn], src[base+y1*rowIn:][:rowIn], ny, dy) {
			continue
		}
		for x := 0; x < k.outW; x++ {
			var x0, x1 int
			var dx float32
			if len(k.xtab) == k.outW {
				t := k.xtab[x]
				x0, x1, dx = t.x0, t.x1, t.dx
			} else {
				var ix float32
				ix, x0, x1 = resizeInterpolation(x, k.wScale, k.halfPixel, k.inW)
				dx = ix - float32(x0)
			}
			p00 := src[base+y0*rowIn+x0*ch:][:ch]
			p10 := src[base+y1*rowIn+x0*ch:][:ch]
			p01 := src[base+y0*rowIn+x1*ch:][:ch]
			p11 := src[base+y1*rowIn+x1*ch:][:ch]
			vec.BilinearF32(dst[o:o+ch], p00, p10, p01, p11, ny, dy, 1-dx, dx)
			o += ch
		}
	}
}

// resizeTap is one output column's bilinear interpolation: the two input
// columns and the weight of the second.
type resizeTap struct {
	x0, x1 int
	dx     float32
}

// prepareXTab fills xtab for the prepared (constant) size of a float32
// RESIZE_BILINEAR, so that Eval does not recompute it for every row.
func (k *resizeKernel) prepareXTab() {
	k.xtab = k.xtab[:0]
	if !k.bilinear || k.typ != core.Float32 {
		return
	}
	x0s, x1s, dxs := make([]int, k.outW), make([]int, k.outW), make([]float32, k.outW)
	for x := 0; x < k.outW; x++ {
		ix, x0, x1 := resizeInterpolation(x, k.wScale, k.halfPixel, k.inW)
		k.xtab = append(k.xtab, resizeTap{x0: x0, x1: x1, dx: ix - float32(x0)})
		x0s[x], x1s[x], dxs[x] = x0*k.ch, x1*k.ch, ix-float32(x0)
	}
	// The whole row in one vector loop (vec.BilinearRow).
	k.xrow = vec.NewBilinearRow(x0s, x1s, dxs, k.ch, k.inW*k.ch)
}
