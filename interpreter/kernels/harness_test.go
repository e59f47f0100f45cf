package kernels

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// This file runs a single kernel without the interpreter: the node of a
// one-op model, tensors with their own storage, and a minimal Env. Tests
// use it to measure Eval's allocations and to simulate the planner's
// aliasing.

type testEnv struct{}

func (testEnv) NumThreads() int                     { return 1 }
func (testEnv) Subgraph(int) (core.Subgraph, error) { return nil, errors.New("no subgraphs") }
func (testEnv) Logger() *slog.Logger                { return slog.New(slog.DiscardHandler) }
func (testEnv) ResizeDynamic(t *core.Tensor, shape []int) error {
	t.SetShape(shape)
	size := t.ByteSize()
	if data := t.Bytes(); t.IsDynamic() && cap(data) >= size {
		t.Bind(data[:size], core.StorageDynamic)
		return nil
	}
	t.Bind(make([]byte, size), core.StorageDynamic)
	return nil
}

type harness struct {
	node    *core.Node
	kernel  core.Kernel
	tensors []*core.Tensor
}

// newHarness makes the kernel of operator 0 of b's main subgraph.
func newHarness(t testing.TB, b *modelbuilder.Builder) *harness {
	t.Helper()
	buf := b.MustBytes()
	fb := tflite.GetRootAsModel(buf, 0)
	m := fb.UnPack()
	sgT := m.Subgraphs[0]
	h := &harness{}
	for i, tt := range sgT.Tensors {
		shape := make([]int, len(tt.Shape))
		for j, d := range tt.Shape {
			shape[j] = int(d)
		}
		ct := core.NewTensor(i, tt.Name, core.TensorType(tt.Type), shape)
		info := core.TensorInfo{HasRank: true}
		if q := tt.Quantization; q != nil {
			info.Quantization = core.Quantization{Scale: q.Scale, ZeroPoint: q.ZeroPoint, QuantizedDimension: int(q.QuantizedDimension)}
		}
		ct.SetInfo(info)
		if data := m.Buffers[tt.Buffer].Data; len(data) > 0 {
			ct.Bind(append([]byte(nil), data...), core.StorageConstant)
		}
		h.tensors = append(h.tensors, ct)
	}
	var sg tflite.SubGraph
	require.True(t, fb.Subgraphs(&sg, 0))
	op := new(tflite.Operator)
	require.True(t, sg.Operators(op, 0))
	code := m.OperatorCodes[op.OpcodeIndex()]
	pick := func(idx []int32) []*core.Tensor {
		out := make([]*core.Tensor, len(idx))
		for i, j := range idx {
			if j >= 0 {
				out[i] = h.tensors[j]
			}
		}
		return out
	}
	opT := sgT.Operators[0]
	h.node = &core.Node{
		Op:       core.OpCode{Builtin: code.BuiltinCode, Version: int(code.Version)},
		Inputs:   pick(opT.Inputs),
		Outputs:  pick(opT.Outputs),
		Operator: op,
		Env:      testEnv{},
	}
	factory, err := Builtins().Lookup(h.node.Op)
	require.NoError(t, err)
	h.kernel, err = factory(h.node)
	require.NoError(t, err)
	return h
}

// prepare runs Prepare and gives every non-constant, non-dynamic tensor
// and every temporary (as the planner does) storage of its size.
func (h *harness) prepare(t testing.TB) {
	t.Helper()
	require.NoError(t, h.kernel.Prepare(h.node))
	for _, ct := range h.tensors {
		if !ct.IsConstant() && !ct.IsDynamic() {
			ct.Bind(make([]byte, ct.ByteSize()), core.StorageArena)
		}
	}
	for _, tmp := range h.node.Temporaries {
		tmp.Bind(make([]byte, tmp.ByteSize()), core.StorageArena)
	}
}

func (h *harness) eval(t *testing.T) {
	t.Helper()
	require.NoError(t, h.kernel.Eval(h.node))
}

// fill writes a recognisable byte pattern into every non-constant input.
func (h *harness) fill() {
	for _, in := range h.node.Inputs {
		if in == nil || in.IsConstant() {
			continue
		}
		b := in.Bytes()
		for i := range b {
			b[i] = byte(i*7 + 3)
		}
	}
}
