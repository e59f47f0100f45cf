//go:build xnnpack && cgo

package xnnpack

/*
#cgo LDFLAGS: -lXNNPACK -lpthreadpool -lcpuinfo -lm
#include <stdlib.h>
#include <string.h>
#include <xnnpack.h>
#include <pthreadpool.h>
*/
import "C"

import (
	"errors"
	"fmt"

	"unsafe"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
)

// Built reports whether this build has the XNNPACK delegate.
const Built = true

// Delegate is the XNNPACK delegate.
type Delegate struct {
	opts Options
}

var _ delegates.Delegate = (*Delegate)(nil)

// New initializes XNNPACK and returns the delegate.
func New(opts Options) (*Delegate, error) {
	if opts.NumThreads < 0 {
		return nil, fmt.Errorf("xnnpack: NumThreads %d is negative", opts.NumThreads)
	}
	if err := status(C.xnn_initialize(nil), "xnn_initialize"); err != nil {
		return nil, fmt.Errorf("xnnpack: %w", err)
	}
	return &Delegate{opts: opts}, nil
}

// Name implements delegates.Delegate.
func (*Delegate) Name() string { return Name }

// Close implements delegates.Delegate. The kernels it compiled stay valid
// until their own Free.
func (*Delegate) Close() error { return nil }

// Supports implements delegates.Delegate: it lowers the node alone and
// builds its XNNPACK runtime (packing its weights), so that whatever
// XNNPACK itself rejects is rejected here too.
func (d *Delegate) Supports(g *delegates.Graph, node *core.Node) error {
	if node == nil {
		return errors.New("xnnpack: nil node")
	}
	var ins []*core.Tensor
	for _, t := range node.Inputs {
		if t != nil {
			ins = append(ins, t)
		}
	}
	l, err := lower(g, newFolder(g), []*core.Node{node}, ins, node.Outputs)
	if err != nil {
		return fmt.Errorf("xnnpack: %w", err)
	}
	b, err := build(l, nil)
	if err != nil {
		return fmt.Errorf("xnnpack: %s: %w", node.Name(), err)
	}
	b.free()
	return nil
}

// Compile implements delegates.Delegate.
func (d *Delegate) Compile(p *delegates.Partition) (core.Kernel, error) {
	if p == nil || len(p.Nodes) == 0 {
		return nil, errors.New("xnnpack: empty partition")
	}
	threads := d.opts.NumThreads
	if threads == 0 {
		threads = p.NumThreads
	}
	k := &kernel{g: p.Graph, nodes: p.Nodes, fold: newFolder(p.Graph)}
	if threads > 1 {
		k.pool = C.pthreadpool_create(C.size_t(threads))
		if k.pool == nil {
			return nil, fmt.Errorf("xnnpack: pthreadpool_create(%d) failed", threads)
		}
	}
	if err := k.rebuild(p.Inputs, p.Outputs); err != nil {
		k.Free()
		return nil, fmt.Errorf("xnnpack: %w", err)
	}
	return k, nil
}

// kernel runs one partition. Prepare re-creates the XNNPACK runtime when
// an input's shape changed; Eval copies the inputs into XNNPACK's
// external buffers, runs the runtime and copies the outputs back (the
// buffers are C memory, so XNNPACK never holds Go pointers).
type kernel struct {
	g        *delegates.Graph
	nodes    []*core.Node
	fold     *folder
	pool     C.pthreadpool_t
	low      *lowering
	b        *built
	inShapes [][]int
}

func (k *kernel) rebuild(ins, outs []*core.Tensor) error {
	l, err := lower(k.g, k.fold, k.nodes, ins, outs)
	if err != nil {
		return err
	}
	b, err := build(l, k.pool)
	if err != nil {
		return err
	}
	if k.b != nil {
		k.b.free()
	}
	k.low, k.b = l, b
	k.inShapes = k.inShapes[:0]
	for _, t := range ins {
		k.inShapes = append(k.inShapes, append([]int(nil), t.Shape()...))
	}
	return nil
}

func (k *kernel) sameInputs(ins []*core.Tensor) bool {
	if len(ins) != len(k.inShapes) || len(ins) != len(k.low.ins) {
		return false
	}
	for i, t := range ins {
		if t != k.low.ins[i] || !t.SameShape(k.inShapes[i]) {
			return false
		}
	}
	return true
}

