package delegates_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/schema/tflite"
)

var (
	binaryOps = []tflite.BuiltinOperator{tflite.BuiltinOperatorADD, tflite.BuiltinOperatorMUL, tflite.BuiltinOperatorSUB, tflite.BuiltinOperatorMAXIMUM}
	unaryOps  = []tflite.BuiltinOperator{tflite.BuiltinOperatorTANH, tflite.BuiltinOperatorLOGISTIC, tflite.BuiltinOperatorRELU}
)

// randomModel builds a random DAG: each node reads one or two tensors made
// before it (recent ones more often, sometimes a constant); the outputs
// are every tensor nobody reads plus a few more.
func randomModel(t *testing.T, r *rand.Rand) (*interpreter.Model, int) {
	gr := newGraph(1 + r.IntN(3))
	pool := slices.Clone(gr.ins)
	read := map[int]bool{}
	pick := func() int {
		if r.IntN(8) == 0 {
			c := gr.g.ConstFloat32(fmt.Sprintf("c%d", gr.n), []int{4}, []float32{0.5, -1, 2, 0.25})
			return c
		}
		// Favour recent tensors so that graphs are deep as well as wide.
		i := len(pool) - 1 - min(r.IntN(len(pool)), r.IntN(len(pool)))
		read[pool[i]] = true
		return pool[i]
	}
	n := 3 + r.IntN(28)
	for range n {
		var out int
		if r.IntN(3) == 0 {
			out = gr.op(unaryOps[r.IntN(len(unaryOps))], pick())
		} else {
			out = gr.op(binaryOps[r.IntN(len(binaryOps))], pick(), pick())
		}
		pool = append(pool, out)
	}
	var outs []int
	for _, x := range pool[len(gr.ins):] {
		if !read[x] || r.IntN(6) == 0 {
			outs = append(outs, x)
		}
	}
	return gr.model(t, outs...), n
}

func TestPropertyRandomGraphs(t *testing.T) {
	for seed := range uint64(300) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0xde1e6a7e))
			m, n := randomModel(t, r)
			var ds []delegates.Delegate
			for k := range 1 + r.IntN(3) {
				var nodes []int
				p := r.Float64()
				for i := range n {
					if r.Float64() < p {
						nodes = append(nodes, i)
					}
				}
				var d delegates.Delegate = only(fmt.Sprintf("D%d", k), nodes...)
				if r.IntN(4) == 0 {
					d = failing{only(fmt.Sprintf("D%d", k), nodes...), r.IntN(n)}
				}
				ds = append(ds, d)
			}
			opts := delegates.Options{MinNodesPerPartition: r.IntN(4), MaxPartitions: r.IntN(4)}
			want, _ := run(t, m)
			got, it := run(t, m, interpreter.WithDelegates(ds...), interpreter.WithDelegateOptions(opts))
			require.Equal(t, want, got, "outputs differ from the undelegated graph's")
			checkPlan(t, m, &it.Plan().Subgraphs[0], len(ds), opts)
		})
	}
}

