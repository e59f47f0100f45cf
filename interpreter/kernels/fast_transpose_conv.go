package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/gemm"
)

// tconvGEMM is the packed-GEMM path of float32 TRANSPOSE_CONV and
// MediaPipe's Convolution2DTransposeBias with constant weights. The
// weights [outCh, kh, kw, inCh] are already an N×K matrix (N =
// outCh*kh*kw rows of K = inCh), so one GEMM per tile of input pixels
// gives every pixel's contribution to each (output channel, filter tap),
// which are then added into the output at the strided positions (col2im).
// The sums run in another order than the reference scatter (and with
// FMA), so results differ from it by float rounding only.
type tconvGEMM struct {
	w       *gemm.F32Weights
	scratch []float32 // the GEMM's scratch
	cols    []float32 // tconvTileRows × n products
	n       int
}

// tconvTileRows input pixels per GEMM call bound the column buffer.
const tconvTileRows = 64

// newTconvGEMM packs the weights once (Prepare); it returns nil when the
// GEMM cannot take them.
func newTconvGEMM(w []float32, outCh, kh, kw, inCh int) *tconvGEMM {
	n := outCh * kh * kw
	inf := float32(math.Inf(1))
	pw, err := gemm.PackF32(gemm.Best(), w, n, inCh, nil, -inf, inf)
	if err != nil {
		return nil
	}
	return &tconvGEMM{w: pw, scratch: make([]float32, pw.ScratchLen()), cols: make([]float32, tconvTileRows*n), n: n}
}

// addInto adds the transposed convolution of x into y (NHWC; y holds the
// bias or zeros already).
func (g *tconvGEMM) addInto(x, y []float32, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, strideH, strideW, padH, padW int) error {
	m := batch * inH * inW
	taps := kh * kw
	for m0 := 0; m0 < m; m0 += tconvTileRows {
		rows := min(m-m0, tconvTileRows)
		if err := g.w.Run(g.cols, g.n, x[m0*inCh:], inCh, 0, rows, 0, g.n, g.scratch); err != nil {
			return err
		}
		for r := 0; r < rows; r++ {
			p := m0 + r
			ix, iy, bt := p%inW, (p/inW)%inH, p/(inW*inH)
			oy0, ox0 := iy*strideH-padH, ix*strideW-padW
			row := g.cols[r*g.n : (r+1)*g.n]
			for fy := 0; fy < kh; fy++ {
				oy := oy0 + fy
				if oy < 0 || oy >= outH {
					continue
				}
				for fx := 0; fx < kw; fx++ {
					ox := ox0 + fx
					if ox < 0 || ox >= outW {
						continue
					}
					ys := y[((bt*outH+oy)*outW+ox)*outCh:][:outCh]
					tap := row[fy*kw+fx:]
					for oc := range ys {
						ys[oc] += tap[oc*taps]
					}
				}
			}
		}
	}
	return nil
}

// tconvFastPath is the GEMM path as the two transposed-convolution kernels
// hold it: the weights are packed on the first Eval that finds them
// constant (weights folded from DEQUANTIZE included), once.
type tconvFastPath struct {
	g *tconvGEMM
}

// addInto runs the GEMM path when the weights allow it and reports whether
// it did; y must already hold the bias or zeros.
func (f *tconvFastPath) addInto(wt *core.Tensor, x, w, y []float32, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, strideH, strideW, padH, padW int) (bool, error) {
	if f.g == nil && wt.IsConstant() {
		f.g = newTconvGEMM(w, outCh, kh, kw, inCh)
	}
	if f.g == nil {
		return false, nil
	}
	return true, f.g.addInto(x, y, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, strideH, strideW, padH, padW)
}
