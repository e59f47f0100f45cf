package interpreter_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
)

// TestPlannerOnRandomGraphs builds random DAGs of TestAdd and TestReshape
// (which the planner aliases), runs them, and compares every output with a
// direct evaluation. Any two tensors the planner wrongly placed on top of
// each other while both live would corrupt a result.
func TestPlannerOnRandomGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := 0; iter < 200; iter++ {
		size := 1 + rng.IntN(40)
		b := modelbuilder.New()
		g := b.Main()
		nIn := 1 + rng.IntN(3)
		var tensors []int
		values := map[int][]float32{}
		var inputs []int
		for i := 0; i < nIn; i++ {
			idx := g.Tensor(fmt.Sprintf("in%d", i), core.Float32, []int{size})
			inputs = append(inputs, idx)
			tensors = append(tensors, idx)
			v := make([]float32, size)
			for j := range v {
				v[j] = float32(rng.IntN(100))
			}
			values[idx] = v
		}
		if rng.IntN(2) == 0 {
			idx := g.ConstFloat32("const", []int{size}, values[inputs[0]])
			tensors = append(tensors, idx)
			values[idx] = values[inputs[0]]
		}
		used := map[int]bool{}
		nOps := 1 + rng.IntN(25)
		for k := 0; k < nOps; k++ {
			out := g.Tensor(fmt.Sprintf("t%d", k), core.Float32, []int{size})
			a := tensors[rng.IntN(len(tensors))]
			used[a] = true
			v := make([]float32, size)
			if rng.IntN(3) == 0 {
				g.Custom("TestReshape", []int{a}, []int{out}, nil)
				copy(v, values[a])
			} else {
				c := tensors[rng.IntN(len(tensors))]
				used[c] = true
				g.Custom("TestAdd", []int{a, c}, []int{out}, nil)
				for j := range v {
					v[j] = values[a][j] + values[c][j]
				}
			}
			values[out] = v
			tensors = append(tensors, out)
		}
		// Outputs: the last tensor and a few random intermediate ones.
		outs := []int{tensors[len(tensors)-1]}
		for _, cand := range tensors[nIn:] {
			if !used[cand] || rng.IntN(5) == 0 {
				outs = append(outs, cand)
			}
		}
		outs = dedupe(outs)
		g.Inputs(inputs...)
		g.Outputs(outs...)

		it := load(t, b, testOps())
		require.NoError(t, it.AllocateTensors())
		for i, idx := range inputs {
			copy(it.Input(i).Float32s(), values[idx])
		}
		require.NoError(t, it.Invoke())
		for i, idx := range outs {
			require.Equal(t, values[idx], it.Output(i).Float32s(), "graph %d output %d (tensor %d)", iter, i, idx)
		}
		for i, idx := range inputs {
			require.Equal(t, values[idx], it.Input(i).Float32s(), "graph %d: input %d was overwritten", iter, i)
		}
	}
}

func dedupe(v []int) []int {
	seen := map[int]bool{}
	out := v[:0]
	for _, x := range v {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
