package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
)

// Shapes from real models: MobileNet/MediaPipe 1×1 convolutions, a
// classifier FULLY_CONNECTED and im2col 3×3 convolutions.
var benchShapes = []struct {
	name    string
	m, k, n int
}{
	{"1x1_56x56_64to128", 56 * 56, 64, 128},
	{"1x1_14x14_512to512", 14 * 14, 512, 512},
	{"1x1_7x7_1024to1024", 7 * 7, 1024, 1024},
	{"fc_1024to1001", 1, 1024, 1001},
	{"im2col3x3_112x112_3to32", 112 * 112, 27, 32},
	{"im2col3x3_28x28_128to128", 28 * 28, 9 * 128, 128},
}

// Single-core peaks of the development machine (Xeon, AVX-512), for the
// percentage of peak the benchmarks report.
func peakGOPS(impl Impl, int8 bool) float64 {
	switch {
	case int8 && impl == AVX512VNNI:
		return 800
	case !int8 && (impl == AVX512 || impl == AVX512VNNI):
		return 210
	case !int8 && impl == AVX2:
		return 110
	}
	return 0
}

func benchImpls() []Impl {
	best := Best()
	out := []Impl{best}
	if best != AVX2 && Supported(AVX2) {
		out = append(out, AVX2)
	}
	return out
}

func report(b *testing.B, m, n, k int, peak float64) {
	gops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gops, "GFLOP/s")
	if peak > 0 {
		b.ReportMetric(100*gops/peak, "%peak")
	}
}

func BenchmarkF32(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, impl := range benchImpls() {
		for _, s := range benchShapes {
			b.Run(fmt.Sprintf("%v/%s", impl, s.name), func(b *testing.B) {
				w, err := PackF32(impl, randF32(r, s.n*s.k), s.n, s.k, randF32(r, s.n), 0, 6)
				if err != nil {
					b.Fatal(err)
				}
				a, c, sc := randF32(r, s.m*s.k), make([]float32, s.m*s.n), make([]float32, w.ScratchLen())
				for b.Loop() {
					if err := w.Run(c, s.n, a, s.k, 0, s.m, 0, s.n, sc); err != nil {
						b.Fatal(err)
					}
				}
				report(b, s.m, s.n, s.k, peakGOPS(impl, false))
			})
		}
	}
}

func BenchmarkI8(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, impl := range benchImpls() {
		for _, s := range benchShapes {
			b.Run(fmt.Sprintf("%v/%s", impl, s.name), func(b *testing.B) {
				p := randI8Params(r, s.n, s.k)
				w, err := PackI8(impl, randI8(r, s.n*s.k), s.n, s.k, p)
				if err != nil {
					b.Fatal(err)
				}
				a, c, sc := randI8(r, s.m*s.k), make([]int8, s.m*s.n), make([]int32, w.ScratchLen())
				for b.Loop() {
					if err := w.Run(c, s.n, a, s.k, 0, s.m, 0, s.n, sc); err != nil {
						b.Fatal(err)
					}
				}
				report(b, s.m, s.n, s.k, peakGOPS(impl, true))
			})
		}
	}
}

// BenchmarkF32Parallel measures the split over a pool of two workers (this
// machine's cores) against one.
func BenchmarkF32Parallel(b *testing.B) {
	r := rand.New(rand.NewPCG(6, 6))
	s := benchShapes[1]
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("%s/workers=%d", s.name, workers), func(b *testing.B) {
			pool := threadpool.New(workers)
			defer pool.Close()
			w, err := PackF32(Best(), randF32(r, s.n*s.k), s.n, s.k, nil, 0, 6)
			if err != nil {
				b.Fatal(err)
			}
			p := NewF32Parallel(w, workers)
			a, c := randF32(r, s.m*s.k), make([]float32, s.m*s.n)
			for b.Loop() {
				if err := p.Run(pool, c, s.n, a, s.k, s.m); err != nil {
					b.Fatal(err)
				}
			}
			report(b, s.m, s.n, s.k, 0)
		})
	}
}
