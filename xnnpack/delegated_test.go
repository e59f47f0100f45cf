//go:build xnnpack && cgo

package xnnpack

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// The tests run models through the real interpreter:
// interpreter.New(m, interpreter.WithDelegates(d)). recorder wraps the
// delegate to keep the kernels it compiled, so that tests can look at a
// partition's runtime; everything else is the interpreter's own path
// (partitioning, Prepare in AllocateTensors, memory planning, Invoke).

// recorder is a delegate that remembers what Compile returned.
type recorder struct {
	*Delegate
	kernels []*kernel
}

func (r *recorder) Compile(p *delegates.Partition) (core.Kernel, error) {
	k, err := r.Delegate.Compile(p)
	if err == nil {
		r.kernels = append(r.kernels, k.(*kernel))
	}
	return k, err
}

type delegatedModel struct {
	it       *interpreter.Interpreter
	plan     *delegates.SubgraphPlan
	kernels  []*kernel      // compiled partitions, in compile order
	rejected map[string]int // "OP: reason" counts
	taken    int            // operators in delegated partitions
	total    int
}

// delegateModel loads path and makes an interpreter that delegates to d.
func delegateModel(t testing.TB, d *Delegate, path string, threads int, opts ...interpreter.Option) *delegatedModel {
	t.Helper()
	m, err := interpreter.LoadModelFile(path)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return delegateLoaded(t, d, m, threads, opts...)
}

// delegateLoaded is delegateModel for a loaded model; the interpreter is
// allocated.
func delegateLoaded(t testing.TB, d *Delegate, m *interpreter.Model, threads int, opts ...interpreter.Option) *delegatedModel {
	t.Helper()
	r := &recorder{Delegate: d}
	it, err := interpreter.New(m, append([]interpreter.Option{interpreter.WithNumThreads(threads), interpreter.WithDelegates(r)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { it.Close() })
	require.NoError(t, it.AllocateTensors())
	sp := &it.Plan().Subgraphs[0]
	dm := &delegatedModel{it: it, plan: sp, kernels: r.kernels, rejected: map[string]int{}, total: sp.NumNodes}
	for _, p := range sp.Partitions {
		dm.taken += len(p.Nodes)
	}
	for _, ref := range sp.Refusals {
		dm.rejected[fmt.Sprintf("%s: %s", ref.Op, ref.Reason)]++
	}
	return dm
}

func (dm *delegatedModel) invoke() error { return dm.it.Invoke() }

func (dm *delegatedModel) delegatedRuns() int { return len(dm.plan.Partitions) }

// delegateNode returns the execution plan's node of partition i.
func (dm *delegatedModel) delegateNode(t testing.TB, i int) *core.Node {
	t.Helper()
	sg, err := dm.it.Subgraph(0)
	require.NoError(t, err)
	want := dm.plan.Partitions[i].NodeIndex
	for _, n := range sg.Nodes() {
		if n.Index == want {
			return n
		}
	}
	t.Fatalf("no plan node %d", want)
	return nil
}
