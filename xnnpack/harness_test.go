//go:build xnnpack && cgo

package xnnpack

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
)

// This file runs a model with the delegate without the interpreter's
// delegate support: the interpreter prepares and plans the model on the
// CPU; the harness asks Supports about every node (before
// AllocateTensors, as the partitioner will), cuts the execution order into
// runs of supported and unsupported nodes (a run of consecutive nodes of a
// topological order is convex), compiles each supported run into one
// kernel and then executes the runs in order: delegated runs through their
// kernel (with the node the interpreter will give it: Inputs =
// Partition.Inputs, Outputs = Partition.Outputs), the others through
// Edgelite's CPU kernels. Both write into the interpreter's arena, whose
// plan stays valid because nodes run in the planned order and a delegated
// run writes only its outputs.

type segment struct {
	nodes    []*core.Node
	kernels  []core.Kernel // CPU kernels, or one delegate kernel
	node     *core.Node    // the delegate node
	delegate bool
	reason   error // why the first node of a CPU run is not supported
}

type delegatedModel struct {
	it       *interpreter.Interpreter
	g        *delegates.Graph
	segs     []*segment
	rejected map[string]int // "OP: reason" counts
	taken    int            // nodes in delegated runs
	total    int
}

func graphOf(t testing.TB, it *interpreter.Interpreter) *delegates.Graph {
	sg, err := it.Subgraph(0)
	require.NoError(t, err)
	g := &delegates.Graph{Index: 0, Nodes: sg.Nodes(), Inputs: sg.Inputs(), Outputs: sg.Outputs()}
	for i := range it.NumTensors() {
		g.Tensors = append(g.Tensors, it.Tensor(i))
	}
	return g
}

// partitionOf lists a run's inputs and outputs as the partitioner does.
func partitionOf(g *delegates.Graph, nodes []*core.Node, threads int) *delegates.Partition {
	p := &delegates.Partition{Graph: g, Nodes: nodes, NumThreads: threads}
	written := map[*core.Tensor]bool{}
	inRun := map[*core.Node]bool{}
	for _, n := range nodes {
		inRun[n] = true
	}
	for _, n := range nodes {
		for _, t := range n.Inputs {
			if t != nil && !t.IsConstant() && !written[t] && !slices.Contains(p.Inputs, t) {
				p.Inputs = append(p.Inputs, t)
			}
		}
		for _, t := range n.Outputs {
			if t != nil {
				written[t] = true
			}
		}
	}
	for _, n := range nodes {
		for _, t := range n.Outputs {
			if t == nil || t.IsConstant() {
				continue
			}
			used := slices.Contains(g.Outputs, t)
			for _, m := range g.Nodes {
				if !inRun[m] && slices.Contains(m.Inputs, t) {
					used = true
				}
			}
			if used {
				p.Outputs = append(p.Outputs, t)
			}
		}
	}
	return p
}

// delegateModel loads path, asks d about every node and compiles the
// supported runs.
func delegateModel(t testing.TB, d *Delegate, path string, threads int) *delegatedModel {
	t.Helper()
	m, err := interpreter.LoadModelFile(path)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return delegateLoaded(t, d, m, threads)
}

// delegateLoaded is delegateModel for a loaded model.
func delegateLoaded(t testing.TB, d *Delegate, m *interpreter.Model, threads int) *delegatedModel {
	t.Helper()
	it, err := interpreter.New(m, interpreter.WithNumThreads(threads))
	require.NoError(t, err)
	t.Cleanup(func() { it.Close() })
	dm := &delegatedModel{it: it, rejected: map[string]int{}}
	g := graphOf(t, it)
	dm.g = g
	// Supports sees the model before AllocateTensors, like the partitioner.
	supported := make([]error, len(g.Nodes))
	for i, n := range g.Nodes {
		supported[i] = d.Supports(g, n)
	}
	require.NoError(t, it.AllocateTensors())
	var cur *segment
	for i, n := range g.Nodes {
		ok := supported[i] == nil
		if cur == nil || cur.delegate != ok {
			cur = &segment{delegate: ok, reason: supported[i]}
			dm.segs = append(dm.segs, cur)
		}
		cur.nodes = append(cur.nodes, n)
		dm.total++
		if ok {
			dm.taken++
		} else {
			dm.rejected[fmt.Sprintf("%s: %v", n.Op.Name(), supported[i])]++
		}
	}
	ops := kernels.Builtins()
	for _, s := range dm.segs {
		if s.delegate {
			p := partitionOf(g, s.nodes, threads)
			k, err := d.Compile(p)
			require.NoError(t, err, "compile of a partition of %d nodes that Supports accepted", len(s.nodes))
			t.Cleanup(k.(core.Freer).Free)
			s.kernels = []core.Kernel{k}
			s.node = &core.Node{Index: s.nodes[0].Index, Op: core.OpCode{Custom: Name}, Inputs: p.Inputs, Outputs: p.Outputs, Env: s.nodes[0].Env}
			require.NoError(t, k.Prepare(s.node))
			continue
		}
		for _, n := range s.nodes {
			f, err := ops.Lookup(n.Op)
			require.NoError(t, err)
			k, err := f(n)
			require.NoError(t, err)
			s.kernels = append(s.kernels, k)
		}
	}
	return dm
}

// invoke runs the segments in order.
func (dm *delegatedModel) invoke() error {
	for _, s := range dm.segs {
		if s.delegate {
			if err := s.kernels[0].Eval(s.node); err != nil {
				return err
			}
			continue
		}
		for i, n := range s.nodes {
			if folded(n) {
				continue
			}
			if err := s.kernels[i].Prepare(n); err != nil {
				return fmt.Errorf("%s: prepare: %w", n.Name(), err)
			}
			if err := s.kernels[i].Eval(n); err != nil {
				return fmt.Errorf("%s: %w", n.Name(), err)
			}
		}
	}
	return nil
}

func folded(n *core.Node) bool {
	for _, t := range n.Outputs {
		if t != nil && !t.IsConstant() {
			return false
		}
	}
	return true
}

func (dm *delegatedModel) delegatedRuns() int {
	c := 0
	for _, s := range dm.segs {
		if s.delegate {
			c++
		}
	}
	return c
}
