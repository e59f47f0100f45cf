// Package delegates is Edgelite's delegate API: how an accelerator (XNNPACK,
// a GPU, the Edge TPU, ...) takes over parts of a graph.
//
// The interpreter asks each Delegate, in the order given, which nodes of a
// subgraph it supports; the partitioner groups supported nodes into
// partitions that keep the graph acyclic, and each partition the delegate
// compiles becomes one node of the execution plan whose kernel is the
// delegate's. What no delegate takes runs on the CPU kernels.
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
	// fused activations...); nil means yes, an error says why not. Tensor
	// shapes are those of the model before AllocateTensors.
	Supports(g *Graph, node *core.Node) error
	// Compile turns a partition into the kernel that runs it. An error
	// leaves the partition on the CPU; the interpreter keeps the reason.
	Compile(p *Partition) (core.Kernel, error)
	// Close frees what the delegate holds (not the kernels it compiled:
	// those implement core.Freer).
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
	// constant tensors (weights) stay reachable through the nodes.
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
// interpreter then asks them to copy data at CPU boundaries only.
type BufferHandler interface {
	// CopyToDelegate makes the delegate's copy of t current from t's CPU
	// bytes (t is one of the partition's inputs).
	CopyToDelegate(t *core.Tensor) error
	// CopyFromDelegate writes the delegate's copy of t into t's CPU
	// bytes (t is one of the partition's outputs).
	CopyFromDelegate(t *core.Tensor) error
}
