package kernels_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/modelbuilder"
)

// build returns an allocated interpreter for b, or the first error of
// LoadModel, New or AllocateTensors (where Prepare errors surface).
func build(t *testing.T, b *modelbuilder.Builder) (*interpreter.Interpreter, error) {
	t.Helper()
	m, err := interpreter.LoadModel(b.MustBytes())
	if err != nil {
		return nil, err
	}
	it, err := interpreter.New(m)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { it.Close() })
	if err := it.AllocateTensors(); err != nil {
		return nil, err
	}
	return it, nil
}

// run builds b, sets its inputs and invokes it.
func run(t *testing.T, b *modelbuilder.Builder, inputs ...[]byte) *interpreter.Interpreter {
	t.Helper()
	it, err := build(t, b)
	require.NoError(t, err)
	require.Len(t, it.Inputs(), len(inputs))
	for i, in := range inputs {
		require.NoError(t, it.Input(i).CopyFromBuffer(in), "input %d", i)
	}
	require.NoError(t, it.Invoke())
	return it
}

// prepareError returns the error of making and allocating b's interpreter.
func prepareError(t *testing.T, b *modelbuilder.Builder) error {
	t.Helper()
	_, err := build(t, b)
	return err
}

func f32Bytes(v ...float32) []byte { return modelbuilder.Float32Bytes(v) }
func i32Bytes(v ...int32) []byte   { return modelbuilder.Int32Bytes(v) }
func i64Bytes(v ...int64) []byte   { return modelbuilder.Int64Bytes(v) }

// ramp returns n floats lo, lo+step, ...
func ramp(n int, lo, step float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = lo + float32(i)*step
	}
	return out
}

func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// strides returns row-major strides of shape.
func strides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = acc
		acc *= shape[i]
	}
	return s
}

// broadcastIndex maps an output multi-index to the flat index of an input
// of shape in (right-aligned, size-1 dimensions broadcast): a plain
// re-implementation of NumPy broadcasting for checking the kernels.
func broadcastIndex(idx, in []int) int {
	st := strides(in)
	off := 0
	pad := len(idx) - len(in)
	for d := range in {
		if in[d] != 1 {
			off += idx[pad+d] * st[d]
		}
	}
	return off
}

// forEachIndex calls f with every multi-index of shape in row-major order.
func forEachIndex(shape []int, f func(idx []int)) {
	n := numElements(shape)
	idx := make([]int, len(shape))
	for i := 0; i < n; i++ {
		rem := i
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d] = rem % shape[d]
			rem /= shape[d]
		}
		f(idx)
	}
}

func float32sOfBytes(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}
