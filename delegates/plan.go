package delegates

// Plan says, for every subgraph, which nodes went to which delegate and why
// the others did not. The interpreter makes it once, in New.
type Plan struct {
	Subgraphs []SubgraphPlan
}

// SubgraphPlan is the plan of one subgraph.
type SubgraphPlan struct {
	// Index is the subgraph's index in the model.
	Index int
	// NumNodes is the number of operators the model gives the subgraph;
	// delegate nodes are numbered from NumNodes up.
	NumNodes int
	// Offered is whether the delegates were offered this subgraph's nodes;
	// Note says why not when they were not.
	Offered bool
	Note    string
	// Partitions are the partitions that delegates compiled, in the order
	// they were made (by delegate, then by execution order).
	Partitions []PartitionPlan
	// Refusals list, for every node a delegate did not take, which
	// delegate refused it and why. A node refused by the first delegate and
	// taken by the second is listed with the first's reason.
	Refusals []Refusal
	// Steps is the execution order: operators that run on the CPU kernels
	// and delegate nodes.
	Steps []PlanStep
}

// PartitionPlan is one compiled partition.
type PartitionPlan struct {
	// Delegate is the delegate's Name and DelegateIndex its position in
	// the list the interpreter was given.
	Delegate      string
	DelegateIndex int
	// NodeIndex is the index of the delegate node that runs the
	// partition (NumNodes or more).
	NodeIndex int
	// Nodes are the model's operator indices in the partition, in
	// execution order.
	Nodes []int
	// Inputs and Outputs are the tensor indices of the partition's inputs
	// and outputs (see Partition).
	Inputs, Outputs []int
}

// PlanStep is one entry of the execution order.
type PlanStep struct {
	// Node is an operator index (below NumNodes) or a delegate node's index.
	Node int
	// Partition indexes SubgraphPlan.Partitions; -1 for a CPU operator.
	Partition int
}

// RefusalKind classifies why a delegate did not take a node.
type RefusalKind int

// Why a node stayed off a delegate.
const (
	// RefusedUnsupported: the delegate's Supports returned an error.
	RefusedUnsupported RefusalKind = iota
	// RefusedCPUOnly: the interpreter keeps the node on the CPU and did
	// not offer it (control flow).
	RefusedCPUOnly
	// RefusedTooSmall: the node's partition had fewer nodes than
	// Options.MinNodesPerPartition.
	RefusedTooSmall
	// RefusedOverMax: the node's partition was not among the
	// Options.MaxPartitions largest.
	RefusedOverMax
	// RefusedCompile: the delegate failed to compile the node's partition.
	RefusedCompile
)

// Reasons recorded for the size limits.
const (
	ReasonTooSmall = "partition smaller than MinNodesPerPartition"
	ReasonOverMax  = "over MaxPartitions"
)

var refusalKindNames = [...]string{"unsupported", "cpu-only", "too-small", "over-max", "compile-failed"}

func (k RefusalKind) String() string {
	if k >= 0 && int(k) < len(refusalKindNames) {
		return refusalKindNames[k]
	}
	return "unknown"
}

// Refusal records that a delegate did not take a node.
type Refusal struct {
	// Node is the operator's index and Op its name ("CONV_2D").
	Node int
	Op   string
	// Delegate is the refusing delegate's Name, DelegateIndex its position.
	Delegate      string
	DelegateIndex int
	Kind          RefusalKind
	// Reason is the Supports or Compile error text, or ReasonTooSmall or
	// ReasonOverMax.
	Reason string
}

// CPUNodes lists the operators that run on the CPU kernels, in execution
// order.
func (p *SubgraphPlan) CPUNodes() []int {
	var out []int
	for _, s := range p.Steps {
		if s.Partition < 0 {
			out = append(out, s.Node)
		}
	}
	return out
}

// Placement says where operator node runs: the index of its partition in
// Partitions, or -1 for the CPU (also for an index the plan does not know).
func (p *SubgraphPlan) Placement(node int) int {
	for i, part := range p.Partitions {
		for _, n := range part.Nodes {
			if n == node {
				return i
			}
		}
	}
	return -1
}