// Prepare implements core.Kernel: it sets the outputs' shapes and
// re-creates the runtime when the inputs changed shape.
func (k *kernel) Prepare(n *core.Node) error {
	if k.b == nil && k.low == nil {
		return errors.New("xnnpack: kernel was freed")
	}
	if !k.sameInputs(n.Inputs) || len(n.Outputs) != len(k.low.outs) {
		if err := k.rebuild(n.Inputs, n.Outputs); err != nil {
			return fmt.Errorf("xnnpack: %w", err)
		}
	}
	for i, t := range n.Outputs {
		if t != k.low.outs[i] {
			if err := k.rebuild(n.Inputs, n.Outputs); err != nil {
				return fmt.Errorf("xnnpack: %w", err)
			}
			break
		}
	}
	for _, v := range k.low.vals {
		if v.output >= 0 {
			n.Outputs[v.output].SetShape(v.shape)
		}
	}
	return nil
}

// Eval implements core.Kernel.
func (k *kernel) Eval(n *core.Node) error {
	b := k.b
	if b == nil {
		return errors.New("xnnpack: kernel was freed")
	}
	for _, e := range b.ext {
		if e.input < 0 {
			continue
		}
		if e.input >= len(n.Inputs) || n.Inputs[e.input] == nil {
			return fmt.Errorf("xnnpack: input %d is missing", e.input)
		}
		src := n.Inputs[e.input].Bytes()
		if len(src) < e.size {
			return fmt.Errorf("xnnpack: input %d has %d bytes; want %d", e.input, len(src), e.size)
		}
		copy(unsafe.Slice((*byte)(e.buf), e.size), src[:e.size])
	}
	if b.rt != nil {
		if err := status(C.xnn_invoke_runtime(b.rt), "xnn_invoke_runtime"); err != nil {
			return fmt.Errorf("xnnpack: %w", err)
		}
	}
	for _, e := range b.ext {
		if e.output < 0 {
			continue
		}
		dst, err := outBytes(n, e.output, e.size)
		if err != nil {
			return err
		}
		copy(dst, unsafe.Slice((*byte)(e.buf), e.size))
	}
	for _, vi := range k.low.staticOuts {
		v := k.low.vals[vi]
		dst, err := outBytes(n, v.output, len(v.data))
		if err != nil {
			return err
		}
		copy(dst, v.data)
	}
	return nil
}

func outBytes(n *core.Node, i, size int) ([]byte, error) {
	if i >= len(n.Outputs) || n.Outputs[i] == nil {
		return nil, fmt.Errorf("xnnpack: output %d is missing", i)
	}
	dst := n.Outputs[i].Bytes()
	if len(dst) < size {
		return nil, fmt.Errorf("xnnpack: output %d has %d bytes; want %d", i, len(dst), size)
	}
	return dst[:size], nil
}

// Free implements core.Freer: it deletes the runtime and the thread pool
// and frees the C memory.
func (k *kernel) Free() {
	if k.b != nil {
		k.b.free()
		k.b = nil
	}
	if k.pool != nil {
		C.pthreadpool_destroy(k.pool)
		k.pool = nil
	}
	k.low = nil
}

// extBuf is the C buffer of one external value.
type extBuf struct {
	id            uint32
	buf           unsafe.Pointer
	size          int
	input, output int
}

// built is an XNNPACK runtime and the C memory it uses.
type built struct {
	rt  C.xnn_runtime_t
	mem []unsafe.Pointer // static data, scales, external buffers
	ext []extBuf
}

func (b *built) free() {
	if b.rt != nil {
		C.xnn_delete_runtime(b.rt)
		b.rt = nil
	}
	for _, p := range b.mem {
		C.free(p)
	}
	b.mem = nil
	b.ext = nil
}

func (b *built) alloc(size int) (unsafe.Pointer, error) {
	p := C.malloc(C.size_t(size + C.XNN_EXTRA_BYTES))
	if p == nil {
		return nil, fmt.Errorf("out of C memory for %d bytes", size)
	}
	b.mem = append(b.mem, p)
	return p, nil
}

func (b *built) copyIn(data []byte) (unsafe.Pointer, error) {
	p, err := b.alloc(len(data))
	if err != nil {
		return nil, err
	}
	copy(unsafe.Slice((*byte)(p), len(data)), data)
	return p, nil
}

var statusNames = map[C.enum_xnn_status]string{
	C.xnn_status_success:               "success",
	C.xnn_status_uninitialized:         "uninitialized",
	C.xnn_status_invalid_parameter:     "invalid parameter",
	C.xnn_status_invalid_state:         "invalid state",
	C.xnn_status_unsupported_parameter: "unsupported parameter",
	C.xnn_status_unsupported_hardware:  "unsupported hardware",
	C.xnn_status_out_of_memory:         "out of memory",
}

