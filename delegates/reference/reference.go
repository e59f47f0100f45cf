// Package reference is a delegate that runs its partitions with Edgelite's
// own CPU kernels. It accelerates nothing: it exists to exercise the
// delegate framework (partitioning, delegate nodes, memory planning,
// fallback) with real kernels, and as a small worked example of a delegate.
// Its results equal the CPU's exactly, since the same kernels compute them.
package reference

import (
	"errors"
	"fmt"
	"slices"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Name is the default name of the delegate and of its delegate nodes.
const Name = "EdgeliteReferenceDelegate"

// DefaultOps are the ops the delegate takes unless Options.Ops says
// otherwise: ops whose output shapes follow from input shapes alone, so
// that a partition can be prepared before it runs.
var DefaultOps = []tflite.BuiltinOperator{
	tflite.BuiltinOperatorADD, tflite.BuiltinOperatorSUB, tflite.BuiltinOperatorMUL,
	tflite.BuiltinOperatorMAXIMUM, tflite.BuiltinOperatorMINIMUM,
	tflite.BuiltinOperatorCONV_2D, tflite.BuiltinOperatorDEPTHWISE_CONV_2D,
	tflite.BuiltinOperatorFULLY_CONNECTED,
	tflite.BuiltinOperatorAVERAGE_POOL_2D, tflite.BuiltinOperatorMAX_POOL_2D,
	tflite.BuiltinOperatorRELU, tflite.BuiltinOperatorRELU6, tflite.BuiltinOperatorRELU_N1_TO_1,
	tflite.BuiltinOperatorLOGISTIC, tflite.BuiltinOperatorTANH, tflite.BuiltinOperatorHARD_SWISH,
	tflite.BuiltinOperatorSOFTMAX, tflite.BuiltinOperatorCONCATENATION,
	tflite.BuiltinOperatorRESHAPE, tflite.BuiltinOperatorPAD, tflite.BuiltinOperatorMEAN,
	tflite.BuiltinOperatorQUANTIZE, tflite.BuiltinOperatorDEQUANTIZE,
}

// Options configure the delegate.
type Options struct {
	// Name replaces the delegate's name (default Name); two instances with
	// different names and ops can show how delegates apply in order.
	Name string
	// Ops are the builtin ops taken (default DefaultOps).
	Ops []tflite.BuiltinOperator
	// Resolver supplies the kernels (default kernels.Builtins()).
	Resolver core.OpResolver
	// Filter, if set, is asked after the delegate's own checks and may
	// refuse a node with an error.
	Filter func(g *delegates.Graph, n *core.Node) error
}

// Delegate is the reference delegate. It is safe to use from several
// interpreters at once: it holds no state beyond its options.
type Delegate struct {
	opts Options
}

// New returns a reference delegate.
func New(o Options) *Delegate {
	if o.Name == "" {
		o.Name = Name
	}
	if o.Ops == nil {
		o.Ops = DefaultOps
	}
	if o.Resolver == nil {
		o.Resolver = kernels.Builtins()
	}
	return &Delegate{opts: o}
}

// Name implements delegates.Delegate.
func (d *Delegate) Name() string { return d.opts.Name }

// Close implements delegates.Delegate.
func (d *Delegate) Close() error { return nil }

// Supports implements delegates.Delegate: the op must be one of the
// delegate's, have a kernel in its resolver that accepts the node, and touch
// no variable, string, resource or variant tensor, and read at least one
// tensor that is not constant; RESHAPE needs a constant shape (or none).
func (d *Delegate) Supports(g *delegates.Graph, n *core.Node) error {
	if n.Op.Builtin == tflite.BuiltinOperatorCUSTOM || !slices.Contains(d.opts.Ops, n.Op.Builtin) {
		return fmt.Errorf("op %s is not one of the delegate's", n.Op.Name())
	}
	for _, group := range [][]*core.Tensor{n.Inputs, n.Outputs, n.Intermediates} {
		for _, t := range group {
			if t == nil {
				continue
			}
			if t.IsVariable() {
				return fmt.Errorf("tensor %q is a variable", t.Name())
			}
			switch t.Type() {
			case core.String, core.Resource, core.Variant:
				return fmt.Errorf("tensor %q has type %s", t.Name(), t.Type())
			}
		}
	}
	constant := true
	for _, t := range n.Inputs {
		if t != nil && !t.IsConstant() {
			constant = false
		}
	}
	if constant {
		// The interpreter computes such nodes once (DEQUANTIZE of weights);
		// taking them would redo that work on every run.
		return errors.New("every input is constant")
	}
	if n.Op.Builtin == tflite.BuiltinOperatorRESHAPE {
		if s := n.Input(1); s != nil && !s.IsConstant() {
			return errors.New("RESHAPE with a non-constant shape input: the output shape depends on data")
		}
	}
	f, err := d.opts.Resolver.Lookup(n.Op)
	if err != nil {
		return err
	}
	if _, err := f(n); err != nil {
		return err
	}
	if d.opts.Filter != nil {
		return d.opts.Filter(g, n)
	}
	return nil
}

// Compile implements delegates.Delegate: it makes a kernel for each node of
// the partition.
func (d *Delegate) Compile(p *delegates.Partition) (core.Kernel, error) {
	k := &Kernel{part: p, kernels: make([]core.Kernel, len(p.Nodes))}
	for i, n := range p.Nodes {
		f, err := d.opts.Resolver.Lookup(n.Op)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name(), err)
		}
		if k.kernels[i], err = f(n); err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name(), err)
		}
		if k.kernels[i] == nil {
			return nil, fmt.Errorf("%s: the kernel factory returned no kernel", n.Name())
		}
	}
	return k, nil
}

