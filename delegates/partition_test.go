package delegates_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/delegates/reference"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// graph builds FLOAT32 [4] graphs one node per call.
type graph struct {
	b   *modelbuilder.Builder
	g   *modelbuilder.Subgraph
	n   int
	ins []int
}

func newGraph(inputs int) *graph {
	gr := &graph{b: modelbuilder.New()}
	gr.g = gr.b.Main()
	for i := range inputs {
		gr.ins = append(gr.ins, gr.g.Tensor(fmt.Sprintf("in%d", i), core.Float32, []int{4}))
	}
	gr.g.Inputs(gr.ins...)
	return gr
}

// op appends node gr.n computing a builtin op of its inputs and returns its
// output tensor.
func (gr *graph) op(code tflite.BuiltinOperator, inputs ...int) int {
	out := gr.g.Tensor(fmt.Sprintf("t%d", gr.n), core.Float32, []int{4})
	var opts any
	switch code {
	case tflite.BuiltinOperatorADD:
		opts = &tflite.AddOptionsT{}
	case tflite.BuiltinOperatorMUL:
		opts = &tflite.MulOptionsT{}
	case tflite.BuiltinOperatorSUB:
		opts = &tflite.SubOptionsT{}
	case tflite.BuiltinOperatorMAXIMUM:
		opts = &tflite.MaximumMinimumOptionsT{}
	}
	gr.g.Op(code, inputs, []int{out}, opts)
	gr.n++
	return out
}

func (gr *graph) model(t testing.TB, outputs ...int) *interpreter.Model {
	t.Helper()
	gr.g.Outputs(outputs...)
	m, err := interpreter.LoadModel(gr.b.MustBytes())
	require.NoError(t, err)
	return m
}

// only is a reference delegate limited to the given operator indices.
func only(name string, nodes ...int) *reference.Delegate {
	return reference.New(reference.Options{Name: name, Filter: func(_ *delegates.Graph, n *core.Node) error {
		if !slices.Contains(nodes, n.Index) {
			return fmt.Errorf("node %d not chosen", n.Index)
		}
		return nil
	}})
}

// run fills the inputs with fixed values, invokes, and returns a copy of
// every output.
func run(t testing.TB, m *interpreter.Model, opts ...interpreter.Option) ([][]float32, *interpreter.Interpreter) {
	t.Helper()
	it, err := interpreter.New(m, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { it.Close() })
	require.NoError(t, it.AllocateTensors())
	for i, in := range it.Inputs() {
		for j := range in.Float32s() {
			in.Float32s()[j] = float32(i+1)*0.37 - float32(j)*0.21
		}
	}
	require.NoError(t, it.Invoke())
	var outs [][]float32
	for _, o := range it.Outputs() {
		outs = append(outs, slices.Clone(o.Float32s()))
	}
	return outs, it
}

func partitionNodes(p *delegates.SubgraphPlan) [][]int {
	var out [][]int
	for _, part := range p.Partitions {
		out = append(out, part.Nodes)
	}
	return out
}

func refusals(p *delegates.SubgraphPlan, kind delegates.RefusalKind) map[int]string {
	out := map[int]string{}
	for _, r := range p.Refusals {
		if r.Kind == kind {
			out[r.Node] = r.Reason
		}
	}
	return out
}

// A diamond whose middle node B is unsupported: A and D cannot share a
// partition (B reads A and D reads B), so the partitioner must split.
//
//	A = x+x;  B = A*A (CPU);  C = tanh(A);  D = B+C
func TestDiamondSplitsAroundUnsupportedMiddle(t *testing.T) {
	gr := newGraph(1)
	a := gr.op(tflite.BuiltinOperatorADD, gr.ins[0], gr.ins[0])
	b := gr.op(tflite.BuiltinOperatorMUL, a, a)
	c := gr.op(tflite.BuiltinOperatorTANH, a)
	d := gr.op(tflite.BuiltinOperatorADD, b, c)
	m := gr.model(t, d)

	want, _ := run(t, m)
	got, it := run(t, m, interpreter.WithDelegates(only("D", 0, 2, 3)))
	assert.Equal(t, want, got)

	p := &it.Plan().Subgraphs[0]
	assert.True(t, p.Offered)
	assert.Equal(t, [][]int{{0, 2}, {3}}, partitionNodes(p))
	assert.Equal(t, []int{1}, p.CPUNodes())
	assert.Equal(t, []delegates.PlanStep{{Node: 4, Partition: 0}, {Node: 1, Partition: -1}, {Node: 5, Partition: 1}}, p.Steps)
	// The first partition hands A to the CPU node and C to the second.
	assert.Equal(t, []int{gr.ins[0]}, p.Partitions[0].Inputs)
	assert.Equal(t, []int{a, c}, p.Partitions[0].Outputs)
	assert.Equal(t, []int{b, c}, p.Partitions[1].Inputs)
	assert.Equal(t, []int{d}, p.Partitions[1].Outputs)
	assert.Equal(t, map[int]string{1: "node 1 not chosen"}, refusals(p, delegates.RefusedUnsupported))
}

