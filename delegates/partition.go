package delegates

import (
	"container/heap"
	"errors"
	"fmt"
	"sort"

	"github.com/edgelite/edgelite/interpreter/core"
)

// Partitioner splits one graph between delegates. The interpreter uses it in
// New; it is exported so that tools and tests can plan a graph the same way.
type Partitioner struct {
	// Delegates are applied in order: each sees only the nodes the
	// earlier ones left.
	Delegates []Delegate
	Options   Options
	// NumThreads is passed on in every Partition.
	NumThreads int
	// CPUOnly, if set, returns why a node must stay on the CPU ("" when it
	// may be delegated). Such nodes are never offered to Supports.
	CPUOnly func(n *core.Node) string
}

// Step is one entry of a rewritten execution plan: either a node that runs
// on its CPU kernel (Node set) or a compiled partition (Partition set).
type Step struct {
	Node *core.Node

	Partition     *Partition
	Delegate      Delegate
	DelegateIndex int
	// Kernel is what the delegate's Compile returned for Partition.
	Kernel core.Kernel
	// NodeIndex is the index the delegate node gets (len(Graph.Nodes) and
	// up, in the order partitions were compiled).
	NodeIndex int
}

// Result is a rewritten execution plan and its description.
type Result struct {
	// Steps run in this order; it is a topological order of the graph in
	// which every node appears exactly once, alone or in one partition.
	Steps []Step
	Plan  SubgraphPlan
}

// unit is a node of the graph being partitioned: one original node, or a
// partition an earlier delegate compiled.
type unit struct {
	node  *core.Node
	step  *Step
	nodes []*core.Node
	key   int // position of its first node in the original order
}

// Run partitions g. It fails only for a malformed graph (a tensor read
// before it is written, a nil delegate); delegates that refuse nodes or fail
// to compile are recorded in the plan, never returned as errors.
func (p *Partitioner) Run(g *Graph) (*Result, error) {
	for i, d := range p.Delegates {
		if d == nil {
			return nil, fmt.Errorf("delegate %d is nil", i)
		}
	}
	pos := make(map[*core.Node]int, len(g.Nodes))
	units := make([]*unit, len(g.Nodes))
	for i, n := range g.Nodes {
		if n == nil {
			return nil, fmt.Errorf("subgraph %d: node %d is nil", g.Index, i)
		}
		pos[n] = i
		units[i] = &unit{node: n, nodes: []*core.Node{n}, key: i}
	}
	res := &Result{Plan: SubgraphPlan{Index: g.Index, NumNodes: len(g.Nodes), Offered: true}}
	nextNode := len(g.Nodes)
	for di, d := range p.Delegates {
		var err error
		units, err = p.apply(g, units, di, d, &res.Plan, &nextNode)
		if err != nil {
			return nil, err
		}
	}
	partIndex := map[*Step]int{}
	for _, u := range units {
		if u.step == nil {
			res.Steps = append(res.Steps, Step{Node: u.node})
			res.Plan.Steps = append(res.Plan.Steps, PlanStep{Node: pos[u.node], Partition: -1})
			continue
		}
		res.Steps = append(res.Steps, *u.step)
		partIndex[u.step] = len(res.Plan.Partitions)
		pp := PartitionPlan{
			Delegate: u.step.Delegate.Name(), DelegateIndex: u.step.DelegateIndex, NodeIndex: u.step.NodeIndex,
			Inputs: tensorIndices(u.step.Partition.Inputs), Outputs: tensorIndices(u.step.Partition.Outputs),
		}
		for _, n := range u.step.Partition.Nodes {
			pp.Nodes = append(pp.Nodes, pos[n])
		}
		res.Plan.Partitions = append(res.Plan.Partitions, pp)
		res.Plan.Steps = append(res.Plan.Steps, PlanStep{Node: u.step.NodeIndex, Partition: partIndex[u.step]})
	}
	// Partitions are listed by delegate, then in execution order.
	order := make([]int, len(res.Plan.Partitions))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return res.Plan.Partitions[order[a]].DelegateIndex < res.Plan.Partitions[order[b]].DelegateIndex
	})
	newIndex := make([]int, len(order))
	parts := make([]PartitionPlan, len(order))
	for to, from := range order {
		parts[to] = res.Plan.Partitions[from]
		newIndex[from] = to
	}
	res.Plan.Partitions = parts
	for i, s := range res.Plan.Steps {
		if s.Partition >= 0 {
			res.Plan.Steps[i].Partition = newIndex[s.Partition]
		}
	}
	return res, nil
}

func tensorIndices(ts []*core.Tensor) []int {
	out := make([]int, len(ts))
	for i, t := range ts {
		out[i] = t.Index()
	}
	return out
}

