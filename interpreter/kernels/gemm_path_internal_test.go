package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// gcEnv is testEnv with a worker pool.
type gcEnv struct {
	testEnv
	pool core.Pool
}

func (e gcEnv) Pool() core.Pool { return e.pool }

// gcConvCase is one random CONV_2D or FULLY_CONNECTED for the fast-path
// tests.
type gcConvCase struct {
	typ                  core.TensorType
	batch, h, w, ic, oc  int
	kh, kw, groups       int
	stride, dil          int
	pad                  tflite.Padding
	act                  tflite.ActivationFunctionType
	perChannel, fcKeep   bool
	fc                   bool // FULLY_CONNECTED: input [batch, h, w·ic], weights [oc, w·ic]
	noBias               bool
	inZP, wZP, outZP     int64
	inScale, outScale    float32
	wScales              []float32
	filter, bias, input  []byte
	inShape, filterShape []int
}

func (c gcConvCase) String() string {
	op := "conv"
	if c.fc {
		op = "fc"
	}
	return fmt.Sprintf("%s %s b%d %dx%dx%d→%d k%dx%d g%d s%d d%d pad%d act%d pc%v",
		op, c.typ, c.batch, c.h, c.w, c.ic, c.oc, c.kh, c.kw, c.groups, c.stride, c.dil, c.pad, c.act, c.perChannel)
}

// gcRandomCase draws shapes with the edges the GEMM path must handle: 1×1
// (direct) and larger filters, odd sizes, strides and dilations of 2,
// SAME and VALID, groups, batch 2, tails of every register tile.
func gcRandomCase(r *rand.Rand, typ core.TensorType, fc bool) gcConvCase {
	c := gcConvCase{typ: typ, fc: fc, batch: 1 + r.IntN(2), stride: 1, dil: 1, groups: 1}
	pick := func(v ...int) int { return v[r.IntN(len(v))] }
	c.h, c.w = pick(1, 2, 5, 7, 9, 12), pick(1, 3, 6, 8, 11)
	c.ic = pick(1, 3, 4, 8, 16, 17, 33)
	c.oc = pick(1, 2, 7, 8, 16, 31, 33, 40, 65)
	c.act = []tflite.ActivationFunctionType{tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU,
		tflite.ActivationFunctionTypeRELU6, tflite.ActivationFunctionTypeRELU_N1_TO_1}[r.IntN(4)]
	if fc {
		c.fcKeep = r.IntN(2) == 0
		c.noBias = r.IntN(4) == 0
	} else {
		c.kh, c.kw = pick(1, 1, 2, 3, 5), pick(1, 1, 3, 4)
		c.stride, c.dil = pick(1, 1, 2), pick(1, 1, 2)
		c.pad = []tflite.Padding{tflite.PaddingSAME, tflite.PaddingVALID}[r.IntN(2)]
		if r.IntN(4) == 0 {
			c.groups = pick(2, 3)
			c.oc = c.groups * pick(1, 5, 8, 17)
			c.ic = c.groups * pick(1, 4, 9)
		}
		// VALID needs the dilated filter to fit.
		if c.pad == tflite.PaddingVALID {
			c.h = max(c.h, (c.kh-1)*c.dil+1)
			c.w = max(c.w, (c.kw-1)*c.dil+1)
		}
	}
	return gcFill(r, c)
}