// chain builds n0..n5, each a unary or binary op of the previous output.
func chain(t testing.TB) (*interpreter.Model, []int) {
	gr := newGraph(1)
	x := gr.ins[0]
	ops := []tflite.BuiltinOperator{
		tflite.BuiltinOperatorADD, tflite.BuiltinOperatorTANH, tflite.BuiltinOperatorMUL,
		tflite.BuiltinOperatorLOGISTIC, tflite.BuiltinOperatorSUB, tflite.BuiltinOperatorRELU,
	}
	var outs []int
	for _, op := range ops {
		if op == tflite.BuiltinOperatorTANH || op == tflite.BuiltinOperatorLOGISTIC || op == tflite.BuiltinOperatorRELU {
			x = gr.op(op, x)
		} else {
			x = gr.op(op, x, gr.ins[0])
		}
		outs = append(outs, x)
	}
	return gr.model(t, x), outs
}

func TestChainBrokenByUnsupportedNodes(t *testing.T) {
	m, _ := chain(t)
	want, _ := run(t, m)
	got, it := run(t, m, interpreter.WithDelegates(only("D", 0, 1, 3, 4)))
	assert.Equal(t, want, got)
	p := &it.Plan().Subgraphs[0]
	assert.Equal(t, [][]int{{0, 1}, {3, 4}}, partitionNodes(p))
	assert.Equal(t, []int{2, 5}, p.CPUNodes())
	assert.Equal(t, []delegates.PlanStep{{6, 0}, {2, -1}, {7, 1}, {5, -1}}, p.Steps)
}

func TestDelegatesApplyInOrder(t *testing.T) {
	m, _ := chain(t)
	want, _ := run(t, m)
	first := only("First", 2, 3, 4)
	second := only("Second", 0, 1, 2, 3, 4, 5)
	got, it := run(t, m, interpreter.WithDelegates(first, second))
	assert.Equal(t, want, got)
	p := &it.Plan().Subgraphs[0]
	require.Len(t, p.Partitions, 3)
	assert.Equal(t, "First", p.Partitions[0].Delegate)
	assert.Equal(t, []int{2, 3, 4}, p.Partitions[0].Nodes)
	// The second delegate sees only what the first left: two partitions
	// on either side of the first's.
	assert.Equal(t, "Second", p.Partitions[1].Delegate)
	assert.Equal(t, 1, p.Partitions[1].DelegateIndex)
	assert.Equal(t, [][]int{{2, 3, 4}, {0, 1}, {5}}, partitionNodes(p))
	assert.Empty(t, p.CPUNodes())
	assert.Equal(t, []delegates.PlanStep{{7, 1}, {6, 0}, {8, 2}}, p.Steps)
	// The first's refusals stay on record; the second was asked about
	// nothing the first took.
	for _, r := range p.Refusals {
		assert.Equal(t, "First", r.Delegate)
		assert.Contains(t, []int{0, 1, 5}, r.Node)
	}
	assert.Len(t, p.Refusals, 3)
}

