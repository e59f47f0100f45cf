package core

import (
	"fmt"
	"log/slog"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Kernel runs one node of a graph. The interpreter makes one Kernel per node
// through the op's KernelFactory, calls Prepare whenever input shapes may
// have changed (from AllocateTensors) and Eval on every Invoke.
//
// Prepare validates types and shapes, sets output shapes with
// Tensor.SetShape, requests scratch with Node.Temporary and precomputes
// whatever does not depend on tensor values; every unsupported type or shape
// must be rejected here with an error, never found in Eval. Eval does the
// arithmetic; in steady state it must not allocate.
type Kernel interface {
	Prepare(n *Node) error
	Eval(n *Node) error
}

// Freer is implemented by kernels that hold resources to release when the
// interpreter is closed.
type Freer interface {
	Free()
}

// Aliaser is implemented by kernels whose output may share storage with one
// of their inputs (RESHAPE, SQUEEZE, EXPAND_DIMS, ...). The planner aliases
// them when it is safe; Eval must then skip its copy (see SameStorage).
type Aliaser interface {
	// AliasOutput names the output that may reuse the input's bytes.
	AliasOutput(n *Node) (output, input int, ok bool)
}

// Folder is implemented by kernels that may run once, in AllocateTensors,
// when all their inputs are constant (DEQUANTIZE and DENSIFY of weights):
// their outputs then become constants and the node is skipped by Invoke.
type Folder interface {
	Foldable(n *Node) bool
}

// KernelFactory makes the kernel of one node. It parses the node's options
// and may reject the node (unsupported options, wrong input count...).
type KernelFactory func(n *Node) (Kernel, error)

// KernelFunc adapts a pair of functions to the Kernel interface, for kernels
// without state.
type KernelFunc struct {
	PrepareFunc func(n *Node) error
	EvalFunc    func(n *Node) error
}

// Prepare calls PrepareFunc if set.
func (k KernelFunc) Prepare(n *Node) error {
	if k.PrepareFunc == nil {
		return nil
	}
	return k.PrepareFunc(n)
}

// Eval calls EvalFunc.
func (k KernelFunc) Eval(n *Node) error { return k.EvalFunc(n) }

// OpCode identifies an operator: a builtin code or a custom name, and the
// op version the model asks for.
type OpCode struct {
	Builtin tflite.BuiltinOperator
	Custom  string // set when Builtin is CUSTOM
	Version int
}

// Name is the builtin op's schema name ("CONV_2D") or the custom op's name;
// a delegate node (DELEGATE with Custom set) is named by its delegate, as
// TFLite names it.
func (o OpCode) Name() string {
	if o.Builtin == tflite.BuiltinOperatorCUSTOM || (o.Builtin == tflite.BuiltinOperatorDELEGATE && o.Custom != "") {
		return o.Custom
	}
	return BuiltinName(o.Builtin)
}

// BuiltinName returns the schema's name of a builtin operator code.
func BuiltinName(op tflite.BuiltinOperator) string {
	if name, ok := tflite.EnumNamesBuiltinOperator[op]; ok {
		return name
	}
	return fmt.Sprintf("BUILTIN_%d", int32(op))
}

// Env is what the interpreter offers kernels beyond their node.
type Env interface {
	// NumThreads is the number of threads kernels may use. The
	// interpreter's worker pool, when it has one, is reached with EnvPool.
	NumThreads() int
	// Subgraph returns subgraph i of the model, for control-flow kernels.
	Subgraph(i int) (Subgraph, error)
	// ResizeDynamic gives a dynamic tensor storage for shape.
	ResizeDynamic(t *Tensor, shape []int) error
	// Logger is the interpreter's logger (never nil; it may discard).
	Logger() *slog.Logger
}

// Task is work split into parts for a Pool: Run(part, worker) is called
// once for every part, concurrently from different workers; worker, in
// [0, Workers()), names the calling worker (to pick per-worker scratch made
// in Prepare), and one worker never runs two parts at once. Keep a Task
// value built once (a pointer to kernel state, not a new closure) so that
// passing it allocates nothing.
type Task interface {
	Run(part, worker int)
}

// Pool is the interpreter's persistent worker pool (WithNumThreads): the
// calling goroutine plus Workers()-1 helpers started once. Run(parts, t)
// runs every part of t and returns when all are done; it spawns no
// goroutine and allocates nothing. Kernels must not call Run from inside a
// Task, and a Task must not panic.
type Pool interface {
	Run(parts int, t Task)
	Workers() int
}

// PoolEnv is implemented by an Env that offers a worker pool. Kernels reach
// it through EnvPool, so that Envs without one (tests, constant folding)
// need no change.
type PoolEnv interface {
	Pool() Pool
}

// EnvPool returns env's worker pool, or nil when it has none or only one
// worker: the kernel then runs single-threaded. Kernels call it in Prepare
// (to size per-worker scratch by Workers()) and in Eval.
func EnvPool(env Env) Pool {
	pe, ok := env.(PoolEnv)
	if !ok {
		return nil
	}
	p := pe.Pool()
	if p == nil || p.Workers() < 2 {
		return nil
	}
	return p
}

// Subgraph is one graph of a model as control-flow kernels (WHILE, IF,
// CALL_ONCE) see it.
type Subgraph interface {
	Inputs() []*Tensor
	Outputs() []*Tensor
	ResizeInput(i int, shape []int) error
	AllocateTensors() error
	Invoke() error
}

// Node is one operator instance in a subgraph, as its kernel sees it.
type Node struct {
	// Index is the operator's position in its subgraph.
	Index int
	// Subgraph is the index of the node's subgraph in the model.
	Subgraph int
	Op       OpCode
	// Inputs and Outputs hold nil where the model names tensor -1 (an
	// optional operand that is absent).
	Inputs        []*Tensor
	Outputs       []*Tensor
	Intermediates []*Tensor
	// Temporaries are per-node scratch tensors requested with Temporary.
	Temporaries []*Tensor
	// Operator is the node's table in the model (nil for nodes made by a
	// delegate).
	Operator *tflite.Operator
	// CustomOptions are the raw custom options bytes of a custom op
	// (usually a FlexBuffer map; see package flexbuffers).
	CustomOptions []byte
	Env           Env
}

// NumInputs is len(n.Inputs).
func (n *Node) NumInputs() int { return len(n.Inputs) }

// NumOutputs is len(n.Outputs).
func (n *Node) NumOutputs() int { return len(n.Outputs) }

// Input returns input i, or nil if it is absent or out of range.
func (n *Node) Input(i int) *Tensor {
	if i < 0 || i >= len(n.Inputs) {
		return nil
	}
	return n.Inputs[i]
}

// Output returns output i, or nil if it is absent or out of range.
func (n *Node) Output(i int) *Tensor {
	if i < 0 || i >= len(n.Outputs) {
		return nil
	}
	return n.Outputs[i]
}

// Name describes the node in messages: "operator 3 (ADD)".
func (n *Node) Name() string { return fmt.Sprintf("operator %d (%s)", n.Index, n.Op.Name()) }

// Errorf makes a kernel error. The interpreter prefixes the node's path
// ("subgraph 0, operator 3 (ADD): prepare: ...") when it reports it.
func (n *Node) Errorf(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// OptionsTable is the Init method flatc generates on every table type.
type OptionsTable interface {
	Init(buf []byte, i flatbuffers.UOffsetT)
}

// emptyTable is a flatbuffer table with no fields: its vtable (4 bytes at
// offset 0) lists none, so every getter returns the schema default.
var emptyTable = []byte{4, 0, 4, 0, 4, 0, 0, 0}

// BuiltinOptions initialises dst from the node's builtin options when they
// are of type want and reports whether they were. Otherwise dst is set to an
// empty table, so its getters return the schema's defaults, as TFLite does
// for missing options.
func (n *Node) BuiltinOptions(want tflite.BuiltinOptions, dst OptionsTable) bool {
	if n.Operator != nil && n.Operator.BuiltinOptionsType() == want && want != tflite.BuiltinOptionsNONE {
		var t flatbuffers.Table
		if n.Operator.BuiltinOptions(&t) {
			dst.Init(t.Bytes, t.Pos)
			return true
		}
	}
	dst.Init(emptyTable, 4)
	return false
}

// BuiltinOptions2 is BuiltinOptions for the schema's second options union
// (StableHLO ops and newer).
func (n *Node) BuiltinOptions2(want tflite.BuiltinOptions2, dst OptionsTable) bool {
	if n.Operator != nil && n.Operator.BuiltinOptions2Type() == want && want != tflite.BuiltinOptions2NONE {
		var t flatbuffers.Table
		if n.Operator.BuiltinOptions2(&t) {
			dst.Init(t.Bytes, t.Pos)
			return true
		}
	}
	dst.Init(emptyTable, 4)
	return false
}

// CustomOptionsMap decodes the node's custom options as a FlexBuffer map,
// the format TFLite's converter writes for custom ops.
func (n *Node) CustomOptionsMap() (flexbuffers.Map, error) {
	root, err := flexbuffers.Root(n.CustomOptions)
	if err != nil {
		return flexbuffers.Map{}, fmt.Errorf("custom options: %w", err)
	}
	m, err := root.Map()
	if err != nil {
		return flexbuffers.Map{}, fmt.Errorf("custom options: %w", err)
	}
	return m, nil
}

// Temporary returns the node's scratch tensor i with the given type and
// shape, making it on first use. Call it from Prepare; the interpreter plans
// temporaries in the arena for the duration of the node's Eval.
func (n *Node) Temporary(i int, typ TensorType, shape []int) *Tensor {
	for len(n.Temporaries) <= i {
		t := NewTensor(-1, fmt.Sprintf("%s/temp%d", n.Name(), len(n.Temporaries)), typ, nil)
		t.storage = StorageArena
		n.Temporaries = append(n.Temporaries, t)
	}
	t := n.Temporaries[i]
	t.typ = typ
	t.SetShape(shape)
	return t
}

// ResizeOutput gives output i the shape, and storage for it, while the node
// runs (for outputs marked with SetDynamic in Prepare).
func (n *Node) ResizeOutput(i int, shape []int) error {
	t := n.Output(i)
	if t == nil {
		return n.Errorf("output %d is absent", i)
	}
	return n.Env.ResizeDynamic(t, shape)
}

// SameStorage reports whether two tensors share their first byte (the
// planner aliased them).
func SameStorage(a, b *Tensor) bool {
	return len(a.data) > 0 && len(b.data) > 0 && &a.data[0] == &b.data[0]
}
