package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/threadpool"
)

// ThreadPool is a persistent worker pool as an interpreter owns one: the
// core.Pool its kernels reach through core.EnvPool, and Close to stop its
// goroutines.
type ThreadPool interface {
	core.Pool
	Close()
}

// NewThreadPool starts a pool of workers workers (the calling goroutine
// included), for an interpreter made with WithNumThreads(workers).
func NewThreadPool(workers int) ThreadPool { return threadpool.New(workers) }
