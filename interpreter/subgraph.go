package interpreter

import (
	"fmt"
	"log/slog"
	"math"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
)

// subgraph is the engine of one graph: tensors, nodes, kernels and arena.
type subgraph struct {
	it       *Interpreter
	index    int
	info     *SubgraphInfo
	tensors  []*core.Tensor
	inputs   []*core.Tensor
	outputs  []*core.Tensor
	isInput  []bool
	isOutput []bool
	// ops are the model's operators and opKernels their CPU kernels (nil
	// where none could be made), by operator index.
	ops       []*core.Node
	opKernels []core.Kernel
	// nodes and kernels are the execution plan: operators that run on the
	// CPU and delegate nodes. handlers, when not nil, holds the delegate
	// kernels that keep tensors in their own memory, by plan position.
	nodes           []*core.Node
	kernels         []core.Kernel
	handlers        []delegates.BufferHandler
	constsCopied    []bool // by plan position: constant inputs copied since AllocateTensors
	delegateKernels []core.Kernel
	arena           []byte
	arenaSize       int64
	allocated       bool
	// deferFrom is the first node whose inputs are only known while the
	// graph runs; it and every later node are prepared in Invoke.
	deferFrom int
	invoking  bool
	preparing bool
	// folded marks nodes computed once at allocation time because all
	// their inputs are constant; their outputs are constants since.
	folded      []bool
	foldedBytes int64
}

func newSubgraph(it *Interpreter, index int, info *SubgraphInfo) *subgraph {
	s := &subgraph{it: it, index: index, info: info}
	s.tensors = make([]*core.Tensor, len(info.Tensors))
	for i := range info.Tensors {
		ti := &info.Tensors[i]
		t := core.NewTensor(i, ti.Name, ti.Type, ti.Shape)
		t.SetInfo(core.TensorInfo{
			ShapeSignature: ti.ShapeSignature,
			HasRank:        ti.HasRank,
			Quantization:   ti.Quantization,
			Sparsity:       ti.Sparsity,
			Variable:       ti.Variable,
		})
		switch {
		case ti.Data != nil:
			t.Bind(ti.Data, core.StorageConstant)
		case ti.Type == core.String || ti.Type == core.Variant:
			// Variable-length data can only be sized while running.
			t.SetDynamic()
		}
		s.tensors[i] = t
	}
	s.isInput = make([]bool, len(s.tensors))
	s.isOutput = make([]bool, len(s.tensors))
	for _, idx := range info.Inputs {
		s.inputs = append(s.inputs, s.tensors[idx])
		s.isInput[idx] = true
	}
	for _, idx := range info.Outputs {
		s.outputs = append(s.outputs, s.tensors[idx])
		s.isOutput[idx] = true
	}
	pick := func(idx []int) []*core.Tensor {
		out := make([]*core.Tensor, len(idx))
		for i, j := range idx {
			if j >= 0 {
				out[i] = s.tensors[j]
			}
		}
		return out
	}
	s.ops = make([]*core.Node, len(info.Operators))
	s.opKernels = make([]core.Kernel, len(info.Operators))
	for i := range info.Operators {
		op := &info.Operators[i]
		s.ops[i] = &core.Node{
			Index:         i,
			Subgraph:      index,
			Op:            op.Op,
			Inputs:        pick(op.Inputs),
			Outputs:       pick(op.Outputs),
			Intermediates: pick(op.Intermediates),
			Operator:      &op.fb,
			CustomOptions: op.CustomOptions,
			Env:           s,
		}
	}
	// Until delegates rewrite it, the plan is the model's order.
	s.nodes, s.kernels = s.ops, s.opKernels
	return s
}

// maxBytes is the configured bound on an arena or dynamic tensor, never
// more than this platform can index (2 GiB on 32-bit ARM).
func (s *subgraph) maxBytes() int64 {
	return min(s.it.cfg.maxArenaBytes, int64(math.MaxInt)-arenaAlign)
}

