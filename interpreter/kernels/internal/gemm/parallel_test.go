package gemm

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
)

// TestParallelMatchesSerial checks that every split (rows for tall
// products, columns for FC-like ones) gives the serial result exactly.
func TestParallelMatchesSerial(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	pools := []*threadpool.Pool{nil, threadpool.New(1), threadpool.New(2), threadpool.New(5)}
	defer func() {
		for _, p := range pools[1:] {
			p.Close()
		}
	}()
	for _, impl := range Impls() {
		for _, s := range []shape{{1, 1001, 64}, {3, 70, 33}, {100, 33, 17}, {513, 100, 31}, {49, 255, 64}} {
			m, n, k := s.m, s.n, s.k
			wf, err := PackF32(impl, randF32(r, n*k), n, k, randF32(r, n), -2, 2)
			if err != nil {
				t.Fatal(err)
			}
			p := I8Params{Multiplier: []int32{1 << 30}, Shift: []int32{-6}, InputZeroPoint: 3, WeightZeroPoint: -2, OutputZeroPoint: 5, Min: -128, Max: 127}
			wi, err := PackI8(impl, randI8(r, n*k), n, k, p)
			if err != nil {
				t.Fatal(err)
			}
			af, ai := randF32(r, m*k), randI8(r, m*k)
			wantF := make([]float32, m*n)
			wantI := make([]int8, m*n)
			if err := wf.Run(wantF, n, af, k, 0, m, 0, n, make([]float32, wf.ScratchLen())); err != nil {
				t.Fatal(err)
			}
			if err := wi.Run(wantI, n, ai, k, 0, m, 0, n, make([]int32, wi.ScratchLen())); err != nil {
				t.Fatal(err)
			}
			pf, pi := NewF32Parallel(wf, 5), NewI8Parallel(wi, 5)
			for _, pool := range pools {
				gotF := make([]float32, m*n)
				gotI := make([]int8, m*n)
				if err := pf.Run(pool, gotF, n, af, k, m); err != nil {
					t.Fatal(err)
				}
				if err := pi.Run(pool, gotI, n, ai, k, m); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(gotF, wantF) || !slices.Equal(gotI, wantI) {
					t.Fatalf("%v %v: parallel result differs from serial", impl, s)
				}
			}
		}
	}
}

func TestParallelErrorsAndAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	pool := threadpool.New(3)
	defer pool.Close()
	m, n, k := 67, 90, 40
	w, err := PackF32(Best(), randF32(r, n*k), n, k, nil, -1, 1)
	if err != nil {
		t.Fatal(err)
	}
	a, c := randF32(r, m*k), make([]float32, m*n)
	if err := NewF32Parallel(w, 2).Run(pool, c, n, a, k, m); err == nil {
		t.Error("Run accepted a pool larger than the Parallel")
	}
	p := NewF32Parallel(w, 3)
	if err := p.Run(pool, c[:10], n, a, k, m); err == nil {
		t.Error("Run accepted a short C")
	}
	if got := testing.AllocsPerRun(20, func() {
		if err := p.Run(pool, c, n, a, k, m); err != nil {
			t.Fatal(err)
		}
	}); got != 0 {
		t.Errorf("parallel float32 Run allocates %v times per call", got)
	}
	wi, err := PackI8(Best(), randI8(r, n*k), n, k, I8Params{Multiplier: []int32{1 << 30}, Shift: []int32{-7}, Min: -128, Max: 127})
	if err != nil {
		t.Fatal(err)
	}
	pi, ai, ci := NewI8Parallel(wi, 3), randI8(r, m*k), make([]int8, m*n)
	if got := testing.AllocsPerRun(20, func() {
		if err := pi.Run(pool, ci, n, ai, k, m); err != nil {
			t.Fatal(err)
		}
	}); got != 0 {
		t.Errorf("parallel int8 Run allocates %v times per call", got)
	}
}