// deps returns, for the units in execution order, each unit's successors
// and predecessor count: data edges through tensors, and an order kept
// between every unit with state (variables, resources, CPU-only nodes such
// as control flow) so that side effects stay in model order.
func (p *Partitioner) deps(g *Graph, units []*unit) (succ [][]int, indeg []int, err error) {
	producer := map[*core.Tensor]int{}
	for ui, u := range units {
		for _, n := range u.nodes {
			for _, t := range n.Outputs {
				if t != nil && !t.IsVariable() {
					producer[t] = ui
				}
			}
		}
	}
	succ = make([][]int, len(units))
	indeg = make([]int, len(units))
	lastStateful := -1
	for ui, u := range units {
		stateful := false
		seen := map[int]bool{}
		for _, n := range u.nodes {
			if p.CPUOnly != nil && p.CPUOnly(n) != "" {
				stateful = true
			}
			for _, group := range [][]*core.Tensor{n.Inputs, n.Outputs} {
				for _, t := range group {
					if t != nil && (t.IsVariable() || t.Type() == core.Resource) {
						stateful = true
					}
				}
			}
			for _, t := range n.Inputs {
				if t == nil {
					continue
				}
				src, ok := producer[t]
				if !ok || src == ui || seen[src] {
					continue
				}
				if src > ui {
					return nil, nil, fmt.Errorf("subgraph %d, %s: input %q is written by a later node", g.Index, n.Name(), t.Name())
				}
				seen[src] = true
				succ[src] = append(succ[src], ui)
				indeg[ui]++
			}
		}
		if stateful {
			if lastStateful >= 0 && !seen[lastStateful] {
				succ[lastStateful] = append(succ[lastStateful], ui)
				indeg[ui]++
			}
			lastStateful = ui
		}
	}
	return succ, indeg, nil
}

// keyHeap is a min-heap of unit indices by key.
type keyHeap struct {
	items []int
	key   func(int) int
}