// byteSize is a tensor's byte size for its current shape in int64, which
// cannot wrap on 32-bit platforms (-1 when the shape overflows).
func byteSize(t *core.Tensor) int64 {
	n, ok := core.NumElements(t.Shape())
	if !ok {
		return -1
	}
	if b, fixed := t.Type().ByteSize(n); fixed {
		return b
	}
	return int64(len(t.Bytes()))
}

// NumThreads implements core.Env.
func (s *subgraph) NumThreads() int { return s.it.cfg.numThreads }

// Pool implements core.PoolEnv: the interpreter's worker pool, nil with
// one thread.
func (s *subgraph) Pool() core.Pool {
	if s.it.pool == nil {
		return nil
	}
	return s.it.pool
}

// Logger implements core.Env.
func (s *subgraph) Logger() *slog.Logger { return s.it.cfg.logger }

// Subgraph implements core.Env.
func (s *subgraph) Subgraph(i int) (core.Subgraph, error) {
	if i < 0 || i >= len(s.it.subgraphs) {
		return nil, fmt.Errorf("subgraph %d out of range [0,%d)", i, len(s.it.subgraphs))
	}
	return s.it.subgraphs[i], nil
}

// ResizeDynamic implements core.Env: it sizes a dynamic tensor's storage,
// reusing its capacity so that steady-state runs do not allocate.
func (s *subgraph) ResizeDynamic(t *core.Tensor, shape []int) error {
	if len(shape) > MaxRank {
		return fmt.Errorf("tensor %q: rank %d exceeds the limit of %d", t.Name(), len(shape), MaxRank)
	}
	elems, ok := core.NumElements(shape)
	if !ok {
		return fmt.Errorf("tensor %q: shape %v is invalid", t.Name(), shape)
	}
	t.SetShape(shape)
	size, fixed := t.Type().ByteSize(elems)
	if !fixed {
		// STRING and VARIANT data is written whole by its producer.
		if t.Storage() != core.StorageDynamic {
			t.Bind(nil, core.StorageDynamic)
		}
		return nil
	}
	if size > s.maxBytes() {
		return fmt.Errorf("tensor %q: shape %v needs %d bytes, over the limit of %d", t.Name(), shape, size, s.maxBytes())
	}
	data := t.Bytes()
	if t.Storage() == core.StorageDynamic && int64(cap(data)) >= size {
		t.Bind(data[:size], core.StorageDynamic)
		return nil
	}
	t.Bind(alignedBytes(int(size)), core.StorageDynamic)
	return nil
}

// Inputs implements core.Subgraph.
func (s *subgraph) Inputs() []*core.Tensor { return s.inputs }

// Outputs implements core.Subgraph.
func (s *subgraph) Outputs() []*core.Tensor { return s.outputs }

// ResizeInput implements core.Subgraph.
func (s *subgraph) ResizeInput(i int, shape []int) error { return s.resizeInput(i, shape, false) }

func (s *subgraph) resizeInput(i int, shape []int, strict bool) error {
	if i < 0 || i >= len(s.inputs) {
		return fmt.Errorf("subgraph %d: input %d out of range [0,%d)", s.index, i, len(s.inputs))
	}
	t := s.inputs[i]
	if len(shape) > MaxRank {
		return fmt.Errorf("input %d (%q): rank %d exceeds the limit of %d", i, t.Name(), len(shape), MaxRank)
	}
	if _, ok := core.NumElements(shape); !ok {
		return fmt.Errorf("input %d (%q): invalid shape %v", i, t.Name(), shape)
	}
	if strict {
		sig := t.ShapeSignature()
		if len(sig) != len(shape) {
			return fmt.Errorf("input %d (%q): rank %d, the model's signature %v has rank %d", i, t.Name(), len(shape), sig, len(sig))
		}
		for d, v := range sig {
			if v != -1 && v != shape[d] {
				return fmt.Errorf("input %d (%q): dimension %d is fixed at %d by the signature %v, got %d", i, t.Name(), d, v, sig, shape[d])
			}
		}
	}
	if t.SameShape(shape) {
		return nil
	}
	t.SetShape(shape)
	s.allocated = false
	return nil
}