func status(s C.enum_xnn_status, call string) error {
	if s == C.xnn_status_success {
		return nil
	}
	name, ok := statusNames[s]
	if !ok {
		name = fmt.Sprintf("status %d", int(s))
	}
	return fmt.Errorf("%s failed: %s", call, name)
}

func cdims(d []int) []C.size_t {
	out := make([]C.size_t, len(d)+1) // never empty, so &out[0] is valid
	for i, v := range d {
		out[i] = C.size_t(v)
	}
	return out
}

func byteSize(v *xvalue) int {
	n := 1
	for _, d := range v.dims {
		n *= d
	}
	if v.dtype == dtFP32 || v.dtype == dtQInt32 || v.dtype == dtQCInt32 {
		return 4 * n
	}
	return n
}

// build defines the lowering's values and operators in an XNNPACK
// subgraph and creates its runtime with external buffers set up.
func build(l *lowering, pool C.pthreadpool_t) (_ *built, err error) {
	b := &built{}
	defer func() {
		if err != nil {
			b.free()
		}
	}()
	ids := make([]uint32, len(l.vals))
	var numExt uint32
	for _, v := range l.vals {
		if !v.static() && (v.input >= 0 || v.output >= 0) {
			numExt++
		}
	}
	var sub C.xnn_subgraph_t
	if err := status(C.xnn_create_subgraph(C.uint32_t(numExt), 0, &sub), "xnn_create_subgraph"); err != nil {
		return nil, err
	}
	defer C.xnn_delete_subgraph(sub)
	// Static values no operator reads (folded weights only the CPU reads,
	// FLOAT16 intermediates of folds) are not given to XNNPACK.
	used := make([]bool, len(l.vals))
	for _, o := range l.ops {
		for _, vi := range o.in {
			used[vi] = true
		}
		used[o.out] = true
	}
	var next uint32
	for i, v := range l.vals {
		if v.static() && !used[i] {
			continue
		}
		extID, flags := uint32(C.XNN_INVALID_VALUE_ID), uint32(0)
		if !v.static() && (v.input >= 0 || v.output >= 0) {
			extID = next
			next++
			if v.input >= 0 {
				flags |= C.XNN_VALUE_FLAG_EXTERNAL_INPUT
			}
			if v.output >= 0 {
				flags |= C.XNN_VALUE_FLAG_EXTERNAL_OUTPUT
			}
		}
		var data unsafe.Pointer
		if v.static() {
			if len(v.data) < byteSize(v) {
				return nil, fmt.Errorf("static value %d has %d bytes; want %d", i, len(v.data), byteSize(v))
			}
			if data, err = b.copyIn(v.data[:byteSize(v)]); err != nil {
				return nil, err
			}
		}
		dims := cdims(v.dims)
		var id C.uint32_t
		var s C.enum_xnn_status
		switch v.dtype {
		case dtFP32:
			s = C.xnn_define_tensor_value(sub, C.xnn_datatype_fp32, C.size_t(len(v.dims)), &dims[0], data, C.uint32_t(extID), C.uint32_t(flags), &id)
		case dtQInt8, dtQUInt8, dtQInt32:
			s = C.xnn_define_quantized_tensor_value(sub, C.enum_xnn_datatype(v.dtype), C.int32_t(v.zp), C.float(v.scale), C.size_t(len(v.dims)), &dims[0], data, C.uint32_t(extID), C.uint32_t(flags), &id)
		case dtQCInt8, dtQCInt32:
			// XNNPACK keeps the scale pointer: give it C memory.
			sp, err := b.alloc(4 * len(v.scales))
			if err != nil {
				return nil, err
			}
			copy(unsafe.Slice((*float32)(sp), len(v.scales)), v.scales)
			s = C.xnn_define_channelwise_quantized_tensor_value(sub, C.enum_xnn_datatype(v.dtype), (*C.float)(sp), C.size_t(len(v.dims)), C.size_t(v.chanDim), &dims[0], data, C.uint32_t(extID), C.uint32_t(flags), &id)
		default:
			return nil, fmt.Errorf("value %d has unknown type %d", i, v.dtype)
		}
		if err := status(s, "xnn_define_tensor_value"); err != nil {
			name := "internal"
			if v.t != nil {
				name = v.t.Name()
			}
			return nil, fmt.Errorf("value %q %v: %w", name, v.dims, err)
		}
		ids[i] = uint32(id)
		if extID != uint32(C.XNN_INVALID_VALUE_ID) {
			buf, err := b.alloc(byteSize(v))
			if err != nil {
				return nil, err
			}
			b.ext = append(b.ext, extBuf{id: uint32(id), buf: buf, size: byteSize(v), input: v.input, output: v.output})
		}
	}
	for _, o := range l.ops {
		if err := define(sub, o, ids); err != nil {
			return nil, fmt.Errorf("operator %d: %w", o.node, err)
		}
	}
	if len(l.ops) == 0 {
		return b, nil
	}
	if err := status(C.xnn_create_runtime_v2(sub, pool, 0, &b.rt), "xnn_create_runtime_v2"); err != nil {
		return nil, err
	}
	if len(b.ext) > 0 {
		ev := make([]C.struct_xnn_external_value, len(b.ext))
		for i, e := range b.ext {
			ev[i].id = C.uint32_t(e.id)
			ev[i].data = e.buf
		}
		if err := status(C.xnn_setup_runtime(b.rt, C.size_t(len(ev)), &ev[0]), "xnn_setup_runtime"); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func cf(v float32) C.float { return C.float(v) }

// define adds one operator to the subgraph.
func define(sub C.xnn_subgraph_t, o xop, ids []uint32) error {
	in := func(i int) C.uint32_t { return C.uint32_t(ids[o.in[i]]) }
	out := C.uint32_t(ids[o.out])
	fl := C.uint32_t(o.flags)
	var s C.enum_xnn_status
	var call string
	switch o.kind {
	case opConv:
		call = "xnn_define_convolution_2d"
		s = C.xnn_define_convolution_2d(sub, 0, 0, 0, 0, C.uint32_t(o.kh), C.uint32_t(o.kw), C.uint32_t(o.sh), C.uint32_t(o.sw), C.uint32_t(o.dh), C.uint32_t(o.dw),
			C.uint32_t(o.groups), C.size_t(o.gic), C.size_t(o.goc), cf(o.outMin), cf(o.outMax), in(0), in(1), in(2), out, fl)
	case opDepthwise:
		call = "xnn_define_depthwise_convolution_2d"
		s = C.xnn_define_depthwise_convolution_2d(sub, 0, 0, 0, 0, C.uint32_t(o.kh), C.uint32_t(o.kw), C.uint32_t(o.sh), C.uint32_t(o.sw), C.uint32_t(o.dh), C.uint32_t(o.dw),
			C.uint32_t(o.block), C.size_t(o.gic), cf(o.outMin), cf(o.outMax), in(0), in(1), in(2), out, fl)
	case opDeconv:
		call = "xnn_define_deconvolution_2d"
		s = C.xnn_define_deconvolution_2d(sub, C.uint32_t(o.padT), C.uint32_t(o.padR), C.uint32_t(o.padB), C.uint32_t(o.padL), C.uint32_t(o.adjH), C.uint32_t(o.adjW),
			C.uint32_t(o.kh), C.uint32_t(o.kw), C.uint32_t(o.sh), C.uint32_t(o.sw), C.uint32_t(o.dh), C.uint32_t(o.dw),
			C.uint32_t(o.groups), C.size_t(o.gic), C.size_t(o.goc), cf(o.outMin), cf(o.outMax), in(0), in(1), in(2), out, fl)
	case opFullyConnected:
		call = "xnn_define_fully_connected"
		s = C.xnn_define_fully_connected(sub, cf(o.outMin), cf(o.outMax), in(0), in(1), in(2), out, fl)
	case opAvgPool:
		call = "xnn_define_average_pooling_2d"
		s = C.xnn_define_average_pooling_2d(sub, 0, 0, 0, 0, C.uint32_t(o.kh), C.uint32_t(o.kw), C.uint32_t(o.sh), C.uint32_t(o.sw), cf(o.outMin), cf(o.outMax), in(0), out, fl)
	case opMaxPool:
		call = "xnn_define_max_pooling_2d"
		s = C.xnn_define_max_pooling_2d(sub, 0, 0, 0, 0, C.uint32_t(o.kh), C.uint32_t(o.kw), C.uint32_t(o.sh), C.uint32_t(o.sw), 1, 1, cf(o.outMin), cf(o.outMax), in(0), out, fl)
	case opGlobalAvgPool:
		call = "xnn_define_global_average_pooling_2d"
		s = C.xnn_define_global_average_pooling_2d(sub, cf(o.outMin), cf(o.outMax), in(0), out, fl)
	case opAdd:
		call = "xnn_define_add2"
		s = C.xnn_define_add2(sub, cf(o.outMin), cf(o.outMax), in(0), in(1), out, fl)
	case opMul:
		call = "xnn_define_multiply2"
		s = C.xnn_define_multiply2(sub, cf(o.outMin), cf(o.outMax), in(0), in(1), out, fl)
	case opSub:
		call = "xnn_define_subtract"
		s = C.xnn_define_subtract(sub, cf(o.outMin), cf(o.outMax), in(0), in(1), out, fl)
	case opDiv:
		call = "xnn_define_divide"
		s = C.xnn_define_divide(sub, cf(o.outMin), cf(o.outMax), in(0), in(1), out, fl)
	case opMaximum:
		call = "xnn_define_maximum2"
		s = C.xnn_define_maximum2(sub, in(0), in(1), out, fl)
	case opMinimum:
		call = "xnn_define_minimum2"
		s = C.xnn_define_minimum2(sub, in(0), in(1), out, fl)
	case opSquaredDiff:
		call = "xnn_define_squared_difference"
		s = C.xnn_define_squared_difference(sub, in(0), in(1), out, fl)
	case opClamp:
		call = "xnn_define_clamp"
		s = C.xnn_define_clamp(sub, cf(o.outMin), cf(o.outMax), in(0), out, fl)
	case opHardSwish:
		call = "xnn_define_hardswish"
		s = C.xnn_define_hardswish(sub, in(0), out, fl)
	case opSigmoid:
		call = "xnn_define_sigmoid"
		s = C.xnn_define_sigmoid(sub, in(0), out, fl)
	case opLeakyRelu:
		call = "xnn_define_leaky_relu"
		s = C.xnn_define_leaky_relu(sub, cf(o.alpha), in(0), out, fl)
	case opElu:
		call = "xnn_define_elu"
		s = C.xnn_define_elu(sub, cf(o.alpha), in(0), out, fl)
	case opPrelu:
		call = "xnn_define_prelu"
		s = C.xnn_define_prelu(sub, in(0), in(1), out, fl)
	case opSoftmax:
		call = "xnn_define_softmax"
		s = C.xnn_define_softmax(sub, in(0), out, fl)
	case opAbs:
		call = "xnn_define_abs"
		s = C.xnn_define_abs(sub, in(0), out, fl)
	case opCeil:
		call = "xnn_define_ceiling"
		s = C.xnn_define_ceiling(sub, in(0), out, fl)
	case opFloor:
		call = "xnn_define_floor"
		s = C.xnn_define_floor(sub, in(0), out, fl)
	case opRound:
		call = "xnn_define_bankers_rounding"
		s = C.xnn_define_bankers_rounding(sub, in(0), out, fl)
	case opNegate:
		call = "xnn_define_negate"
		s = C.xnn_define_negate(sub, in(0), out, fl)
	case opSquare:
		call = "xnn_define_square"
		s = C.xnn_define_square(sub, in(0), out, fl)
	case opSqrt:
		call = "xnn_define_square_root"
		s = C.xnn_define_square_root(sub, in(0), out, fl)
	case opPad:
		call = "xnn_define_static_constant_pad"
		pre, post := cdims(o.pre), cdims(o.post)
		s = C.xnn_define_static_constant_pad(sub, &pre[0], &post[0], cf(o.alpha), in(0), out, fl)
	case opReshape:
		call = "xnn_define_static_reshape"
		shape := cdims(o.pre)
		s = C.xnn_define_static_reshape(sub, C.size_t(len(o.pre)), &shape[0], in(0), out, fl)
	case opResize:
		call = "xnn_define_static_resize_bilinear_2d"
		s = C.xnn_define_static_resize_bilinear_2d(sub, C.size_t(o.newH), C.size_t(o.newW), in(0), out, fl)
	case opDepthToSpace:
		call = "xnn_define_depth_to_space"
		s = C.xnn_define_depth_to_space(sub, in(0), out, C.uint32_t(o.block), fl)
	case opConvert:
		call = "xnn_define_convert"
		s = C.xnn_define_convert(sub, in(0), out, fl)
	default:
		return fmt.Errorf("unknown operator kind %d", o.kind)
	}
	return status(s, call)
}
