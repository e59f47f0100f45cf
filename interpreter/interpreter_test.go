package interpreter_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
)

func load(t testing.TB, b *modelbuilder.Builder, opts ...interpreter.Option) *interpreter.Interpreter {
	t.Helper()
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)
	it, err := interpreter.New(m, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { it.Close() })
	return it
}

// chain builds x -> TestAdd(x, x) -> TestReshape -> TestAdd(r, r) -> y.
func chain() *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3})
	a := g.Tensor("a", core.Float32, []int{2, 3})
	r := g.Tensor("r", core.Float32, []int{2, 3})
	y := g.Tensor("y", core.Float32, []int{2, 3})
	g.Custom("TestAdd", []int{x, x}, []int{a}, nil)
	g.Custom("TestReshape", []int{a}, []int{r}, nil)
	g.Custom("TestAdd", []int{r, r}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	return b
}

func TestInvokeRunsNodesInOrder(t *testing.T) {
	it := load(t, chain(), testOps())
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Float32s(), []float32{1, 2, 3, 4, 5, 6})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{4, 8, 12, 16, 20, 24}, it.Output(0).Float32s())
	assert.Equal(t, "y", it.Output(0).Name())
	assert.Same(t, it.Output(0), it.OutputByName("y"))
	assert.Same(t, it.Input(0), it.InputByName("x"))
	assert.Same(t, it.Tensor(1), it.TensorByName("a"))
	assert.Nil(t, it.Input(5))
}

func TestInvokeBeforeAllocateFails(t *testing.T) {
	it := load(t, chain(), testOps())
	assert.ErrorIs(t, it.Invoke(), interpreter.ErrNotAllocated)
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.ResizeInputTensor(0, []int{3, 2}))
	assert.ErrorIs(t, it.Invoke(), interpreter.ErrNotAllocated, "a resize invalidates the plan")
}

func TestReshapeAliasesItsInput(t *testing.T) {
	it := load(t, chain(), testOps())
	require.NoError(t, it.AllocateTensors())
	a, r := it.TensorByName("a"), it.TensorByName("r")
	assert.True(t, core.SameStorage(a, r), "the planner should alias the reshape's output to its input")
	assert.False(t, core.SameStorage(it.Input(0), it.Output(0)))
	// x and y live throughout; a/r die at node 2, so the arena holds 3 slots.
	assert.Equal(t, int64(3*64), it.ArenaBytes())
}

func TestResizeInputReplans(t *testing.T) {
	it := load(t, chain(), testOps())
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.ResizeInputTensor(0, []int{1, 1000}))
	require.NoError(t, it.AllocateTensors())
	assert.Equal(t, []int{1, 1000}, it.Output(0).Shape())
	in := it.Input(0).Float32s()
	require.Len(t, in, 1000)
	for i := range in {
		in[i] = float32(i)
	}
	require.NoError(t, it.Invoke())
	assert.Equal(t, float32(4*999), it.Output(0).Float32s()[999])
}

func TestResizeInputStrictHonoursSignature(t *testing.T) {
	b := chain()
	b.Main().TensorT(0).ShapeSignature = []int32{-1, 3}
	it := load(t, b, testOps())
	require.NoError(t, it.ResizeInputTensorStrict(0, []int{5, 3}))
	err := it.ResizeInputTensorStrict(0, []int{5, 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dimension 1 is fixed at 3")
	assert.Error(t, it.ResizeInputTensorStrict(0, []int{5}))
	assert.Error(t, it.ResizeInputTensor(3, []int{1}))
	assert.Error(t, it.ResizeInputTensor(0, []int{-1, 3}))
}

func TestUnresolvedOpsAreListedTogether(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1})
	y := g.Tensor("y", core.Float32, []int{1})
	z := g.Tensor("z", core.Float32, []int{1})
	g.Custom("Missing1", []int{x}, []int{y}, nil)
	g.Custom("Missing2", []int{y}, []int{z}, nil)
	g.Inputs(x)
	g.Outputs(z)
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)
	_, err = interpreter.New(m, testOps())
	var ue *interpreter.UnresolvedOpsError
	require.ErrorAs(t, err, &ue)
	require.Len(t, ue.Ops, 2)
	assert.Equal(t, "Missing1", ue.Ops[0].Name)
	assert.Equal(t, 1, ue.Ops[0].Version)
	assert.Contains(t, err.Error(), `custom op "Missing2" is not registered`)

	// WithCustomOp supplies a missing op on top of the resolver.
	_, err = interpreter.New(m, testOps(),
		interpreter.WithCustomOp("Missing1", testNonZero),
		interpreter.WithCustomOp("Missing2", testNonZero))
	assert.NoError(t, err)
}