// gcFill sets c's tensor shapes and draws its data and quantization.
func gcFill(r *rand.Rand, c gcConvCase) gcConvCase {
	typ, fc := c.typ, c.fc
	fic := c.ic / c.groups
	c.inShape = []int{c.batch, c.h, c.w, c.ic}
	c.filterShape = []int{c.oc, c.kh, c.kw, fic}
	k := c.kh * c.kw * fic
	if fc {
		c.inShape = []int{c.batch, c.h, c.w * c.ic}
		c.filterShape = []int{c.oc, c.w * c.ic}
		k = c.w * c.ic
	}
	nIn, nW := numElem(c.inShape), numElem(c.filterShape)
	switch typ {
	case core.Float32:
		x, w, b := make([]float32, nIn), make([]float32, nW), make([]float32, c.oc)
		for i := range x {
			x[i] = r.Float32()*2 - 1
		}
		for i := range w {
			w[i] = (r.Float32()*2 - 1) / float32(math.Sqrt(float64(k)))
		}
		for i := range b {
			b[i] = r.Float32() - 0.5
		}
		c.input, c.filter, c.bias = modelbuilder.Float32Bytes(x), modelbuilder.Float32Bytes(w), modelbuilder.Float32Bytes(b)
	default:
		c.input, c.filter = make([]byte, nIn), make([]byte, nW)
		for i := range c.input {
			c.input[i] = byte(r.Uint32())
		}
		for i := range c.filter {
			c.filter[i] = byte(r.Uint32())
		}
		c.inScale = 0.02 + r.Float32()*0.02
		if typ == core.Int8 {
			c.inZP, c.outZP = int64(r.IntN(256)-128), int64(r.IntN(256)-128)
			// Conv int8 is per-channel with zero weight zero points; FC
			// per-tensor may have one (the kernel subtracts it).
			c.perChannel = !fc || r.IntN(2) == 0
			if fc && !c.perChannel && r.IntN(2) == 0 {
				c.wZP = int64(r.IntN(21) - 10)
			}
		} else {
			// Data is uniform over the byte range: zero points near its
			// middle keep the accumulators from saturating.
			c.inZP, c.wZP, c.outZP = int64(123+r.IntN(11)), int64(123+r.IntN(11)), int64(r.IntN(256))
		}
		ns := 1
		if c.perChannel {
			ns = c.oc
		}
		for range ns {
			c.wScales = append(c.wScales, 0.002+r.Float32()*0.01)
		}
		// Outputs spread over the 8-bit range: the accumulator's spread is
		// about 74²·sqrt(k) in input·weight units (uniform bytes): a std of
		// about 30 output steps.
		c.outScale = c.inScale * c.wScales[0] * float32(74*74*math.Sqrt(float64(k))/30) * (0.5 + r.Float32())
		b := make([]int32, c.oc)
		for i := range b {
			b[i] = int32(r.IntN(1<<14) - 1<<13)
		}
		c.bias = modelbuilder.Int32Bytes(b)
	}
	return c
}

func numElem(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// gcBuild makes the one-op model of c, weights and bias constant.
func gcBuild(c gcConvCase) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	var inQ, wQ, outQ []modelbuilder.TensorOption
	biasType := core.Float32
	if c.typ != core.Float32 {
		biasType = core.Int32
		inQ = append(inQ, modelbuilder.Quant(c.inScale, c.inZP))
		outQ = append(outQ, modelbuilder.Quant(c.outScale, c.outZP))
		if c.perChannel {
			wQ = append(wQ, modelbuilder.PerAxisQuant(c.wScales, make([]int64, len(c.wScales)), 0))
		} else {
			wQ = append(wQ, modelbuilder.Quant(c.wScales[0], c.wZP))
		}
	}
	x := g.Tensor("x", c.typ, c.inShape, inQ...)
	w := g.Const("w", c.typ, c.filterShape, c.filter, wQ...)
	bias := -1
	if !c.noBias {
		var bq []modelbuilder.TensorOption
		if c.typ != core.Float32 {
			scales := make([]float32, len(c.wScales))
			for i, s := range c.wScales {
				scales[i] = s * c.inScale
			}
			bq = append(bq, modelbuilder.PerAxisQuant(scales, make([]int64, len(scales)), 0))
		}
		bias = g.Const("b", biasType, []int{c.oc}, c.bias, bq...)
	}
	y := g.Tensor("y", c.typ, nil, outQ...)
	if c.fc {
		g.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, 5, []int{x, w, bias}, []int{y},
			&tflite.FullyConnectedOptionsT{FusedActivationFunction: c.act, KeepNumDims: c.fcKeep})
	} else {
		g.OpVersion(tflite.BuiltinOperatorCONV_2D, 6, []int{x, w, bias}, []int{y}, &tflite.Conv2DOptionsT{
			Padding: c.pad, StrideH: int32(c.stride), StrideW: int32(c.stride),
			DilationHFactor: int32(c.dil), DilationWFactor: int32(c.dil), FusedActivationFunction: c.act})
	}
	g.Inputs(x)
	g.Outputs(y)
	return b
}