// Kernel runs one partition: every node's CPU kernel in order. The tensors
// that live only inside the partition (and the nodes' own scratch) are laid
// out, without reuse, in one scratch tensor the delegate node asks the
// interpreter's arena for, so the partition needs no memory of its own.
type Kernel struct {
	part    *delegates.Partition
	kernels []core.Kernel
	// internal are the partition's private tensors and offsets their
	// places in the scratch.
	internal []*core.Tensor
	offsets  []int
	// bound is the scratch the internal tensors are bound to; rebind is
	// set by Prepare, after which the interpreter binds them anew.
	bound  *byte
	rebind bool
}

const align = 64

// Prepare implements core.Kernel: it prepares every node in order (the
// partition's inputs have their shapes; its outputs get theirs) and sizes
// the scratch.
func (k *Kernel) Prepare(n *core.Node) error {
	k.rebind = true
	outside := map[*core.Tensor]bool{}
	for _, t := range n.Inputs {
		outside[t] = true
	}
	for _, t := range n.Outputs {
		outside[t] = true
	}
	k.internal = k.internal[:0]
	var spans []span
	for i, inner := range k.part.Nodes {
		if err := k.kernels[i].Prepare(inner); err != nil {
			return fmt.Errorf("%s: %w", inner.Name(), err)
		}
		for _, group := range [][]*core.Tensor{inner.Outputs, inner.Intermediates, inner.Temporaries} {
			for _, t := range group {
				if t == nil || t.IsConstant() || outside[t] {
					continue
				}
				if t.IsDynamic() {
					return fmt.Errorf("%s: tensor %q has a data-dependent shape", inner.Name(), t.Name())
				}
				outside[t] = true // listed once
				k.internal = append(k.internal, t)
				spans = append(spans, span{size: (t.ByteSize() + align - 1) &^ (align - 1), first: i, last: i})
			}
		}
	}
	// A private tensor lives from the node that writes it to the last
	// node that reads it; tensors whose lives do not overlap share bytes.
	at := map[*core.Tensor]int{}
	for j, t := range k.internal {
		at[t] = j
	}
	for i, inner := range k.part.Nodes {
		for _, t := range inner.Inputs {
			if j, ok := at[t]; ok {
				spans[j].last = max(spans[j].last, i)
			}
		}
	}
	var total int
	k.offsets, total = place(spans, k.offsets[:0])
	if total > 0 || len(n.Temporaries) > 0 {
		n.Temporary(0, core.Uint8, []int{total})
	}
	return nil
}

// Eval implements core.Kernel.
func (k *Kernel) Eval(n *core.Node) error {
	if len(k.internal) > 0 {
		scratch := n.Temporaries[0].Bytes()
		var base *byte
		if len(scratch) > 0 {
			base = &scratch[0]
		}
		if k.rebind || k.bound != base {
			for i, t := range k.internal {
				off, size := k.offsets[i], t.ByteSize()
				t.Bind(scratch[off:off+size:off+size], core.StorageArena)
			}
			k.bound, k.rebind = base, false
		}
	}
	for i, inner := range k.part.Nodes {
		if err := k.kernels[i].Eval(inner); err != nil {
			return fmt.Errorf("%s: %w", inner.Name(), err)
		}
	}
	return nil
}

// Free implements core.Freer.
func (k *Kernel) Free() {
	for _, inner := range k.kernels {
		if f, ok := inner.(core.Freer); ok {
			f.Free()
		}
	}
}

// span is one private tensor's size and the nodes it is live over.
type span struct{ size, first, last int }

// place gives every span an offset so that spans live at the same time
// never overlap: the largest first, each at the lowest gap that fits among
// the spans already placed that it meets. It returns the offsets and the
// bytes needed.
func place(spans []span, offsets []int) ([]int, int) {
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return spans[b].size - spans[a].size })
	offsets = append(offsets[:0], make([]int, len(spans))...)
	total := 0
	var placed []int
	for _, i := range order {
		s := spans[i]
		var busy [][2]int
		for _, j := range placed {
			if spans[j].first <= s.last && s.first <= spans[j].last {
				busy = append(busy, [2]int{offsets[j], offsets[j] + spans[j].size})
			}
		}
		slices.SortFunc(busy, func(a, b [2]int) int { return a[0] - b[0] })
		off := 0
		for _, b := range busy {
			if b[0]-off >= s.size {
				break
			}
			off = max(off, b[1])
		}
		offsets[i] = off
		total = max(total, off+s.size)
		placed = append(placed, i)
	}
	return offsets, total
}