func TestDynamicOutputDefersLaterNodes(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{6})
	nz := g.Tensor("nz", core.Float32, []int{0})
	y := g.Tensor("y", core.Float32, []int{0})
	g.Custom("TestNonZero", []int{x}, []int{nz}, nil)
	g.Custom("TestAdd", []int{nz, nz}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	it := load(t, b, testOps())
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Float32s(), []float32{0, 1, 0, 2, 3, 0})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []int{3}, it.Output(0).Shape())
	assert.Equal(t, []float32{2, 6, 8}, it.Output(0).Float32s())
	assert.True(t, it.Output(0).IsDynamic())

	copy(it.Input(0).Float32s(), []float32{5, 0, 0, 0, 0, 0})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{0}, it.Output(0).Float32s())
	// Steady state with a shape that does not grow: no allocation.
	allocs := testing.AllocsPerRun(20, func() { _ = it.Invoke() })
	assert.Zero(t, allocs)
}

func TestVariablesPersistAndReset(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2})
	acc := g.Tensor("acc", core.Float32, []int{2}, modelbuilder.Variable())
	y := g.Tensor("y", core.Float32, []int{2})
	g.Custom("TestAccumulate", []int{x, acc}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	it := load(t, b, testOps())
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Float32s(), []float32{1, 2})
	require.NoError(t, it.Invoke())
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{2, 4}, it.Output(0).Float32s())
	assert.Equal(t, int64(8), it.PersistentBytes())
	// A re-plan keeps variables.
	require.NoError(t, it.ResizeInputTensor(0, []int{2}))
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Float32s(), []float32{1, 2})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{3, 6}, it.Output(0).Float32s())
	it.ResetVariableTensors()
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{1, 2}, it.Output(0).Float32s())
}

func TestInt8VariableResetsToZeroPoint(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1})
	v := g.Tensor("v", core.Int8, []int{4}, modelbuilder.Variable(), modelbuilder.Quant(0.5, -3))
	y := g.Tensor("y", core.Float32, []int{1})
	g.Custom("TestAdd", []int{x, x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	it := load(t, b, testOps())
	require.NoError(t, it.AllocateTensors())
	assert.Equal(t, []int8{-3, -3, -3, -3}, it.Tensor(v).Int8s())
}

func TestKernelCallsAnotherSubgraph(t *testing.T) {
	b := modelbuilder.New()
	body := b.NewSubgraph("double")
	bx := body.Tensor("bx", core.Float32, []int{2})
	by := body.Tensor("by", core.Float32, []int{2})
	body.Custom("TestAdd", []int{bx, bx}, []int{by}, nil)
	body.Inputs(bx)
	body.Outputs(by)
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2})
	y := g.Tensor("y", core.Float32, []int{2})
	g.Custom("TestCall", []int{x}, []int{y}, []byte{1})
	g.Inputs(x)
	g.Outputs(y)
	b.Signature("serve", g, map[string]int{"in": x}, map[string]int{"out": y})
	b.Signature("double", body, map[string]int{"v": bx}, map[string]int{"w": by})

	it := load(t, b, testOps())
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Float32s(), []float32{1.5, -2})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{3, -4}, it.Output(0).Float32s())
	assert.Equal(t, 2, it.NumSubgraphs())

	// The same subgraph through its signature.
	assert.Equal(t, []string{"serve", "double"}, it.SignatureKeys())
	r, err := it.Signature("double")
	require.NoError(t, err)
	assert.Equal(t, []string{"v"}, r.InputNames())
	assert.Equal(t, []string{"w"}, r.OutputNames())
	require.NoError(t, r.ResizeInput("v", []int{3}))
	require.NoError(t, r.AllocateTensors())
	copy(r.Input("v").Float32s(), []float32{1, 2, 3})
	require.NoError(t, r.Invoke())
	assert.Equal(t, []float32{2, 4, 6}, r.Output("w").Float32s())
	assert.Error(t, r.ResizeInput("nope", []int{1}))
	_, err = it.Signature("nope")
	assert.Error(t, err)
}

