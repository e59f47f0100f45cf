package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/delegates/reference"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/xnnpack"
)

// planDelegate is a delegate this build can plan with, by the name
// --plan-delegate takes.
type planDelegate struct {
	name  string
	about string
	make  func() (delegates.Delegate, error)
}

// planDelegates lists the delegates of this build. Accelerator delegates
// add their entry here; a package whose delegate needs a build tag has a
// stub without it whose New says how to build it (xnnpack does), so the
// name is known in every build and gives that error where it cannot run.
func planDelegates() []planDelegate {
	xnnAbout := "XNNPACK through cgo (libxnnpack-dev): what Edgelite's XNNPACK delegate takes, with its reasons for the rest"
	if !xnnpack.Built {
		xnnAbout = "not in this build (rebuild with cgo and -tags xnnpack): " + xnnAbout
	}
	return []planDelegate{
		{
			name:  "reference",
			about: "Edgelite's reference delegate: runs the ops it lists with the CPU kernels (a test and example, no speed-up)",
			make:  func() (delegates.Delegate, error) { return reference.New(reference.Options{}), nil },
		},
		{
			name:  "xnnpack",
			about: xnnAbout,
			make: func() (delegates.Delegate, error) {
				d, err := xnnpack.New(xnnpack.Options{})
				if err != nil {
					return nil, err // the stub's ErrNotBuilt says how to build it
				}
				return d, nil
			},
		},
	}
}

func planDelegateNames() []string {
	var names []string
	for _, d := range planDelegates() {
		names = append(names, d.name)
	}
	return names
}

// makeDelegates resolves a comma-separated list of delegate names.
func makeDelegates(list string) ([]delegates.Delegate, error) {
	var out []delegates.Delegate
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := false
		for _, pd := range planDelegates() {
			if pd.name == name {
				d, err := pd.make()
				if err != nil {
					return nil, fmt.Errorf("delegate %q: %w", name, err)
				}
				out = append(out, d)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown delegate %q (this build has: %s)", name, strings.Join(planDelegateNames(), ", "))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no delegate named (this build has: %s)", strings.Join(planDelegateNames(), ", "))
	}
	return out, nil
}

// PlanReport is the "plan" member of the JSON document.
type PlanReport struct {
	Delegates            []string       `json:"delegates"`
	MinNodesPerPartition int            `json:"min_nodes_per_partition"`
	MaxPartitions        int            `json:"max_partitions"`
	Subgraphs            []SubgraphPlan `json:"subgraphs"`
}

// SubgraphPlan is the plan of one subgraph.
type SubgraphPlan struct {
	Index      int             `json:"index"`
	Name       string          `json:"name"`
	Offered    bool            `json:"offered"`
	Note       string          `json:"note,omitempty"`
	Operators  int             `json:"num_operators"`
	Delegated  int             `json:"num_delegated"`
	Partitions []PartitionPlan `json:"partitions"`
	CPUNodes   []int           `json:"cpu_nodes"`
	Refusals   []RefusalPlan   `json:"refusals"`
	Steps      []StepPlan      `json:"steps"`

	ops []string // op name of every operator
}

// PartitionPlan is one delegated partition.
type PartitionPlan struct {
	Delegate      string `json:"delegate"`
	DelegateIndex int    `json:"delegate_index"`
	NodeIndex     int    `json:"node_index"`
	Nodes         []int  `json:"nodes"`
	Inputs        []int  `json:"inputs"`
	Outputs       []int  `json:"outputs"`
}

// RefusalPlan says why a delegate did not take an operator.
type RefusalPlan struct {
	Node     int    `json:"node"`
	Op       string `json:"op"`
	Delegate string `json:"delegate"`
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
}

// StepPlan is one entry of the execution order: an operator on the CPU
// (partition -1) or a delegate node.
type StepPlan struct {
	Node      int `json:"node"`
	Partition int `json:"partition"`
}

