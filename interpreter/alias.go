package interpreter

import "github.com/edgelite/edgelite/interpreter/core"

// Aliases of the core types, so that programs need import only this
// package. Kernel and delegate authors find them documented in core.
type (
	// Tensor is a tensor of a running interpreter; see core.Tensor.
	Tensor = core.Tensor
	// TensorType is a tensor element type; see core.TensorType.
	TensorType = core.TensorType
	// Quantization holds affine quantization parameters.
	Quantization = core.Quantization
	// OpCode identifies an op and version.
	OpCode = core.OpCode
	// Node is an operator instance as kernels see it.
	Node = core.Node
	// Kernel runs one node.
	Kernel = core.Kernel
	// KernelFactory makes the kernel of a node.
	KernelFactory = core.KernelFactory
	// Ops is a registration-based op resolver.
	Ops = core.Ops
)

// Element types, re-exported from core.
const (
	Float32    = core.Float32
	Float16    = core.Float16
	Int32      = core.Int32
	Uint8      = core.Uint8
	Int64      = core.Int64
	String     = core.String
	Bool       = core.Bool
	Int16      = core.Int16
	Complex64  = core.Complex64
	Int8       = core.Int8
	Float64    = core.Float64
	Complex128 = core.Complex128
	Uint64     = core.Uint64
	Resource   = core.Resource
	Variant    = core.Variant
	Uint32     = core.Uint32
	Uint16     = core.Uint16
	Int4       = core.Int4
	BFloat16   = core.BFloat16
	Int2       = core.Int2
	Uint4      = core.Uint4
	// Float8E4M3FN and Float8E5M2 are the 8-bit float formats.
	Float8E4M3FN = core.Float8E4M3FN
	Float8E5M2   = core.Float8E5M2
)

// Subgraph is one graph of a running interpreter: the main one, a signature's
// or one called by control flow.
type Subgraph struct{ s *subgraph }

// Index is the subgraph's index in the model.
func (g *Subgraph) Index() int { return g.s.index }

// Name is the subgraph's name in the model.
func (g *Subgraph) Name() string { return g.s.info.Name }

// Inputs returns the subgraph's input tensors.
func (g *Subgraph) Inputs() []*Tensor { return g.s.inputs }

// Outputs returns the subgraph's output tensors.
func (g *Subgraph) Outputs() []*Tensor { return g.s.outputs }

// Tensor returns tensor i of the subgraph, or nil.
func (g *Subgraph) Tensor(i int) *Tensor { return at(g.s.tensors, i) }

// Nodes returns the subgraph's nodes in execution order: the operators
// that run on the CPU and the delegate nodes that replaced partitions (see
// package delegates and Interpreter.Plan).
func (g *Subgraph) Nodes() []*Node { return g.s.nodes }

// Folded reports whether node i was computed once, in AllocateTensors,
// because all its inputs are constant (dequantized or densified weights):
// Invoke skips it, so profilers never see it run.
func (g *Subgraph) Folded(i int) bool {
	return i >= 0 && i < len(g.s.folded) && g.s.folded[i]
}

// ResizeInput changes the shape of input i.
func (g *Subgraph) ResizeInput(i int, shape []int) error { return g.s.resizeInput(i, shape, false) }

// AllocateTensors prepares and plans the subgraph.
func (g *Subgraph) AllocateTensors() error { return g.s.AllocateTensors() }

// Invoke runs the subgraph.
func (g *Subgraph) Invoke() error { return g.s.Invoke() }

// ArenaBytes is the size of the subgraph's planned arena.
func (g *Subgraph) ArenaBytes() int64 { return g.s.arenaSize }