func (h *keyHeap) Len() int           { return len(h.items) }
func (h *keyHeap) Less(a, b int) bool { return h.key(h.items[a]) < h.key(h.items[b]) }
func (h *keyHeap) Swap(a, b int)      { h.items[a], h.items[b] = h.items[b], h.items[a] }
func (h *keyHeap) Push(x any)         { h.items = append(h.items, x.(int)) }
func (h *keyHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

var errCycle = errors.New("the graph has a cycle")

// group returns the candidate groups of one delegate. It runs the graph in
// phases: first every unit the delegate does not take that can run, then
// every candidate that can run, then again. Each candidate phase is one
// group: everything it holds depends only on earlier phases and itself, so
// that replacing it by one node keeps the graph acyclic. Starting with the
// CPU phases lets each group wait for as many of its inputs as possible,
// which keeps groups few and large.
func group(units []*unit, succ [][]int, indeg []int, cand []bool) ([][]int, error) {
	indeg = append([]int(nil), indeg...)
	key := func(i int) int { return units[i].key }
	cpu, acc := &keyHeap{key: key}, &keyHeap{key: key}
	release := func(u int) {
		for _, s := range succ[u] {
			indeg[s]--
			if indeg[s] == 0 {
				if cand[s] {
					heap.Push(acc, s)
				} else {
					heap.Push(cpu, s)
				}
			}
		}
	}
	for i := range units {
		if indeg[i] == 0 {
			if cand[i] {
				heap.Push(acc, i)
			} else {
				heap.Push(cpu, i)
			}
		}
	}
	var groups [][]int
	done := 0
	for done < len(units) {
		for cpu.Len() > 0 {
			u := heap.Pop(cpu).(int)
			done++
			release(u)
		}
		if acc.Len() == 0 {
			if done < len(units) {
				return nil, errCycle
			}
			break
		}
		var g []int
		for acc.Len() > 0 {
			u := heap.Pop(acc).(int)
			g = append(g, u)
			done++
			release(u)
		}
		sort.Slice(g, func(a, b int) bool { return units[g[a]].key < units[g[b]].key })
		groups = append(groups, g)
	}
	return groups, nil
}

// apply offers the remaining nodes to one delegate and returns the new
// units in execution order.
func (p *Partitioner) apply(g *Graph, units []*unit, di int, d Delegate, plan *SubgraphPlan, nextNode *int) ([]*unit, error) {
	name := d.Name()
	refuse := func(n *core.Node, kind RefusalKind, reason string) {
		plan.Refusals = append(plan.Refusals, Refusal{
			Node: n.Index, Op: n.Op.Name(), Delegate: name, DelegateIndex: di, Kind: kind, Reason: reason,
		})
	}
	cand := make([]bool, len(units))
	offered := false
	for i, u := range units {
		if u.step != nil {
			continue
		}
		if p.CPUOnly != nil {
			if why := p.CPUOnly(u.node); why != "" {
				refuse(u.node, RefusedCPUOnly, why)
				continue
			}
		}
		if err := supports(d, g, u.node); err != nil {
			refuse(u.node, RefusedUnsupported, err.Error())
			continue
		}
		cand[i] = true
		offered = true
	}
	if !offered {
		return units, nil
	}
	succ, indeg, err := p.deps(g, units)
	if err != nil {
		return nil, err
	}
	groups, err := group(units, succ, indeg, cand)
	if err != nil {
		return nil, fmt.Errorf("subgraph %d: %w", g.Index, err)
	}

	// Size limits: too small first, then keep the largest.
	keep := make([]bool, len(groups))
	var kept []int
	for gi, grp := range groups {
		if p.Options.MinNodesPerPartition > 1 && len(grp) < p.Options.MinNodesPerPartition {
			for _, u := range grp {
				refuse(units[u].node, RefusedTooSmall, ReasonTooSmall)
			}
			continue
		}
		keep[gi] = true
		kept = append(kept, gi)
	}
	if max := p.Options.MaxPartitions; max > 0 && len(kept) > max {
		sort.SliceStable(kept, func(a, b int) bool { return len(groups[kept[a]]) > len(groups[kept[b]]) })
		for _, gi := range kept[max:] {
			keep[gi] = false
			for _, u := range groups[gi] {
				refuse(units[u].node, RefusedOverMax, ReasonOverMax)
			}
		}
	}

	// Compile the groups kept, in execution order.
	consumers := map[*core.Tensor][]int{}
	for ui, u := range units {
		for _, n := range u.nodes {
			for _, t := range n.Inputs {
				if t != nil {
					consumers[t] = append(consumers[t], ui)
				}
			}
		}
	}
	isOutput := map[*core.Tensor]bool{}
	for _, t := range g.Outputs {
		isOutput[t] = true
	}
	owner := make([]int, len(units)) // condensed unit of each unit
	for i := range owner {
		owner[i] = i
	}
	steps := map[int]*Step{}
	for gi, grp := range groups {
		if !keep[gi] {
			continue
		}
		part := makePartition(g, units, grp, consumers, isOutput, p.NumThreads)
		k, err := compile(d, part)
		if err == nil && k == nil {
			err = errors.New("Compile returned no kernel")
		}
		if err != nil {
			for _, u := range grp {
				refuse(units[u].node, RefusedCompile, err.Error())
			}
			continue
		}
		steps[grp[0]] = &Step{Partition: part, Delegate: d, DelegateIndex: di, Kernel: k, NodeIndex: *nextNode}
		*nextNode++
		for _, u := range grp {
			owner[u] = grp[0]
		}
	}
	if len(steps) == 0 {
		return units, nil
	}
	return condense(units, succ, owner, steps)
}

// makePartition describes the nodes of one group.
func makePartition(g *Graph, units []*unit, grp []int, consumers map[*core.Tensor][]int, isOutput map[*core.Tensor]bool, threads int) *Partition {
	in := map[int]bool{}
	for _, u := range grp {
		in[u] = true
	}
	part := &Partition{Graph: g, NumThreads: threads}
	written := map[*core.Tensor]bool{}
	listed := map[*core.Tensor]bool{}
	for _, u := range grp {
		n := units[u].node
		part.Nodes = append(part.Nodes, n)
		for _, t := range n.Inputs {
			if t == nil || t.IsConstant() || written[t] || listed[t] {
				continue
			}
			listed[t] = true
			part.Inputs = append(part.Inputs, t)
		}
		for _, t := range n.Outputs {
			if t == nil {
				continue
			}
			written[t] = true
			if listed[t] {
				continue
			}
			out := isOutput[t]
			for _, c := range consumers[t] {
				if !in[c] {
					out = true
				}
			}
			if out {
				listed[t] = true
				part.Outputs = append(part.Outputs, t)
			}
		}
	}
	return part
}

// condense replaces every compiled group by one unit and orders the result
// topologically, keeping the previous order wherever the dependencies allow.
func condense(units []*unit, succ [][]int, owner []int, steps map[int]*Step) ([]*unit, error) {
	cu := map[int]*unit{}
	indeg := make([]int, len(units))
	csucc := make([][]int, len(units))
	for u := range units {
		for _, s := range succ[u] {
			a, b := owner[u], owner[s]
			if a == b {
				continue
			}
			csucc[a] = append(csucc[a], b)
			indeg[b]++
		}
	}
	for u, st := range steps {
		nu := &unit{step: st, key: units[u].key}
		nu.nodes = st.Partition.Nodes
		cu[u] = nu
	}
	h := &keyHeap{key: func(i int) int { return units[i].key }}
	count := 0
	for u := range units {
		if owner[u] == u {
			count++
			if indeg[u] == 0 {
				heap.Push(h, u)
			}
		}
	}
	out := make([]*unit, 0, count)
	for h.Len() > 0 {
		u := heap.Pop(h).(int)
		if nu, ok := cu[u]; ok {
			out = append(out, nu)
		} else {
			out = append(out, units[u])
		}
		for _, s := range csucc[u] {
			indeg[s]--
			if indeg[s] == 0 {
				heap.Push(h, s)
			}
		}
	}
	if len(out) != count {
		return nil, errCycle
	}
	return out, nil
}

// supports asks d about n; a delegate that panics on a node (a malformed
// model it did not expect) refuses it instead of crashing the program.
func supports(d Delegate, g *Graph, n *core.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Supports panicked: %v", r)
		}
	}()
	return d.Supports(g, n)
}

// compile is d.Compile with a panic turned into a compile failure.
func compile(d Delegate, p *Partition) (k core.Kernel, err error) {
	defer func() {
		if r := recover(); r != nil {
			k, err = nil, fmt.Errorf("Compile panicked: %v", r)
		}
	}()
	return d.Compile(p)
}
