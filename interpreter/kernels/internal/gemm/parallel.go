package gemm

import (
	"errors"

	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
)

// Pool is what Parallel needs of a worker pool: a *threadpool.Pool, or the
// interpreter's core.Pool.
type Pool interface {
	Run(parts int, t threadpool.Task)
	Workers() int
}

// weights is what Parallel needs of F32Weights and I8Weights.
type weights[E, S any] interface {
	Run(c []E, ldc int, a []E, lda int, m0, m1, n0, n1 int, scratch []S) error
	ScratchLen() int
	RowAlign() int
	ColAlign() int
	N() int
	K() int
}

// Parallel runs one packed product split over a threadpool.Pool: it owns
// one scratch buffer per worker (allocated once by NewF32Parallel or
// NewI8Parallel, at prepare time). A Parallel serves one call at a time.
// Callers with their own work split call the weights' Run on row and column
// ranges instead.
type Parallel[E, S any, W weights[E, S]] struct {
	w       W
	scratch [][]S
	errs    []error

	// The current call.
	c, a             []E
	ldc, lda, m      int
	rowParts         int
	colParts         int
	rowTiles, panels int
}

// F32Parallel splits a float32 product across workers.
type F32Parallel = Parallel[float32, float32, *F32Weights]

// I8Parallel splits an int8 product across workers.
type I8Parallel = Parallel[int8, int32, *I8Weights]

// NewF32Parallel prepares w for calls on pools of up to workers workers.
func NewF32Parallel(w *F32Weights, workers int) *F32Parallel {
	return newParallel[float32, float32](w, workers)
}

// NewI8Parallel prepares w for calls on pools of up to workers workers.
func NewI8Parallel(w *I8Weights, workers int) *I8Parallel {
	return newParallel[int8, int32](w, workers)
}

func newParallel[E, S any, W weights[E, S]](w W, workers int) *Parallel[E, S, W] {
	workers = max(workers, 1)
	p := &Parallel[E, S, W]{w: w, scratch: make([][]S, workers), errs: make([]error, workers)}
	for i := range p.scratch {
		p.scratch[i] = make([]S, w.ScratchLen())
	}
	return p
}

// Run computes all m rows of C = A·B (with the weights' epilogue) on pool
// (nil: on the caller), whose Workers() must not exceed the count given at
// construction. It does not allocate.
func (p *Parallel[E, S, W]) Run(pool Pool, c []E, ldc int, a []E, lda, m int) error {
	n := p.w.N()
	if err := checkRun(n, p.w.K(), p.w.ColAlign(), len(c), ldc, len(a), lda, 0, m, 0, n); err != nil {
		return err
	}
	workers := 1
	if pool != nil {
		workers = pool.Workers()
	}
	if workers > len(p.scratch) {
		return errWorkers
	}
	if m == 0 {
		return nil
	}
	if workers == 1 {
		return p.w.Run(c, ldc, a, lda, 0, m, 0, n, p.scratch[0])
	}
	p.c, p.a, p.ldc, p.lda, p.m = c, a, ldc, lda, m
	p.rowTiles = (m + p.w.RowAlign() - 1) / p.w.RowAlign()
	p.panels = (n + p.w.ColAlign() - 1) / p.w.ColAlign()
	// Two parts per worker balance uneven cores; rows first (each row part
	// reads all of B), columns when there are too few row tiles (FC).
	target := 2 * workers
	p.rowParts = min(p.rowTiles, target)
	p.colParts = min(p.panels, (target+p.rowParts-1)/p.rowParts)
	clear(p.errs)
	pool.Run(p.rowParts*p.colParts, (*parts[E, S, W])(p))
	p.c, p.a = nil, nil
	for _, err := range p.errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// parts is Parallel as a threadpool.Task (whose Run would clash with
// Parallel.Run): Run(part, worker) computes one part of the call in
// progress.
type parts[E, S any, W weights[E, S]] Parallel[E, S, W]

func (p *parts[E, S, W]) Run(part, worker int) {
	r, cp := part/p.colParts, part%p.colParts
	mr, nr := p.w.RowAlign(), p.w.ColAlign()
	m0 := r * p.rowTiles / p.rowParts * mr
	m1 := min((r+1)*p.rowTiles/p.rowParts*mr, p.m)
	n0 := cp * p.panels / p.colParts * nr
	n1 := min((cp+1)*p.panels/p.colParts*nr, p.w.N())
	if err := p.w.Run(p.c, p.ldc, p.a, p.lda, m0, m1, n0, n1, p.scratch[worker]); err != nil && p.errs[worker] == nil {
		p.errs[worker] = err
	}
}

var errWorkers = errors.New("gemm: pool has more workers than the Parallel was built for")