// makePlan builds an interpreter with the delegates and reports its plan.
func makePlan(m *interpreter.Model, ds []delegates.Delegate, opts delegates.Options) (*PlanReport, error) {
	it, err := interpreter.New(m, interpreter.WithDelegates(ds...), interpreter.WithDelegateOptions(opts))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	rep := &PlanReport{MinNodesPerPartition: opts.MinNodesPerPartition, MaxPartitions: opts.MaxPartitions, Subgraphs: []SubgraphPlan{}}
	for _, d := range ds {
		rep.Delegates = append(rep.Delegates, d.Name())
	}
	for si, sp := range it.Plan().Subgraphs {
		info := m.Subgraphs()[si]
		s := SubgraphPlan{
			Index: si, Name: info.Name, Offered: sp.Offered, Note: sp.Note, Operators: sp.NumNodes,
			Partitions: []PartitionPlan{}, CPUNodes: sp.CPUNodes(), Refusals: []RefusalPlan{}, Steps: []StepPlan{},
		}
		if s.CPUNodes == nil {
			s.CPUNodes = []int{}
		}
		for _, op := range info.Operators {
			s.ops = append(s.ops, op.Op.Name())
		}
		for _, p := range sp.Partitions {
			s.Partitions = append(s.Partitions, PartitionPlan{
				Delegate: p.Delegate, DelegateIndex: p.DelegateIndex, NodeIndex: p.NodeIndex,
				Nodes: p.Nodes, Inputs: nonNil(p.Inputs), Outputs: nonNil(p.Outputs),
			})
			s.Delegated += len(p.Nodes)
		}
		for _, r := range sp.Refusals {
			s.Refusals = append(s.Refusals, RefusalPlan{Node: r.Node, Op: r.Op, Delegate: r.Delegate, Kind: r.Kind.String(), Reason: r.Reason})
		}
		for _, st := range sp.Steps {
			s.Steps = append(s.Steps, StepPlan{Node: st.Node, Partition: st.Partition})
		}
		rep.Subgraphs = append(rep.Subgraphs, s)
	}
	return rep, nil
}

func nonNil(v []int) []int {
	if v == nil {
		return []int{}
	}
	return v
}

// ranges formats sorted node indices compactly: "0-4 7 9-12".
func ranges(v []int) string {
	v = append([]int(nil), v...)
	sort.Ints(v)
	var parts []string
	for i := 0; i < len(v); {
		j := i
		for j+1 < len(v) && v[j+1] == v[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", v[i], v[j]))
		} else {
			parts = append(parts, fmt.Sprint(v[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, " ")
}

func printPlan(w io.Writer, r *PlanReport) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\nDelegation plan: delegates %s; min nodes per partition %d, max partitions %d (0: no limit)\n",
		strings.Join(r.Delegates, ", "), r.MinNodesPerPartition, r.MaxPartitions)
	for _, s := range r.Subgraphs {
		if !s.Offered {
			p("  Subgraph %d %q: not delegated (%s)\n", s.Index, s.Name, s.Note)
			continue
		}
		p("  Subgraph %d %q: %d of %d operators delegated in %d partition(s), %d on the CPU\n",
			s.Index, s.Name, s.Delegated, s.Operators, len(s.Partitions), len(s.CPUNodes))
		for i, part := range s.Partitions {
			p("    Partition %d: %s, %d operator(s) [%s] as node %d; inputs %s outputs %s\n",
				i, part.Delegate, len(part.Nodes), ranges(part.Nodes), part.NodeIndex, ints(part.Inputs), ints(part.Outputs))
		}
		if len(s.CPUNodes) > 0 {
			p("    CPU: [%s]\n", ranges(s.CPUNodes))
		}
		var order []string
		for _, st := range s.Steps {
			if st.Partition >= 0 {
				order = append(order, fmt.Sprintf("P%d", st.Partition))
			} else {
				order = append(order, fmt.Sprint(st.Node))
			}
		}
		p("    Execution order: %s\n", strings.Join(order, " "))
		if len(s.Refusals) > 0 {
			// Operators refused for the same reason are listed together.
			type key struct{ delegate, op, reason string }
			var keys []key
			nodes := map[key][]int{}
			for _, rf := range s.Refusals {
				k := key{rf.Delegate, rf.Op, rf.Reason}
				if nodes[k] == nil {
					keys = append(keys, k)
				}
				nodes[k] = append(nodes[k], rf.Node)
			}
			p("    Refused:\n")
			for _, k := range keys {
				if n := nodes[k]; len(n) == 1 {
					p("      operator %d (%s) by %s: %s\n", n[0], k.op, k.delegate, k.reason)
				} else {
					p("      %d %s operators [%s] by %s: %s\n", len(n), k.op, ranges(n), k.delegate, k.reason)
				}
			}
		}
	}
}
