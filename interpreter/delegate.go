package interpreter

import (
	"fmt"
	"slices"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Plan says, for every subgraph, which nodes went to which delegate and why
// the others did not, and the execution order. It is made once, in New; do
// not modify it.
func (it *Interpreter) Plan() *delegates.Plan { return it.plan }

// delegationNotes says, per subgraph, why its nodes are not offered to the
// delegates ("" when they are). Like TFLite, Edgelite delegates the graphs a
// program runs directly (the primary subgraph and the signatures'); the
// subgraphs control flow calls are resized and re-prepared while the graph
// runs and stay on the CPU.
func (it *Interpreter) delegationNotes() []string {
	notes := make([]string, len(it.subgraphs))
	entry := make([]bool, len(it.subgraphs))
	entry[0] = true
	for _, sig := range it.model.signatures {
		if sig.Subgraph >= 0 && sig.Subgraph < len(entry) {
			entry[sig.Subgraph] = true
		}
	}
	called := make([]bool, len(it.subgraphs))
	for _, info := range it.model.subgraphs {
		for oi := range info.Operators {
			for _, ref := range subgraphRefs(&info.Operators[oi]) {
				if ref >= 0 && ref < len(called) {
					called[ref] = true
				}
			}
		}
	}
	for i := range notes {
		switch {
		case len(it.cfg.delegates) == 0:
			notes[i] = "no delegates"
		case called[i]:
			notes[i] = "called by control flow: runs on the CPU"
		case !entry[i]:
			notes[i] = "neither the primary subgraph nor a signature's: runs on the CPU"
		}
	}
	return notes
}

// applyDelegates partitions every offered subgraph and rewrites its
// execution plan.
func (it *Interpreter) applyDelegates() (*delegates.Plan, error) {
	plan := &delegates.Plan{Subgraphs: make([]delegates.SubgraphPlan, len(it.subgraphs))}
	notes := it.delegationNotes()
	for si, s := range it.subgraphs {
		if notes[si] != "" {
			sp := delegates.SubgraphPlan{Index: si, NumNodes: len(s.ops), Note: notes[si]}
			for i := range s.ops {
				sp.Steps = append(sp.Steps, delegates.PlanStep{Node: i, Partition: -1})
			}
			plan.Subgraphs[si] = sp
			continue
		}
		info := s.info
		p := delegates.Partitioner{
			Delegates:  it.cfg.delegates,
			Options:    it.cfg.delegateOpts,
			NumThreads: it.cfg.numThreads,
			CPUOnly: func(n *core.Node) string {
				if n.Index < len(info.Operators) && len(subgraphRefs(&info.Operators[n.Index])) > 0 {
					return "control flow (calls subgraphs): runs on the CPU"
				}
				return ""
			},
		}
		g := &delegates.Graph{Index: si, Nodes: slices.Clone(s.ops), Tensors: s.tensors, Inputs: s.inputs, Outputs: s.outputs}
		res, err := p.Run(g)
		if err != nil {
			return nil, fmt.Errorf("delegates: %w", err)
		}
		s.setPlan(res.Steps)
		plan.Subgraphs[si] = res.Plan
	}
	return plan, nil
}

// setPlan makes steps the subgraph's execution plan; each partition becomes
// a delegate node whose inputs and outputs are the partition's.
func (s *subgraph) setPlan(steps []delegates.Step) {
	s.nodes = make([]*core.Node, len(steps))
	s.kernels = make([]core.Kernel, len(steps))
	s.handlers = nil
	for i, st := range steps {
		if st.Node != nil {
			s.nodes[i] = st.Node
			s.kernels[i] = s.opKernels[st.Node.Index]
			continue
		}
		s.nodes[i] = &core.Node{
			Index:    st.NodeIndex,
			Subgraph: s.index,
			Op:       core.OpCode{Builtin: tflite.BuiltinOperatorDELEGATE, Custom: st.Delegate.Name(), Version: 1},
			Inputs:   slices.Clone(st.Partition.Inputs),
			Outputs:  slices.Clone(st.Partition.Outputs),
			Env:      s,
		}
		s.kernels[i] = st.Kernel
		s.delegateKernels = append(s.delegateKernels, st.Kernel)
		if h, ok := st.Kernel.(delegates.BufferHandler); ok {
			if s.handlers == nil {
				s.handlers = make([]delegates.BufferHandler, len(steps))
			}
			s.handlers[i] = h
		}
	}
}

// evalDelegate runs a delegate node that keeps tensors in its own memory:
// its inputs are copied in before and its outputs out after, the only
// places where its data meets the CPU's.
// An input that has become constant (weights the CPU folded in
// AllocateTensors) is copied on the node's first run only.
func (s *subgraph) evalDelegate(i int, h delegates.BufferHandler, k core.Kernel, n *core.Node) error {
	for _, t := range n.Inputs {
		if t.IsConstant() && s.constsCopied[i] {
			continue
		}
		if err := h.CopyToDelegate(t); err != nil {
			return fmt.Errorf("copy of %q to the delegate: %w", t.Name(), err)
		}
	}
	s.constsCopied[i] = true
	if err := k.Eval(n); err != nil {
		return err
	}
	for _, t := range n.Outputs {
		if err := h.CopyFromDelegate(t); err != nil {
			return fmt.Errorf("copy of %q from the delegate: %w", t.Name(), err)
		}
	}
	return nil
}