// gcRun prepares and evaluates c's kernel, on the reference loop or the
// GEMM path, on pool (nil: one thread), and returns the output bytes.
func gcRun(t *testing.T, c gcConvCase, reference bool, pool core.Pool) []byte {
	t.Helper()
	h := newHarness(t, gcBuild(c))
	h.node.Env = gcEnv{pool: pool}
	fast := func() bool {
		switch k := h.kernel.(type) {
		case *conv2DKernel:
			k.reference, k.minParallelMACs = reference, 1
			return k.gemm != nil
		case *fullyConnectedKernel:
			k.reference, k.minParallelMACs = reference, 1
			return k.gemm != nil
		}
		t.Fatalf("unexpected kernel %T", h.kernel)
		return false
	}
	fast()
	h.prepare(t)
	require.Equal(t, !reference, fast(), "%v: GEMM path chosen", c)
	for _, tmp := range h.node.Temporaries {
		b := make([]byte, tmp.ByteSize())
		for i := range b {
			b[i] = 0xA5 // garbage the kernel must overwrite
		}
		tmp.Bind(b, core.StorageArena)
	}
	copy(h.node.Inputs[0].Bytes(), c.input)
	out := h.node.Outputs[0].Bytes()
	for i := range out {
		out[i] = 0x5A
	}
	h.eval(t)
	return append([]byte(nil), out...)
}

// gcCompare checks the GEMM path's output against the reference loop's:
// 8-bit types exactly, float32 within 1e-5 of the output's magnitude (the
// GEMM fuses multiply-adds and sums in another order).
func gcCompare(t *testing.T, c gcConvCase, got, want []byte) {
	t.Helper()
	require.Len(t, got, len(want), "%v", c)
	if c.typ != core.Float32 {
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%v: output %d = %d, want %d", c, i, got[i], want[i])
			}
		}
		return
	}
	g, w := float32sOf(got), float32sOf(want)
	maxRef := 1.0
	for _, v := range w {
		maxRef = max(maxRef, math.Abs(float64(v)))
	}
	for i := range w {
		if d := math.Abs(float64(g[i] - w[i])); !(d <= 1e-5*maxRef) {
			t.Fatalf("%v: output %d = %g, want %g (|diff| %g > %g)", c, i, g[i], w[i], d, 1e-5*maxRef)
		}
	}
}

func float32sOf(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24)
	}
	return out
}

// TestGEMMPathMatchesReference runs random CONV_2D and FULLY_CONNECTED
// nodes of every GEMM type through the fast path, on one worker and on a
// pool of two, against the reference loops: exact for int8 and uint8
// (TFLite's rounding for each), within 1e-5 for float32; the two pool
// sizes must agree bit for bit.
func TestGEMMPathMatchesReference(t *testing.T) {
	pool := threadpool.New(2)
	defer pool.Close()
	r := rand.New(rand.NewPCG(1, 2))
	for _, typ := range []core.TensorType{core.Float32, core.Int8, core.Uint8} {
		direct, im2col, grouped := 0, 0, 0
		for _, fc := range []bool{false, true} {
			for range 40 {
				c := gcRandomCase(r, typ, fc)
				switch {
				case fc:
				case c.kh == 1 && c.kw == 1 && c.stride == 1 && typ != core.Uint8:
					direct++
				default:
					im2col++
				}
				if c.groups > 1 {
					grouped++
				}
				want := gcRun(t, c, true, nil)
				got := gcRun(t, c, false, nil)
				gcCompare(t, c, got, want)
				got2 := gcRun(t, c, false, pool)
				require.Equal(t, got, got2, "%v: 2 workers differ from 1", c)
			}
		}
		if typ != core.Uint8 {
			require.NotZero(t, direct, "%v: no direct 1×1 case", typ)
		}
		require.NotZero(t, im2col, "%v: no im2col case", typ)
		require.NotZero(t, grouped, "%v: no grouped case", typ)
	}
}