// AllocateTensors implements core.Subgraph: prepare every node in order,
// then plan and bind the arena.
func (s *subgraph) AllocateTensors() error {
	if s.allocated {
		return nil
	}
	if s.preparing {
		return fmt.Errorf("subgraph %d is already being prepared (recursive call)", s.index)
	}
	s.preparing = true
	defer func() { s.preparing = false }()
	if err := s.allocateVariables(); err != nil {
		return err
	}
	// Storage chosen by a previous plan is forgotten: kernels decide again
	// which outputs are dynamic.
	for i, t := range s.tensors {
		if t.Storage() == core.StorageArena || (t.Storage() == core.StorageDynamic && !s.isInput[i] && t.Type() != core.String && t.Type() != core.Variant) {
			t.Bind(nil, core.StorageNone)
		}
	}
	if s.folded == nil {
		s.folded = make([]bool, len(s.nodes))
	}
	s.deferFrom = len(s.nodes)
	for i, n := range s.nodes {
		if s.folded[i] {
			continue
		}
		if hasDynamicInput(n) {
			s.deferFrom = i
			break
		}
		if err := s.kernels[i].Prepare(n); err != nil {
			return fmt.Errorf("subgraph %d, %s: prepare: %w", s.index, n.Name(), err)
		}
		if err := s.fold(i); err != nil {
			return err
		}
	}
	if err := s.planMemory(); err != nil {
		return err
	}
	if s.handlers != nil {
		// New bindings: delegates need every input again.
		s.constsCopied = make([]bool, len(s.nodes))
	}
	s.allocated = true
	return nil
}

// fold runs a prepared node whose inputs are all constant once, if its
// kernel allows, and turns its outputs into constants.
func (s *subgraph) fold(i int) error {
	n := s.nodes[i]
	f, ok := s.kernels[i].(core.Folder)
	if !ok || !f.Foldable(n) || len(n.Temporaries) > 0 {
		return nil
	}
	for _, t := range n.Inputs {
		if t != nil && !t.IsConstant() {
			return nil
		}
	}
	for _, t := range n.Outputs {
		if t == nil || t.IsVariable() || t.IsDynamic() || s.isOutput[t.Index()] {
			return nil
		}
	}
	var bytes int64
	for _, t := range n.Outputs {
		size := byteSize(t)
		if size < 0 || size > s.maxBytes() {
			return fmt.Errorf("subgraph %d, %s: folded output %q of shape %v is too large", s.index, n.Name(), t.Name(), t.Shape())
		}
		t.Bind(alignedBytes(int(size)), core.StoragePersistent)
		bytes += size
	}
	if err := s.kernels[i].Eval(n); err != nil {
		return fmt.Errorf("subgraph %d, %s: eval of constant inputs: %w", s.index, n.Name(), err)
	}
	for _, t := range n.Outputs {
		t.Bind(t.Bytes(), core.StorageConstant)
	}
	s.folded[i] = true
	s.foldedBytes += bytes
	return nil
}

func hasDynamicInput(n *core.Node) bool {
	for _, t := range n.Inputs {
		if t != nil && t.IsDynamic() {
			return true
		}
	}
	return false
}

// allocateVariables gives variable tensors their own storage once, zeroed
// as ResetVariableTensors does.
func (s *subgraph) allocateVariables() error {
	for _, t := range s.tensors {
		if !t.IsVariable() || t.Storage() == core.StoragePersistent {
			continue
		}
		size := byteSize(t)
		if size < 0 || size > s.maxBytes() {
			return fmt.Errorf("subgraph %d: variable %q needs %d bytes, over the limit of %d", s.index, t.Name(), size, s.maxBytes())
		}
		t.Bind(alignedBytes(int(size)), core.StoragePersistent)
		resetVariable(t)
	}
	return nil
}