type countingProfiler struct {
	begins, ends int
	ops          []string
}

func (p *countingProfiler) BeginOp(_, _ int, op string) {
	p.begins++
	if len(p.ops) < cap(p.ops) {
		p.ops = append(p.ops, op)
	}
}
func (p *countingProfiler) EndOp(_, _ int) { p.ends++ }

func TestProfilerSeesEveryOp(t *testing.T) {
	p := &countingProfiler{ops: make([]string, 0, 3)}
	it := load(t, chain(), testOps(), interpreter.WithProfiler(p))
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Invoke())
	assert.Equal(t, 3, p.begins)
	assert.Equal(t, 3, p.ends)
	assert.Equal(t, []string{"TestAdd", "TestReshape", "TestAdd"}, p.ops)
}

func TestCancelStopsInvoke(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	it := load(t, chain(), testOps(), interpreter.WithCancel(ctx))
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Invoke())
	cancel()
	err := it.Invoke()
	assert.ErrorIs(t, err, interpreter.ErrCancelled)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestMaxArenaBytes(t *testing.T) {
	it := load(t, chain(), testOps(), interpreter.WithMaxArenaBytes(100))
	err := it.AllocateTensors()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "over the limit of 100")
}

func TestPrepareErrorNamesTheNode(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2})
	w := g.Tensor("w", core.Float32, []int{3})
	y := g.Tensor("y", core.Float32, []int{2})
	g.Custom("TestAdd", []int{x, w}, []int{y}, nil)
	g.Inputs(x, w)
	g.Outputs(y)
	it := load(t, b, testOps())
	err := it.AllocateTensors()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "subgraph 0, operator 0 (TestAdd)")
}

func TestInvokeDoesNotAllocate(t *testing.T) {
	it := load(t, chain(), testOps())
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Invoke())
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if err := it.Invoke(); err != nil {
			panic(err)
		}
	}))
}

func TestRecursiveInvokeIsAnError(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1})
	y := g.Tensor("y", core.Float32, []int{1})
	// TestCall on subgraph 0 from subgraph 0: not visible to the loader
	// (custom options are opaque), so the engine must catch it.
	g.Custom("TestCall", []int{x}, []int{y}, []byte{0})
	g.Inputs(x)
	g.Outputs(y)
	it := load(t, b, testOps())
	err := it.AllocateTensors()
	if err == nil {
		err = it.Invoke()
	}
	require.Error(t, err)
	assert.False(t, errors.Is(err, interpreter.ErrNotAllocated) && false)
}

func TestBuiltinKernelsInvokeDoesNotAllocate(t *testing.T) {
	for i, buf := range [][]byte{defaultmodel.Bytes(), builtSeeds()[2]} {
		m, err := interpreter.LoadModel(buf)
		require.NoError(t, err)
		it, err := interpreter.New(m)
		require.NoError(t, err)
		require.NoError(t, it.AllocateTensors())
		for _, in := range it.Inputs() {
			for j := range in.Float32s() {
				in.Float32s()[j] = float32(j%7) - 3
			}
		}
		require.NoError(t, it.Invoke())
		allocs := testing.AllocsPerRun(50, func() {
			if err := it.Invoke(); err != nil {
				panic(err)
			}
		})
		assert.Zero(t, allocs, "model %d", i)
	}
}

func BenchmarkInvokeDefaultModel(b *testing.B) {
	m, err := interpreter.LoadModel(defaultmodel.Bytes())
	require.NoError(b, err)
	it, err := interpreter.New(m)
	require.NoError(b, err)
	require.NoError(b, it.AllocateTensors())
	b.ReportAllocs()
	for b.Loop() {
		if err := it.Invoke(); err != nil {
			b.Fatal(err)
		}
	}
}
