package interpreter

import (
	"errors"
	"fmt"
	"log/slog"
	"sort"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
)

// Interpreter runs a Model. It owns the tensors, the kernels and the memory
// of every subgraph. An Interpreter is not safe for concurrent use; make one
// per goroutine (they can share one Model).
//
// The usual sequence is New, AllocateTensors, then for each inference: fill
// the inputs, Invoke, read the outputs. Tensor views (Float32s...) stay
// valid until the next AllocateTensors.
type Interpreter struct {
	model     *Model
	cfg       config
	subgraphs []*subgraph
	plan      *delegates.Plan
	// pool is the kernels' worker pool (nil for one thread): made once
	// here, so that Invoke starts no goroutine; Close stops it.
	pool   kernels.ThreadPool
	closed bool
}

// New makes an interpreter for m: it creates every subgraph's tensors and a
// kernel for every operator. It fails, naming every (op, version) pair, if
// any operator has no kernel in the resolver.
func New(m *Model, opts ...Option) (*Interpreter, error) {
	it := &Interpreter{model: m, cfg: config{numThreads: 1, maxArenaBytes: DefaultMaxArenaBytes}}
	for _, o := range opts {
		o(&it.cfg)
	}
	if it.cfg.logger == nil {
		it.cfg.logger = slog.New(slog.DiscardHandler)
	}
	if it.cfg.resolver == nil {
		it.cfg.resolver = kernels.Builtins()
	}
	if len(it.cfg.customOps) > 0 {
		it.cfg.resolver = customResolver{custom: it.cfg.customOps, base: it.cfg.resolver}
	}

	it.subgraphs = make([]*subgraph, len(m.subgraphs))
	for i, info := range m.subgraphs {
		it.subgraphs[i] = newSubgraph(it, i, info)
	}
	// A node without a CPU kernel is an error only if no delegate takes it,
	// so failures are kept per node until the delegates have been applied.
	type failure struct {
		op  *UnresolvedOp
		err error
	}
	failed := make([]map[int]failure, len(it.subgraphs))
	for si, s := range it.subgraphs {
		failed[si] = map[int]failure{}
		for ni, n := range s.ops {
			factory, err := it.cfg.resolver.Lookup(n.Op)
			if err != nil {
				failed[si][ni] = failure{op: &UnresolvedOp{Name: n.Op.Name(), Version: n.Op.Version, Reason: err.Error()}}
				continue
			}
			k, err := factory(n)
			if err == nil && k == nil {
				err = errors.New("the kernel factory returned no kernel")
			}
			if err != nil {
				failed[si][ni] = failure{err: fmt.Errorf("subgraph %d, %s: %w", s.index, n.Name(), err)}
				continue
			}
			s.opKernels[ni] = k
		}
	}
	plan, err := it.applyDelegates()
	if err != nil {
		it.Close()
		return nil, err
	}
	it.plan = plan

	unresolved := map[[2]string]UnresolvedOp{}
	var initErr error
	for si, s := range it.subgraphs {
		for _, n := range s.nodes {
			f, ok := failed[si][n.Index]
			if !ok || n.Index >= len(s.ops) || s.ops[n.Index] != n {
				continue
			}
			if f.op != nil {
				unresolved[[2]string{f.op.Name, fmt.Sprint(f.op.Version)}] = *f.op
			} else if initErr == nil {
				initErr = f.err
			}
		}
	}
	if len(unresolved) > 0 {
		e := &UnresolvedOpsError{}
		for _, op := range unresolved {
			e.Ops = append(e.Ops, op)
		}
		sort.Slice(e.Ops, func(a, b int) bool {
			if e.Ops[a].Name != e.Ops[b].Name {
				return e.Ops[a].Name < e.Ops[b].Name
			}
			return e.Ops[a].Version < e.Ops[b].Version
		})
		it.Close()
		return nil, e
	}
	if initErr != nil {
		it.Close()
		return nil, initErr
	}
	if it.cfg.numThreads > 1 {
		it.pool = kernels.NewThreadPool(it.cfg.numThreads)
	}
	return it, nil
}

type customResolver struct {
	custom map[string]core.KernelFactory
	base   core.OpResolver
}

func (r customResolver) Lookup(op OpCode) (core.KernelFactory, error) {
	if f, ok := r.custom[op.Custom]; ok && op.Custom != "" {
		return f, nil
	}
	return r.base.Lookup(op)
}

// Model returns the interpreter's model.
func (it *Interpreter) Model() *Model { return it.model }

