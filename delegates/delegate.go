// Package delegates is Edgelite's delegate API: how an accelerator (XNNPACK,
// a GPU, the Edge TPU, ...) takes over parts of a graph.
//
// The interpreter asks each Delegate, in the order given, which nodes of a
// subgraph it supports; the partitioner groups supported nodes into
// partitions that keep the graph acyclic, and each partition the delegate
// compiles becomes one node of the execution plan whose kernel is the
// delegate's. What no delegate takes runs on the CPU kernels.
//
// A delegate node is a core.Node with Op {DELEGATE, Custom: the delegate's
// Name} (so Op.Name() and profilers name it by its delegate), Index at or
// above the subgraph's operator count, Operator nil, and the partition's
// Inputs and Outputs as its own. The interpreter treats it like any node:
// its kernel's Prepare runs in AllocateTensors (again after every resize)
// and must set the shapes of the outputs; the outputs and inputs get arena
// storage; scratch the kernel asks for with Node.Temporary is planned in
// the arena too. Tensors that live only inside a partition get no storage
// (their views are nil) unless the delegate binds some to them, for
// example slices of such a scratch tensor (package reference does).
//
// The interpreter applies the delegates to the subgraphs a program runs
// directly (the primary one and the signatures'); subgraphs called by
// control flow, and the control-flow nodes, stay on the CPU. Package
// reference is a delegate that runs partitions with the CPU kernels, for
// tests and as an example.
package delegates

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// Delegate is an accelerator backend.
type Delegate interface {
	// Name is the delegate's name as TFLite prints it for its delegate
	// nodes (for example "TfLiteXNNPackDelegate").
	Name() string
	// Supports reports whether the delegate can run node, checking every
	// constraint its Compile has (types, ranks, shapes, constant weights,
	// fused activations...); nil means yes, an error says why not (the
	// interpreter's Plan keeps the text). It runs in interpreter.New:
	// tensor shapes are those of the model, and only the model's own
	// constants are constant (the outputs of a DEQUANTIZE of constant
	// weights, which the CPU folds later, are not yet).
	Supports(g *Graph, node *core.Node) error
	// Compile turns a partition into the kernel that runs it. An error
	// leaves the partition on the CPU; the interpreter keeps the reason.
	Compile(p *Partition) (core.Kernel, error)
	// Close frees what the delegate holds (not the kernels it compiled:
	// those implement core.Freer, which Interpreter.Close calls). The
	// caller owns the delegate and closes it after the interpreters that
	// use it.
	Close() error
}

// Graph is the read-only view of one subgraph a delegate is offered.
type Graph struct {
	// Index is the subgraph's index in the model.
	Index int
	// Nodes are the subgraph's operators in execution order.
	Nodes []*core.Node
	// Tensors are the subgraph's tensors by index.
	Tensors []*core.Tensor
	// Inputs and Outputs are the subgraph's input and output tensors.
	Inputs, Outputs []*core.Tensor
}

// Partition is a set of nodes given to one delegate.
type Partition struct {
	Graph *Graph
	// Nodes are the partition's nodes, in the subgraph's execution order.
	Nodes []*core.Node
	// Inputs are the non-constant tensors the partition reads that are
	// written outside it (or are subgraph inputs), in first-use order;
	// constant tensors (weights) stay reachable through the nodes. An
	// input the CPU computes from constants may be constant by the time
	// the delegate node runs.
	Inputs []*core.Tensor
	// Outputs are the tensors the partition writes that are read outside
	// it or are subgraph outputs, in production order.
	Outputs []*core.Tensor
	// NumThreads is the interpreter's thread count.
	NumThreads int
}

// Options bound how the partitioner hands nodes to a delegate (TFLite's
// min_nodes_per_partition and max_delegated_partitions).
type Options struct {
	// MinNodesPerPartition: smaller partitions stay on the CPU (0 or 1:
	// any size).
	MinNodesPerPartition int
	// MaxPartitions keeps only the largest partitions (0: no limit).
	MaxPartitions int
}

// BufferHandler is implemented by compiled delegate kernels that keep
// tensors in the delegate's own memory (a GPU, a device over USB): the
// interpreter then asks them to copy data at CPU boundaries only. On every
// run of the delegate node it calls CopyToDelegate for each of the node's
// inputs before Eval (for an input that is constant, only on the first run
// after AllocateTensors) and CopyFromDelegate for each output after it;
// tensors inside the partition are never copied.
type BufferHandler interface {
	// CopyToDelegate makes the delegate's copy of t current from t's CPU
	// bytes (t is one of the partition's inputs).
	CopyToDelegate(t *core.Tensor) error
	// CopyFromDelegate writes the delegate's copy of t into t's CPU
	// bytes (t is one of the partition's outputs).
	CopyFromDelegate(t *core.Tensor) error
}

// Producer returns the node of g that writes t, or nil (t is a subgraph
// input, a constant or a variable nobody writes). It scans the nodes: call
// it in Supports or Compile, not per run.
func (g *Graph) Producer(t *core.Tensor) *core.Node {
	for _, n := range g.Nodes {
		for _, o := range n.Outputs {
			if o == t && t != nil {
				return n
			}
		}
	}
	return nil
}

// Consumers returns the nodes of g that read t, in execution order.
func (g *Graph) Consumers(t *core.Tensor) []*core.Node {
	var out []*core.Node
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			if in == t && t != nil {
				out = append(out, n)
				break
			}
		}
	}
	return out
}
