package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// castKernel implements CAST (cast.cc) between float32, float64, float16,
// int8, int16, int32, int64, uint8, uint16, uint32 and bool: C++'s
// static_cast (floats to integers truncate toward zero; out-of-range
// values are undefined in C++ and whatever Go's conversion gives here),
// anything to bool is "!= 0", bool to anything is 0 or 1, and float16
// goes through float32 as Eigen::half does.
type castKernel struct {
	in, out core.TensorType
	n       int
	ready   bool
}

func newCast(n *core.Node) (core.Kernel, error) { return &castKernel{}, nil }

func castTypeOK(t core.TensorType) bool {
	switch t {
	case core.Float32, core.Float64, core.Float16, core.Int8, core.Int16, core.Int32, core.Int64,
		core.Uint8, core.Uint16, core.Uint32, core.Bool:
		return true
	}
	return false
}

// Prepare implements core.Kernel.
func (k *castKernel) Prepare(n *core.Node) error {
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
	if !castTypeOK(in.Type()) || !castTypeOK(out.Type()) {
		return n.Errorf("casting %s to %s is not supported", in.Type(), out.Type())
	}
	k.in, k.out = in.Type(), out.Type()
	k.n = in.NumElements()
	out.SetShape(in.Shape())
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *castKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if len(in.Bytes()) < k.n*k.in.ElementSize() || len(out.Bytes()) < k.n*k.out.ElementSize() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	switch k.in {
	case core.Float32:
		castFrom(in.Float32s()[:k.n], out)
	case core.Float64:
		castFrom(in.Float64s()[:k.n], out)
	case core.Float16:
		// Through float32 (exact), then on as from float32.
		src := in.Float16s()[:k.n]
		if k.out == core.Float16 {
			copy(out.Float16s(), src)
			return nil
		}
		if k.out == core.Float32 {
			dst := out.Float32s()
			for i, h := range src {
				dst[i] = core.Float16ToFloat32(h)
			}
			return nil
		}
		castHalfVia(src, out)
	case core.Int8:
		castFrom(in.Int8s()[:k.n], out)
	case core.Int16:
		castFrom(in.Int16s()[:k.n], out)
	case core.Int32:
		castFrom(in.Int32s()[:k.n], out)
	case core.Int64:
		castFrom(in.Int64s()[:k.n], out)
	case core.Uint8:
		castFrom(in.Uint8s()[:k.n], out)
	case core.Uint16:
		castFrom(in.Uint16s()[:k.n], out)
	case core.Uint32:
		castFrom(in.Uint32s()[:k.n], out)
	case core.Bool:
		castFromBool(in.Bytes()[:k.n], out)
	default:
		return n.Errorf("kernel was not prepared")
	}
	return nil
}

type castNumber interface {
	~float32 | ~float64 | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

func castSlice[I, O castNumber](in []I, out []O) {
	for i, v := range in {
		out[i] = O(v)
	}
}

func castToBool[I castNumber](in []I, out []uint8) {
	for i, v := range in {
		out[i] = b2u(v != 0)
	}
}

// castToHalf rounds through float32, as Eigen::half's constructors do.
func castToHalf[I castNumber](in []I, out []uint16) {
	for i, v := range in {
		out[i] = core.Float32ToFloat16(float32(v))
	}
}

func castFrom[I castNumber](in []I, out *core.Tensor) {
	switch out.Type() {
	case core.Float32:
		castSlice(in, out.Float32s())
	case core.Float64:
		castSlice(in, out.Float64s())
	case core.Float16:
		castToHalf(in, out.Float16s())
	case core.Int8:
		castSlice(in, out.Int8s())
	case core.Int16:
		castSlice(in, out.Int16s())
	case core.Int32:
		castSlice(in, out.Int32s())
	case core.Int64:
		castSlice(in, out.Int64s())
	case core.Uint8:
		castSlice(in, out.Uint8s())
	case core.Uint16:
		castSlice(in, out.Uint16s())
	case core.Uint32:
		castSlice(in, out.Uint32s())
	case core.Bool:
		castToBool(in, out.Bytes())
	}
}

// castHalfVia converts float16 to the non-float types element by element
// through float32.
func castHalfVia(in []uint16, out *core.Tensor) {
	var buf [64]float32
	for start := 0; start < len(in); start += len(buf) {
		chunk := in[start:min(start+len(buf), len(in))]
		f := buf[:len(chunk)]
		for i, h := range chunk {
			f[i] = core.Float16ToFloat32(h)
		}
		castFromAt(f, out, start)
	}
}

// castFromAt is castFrom into out's elements from offset on.
func castFromAt(in []float32, out *core.Tensor, off int) {
	switch out.Type() {
	case core.Float64:
		castSlice(in, out.Float64s()[off:])
	case core.Int8:
		castSlice(in, out.Int8s()[off:])
	case core.Int16:
		castSlice(in, out.Int16s()[off:])
	case core.Int32:
		castSlice(in, out.Int32s()[off:])
	case core.Int64:
		castSlice(in, out.Int64s()[off:])
	case core.Uint8:
		castSlice(in, out.Uint8s()[off:])
	case core.Uint16:
		castSlice(in, out.Uint16s()[off:])
	case core.Uint32:
		castSlice(in, out.Uint32s()[off:])
	case core.Bool:
		castToBool(in, out.Bytes()[off:])
	}
}

// castFromBool reads any non-zero byte as true (1).
func castFromBool(in []uint8, out *core.Tensor) {
	if out.Type() == core.Bool {
		for i, v := range in {
			out.Bytes()[i] = b2u(v != 0)
		}
		return
	}
	var buf [64]uint8
	for start := 0; start < len(in); start += len(buf) {
		chunk := in[start:min(start+len(buf), len(in))]
		b := buf[:len(chunk)]
		for i, v := range chunk {
			b[i] = b2u(v != 0)
		}
		switch out.Type() {
		case core.Float16:
			castToHalf(b, out.Float16s()[start:])
		default:
			castBytesAt(b, out, start)
		}
	}
}

func castBytesAt(in []uint8, out *core.Tensor, off int) {
	switch out.Type() {
	case core.Float32:
		castSlice(in, out.Float32s()[off:])
	case core.Float64:
		castSlice(in, out.Float64s()[off:])
	case core.Int8:
		castSlice(in, out.Int8s()[off:])
	case core.Int16:
		castSlice(in, out.Int16s()[off:])
	case core.Int32:
		castSlice(in, out.Int32s()[off:])
	case core.Int64:
		castSlice(in, out.Int64s()[off:])
	case core.Uint8:
		castSlice(in, out.Uint8s()[off:])
	case core.Uint16:
		castSlice(in, out.Uint16s()[off:])
	case core.Uint32:
		castSlice(in, out.Uint32s()[off:])
	}
}
