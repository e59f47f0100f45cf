package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// shapeMaxRank bounds the ranks the shape family's kernels handle, so their
// index arithmetic lives in fixed arrays and Eval never allocates.
const shapeMaxRank = 8

// shapeElemSize returns the element size of a type the data-movement
// kernels copy, or an error naming the type (STRING, VARIANT and the packed
// sub-byte types are not supported).
func shapeElemSize(n *core.Node, t core.TensorType) (int, error) {
	es := t.ElementSize()
	if es == 0 || t == core.Resource {
		return 0, n.Errorf("%s tensors are not supported", t)
	}
	return es, nil
}

// shapeSameType checks that the output has the input's type.
func shapeSameType(n *core.Node, in, out *core.Tensor) error {
	if in.Type() != out.Type() {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), in.Type())
	}
	return nil
}

// shapeIndexValues appends the values of an INT32 or INT64 tensor to dst.
func shapeIndexValues(n *core.Node, t *core.Tensor, what string, dst []int) ([]int, error) {
	count := t.NumElements()
	switch t.Type() {
	case core.Int32:
		v := t.Int32s()
		if len(v) < count {
			return nil, n.Errorf("%s has no data", what)
		}
		for _, x := range v[:count] {
			dst = append(dst, int(x))
		}
	case core.Int64:
		v := t.Int64s()
		if len(v) < count {
			return nil, n.Errorf("%s has no data", what)
		}
		for _, x := range v[:count] {
			if x > 1<<40 || x < -(1<<40) {
				return nil, n.Errorf("%s value %d out of range", what, x)
			}
			dst = append(dst, int(x))
		}
	default:
		return nil, n.Errorf("%s must be INT32 or INT64, not %s", what, t.Type())
	}
	return dst, nil
}

// shapeRowStrides writes the row-major element strides of shape into dst.
func shapeRowStrides(shape []int, dst []int) []int {
	dst = dst[:len(shape)]
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		dst[i] = acc
		acc *= shape[i]
	}
	return dst
}

// shapeStridedInRange reports whether every input element a strided copy
// reads (base plus index times stride per dimension) lies in [0, count).
func shapeStridedInRange(outShape, inStride []int, base, count int) bool {
	lo, hi := base, base
	for d, n := range outShape {
		if n == 0 {
			return true
		}
		step := (n - 1) * inStride[d]
		if step < 0 {
			lo += step
		} else {
			hi += step
		}
	}
	return lo >= 0 && hi < count
}

// shapeStridedCopy fills dst, a contiguous row-major tensor of outShape,
// from src: output index i along dimension d moves the input position by
// inStride[d] elements (negative, zero for broadcasting), and output
// element 0 reads input element base. The caller has checked the range
// with shapeStridedInRange. es is the element size in bytes.
func shapeStridedCopy(dst, src []byte, es int, outShape, inStride []int, base int) {
	rank := len(outShape)
	total := 1
	for _, d := range outShape {
		total *= d
	}
	if total == 0 {
		return
	}
	if rank == 0 {
		copy(dst[:es], src[base*es:base*es+es])
		return
	}
	inner := outShape[rank-1]
	innerStride := inStride[rank-1]
	var idx [shapeMaxRank]int
	pos := base
	o := 0
	for {
		if innerStride == 1 {
			n := inner * es
			copy(dst[o:o+n], src[pos*es:pos*es+n])
			o += n
		} else {
			p := pos
			switch es {
			case 1:
				for range inner {
					dst[o] = src[p]
					o++
					p += innerStride
				}
			case 4:
				for range inner {
					s := src[p*4 : p*4+4]
					d := dst[o : o+4]
					d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
					o += 4
					p += innerStride
				}
			default:
				for range inner {
					copy(dst[o:o+es], src[p*es:p*es+es])
					o += es
					p += innerStride
				}
			}
		}
		// Advance the odometer over the outer dimensions.
		d := rank - 2
		for ; d >= 0; d-- {
			idx[d]++
			pos += inStride[d]
			if idx[d] < outShape[d] {
				break
			}
			pos -= idx[d] * inStride[d]
			idx[d] = 0
		}
		if d < 0 {
			return
		}
	}
}

// shapeCopyOut copies the input's bytes to the output unless the planner
// made them share storage.
func shapeCopyOut(n *core.Node, in, out *core.Tensor) error {
	size := out.ByteSize()
	src, dst := in.Bytes(), out.Bytes()
	if len(src) < size || len(dst) < size {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if !core.SameStorage(in, out) {
		copy(dst[:size], src[:size])
	}
	return nil
}

// shapeAliasInput0 is the core.Aliaser answer of kernels whose output 0 is
// input 0's bytes unchanged.
func shapeAliasInput0(n *core.Node) (output, input int, ok bool) {
	in, out := n.Input(0), n.Output(0)
	if in == nil || out == nil || in.Type() != out.Type() || in.Type().ElementSize() == 0 {
		return 0, 0, false
	}
	return 0, 0, true
}

// shapeAllConstant reports whether every given tensor is a constant (nil
// tensors count as constant).
func shapeAllConstant(ts ...*core.Tensor) bool {
	for _, t := range ts {
		if t != nil && !t.IsConstant() {
			return false
		}
	}
	return true
}