// TestGEMMPathInRange makes sure the quantized cases above exercise the
// requantization: most outputs of a typical case fall inside the clamp.
func TestGEMMPathInRange(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, typ := range []core.TensorType{core.Int8, core.Uint8} {
		inside, total := 0, 0
		for range 10 {
			c := gcRandomCase(r, typ, false)
			c.act = tflite.ActivationFunctionTypeNONE
			lo, hi := byte(0), byte(255)
			if typ == core.Int8 {
				lo, hi = 0x80, 0x7F
			}
			for _, v := range gcRun(t, c, true, nil) {
				if v != lo && v != hi {
					inside++
				}
				total++
			}
		}
		require.Greater(t, inside, total*3/4, "%v: too many outputs clamped", typ)
	}
}

// TestGEMMPathNonConstantWeights keeps weights given as a model input on
// the reference loop.
func TestGEMMPathNonConstantWeights(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 4, 4, 3})
	w := g.Tensor("w", core.Float32, []int{5, 1, 1, 3})
	bias := g.ConstFloat32("b", []int{5}, make([]float32, 5))
	y := g.Tensor("y", core.Float32, nil)
	g.OpVersion(tflite.BuiltinOperatorCONV_2D, 1, []int{x, w, bias}, []int{y}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideH: 1, StrideW: 1, DilationHFactor: 1, DilationWFactor: 1})
	g.Inputs(x, w)
	g.Outputs(y)
	h := newHarness(t, b)
	h.prepare(t)
	require.Nil(t, h.kernel.(*conv2DKernel).gemm)
}

// TestGEMMPathEvalDoesNotAllocate measures Eval on a pool of two workers.
func TestGEMMPathEvalDoesNotAllocate(t *testing.T) {
	pool := threadpool.New(2)
	defer pool.Close()
	r := rand.New(rand.NewPCG(5, 6))
	for _, typ := range []core.TensorType{core.Float32, core.Int8, core.Uint8} {
		for _, fc := range []bool{false, true} {
			c := gcRandomCase(r, typ, fc)
			h := newHarness(t, gcBuild(c))
			h.node.Env = gcEnv{pool: pool}
			switch k := h.kernel.(type) {
			case *conv2DKernel:
				k.minParallelMACs = 1
			case *fullyConnectedKernel:
				k.minParallelMACs = 1
			}
			h.prepare(t)
			for _, tmp := range h.node.Temporaries {
				tmp.Bind(make([]byte, tmp.ByteSize()), core.StorageArena)
			}
			allocs := testing.AllocsPerRun(20, func() {
				if err := h.kernel.Eval(h.node); err != nil {
					t.Fatal(err)
				}
			})
			require.Zero(t, allocs, "%v", c)
		}
	}
}