func TestMinNodesAndMaxPartitions(t *testing.T) {
	m, _ := chain(t)
	want, _ := run(t, m)
	// Supported runs: {0}, {2,3,4}, and after the CPU node 5 none.
	d := only("D", 0, 2, 3, 4)
	got, it := run(t, m, interpreter.WithDelegates(d), interpreter.WithDelegateOptions(delegates.Options{MinNodesPerPartition: 2}))
	assert.Equal(t, want, got)
	p := &it.Plan().Subgraphs[0]
	assert.Equal(t, [][]int{{2, 3, 4}}, partitionNodes(p))
	assert.Equal(t, map[int]string{0: delegates.ReasonTooSmall}, refusals(p, delegates.RefusedTooSmall))

	// Runs {0,1}, {3}, {5}: keep the largest.
	d = only("D", 0, 1, 3, 5)
	got, it = run(t, m, interpreter.WithDelegates(d), interpreter.WithDelegateOptions(delegates.Options{MaxPartitions: 1}))
	assert.Equal(t, want, got)
	p = &it.Plan().Subgraphs[0]
	assert.Equal(t, [][]int{{0, 1}}, partitionNodes(p))
	assert.Equal(t, map[int]string{3: delegates.ReasonOverMax, 5: delegates.ReasonOverMax}, refusals(p, delegates.RefusedOverMax))
	assert.Equal(t, []int{2, 3, 4, 5}, p.CPUNodes())
}

// failing refuses to compile any partition that holds node bad.
type failing struct {
	*reference.Delegate
	bad int
}

func (f failing) Compile(p *delegates.Partition) (core.Kernel, error) {
	for _, n := range p.Nodes {
		if n.Index == f.bad {
			return nil, fmt.Errorf("cannot place %s", n.Name())
		}
	}
	return f.Delegate.Compile(p)
}

func TestCompileFailureFallsBackToCPU(t *testing.T) {
	m, _ := chain(t)
	want, _ := run(t, m)
	d := failing{only("D", 0, 1, 3, 4), 3}
	got, it := run(t, m, interpreter.WithDelegates(d))
	assert.Equal(t, want, got)
	p := &it.Plan().Subgraphs[0]
	assert.Equal(t, [][]int{{0, 1}}, partitionNodes(p))
	assert.Equal(t, []int{2, 3, 4, 5}, p.CPUNodes())
	r := refusals(p, delegates.RefusedCompile)
	assert.Equal(t, map[int]string{3: "cannot place operator 3 (LOGISTIC)", 4: "cannot place operator 3 (LOGISTIC)"}, r)
}

// A node with no CPU kernel runs if a delegate takes it, and New names it
// if none does.
func TestDelegateRunsOpsTheCPUCannot(t *testing.T) {
	m, _ := chain(t)
	cpu := kernels.Builtins()
	noTanh := core.NewOps()
	noTanh.Merge(cpu)
	noTanh.AddBuiltin(tflite.BuiltinOperatorTANH, 1, 99, func(*core.Node) (core.Kernel, error) {
		return nil, errors.New("no TANH here")
	})
	want, _ := run(t, m)
	got, _ := run(t, m, interpreter.WithOpResolver(noTanh), interpreter.WithDelegates(only("D", 1)))
	assert.Equal(t, want, got)
	_, err := interpreter.New(m, interpreter.WithOpResolver(noTanh), interpreter.WithDelegates(only("D", 0)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no TANH here")
}

// Control flow stays on the CPU: the CALL_ONCE node is never offered and
// the subgraph it calls is not delegated.
func TestControlFlowStaysOnCPU(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{4})
	a := g.Tensor("a", core.Float32, []int{4})
	y := g.Tensor("y", core.Float32, []int{4})
	init := b.NewSubgraph("init")
	g.Op(tflite.BuiltinOperatorADD, []int{x, x}, []int{a}, &tflite.AddOptionsT{})
	g.Op(tflite.BuiltinOperatorCALL_ONCE, nil, nil, &tflite.CallOnceOptionsT{InitSubgraphIndex: int32(init.Index())})
	g.Op(tflite.BuiltinOperatorADD, []int{a, a}, []int{y}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(y)
	u := init.Tensor("u", core.Float32, []int{4})
	v := init.Tensor("v", core.Float32, []int{4})
	init.Op(tflite.BuiltinOperatorADD, []int{u, u}, []int{v}, &tflite.AddOptionsT{})
	init.Inputs(u)
	init.Outputs(v)
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)

	ops := kernels.Builtins()
	ops.AddBuiltin(tflite.BuiltinOperatorCALL_ONCE, 1, 1, func(*core.Node) (core.Kernel, error) {
		return core.KernelFunc{EvalFunc: func(*core.Node) error { return nil }}, nil
	})
	everything := reference.New(reference.Options{Ops: append(slices.Clone(reference.DefaultOps), tflite.BuiltinOperatorCALL_ONCE)})
	got, it := run(t, m, interpreter.WithOpResolver(ops), interpreter.WithDelegates(everything))
	assert.InDeltaSlice(t, []float32{4 * 0.37, 4 * (0.37 - 0.21), 4 * (0.37 - 0.42), 4 * (0.37 - 0.63)}, got[0], 1e-6)
	plan := it.Plan()
	p := &plan.Subgraphs[0]
	assert.Equal(t, [][]int{{0, 2}}, partitionNodes(p))
	cpuOnly := refusals(p, delegates.RefusedCPUOnly)
	assert.Contains(t, cpuOnly[1], "control flow")
	assert.False(t, plan.Subgraphs[1].Offered)
	assert.Contains(t, plan.Subgraphs[1].Note, "control flow")
	assert.Empty(t, plan.Subgraphs[1].Partitions)
}

func TestNoDelegatesKeepsTheModelOrder(t *testing.T) {
	m, _ := chain(t)
	_, it := run(t, m)
	p := &it.Plan().Subgraphs[0]
	assert.False(t, p.Offered)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, p.CPUNodes())
	// A delegate that takes nothing leaves the order alone too.
	_, it = run(t, m, interpreter.WithDelegates(only("D")))
	p = &it.Plan().Subgraphs[0]
	assert.True(t, p.Offered)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, p.CPUNodes())
	assert.Len(t, p.Refusals, 6)
}

