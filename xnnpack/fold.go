package xnnpack

import (
	"fmt"
	"log/slog"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/schema/tflite"
)

// folder finds the static value of tensors: constants, and the outputs of
// DEQUANTIZE and DENSIFY nodes whose inputs are static (fp16, int8 or
// sparse weights), which it computes once with Edgelite's CPU kernels, as
// TFLite's delegate folds them. The interpreter may already have folded
// them (their outputs are then constant).
type folder struct {
	g      *delegates.Graph
	ops    *core.Ops
	cache  map[*core.Tensor]*core.Tensor
	failed map[*core.Tensor]error
}

func newFolder(g *delegates.Graph) *folder {
	return &folder{g: g, cache: map[*core.Tensor]*core.Tensor{}, failed: map[*core.Tensor]error{}}
}

func (f *folder) producer(t *core.Tensor) *core.Node {
	if f.g == nil {
		return nil
	}
	for _, n := range f.g.Nodes {
		for _, o := range n.Outputs {
			if o == t {
				return n
			}
		}
	}
	return nil
}

// static returns a tensor holding t's static data, or nil when t is not
// static.
func (f *folder) static(t *core.Tensor) (*core.Tensor, error) {
	if t == nil {
		return nil, nil
	}
	if t.IsConstant() {
		if t.Sparsity() != nil {
			return nil, fmt.Errorf("tensor %q is sparse", t.Name())
		}
		if len(t.Bytes()) < t.ByteSize() {
			return nil, fmt.Errorf("constant tensor %q has %d bytes; want %d", t.Name(), len(t.Bytes()), t.ByteSize())
		}
		return t, nil
	}
	if st, ok := f.cache[t]; ok {
		return st, nil
	}
	if err, ok := f.failed[t]; ok {
		return nil, err
	}
	n := f.producer(t)
	if n == nil || (n.Op.Builtin != tflite.BuiltinOperatorDEQUANTIZE && n.Op.Builtin != tflite.BuiltinOperatorDENSIFY) || len(n.Outputs) != 1 {
		return nil, nil
	}
	var ins []*core.Tensor
	for _, in := range n.Inputs {
		if in == nil {
			ins = append(ins, nil)
			continue
		}
		var st *core.Tensor
		var err error
		if in.IsConstant() {
			st = in // sparse constants are DENSIFY's own input
		} else if st, err = f.static(in); err != nil || st == nil {
			return nil, err
		}
		ins = append(ins, st)
	}
	if f.ops == nil {
		f.ops = kernels.Builtins()
	}
	st, err := runFold(f.ops, n, ins)
	if err != nil {
		err = fmt.Errorf("folding %s: %w", n.Name(), err)
		f.failed[t] = err
		return nil, err
	}
	f.cache[t] = st
	return st, nil
}

type foldEnv struct{}

func (foldEnv) NumThreads() int { return 1 }
func (foldEnv) Subgraph(int) (core.Subgraph, error) {
	return nil, fmt.Errorf("no subgraphs while folding")
}
func (foldEnv) Logger() *slog.Logger { return slog.New(slog.DiscardHandler) }
func (foldEnv) ResizeDynamic(*core.Tensor, []int) error {
	return fmt.Errorf("dynamic outputs are not folded")
}

// runFold runs node n's CPU kernel on static inputs into a new tensor.
func runFold(ops *core.Ops, n *core.Node, ins []*core.Tensor) (*core.Tensor, error) {
	factory, err := ops.Lookup(n.Op)
	if err != nil {
		return nil, err
	}
	src := n.Outputs[0]
	out := core.NewTensor(src.Index(), src.Name(), src.Type(), src.Shape())
	out.SetInfo(core.TensorInfo{HasRank: true, Quantization: *src.Quantization()})
	fn := &core.Node{Index: n.Index, Subgraph: n.Subgraph, Op: n.Op, Inputs: ins, Outputs: []*core.Tensor{out},
		Operator: n.Operator, CustomOptions: n.CustomOptions, Env: foldEnv{}}
	k, err := factory(fn)
	if err != nil {
		return nil, err
	}
	if err := k.Prepare(fn); err != nil {
		return nil, err
	}
	if len(fn.Temporaries) > 0 {
		return nil, fmt.Errorf("kernel needs scratch")
	}
	out.Bind(make([]byte, out.ByteSize()), core.StoragePersistent)
	if err := k.Eval(fn); err != nil {
		return nil, err
	}
	out.Bind(out.Bytes(), core.StorageConstant)
	return out, nil
}