// BenchmarkConvGEMM times CONV_2D and FULLY_CONNECTED shapes of mobile
// vision models on the reference loop and the GEMM path (1 and 2 workers)
// and reports GFLOP/s (2 flops per multiply-add).
func BenchmarkConvGEMM(b *testing.B) {
	shapes := []struct {
		name string
		c    gcConvCase
	}{
		{"1x1_56x56x64to128", gcConvCase{h: 56, w: 56, ic: 64, oc: 128, kh: 1, kw: 1}},
		{"3x3_28x28x128to128", gcConvCase{h: 28, w: 28, ic: 128, oc: 128, kh: 3, kw: 3}},
		{"3x3s2_112x112x3to32", gcConvCase{h: 112, w: 112, ic: 3, oc: 32, kh: 3, kw: 3, stride: 2}},
		{"fc_1x1280to1000", gcConvCase{fc: true, h: 1, w: 1, ic: 1280, oc: 1000}},
	}
	for _, typ := range []core.TensorType{core.Float32, core.Int8} {
		for _, s := range shapes {
			// A random case of the type supplies quantization and data
			// generation; the shape is then overridden.
			c := s.c
			c.typ, c.batch, c.groups, c.dil, c.pad = typ, 1, 1, 1, tflite.PaddingSAME
			c.stride = max(c.stride, 1)
			c = gcFill(rand.New(rand.NewPCG(7, 7)), c)
			flops := 2 * float64(c.h/c.stride*(c.w/c.stride)*c.oc*c.kh*c.kw*c.ic)
			if c.fc {
				flops = 2 * float64(c.oc*c.ic)
			}
			for _, mode := range []string{"ref", "gemm1", "gemm2"} {
				b.Run(fmt.Sprintf("%s/%s/%s", typ, s.name, mode), func(b *testing.B) {
					var pool *threadpool.Pool
					if mode == "gemm2" {
						pool = threadpool.New(2)
						defer pool.Close()
					}
					h := newHarness(b, gcBuild(c))
					var env gcEnv
					if pool != nil {
						env.pool = pool
					}
					h.node.Env = env
					switch k := h.kernel.(type) {
					case *conv2DKernel:
						k.reference = mode == "ref"
					case *fullyConnectedKernel:
						k.reference = mode == "ref"
					}
					h.prepare(b)
					for _, tmp := range h.node.Temporaries {
						tmp.Bind(make([]byte, tmp.ByteSize()), core.StorageArena)
					}
					copy(h.node.Inputs[0].Bytes(), c.input)
					b.ResetTimer()
					for b.Loop() {
						if err := h.kernel.Eval(h.node); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// TestGEMMPathBatchMatMul compares FLOAT32 BATCH_MATMUL with a constant
// rhs (adj_y or not, broadcast batches, adj_x on the reference loop) on
// the GEMM path against the reference loop, on 1 and 2 workers.
func TestGEMMPathBatchMatMul(t *testing.T) {
	pool := threadpool.New(2)
	defer pool.Close()
	r := rand.New(rand.NewPCG(8, 8))
	pick := func(v ...int) int { return v[r.IntN(len(v))] }
	for i := range 60 {
		m, k, n := pick(1, 3, 8, 13), pick(1, 5, 16, 33), pick(1, 7, 32, 45)
		adjX, adjY := i%5 == 4, r.IntN(2) == 0
		lb := [][]int{{}, {2}, {3, 1}, {1}}[r.IntN(4)]
		rb := [][]int{{}, {2}, {1}, {1, 2}}[r.IntN(4)]
		if len(lb) == 2 && len(rb) == 1 && rb[0] == 2 {
			rb = []int{1}
		}
		if len(lb) == 1 && lb[0] == 2 && len(rb) == 2 {
			lb = []int{1}
		}
		lshape := append(append([]int{}, lb...), m, k)
		if adjX {
			lshape = append(append([]int{}, lb...), k, m)
		}
		rshape := append(append([]int{}, rb...), k, n)
		if adjY {
			rshape = append(append([]int{}, rb...), n, k)
		}
		rv := make([]float32, numElem(rshape))
		for j := range rv {
			rv[j] = r.Float32()*2 - 1
		}
		lv := make([]float32, numElem(lshape))
		for j := range lv {
			lv[j] = r.Float32()*2 - 1
		}
		build := func() *modelbuilder.Builder {
			b := modelbuilder.New()
			g := b.Main()
			x := g.Tensor("x", core.Float32, lshape)
			w := g.ConstFloat32("w", rshape, rv)
			y := g.Tensor("y", core.Float32, nil)
			g.OpVersion(tflite.BuiltinOperatorBATCH_MATMUL, 1, []int{x, w}, []int{y}, &tflite.BatchMatMulOptionsT{AdjX: adjX, AdjY: adjY})
			g.Inputs(x)
			g.Outputs(y)
			return b
		}
		run := func(reference bool, p core.Pool) []byte {
			h := newHarness(t, build())
			h.node.Env = gcEnv{pool: p}
			bk := h.kernel.(*batchMatMulKernel)
			bk.reference, bk.minParallelMACs = reference, 1
			h.prepare(t)
			require.Equal(t, !reference && !adjX, bk.gemm != nil, "GEMM path chosen")
			copy(h.node.Inputs[0].Bytes(), modelbuilder.Float32Bytes(lv))
			h.eval(t)
			return append([]byte(nil), h.node.Outputs[0].Bytes()...)
		}
		want := run(true, nil)
		got := run(false, nil)
		c := gcConvCase{typ: core.Float32}
		gcCompare(t, c, got, want)
		require.Equal(t, got, run(false, pool), "%v × %v: 2 workers differ from 1", lshape, rshape)
	}
}