func TestNilDelegateIsAnError(t *testing.T) {
	m, _ := chain(t)
	_, err := interpreter.New(m, interpreter.WithDelegates(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "delegate 0 is nil")
}

// profile records the ops the profiler sees.
type profile struct{ ops []string }

func (p *profile) BeginOp(_, _ int, op string) {
	if len(p.ops) < cap(p.ops) {
		p.ops = append(p.ops, op)
	}
}
func (p *profile) EndOp(_, _ int) {}

func TestProfilerSeesOneOpPerPartition(t *testing.T) {
	m, _ := chain(t)
	prof := &profile{ops: make([]string, 0, 16)}
	_, _ = run(t, m, interpreter.WithProfiler(prof), interpreter.WithDelegates(only("Accel", 0, 1, 3, 4)))
	assert.Equal(t, []string{"Accel", "MUL", "Accel", "RELU"}, prof.ops)
}

func TestInvokeDoesNotAllocateWithDelegates(t *testing.T) {
	m, _ := chain(t)
	_, it := run(t, m, interpreter.WithDelegates(only("D", 0, 1, 3, 4)))
	allocs := testing.AllocsPerRun(50, func() {
		if err := it.Invoke(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// Resizing re-prepares the delegate node, which sets its outputs' shapes.
func TestResizeReachesTheDelegateNode(t *testing.T) {
	gr := newGraph(1)
	a := gr.op(tflite.BuiltinOperatorADD, gr.ins[0], gr.ins[0])
	y := gr.op(tflite.BuiltinOperatorTANH, a)
	m := gr.model(t, y)
	it, err := interpreter.New(m, interpreter.WithDelegates(only("D", 0, 1)))
	require.NoError(t, err)
	defer it.Close()
	require.NoError(t, it.ResizeInputTensor(0, []int{2, 3}))
	require.NoError(t, it.AllocateTensors())
	assert.Equal(t, []int{2, 3}, it.Output(0).Shape())
	copy(it.Input(0).Float32s(), []float32{0, 0.1, 0.2, 0.3, 0.4, 0.5})
	require.NoError(t, it.Invoke())
	assert.InDelta(t, 0.7615942, it.Output(0).Float32s()[5], 1e-6) // tanh(1)
	assert.Len(t, it.Plan().Subgraphs[0].Partitions, 1)
}

// handlerDelegate compiles reference partitions whose kernels implement
// BufferHandler and count the copies the interpreter asks for.
type handlerDelegate struct {
	*reference.Delegate
	to, from map[string]int
}

type handlerKernel struct {
	core.Kernel
	d *handlerDelegate
}

func (k handlerKernel) CopyToDelegate(t *core.Tensor) error   { k.d.to[t.Name()]++; return nil }
func (k handlerKernel) CopyFromDelegate(t *core.Tensor) error { k.d.from[t.Name()]++; return nil }

func (d *handlerDelegate) Compile(p *delegates.Partition) (core.Kernel, error) {
	k, err := d.Delegate.Compile(p)
	if err != nil {
		return nil, err
	}
	return handlerKernel{k, d}, nil
}

func TestBufferHandlerCopiesOnlyAtCPUBoundaries(t *testing.T) {
	m, outs := chain(t) // t0..t5; nodes 2 and 5 stay on the CPU
	d := &handlerDelegate{only("D", 0, 1, 3, 4), map[string]int{}, map[string]int{}}
	want, _ := run(t, m)
	got, it := run(t, m, interpreter.WithDelegates(d))
	assert.Equal(t, want, got)
	require.NoError(t, it.Invoke())
	// Per run: partition {0,1} reads in0 and hands t1 to the CPU's MUL;
	// partition {3,4} reads t2 and in0 and hands t4 to the CPU's RELU.
	// t0 and t3 live inside the partitions and are never copied.
	assert.Equal(t, map[string]int{"in0": 4, "t2": 2}, d.to)
	assert.Equal(t, map[string]int{"t1": 2, "t4": 2}, d.from)
	assert.Len(t, outs, 6)
	allocs := testing.AllocsPerRun(20, func() {
		if err := it.Invoke(); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, 2+21, d.from["t4"])
}

// fused takes an ADD(x, x) -> TANH pair and computes tanh(2x) in one pass,
// with no storage for the sum between them.
type fused struct{}

func (fused) Name() string { return "Fused" }
func (fused) Close() error { return nil }
func (fused) Supports(_ *delegates.Graph, n *core.Node) error {
	if n.Op.Builtin != tflite.BuiltinOperatorADD && n.Op.Builtin != tflite.BuiltinOperatorTANH {
		return errors.New("not ADD or TANH")
	}
	return nil
}
func (fused) Compile(p *delegates.Partition) (core.Kernel, error) {
	if len(p.Nodes) != 2 || len(p.Inputs) != 1 || len(p.Outputs) != 1 {
		return nil, fmt.Errorf("want ADD then TANH, got %d nodes", len(p.Nodes))
	}
	return core.KernelFunc{
		PrepareFunc: func(n *core.Node) error {
			n.Output(0).SetShape(n.Input(0).Shape())
			return nil
		},
		EvalFunc: func(n *core.Node) error {
			in, out := n.Input(0).Float32s(), n.Output(0).Float32s()
			for i, v := range in {
				out[i] = float32(math.Tanh(float64(2 * v)))
			}
			return nil
		},
	}, nil
}

// Tensors that live only inside a partition get no arena space unless the
// delegate asks for it.
func TestInternalTensorsTakeNoArena(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{64})
	a := g.Tensor("a", core.Float32, []int{64})
	y := g.Tensor("y", core.Float32, []int{64})
	g.Op(tflite.BuiltinOperatorADD, []int{x, x}, []int{a}, &tflite.AddOptionsT{})
	g.Op(tflite.BuiltinOperatorTANH, []int{a}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)

	want, cpu := run(t, m)
	got, it := run(t, m, interpreter.WithDelegates(fused{}))
	assert.InDeltaSlice(t, want[0], got[0], 1e-6)
	assert.Nil(t, it.Tensor(a).Bytes())
	assert.Equal(t, core.StorageNone, it.Tensor(a).Storage())
	// x, a and y are all live while TANH runs on the CPU; with the
	// delegate only x and y are.
	assert.Equal(t, int64(3*256), cpu.ArenaBytes())
	assert.Equal(t, int64(2*256), it.ArenaBytes())
}

// Weights the CPU folds (DEQUANTIZE of a FLOAT16 constant) become constant
// inputs of the partition: copied to the delegate on the first run only,
// and again after AllocateTensors binds tensors anew.
func TestBufferHandlerCopiesFoldedConstantsOnce(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{4})
	w16 := g.Const("w16", core.Float16, []int{4}, modelbuilder.Uint16Bytes([]uint16{0x3C00, 0x3800, 0x4000, 0xBC00}))
	w := g.Tensor("w", core.Float32, []int{4})
	s := g.Tensor("s", core.Float32, []int{4})
	y := g.Tensor("y", core.Float32, []int{4})
	g.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{w16}, []int{w}, nil)
	g.Op(tflite.BuiltinOperatorADD, []int{x, w}, []int{s}, &tflite.AddOptionsT{})
	g.Op(tflite.BuiltinOperatorTANH, []int{s}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)

	d := &handlerDelegate{reference.New(reference.Options{}), map[string]int{}, map[string]int{}}
	want, _ := run(t, m)
	got, it := run(t, m, interpreter.WithDelegates(d))
	assert.Equal(t, want, got)
	p := &it.Plan().Subgraphs[0]
	assert.Equal(t, [][]int{{1, 2}}, partitionNodes(p))
	assert.Equal(t, map[int]string{0: "every input is constant"}, refusals(p, delegates.RefusedUnsupported))
	require.NoError(t, it.Invoke())
	require.NoError(t, it.Invoke())
	assert.Equal(t, map[string]int{"x": 3, "w": 1}, d.to)
	assert.Equal(t, map[string]int{"y": 3}, d.from)
	require.NoError(t, it.ResizeInputTensor(0, []int{4}))
	require.NoError(t, it.ResizeInputTensor(0, []int{1, 4}))
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Invoke())
	assert.Equal(t, map[string]int{"x": 4, "w": 2}, d.to)
}

// panicky panics in Supports on TANH and in every Compile.
type panicky struct{}

func (panicky) Name() string { return "Panicky" }
func (panicky) Close() error { return nil }
func (panicky) Supports(_ *delegates.Graph, n *core.Node) error {
	if n.Op.Builtin == tflite.BuiltinOperatorTANH {
		panic("no TANH")
	}
	return nil
}
func (panicky) Compile(*delegates.Partition) (core.Kernel, error) { panic("no compiler") }

func TestPanickingDelegateIsARefusal(t *testing.T) {
	m, _ := chain(t)
	want, _ := run(t, m)
	got, it := run(t, m, interpreter.WithDelegates(panicky{}))
	assert.Equal(t, want, got)
	p := &it.Plan().Subgraphs[0]
	assert.Empty(t, p.Partitions)
	assert.Equal(t, "Supports panicked: no TANH", refusals(p, delegates.RefusedUnsupported)[1])
	assert.Equal(t, "Compile panicked: no compiler", refusals(p, delegates.RefusedCompile)[0])
}

// A signature's subgraph is delegated like the primary one.
func TestSignatureSubgraphIsDelegated(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{4})
	y := g.Tensor("y", core.Float32, []int{4})
	g.Op(tflite.BuiltinOperatorTANH, []int{x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	s := b.NewSubgraph("other")
	u := s.Tensor("u", core.Float32, []int{4})
	v := s.Tensor("v", core.Float32, []int{4})
	w := s.Tensor("w", core.Float32, []int{4})
	s.Op(tflite.BuiltinOperatorADD, []int{u, u}, []int{v}, &tflite.AddOptionsT{})
	s.Op(tflite.BuiltinOperatorRELU, []int{v}, []int{w}, nil)
	s.Inputs(u)
	s.Outputs(w)
	b.Signature("other", s, map[string]int{"u": u}, map[string]int{"w": w})
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)
	it, err := interpreter.New(m, interpreter.WithDelegates(reference.New(reference.Options{})))
	require.NoError(t, err)
	defer it.Close()
	plan := it.Plan()
	require.Len(t, plan.Subgraphs, 2)
	assert.True(t, plan.Subgraphs[1].Offered)
	assert.Equal(t, [][]int{{0, 1}}, partitionNodes(&plan.Subgraphs[1]))
	r, err := it.Signature("other")
	require.NoError(t, err)
	require.NoError(t, r.AllocateTensors())
	copy(r.Input("u").Float32s(), []float32{-1, 0, 1, 2})
	require.NoError(t, r.Invoke())
	assert.Equal(t, []float32{0, 0, 2, 4}, r.Output("w").Float32s())
}

func TestGraphProducerAndConsumers(t *testing.T) {
	m, outs := chain(t)
	var g *delegates.Graph
	spy := reference.New(reference.Options{Filter: func(gr *delegates.Graph, _ *core.Node) error {
		g = gr
		return nil
	}})
	_, it := run(t, m, interpreter.WithDelegates(spy))
	require.NotNil(t, g)
	sub, err := it.Subgraph(0)
	require.NoError(t, err)
	t1 := sub.Tensor(outs[1])
	assert.Equal(t, 1, g.Producer(t1).Index)
	require.Len(t, g.Consumers(t1), 1)
	assert.Equal(t, 2, g.Consumers(t1)[0].Index)
	in := sub.Inputs()[0]
	assert.Nil(t, g.Producer(in))
	var readers []int
	for _, n := range g.Consumers(in) {
		readers = append(readers, n.Index)
	}
	assert.Equal(t, []int{0, 2, 4}, readers)
}
