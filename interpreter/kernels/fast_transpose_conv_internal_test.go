package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTconvGEMMMatchesScatter compares the GEMM path of the float32
// transposed convolution with the reference scatter on random shapes
// (strides 1-3, padding, batch 2, 1x1 to 5x5 filters, channel counts
// around the GEMM's tile sizes, more pixels than one GEMM tile).
func TestTconvGEMMMatchesScatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 60; i++ {
		batch := 1 + rng.IntN(2)
		inH, inW := 1+rng.IntN(12), 1+rng.IntN(12)
		inCh := []int{1, 3, 8, 17, 32}[rng.IntN(5)]
		outCh := []int{1, 2, 5, 16, 33}[rng.IntN(5)]
		kh, kw := 1+rng.IntN(5), 1+rng.IntN(5)
		sH, sW := 1+rng.IntN(3), 1+rng.IntN(3)
		padH, padW := rng.IntN(kh), rng.IntN(kw)
		outH, outW := sH*(inH-1)+kh-2*padH, sW*(inW-1)+kw-2*padW
		if outH < 1 || outW < 1 {
			continue
		}
		x := make([]float32, batch*inH*inW*inCh)
		w := make([]float32, outCh*kh*kw*inCh)
		for j := range x {
			x[j] = rng.Float32()*2 - 1
		}
		for j := range w {
			w[j] = rng.Float32()*2 - 1
		}
		want := make([]float32, batch*outH*outW*outCh)
		got := make([]float32, len(want))
		for j := range want {
			want[j] = float32(j%7) * 0.25 // a bias already in y
			got[j] = want[j]
		}
		transposeConvScatter(x, w, want, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, sH, sW, padH, padW)
		g := newTconvGEMM(w, outCh, kh, kw, inCh)
		require.NotNil(t, g)
		require.NoError(t, g.addInto(x, got, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, sH, sW, padH, padW))
		var maxRef, maxDiff float64
		for j := range want {
			maxRef = max(maxRef, math.Abs(float64(want[j])))
			maxDiff = max(maxDiff, math.Abs(float64(got[j]-want[j])))
		}
		require.LessOrEqual(t, maxDiff, 1e-5*max(maxRef, 1), "case %d: in %dx%dx%dx%d k%dx%d s%dx%d out %d", i, batch, inH, inW, inCh, kh, kw, sH, sW, outCh)
		allocs := testing.AllocsPerRun(3, func() {
			_ = g.addInto(x, got, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, sH, sW, padH, padW)
		})
		require.Zero(t, allocs)
	}
}
