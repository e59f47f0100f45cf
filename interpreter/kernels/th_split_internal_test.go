package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// thCountPool counts the Runs that reach a real pool.
type thCountPool struct {
	*threadpool.Pool
	runs, parts int
}

func (p *thCountPool) Run(parts int, t core.Task) {
	p.runs++
	p.parts += parts
	p.Pool.Run(parts, t)
}

// TestThSplitBounds: the parts cover [0, total) in order without overlap,
// element ranges on multiples of the alignment.
func TestThSplitBounds(t *testing.T) {
	for _, c := range []struct{ total, parts, align int }{{7, 2, 1}, {100, 8, 1}, {1000, 8, 16}, {33, 3, 16}, {17, 8, 16}} {
		s := thSplit{total: c.total, parts: c.parts, align: c.align}
		next := 0
		for p := range c.parts {
			r0, r1 := s.bounds(p)
			require.Equal(t, next, r0, "%+v part %d", c, p)
			require.LessOrEqual(t, r0, r1)
			if c.align > 1 && r1 < c.total {
				require.Zero(t, r1%c.align, "%+v part %d", c, p)
			}
			next = r1
		}
		require.Equal(t, c.total, next, "%+v", c)
	}
}

// TestThSplitKernels: each fast path big enough to split runs through the
// pool and gives the bytes of one thread.
func TestThSplitKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	resize := func() *modelbuilder.Builder {
		b := modelbuilder.New()
		g := b.Main()
		x := g.Tensor("x", core.Float32, []int{1, 32, 32, 16})
		size := g.ConstInt32("size", []int{2}, []int32{64, 64})
		y := g.Tensor("y", core.Float32, []int{1, 64, 64, 16})
		g.Op(tflite.BuiltinOperatorRESIZE_BILINEAR, []int{x, size}, []int{y}, &tflite.ResizeBilinearOptionsT{HalfPixelCenters: true})
		g.Inputs(x)
		g.Outputs(y)
		return b
	}
	big := []int{1, 40, 40, 24}
	cases := []struct {
		name  string
		model func() *modelbuilder.Builder
	}{
		{"dw_f32", func() *modelbuilder.Builder {
			return fastDWModel(core.Float32, big, 3, 3, 1, 1, tflite.PaddingSAME, tflite.ActivationFunctionTypeRELU6, true)
		}},
		{"dw_f32_5x5", func() *modelbuilder.Builder {
			return fastDWModel(core.Float32, big, 5, 5, 1, 2, tflite.PaddingSAME, tflite.ActivationFunctionTypeNONE, false)
		}},
		{"dw_int8", func() *modelbuilder.Builder {
			return fastDWModel(core.Int8, big, 3, 3, 1, 1, tflite.PaddingSAME, tflite.ActivationFunctionTypeRELU, true)
		}},
		{"max_pool", func() *modelbuilder.Builder {
			return ewInternalModel(tflite.BuiltinOperatorMAX_POOL_2D, 1, []core.TensorType{core.Float32}, [][]int{{1, 64, 64, 24}}, core.Float32, []int{1, 32, 32, 24},
				&tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, FilterWidth: 3, FilterHeight: 3})
		}},
		{"add", func() *modelbuilder.Builder {
			return fastBinModel(tflite.BuiltinOperatorADD, big, []int{24}, tflite.ActivationFunctionTypeRELU)
		}},
		{"mul", func() *modelbuilder.Builder {
			return fastBinModel(tflite.BuiltinOperatorMUL, big, big, tflite.ActivationFunctionTypeNONE)
		}},
		{"prelu", func() *modelbuilder.Builder {
			return ewInternalModel(tflite.BuiltinOperatorPRELU, 1, []core.TensorType{core.Float32, core.Float32}, [][]int{big, {1, 1, 24}}, core.Float32, big, nil)
		}},
		{"logistic", func() *modelbuilder.Builder {
			return ewInternalModel(tflite.BuiltinOperatorLOGISTIC, 1, []core.TensorType{core.Float32}, [][]int{big}, core.Float32, big, nil)
		}},
		{"relu6", func() *modelbuilder.Builder {
			return ewInternalModel(tflite.BuiltinOperatorRELU6, 1, []core.TensorType{core.Float32}, [][]int{big}, core.Float32, big, nil)
		}},
		{"resize", resize},
	}
	pool := &thCountPool{Pool: threadpool.New(2)}
	t.Cleanup(pool.Close)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.model())
			h.prepare(t)
			fastRandomize(rng, h)
			h.eval(t)
			want := append([]byte(nil), h.node.Outputs[0].Bytes()...)
			clear(h.node.Outputs[0].Bytes())
			// The pool is looked up in Eval.
			h.node.Env = gcEnv{pool: pool}
			before := pool.runs
			h.eval(t)
			// Unary ops take the split vector path only where
			// internal/vec is accelerated (amd64 AVX2); elsewhere
			// their reference loop is as fast and runs unsplit.
			if _, unary := h.kernel.(*unaryKernel); !unary || vec.Accelerated() {
				require.Equal(t, before+1, pool.runs, "the op ran through the pool")
			}
			require.Equal(t, want, h.node.Outputs[0].Bytes())
			allocs := testing.AllocsPerRun(5, func() { h.eval(t) })
			require.Zero(t, allocs)
		})
	}
}
