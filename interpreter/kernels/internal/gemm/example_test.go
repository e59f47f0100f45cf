package gemm_test

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/kernels/internal/gemm"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
)

// A FULLY_CONNECTED layer with RELU_N1_TO_1: weights [out][in] packed once at
// prepare time, then run on a pool at every invoke.
func Example() {
	const batch, in, out = 2, 3, 2
	weights := []float32{ // [out][in], as TFLite stores them
		1, 2, 3,
		-1, 0, 1,
	}
	bias := []float32{0.5, -0.5}
	w, err := gemm.PackF32(gemm.Best(), weights, out, in, bias, -1, 1)
	if err != nil {
		panic(err)
	}
	pool := threadpool.New(2)
	defer pool.Close()
	par := gemm.NewF32Parallel(w, pool.Workers())

	input := []float32{1, 1, 1, 0, 1, -1} // [batch][in]
	output := make([]float32, batch*out)
	if err := par.Run(pool, output, out, input, in, batch); err != nil {
		panic(err)
	}
	fmt.Println(output)
	// Output: [1 -0.5 -0.5 -1]
}

// An int8 1×1 convolution's requantization, from the tensors' scales as a
// kernel's Prepare would compute it.
func ExamplePackI8() {
	const pixels, in, out = 1, 4, 1
	inScale, wScale, outScale := 0.5, 0.25, 1.0
	frac, exp := math.Frexp(inScale * wScale / outScale) // TFLite's QuantizeMultiplier
	p := gemm.I8Params{
		Bias:            []int32{8},
		InputZeroPoint:  -1,
		Multiplier:      []int32{int32(math.Round(frac * (1 << 31)))},
		Shift:           []int32{int32(exp)},
		OutputZeroPoint: 3,
		Min:             -128, Max: 127,
	}
	w, err := gemm.PackI8(gemm.Best(), []int8{4, 4, 4, 4}, out, in, p)
	if err != nil {
		panic(err)
	}
	c := make([]int8, pixels*out)
	scratch := make([]int32, w.ScratchLen())
	// acc = 8 + Σ (a+1)·4 = 8 + 4·(1+2+3+4) = 48; 48 · 0.125 = 6; + 3 = 9.
	if err := w.Run(c, out, []int8{0, 1, 2, 3}, in, 0, pixels, 0, out, scratch); err != nil {
		panic(err)
	}
	fmt.Println(c)
	// Output: [9]
}