// checkPlan checks a plan against the model alone.
func checkPlan(t *testing.T, m *interpreter.Model, p *delegates.SubgraphPlan, numDelegates int, opts delegates.Options) {
	info := m.Subgraphs()[0]
	ops := info.Operators
	n := len(ops)

	// Every node is in exactly one place: a CPU step or one partition
	// that is itself one step.
	where := make([]int, n) // -2 unseen, -1 CPU, else partition
	for i := range where {
		where[i] = -2
	}
	stepOf := map[int]int{}
	for si, s := range p.Steps {
		if s.Partition < 0 {
			require.Less(t, s.Node, n)
			require.Equal(t, -2, where[s.Node], "node %d placed twice", s.Node)
			where[s.Node] = -1
			continue
		}
		_, dup := stepOf[s.Partition]
		require.False(t, dup, "partition %d runs twice", s.Partition)
		stepOf[s.Partition] = si
		part := p.Partitions[s.Partition]
		require.Equal(t, part.NodeIndex, s.Node)
		for _, x := range part.Nodes {
			require.Equal(t, -2, where[x], "node %d placed twice", x)
			where[x] = s.Partition
		}
	}
	require.Len(t, stepOf, len(p.Partitions))
	for i, w := range where {
		require.NotEqual(t, -2, w, "node %d is nowhere", i)
	}
	for _, part := range p.Partitions {
		require.NotEmpty(t, part.Nodes)
		if opts.MinNodesPerPartition > 1 {
			require.GreaterOrEqual(t, len(part.Nodes), opts.MinNodesPerPartition)
		}
	}
	if opts.MaxPartitions > 0 {
		perDelegate := map[int]int{}
		for _, part := range p.Partitions {
			perDelegate[part.DelegateIndex]++
		}
		for _, c := range perDelegate {
			require.LessOrEqual(t, c, opts.MaxPartitions)
		}
	}

	// The steps are a topological order: every tensor a step reads is a
	// graph input, a constant, or made by an earlier step; partitions
	// read only their Inputs from outside and show only their Outputs.
	producer := map[int]int{}
	consumers := map[int][]int{}
	for i, op := range ops {
		for _, x := range op.Outputs {
			producer[x] = i
		}
		for _, x := range op.Inputs {
			consumers[x] = append(consumers[x], i)
		}
	}
	isOutput := map[int]bool{}
	for _, x := range info.Outputs {
		isOutput[x] = true
	}
	avail := map[int]bool{}
	for _, x := range info.Inputs {
		avail[x] = true
	}
	for x := range info.Tensors {
		if info.Tensors[x].IsConstant() {
			avail[x] = true
		}
	}
	for _, s := range p.Steps {
		if s.Partition < 0 {
			for _, x := range ops[s.Node].Inputs {
				require.True(t, avail[x], "node %d reads tensor %d before it is made", s.Node, x)
			}
			for _, x := range ops[s.Node].Outputs {
				avail[x] = true
			}
			continue
		}
		part := p.Partitions[s.Partition]
		inside := map[int]bool{}
		for _, x := range part.Nodes {
			inside[x] = true
		}
		made := map[int]bool{}
		var wantIn, wantOut []int
		for _, x := range part.Nodes {
			for _, in := range ops[x].Inputs {
				if made[in] || info.Tensors[in].IsConstant() {
					continue
				}
				require.True(t, avail[in], "partition %d reads tensor %d before it is made", s.Partition, in)
				if !slices.Contains(wantIn, in) {
					wantIn = append(wantIn, in)
				}
			}
			for _, out := range ops[x].Outputs {
				made[out] = true
				seen := isOutput[out]
				for _, c := range consumers[out] {
					if !inside[c] {
						seen = true
					}
				}
				if seen {
					wantOut = append(wantOut, out)
				}
			}
		}
		require.True(t, slices.Equal(wantIn, part.Inputs), "partition %d inputs %v, want %v", s.Partition, part.Inputs, wantIn)
		require.True(t, slices.Equal(wantOut, part.Outputs), "partition %d outputs %v, want %v", s.Partition, part.Outputs, wantOut)
		for _, out := range part.Outputs {
			avail[out] = true
		}
	}
	for _, x := range info.Outputs {
		require.True(t, avail[x], "output %d never made", x)
	}

	// No partition makes a cycle: the graph of steps (a partition is one
	// vertex) is acyclic, checked by depth-first search.
	vertex := func(node int) int {
		if where[node] >= 0 {
			return n + where[node]
		}
		return node
	}
	edges := map[int][]int{}
	for i, op := range ops {
		for _, x := range op.Inputs {
			if src, ok := producer[x]; ok && vertex(src) != vertex(i) {
				edges[vertex(src)] = append(edges[vertex(src)], vertex(i))
			}
		}
	}
	state := map[int]int{} // 1 on the stack, 2 done
	var visit func(v int)
	visit = func(v int) {
		state[v] = 1
		for _, w := range edges[v] {
			require.NotEqual(t, 1, state[w], "cycle through %d", w)
			if state[w] == 0 {
				visit(w)
			}
		}
		state[v] = 2
	}
	for v := range n + len(p.Partitions) {
		if state[v] == 0 {
			visit(v)
		}
	}

	// Every delegate before the one that took a node refused it, and a
	// node left on the CPU was refused by every delegate.
	refused := map[[2]int]bool{}
	for _, r := range p.Refusals {
		refused[[2]int{r.Node, r.DelegateIndex}] = true
	}
	for i, w := range where {
		upTo := numDelegates
		if w >= 0 {
			upTo = p.Partitions[w].DelegateIndex
		}
		for d := range upTo {
			require.True(t, refused[[2]int{i, d}], "node %d: no refusal by delegate %d", i, d)
		}
	}
}