func (s *subgraph) resetVariables() {
	for _, t := range s.tensors {
		if t.IsVariable() && t.Storage() == core.StoragePersistent {
			resetVariable(t)
		}
	}
}

// resetVariable fills a variable with zero, or with its zero point if it is
// INT8, byte by byte as TFLite does.
func resetVariable(t *core.Tensor) {
	var v byte
	if q := t.Quantization(); t.Type() == core.Int8 && q.IsQuantized() {
		v = byte(q.ZeroPoint[0])
	}
	b := t.Bytes()
	for i := range b {
		b[i] = v
	}
}

// planMemory assigns arena offsets to the tensors of the prepared nodes.
func (s *subgraph) planMemory() error {
	n := len(s.nodes)
	// Union-find over tensors aliased by kernels (RESHAPE and friends).
	alias := make([]int, len(s.tensors))
	for i := range alias {
		alias[i] = i
	}
	find := func(i int) int {
		for alias[i] != i {
			alias[i] = alias[alias[i]]
			i = alias[i]
		}
		return i
	}
	planned := func(t *core.Tensor) bool {
		return t.Storage() == core.StorageNone || t.Storage() == core.StorageArena
	}
	for i := 0; i < s.deferFrom; i++ {
		a, ok := s.kernels[i].(core.Aliaser)
		if !ok || s.folded[i] {
			continue
		}
		o, in, ok := a.AliasOutput(s.nodes[i])
		if !ok {
			continue
		}
		out, src := s.nodes[i].Output(o), s.nodes[i].Input(in)
		if out == nil || src == nil || !planned(out) || !planned(src) || src.IsVariable() ||
			s.isInput[src.Index()] || s.isOutput[out.Index()] || byteSize(out) != byteSize(src) {
			continue
		}
		alias[find(out.Index())] = find(src.Index())
	}

	// Lifetime of every planned tensor, by its alias root.
	const unset = -2
	first := make([]int, len(s.tensors))
	last := make([]int, len(s.tensors))
	for i := range first {
		first[i], last[i] = unset, unset
	}
	use := func(t *core.Tensor, step int) {
		if t == nil || t.Index() < 0 || !planned(t) || t.IsVariable() {
			return
		}
		r := find(t.Index())
		if first[r] == unset || step < first[r] {
			first[r] = step
		}
		last[r] = max(last[r], step)
	}
	for _, t := range s.inputs {
		use(t, -1)
		use(t, n)
	}
	for i := 0; i < s.deferFrom; i++ {
		node := s.nodes[i]
		for _, t := range node.Outputs {
			use(t, i)
		}
		for _, t := range node.Intermediates {
			use(t, i)
		}
	}
	for i, node := range s.nodes {
		for _, t := range node.Inputs {
			if t != nil && first[find(t.Index())] != unset {
				use(t, i)
			}
		}
	}
	for _, t := range s.outputs {
		if first[find(t.Index())] != unset {
			use(t, n)
		}
	}

	// The root's slot must fit every tensor aliased to it.
	rootSize := make([]int64, len(s.tensors))
	for j, u := range s.tensors {
		size := byteSize(u)
		if first[find(j)] != unset && (size < 0 || size > s.maxBytes()) {
			return fmt.Errorf("subgraph %d: tensor %q of shape %v needs more than the limit of %d bytes", s.index, u.Name(), u.Shape(), s.maxBytes())
		}
		r := find(j)
		rootSize[r] = max(rootSize[r], size)
	}
	var reqs []allocRequest
	var owners []*core.Tensor // tensor (alias root) or temporary per request
	for i, t := range s.tensors {
		if find(i) != i || first[i] == unset {
			continue
		}
		reqs = append(reqs, allocRequest{size: rootSize[i], first: first[i], last: last[i]})
		owners = append(owners, t)
	}
	for i := 0; i < s.deferFrom; i++ {
		for _, t := range s.nodes[i].Temporaries {
			size := byteSize(t)
			if size < 0 || size > s.maxBytes() {
				return fmt.Errorf("subgraph %d, %s: temporary of shape %v needs more than the limit of %d bytes", s.index, s.nodes[i].Name(), t.Shape(), s.maxBytes())
			}
			reqs = append(reqs, allocRequest{size: size, first: i, last: i})
			owners = append(owners, t)
		}
	}
	offsets, total := planArena(reqs)
	if total > s.maxBytes() {
		return fmt.Errorf("subgraph %d: the arena needs %d bytes, over the limit of %d (see WithMaxArenaBytes)", s.index, total, s.maxBytes())
	}
	if int64(len(s.arena)) < total {
		s.arena = alignedBytes(int(total))
	}
	s.arenaSize = total
	bind := func(t *core.Tensor, off int64) {
		size := byteSize(t)
		t.Bind(s.arena[off:off+size:off+size], core.StorageArena)
	}
	offsetOf := make(map[int]int64, len(owners))
	for k, t := range owners {
		bind(t, offsets[k])
		if t.Index() >= 0 {
			offsetOf[t.Index()] = offsets[k]
		}
	}
	for j, u := range s.tensors {
		if r := find(j); r != j && first[r] != unset {
			bind(u, offsetOf[r])
		}
	}
	return nil
}