// Close releases the kernels' resources. The interpreter must not be used
// afterwards.
func (it *Interpreter) Close() error {
	if it.closed {
		return nil
	}
	it.closed = true
	if it.pool != nil {
		it.pool.Close()
	}
	for _, s := range it.subgraphs {
		for _, ks := range [][]core.Kernel{s.opKernels, s.delegateKernels} {
			for _, k := range ks {
				if f, ok := k.(core.Freer); ok {
					f.Free()
				}
			}
		}
	}
	return nil
}

func (it *Interpreter) main() *subgraph { return it.subgraphs[0] }

// AllocateTensors prepares every operator of the main subgraph (shapes,
// parameters, packed weights) and plans and assigns its memory. It must be
// called before Invoke and after every ResizeInputTensor; it does nothing
// if nothing changed since the last call.
func (it *Interpreter) AllocateTensors() error { return it.main().AllocateTensors() }

// Invoke runs the main subgraph. It does not allocate in steady state.
func (it *Interpreter) Invoke() error { return it.main().Invoke() }

// ResizeInputTensor changes the shape of input i of the main subgraph; call
// AllocateTensors before the next Invoke.
func (it *Interpreter) ResizeInputTensor(i int, shape []int) error {
	return it.main().resizeInput(i, shape, false)
}

// ResizeInputTensorStrict is ResizeInputTensor that only lets dimensions
// change where the model's shape signature says -1 (unknown).
func (it *Interpreter) ResizeInputTensorStrict(i int, shape []int) error {
	return it.main().resizeInput(i, shape, true)
}

// Inputs returns the input tensors of the main subgraph.
func (it *Interpreter) Inputs() []*Tensor { return it.main().inputs }

// Outputs returns the output tensors of the main subgraph.
func (it *Interpreter) Outputs() []*Tensor { return it.main().outputs }

// Input returns input i of the main subgraph, or nil if out of range.
func (it *Interpreter) Input(i int) *Tensor { return at(it.main().inputs, i) }

// Output returns output i of the main subgraph, or nil if out of range.
func (it *Interpreter) Output(i int) *Tensor { return at(it.main().outputs, i) }

// Tensor returns tensor i of the main subgraph, or nil if out of range.
func (it *Interpreter) Tensor(i int) *Tensor { return at(it.main().tensors, i) }

// NumTensors is the number of tensors in the main subgraph.
func (it *Interpreter) NumTensors() int { return len(it.main().tensors) }

// InputByName returns the main subgraph's input with that tensor name.
func (it *Interpreter) InputByName(name string) *Tensor { return byName(it.main().inputs, name) }

// OutputByName returns the main subgraph's output with that tensor name.
func (it *Interpreter) OutputByName(name string) *Tensor { return byName(it.main().outputs, name) }

// TensorByName returns the main subgraph's tensor with that name.
func (it *Interpreter) TensorByName(name string) *Tensor { return byName(it.main().tensors, name) }

// NumSubgraphs is the number of subgraphs.
func (it *Interpreter) NumSubgraphs() int { return len(it.subgraphs) }

// Subgraph returns subgraph i (for control flow and for running secondary
// subgraphs directly), or an error if out of range.
func (it *Interpreter) Subgraph(i int) (*Subgraph, error) {
	if i < 0 || i >= len(it.subgraphs) {
		return nil, fmt.Errorf("subgraph %d out of range [0,%d)", i, len(it.subgraphs))
	}
	return &Subgraph{s: it.subgraphs[i]}, nil
}

// ResetVariableTensors sets every variable tensor of every subgraph back to
// zero (to the zero point for quantized types, as TFLite does).
func (it *Interpreter) ResetVariableTensors() {
	for _, s := range it.subgraphs {
		s.resetVariables()
	}
}

// ArenaBytes is the total size of the planned arenas of the allocated
// subgraphs (persistent variable storage and dynamic tensors excluded).
func (it *Interpreter) ArenaBytes() int64 {
	var n int64
	for _, s := range it.subgraphs {
		n += s.arenaSize
	}
	return n
}

// PersistentBytes is the storage held by variable tensors and by the
// constants computed once in AllocateTensors (dequantized or densified
// weights).
func (it *Interpreter) PersistentBytes() int64 {
	var n int64
	for _, s := range it.subgraphs {
		n += s.foldedBytes
		for _, t := range s.tensors {
			if t.Storage() == core.StoragePersistent {
				n += int64(len(t.Bytes()))
			}
		}
	}
	return n
}

// NumThreads is the number of threads kernels may use.
func (it *Interpreter) NumThreads() int { return it.cfg.numThreads }

func at(ts []*Tensor, i int) *Tensor {
	if i < 0 || i >= len(ts) {
		return nil
	}
	return ts[i]
}

func byName(ts []*Tensor, name string) *Tensor {
	for _, t := range ts {
		if t != nil && t.Name() == name {
			return t
		}
	}
	return nil
}