// Invoke implements core.Subgraph: run every node in plan order.
func (s *subgraph) Invoke() error {
	if !s.allocated {
		return fmt.Errorf("subgraph %d: %w", s.index, ErrNotAllocated)
	}
	if s.invoking {
		return fmt.Errorf("subgraph %d is already running (recursive invocation)", s.index)
	}
	s.invoking = true
	defer func() { s.invoking = false }()
	ctx := s.it.cfg.ctx
	prof := s.it.cfg.profiler
	for i, n := range s.nodes {
		if ctx != nil && ctx.Err() != nil {
			return fmt.Errorf("subgraph %d, before %s: %w: %w", s.index, n.Name(), ErrCancelled, ctx.Err())
		}
		if s.folded[i] {
			continue
		}
		if i >= s.deferFrom {
			if err := s.prepareAtRunTime(n, s.kernels[i]); err != nil {
				return err
			}
		}
		if prof != nil {
			prof.BeginOp(s.index, n.Index, n.Op.Name())
		}
		var err error
		if s.handlers != nil && s.handlers[i] != nil {
			err = s.evalDelegate(i, s.handlers[i], s.kernels[i], n)
		} else {
			err = s.kernels[i].Eval(n)
		}
		if prof != nil {
			prof.EndOp(s.index, n.Index)
		}
		if err != nil {
			return fmt.Errorf("subgraph %d, %s: eval: %w", s.index, n.Name(), err)
		}
	}
	return nil
}

// prepareAtRunTime prepares a node that follows a data-dependent shape and
// gives its outputs and temporaries dynamic storage (reused across runs).
func (s *subgraph) prepareAtRunTime(n *core.Node, k core.Kernel) error {
	if err := k.Prepare(n); err != nil {
		return fmt.Errorf("subgraph %d, %s: prepare: %w", s.index, n.Name(), err)
	}
	for _, group := range [][]*core.Tensor{n.Outputs, n.Temporaries, n.Intermediates} {
		for _, t := range group {
			if t == nil || t.IsConstant() || t.IsVariable() {
				continue
			}
			if t.Storage() != core.StorageDynamic {
				t.Bind(nil, core.StorageDynamic)
			} else if len(t.Bytes()) == t.ByteSize() {
				continue // the kernel may already have sized it
			}
			if err := s.ResizeDynamic(t, t.Shape()); err != nil {
				return fmt.Errorf("subgraph %d, %s: %w", s.index, n.Name(), err)
			}
		}
	}
	return nil
}
