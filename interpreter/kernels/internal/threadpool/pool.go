// Package threadpool is a small persistent worker pool for kernels that
// split one operation across cores. Workers are started once; Run wakes
// them through channels and hands out parts through an atomic counter, so
// a call spawns no goroutine and allocates nothing.
package threadpool

import (
	"sync"
	"sync/atomic"

	"github.com/edgelite/edgelite/interpreter/core"
)

// Task is work split into parts. Run(part, worker) is called once for every
// part in [0, parts), concurrently from different workers; worker in
// [0, Workers()) identifies the calling worker (for per-worker scratch), and
// one worker never runs two parts at once. It is core.Task, so that a *Pool
// is the core.Pool kernels see.
type Task = core.Task

// TaskFunc adapts a function to Task. Keep the function value (built once)
// rather than a new closure per call, which may allocate.
type TaskFunc func(part, worker int)

// Run calls f.
func (f TaskFunc) Run(part, worker int) { f(part, worker) }

// Pool runs Tasks on a fixed set of workers: the goroutine that calls Run
// plus Workers()-1 helper goroutines. Run calls are serialized. A Pool must
// be closed to stop its goroutines.
type Pool struct {
	mu     sync.Mutex // one Run at a time
	wake   []chan struct{}
	done   sync.WaitGroup
	exited sync.WaitGroup
	closed bool

	// The current call, published to helpers by the wake-up send.
	task  Task
	parts int64
	next  atomic.Int64
}

// New starts a pool of workers workers (at least 1; 1 runs everything on
// the caller).
func New(workers int) *Pool {
	p := &Pool{wake: make([]chan struct{}, max(workers, 1)-1)}
	p.exited.Add(len(p.wake))
	for i := range p.wake {
		p.wake[i] = make(chan struct{})
		go p.helper(i+1, p.wake[i])
	}
	return p
}

// Workers is the number of workers, the caller included (1 for a nil
// Pool).
func (p *Pool) Workers() int {
	if p == nil {
		return 1
	}
	return len(p.wake) + 1
}

func (p *Pool) helper(worker int, wake <-chan struct{}) {
	defer p.exited.Done()
	for range wake {
		p.work(worker)
		p.done.Done()
	}
}

func (p *Pool) work(worker int) {
	for {
		i := p.next.Add(1) - 1
		if i >= p.parts {
			return
		}
		p.task.Run(int(i), worker)
	}
}

// Run runs parts parts of t across the workers and returns when all are
// done. After Close it runs them all on the caller. A Task must not call Run
// on its own pool (it would wait for itself) and must not panic.
func (p *Pool) Run(parts int, t Task) {
	if parts <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	helpers := min(len(p.wake), parts-1)
	if p.closed {
		helpers = 0
	}
	p.task, p.parts = t, int64(parts)
	p.next.Store(0)
	p.done.Add(helpers)
	for _, w := range p.wake[:helpers] {
		w <- struct{}{}
	}
	p.work(0)
	p.done.Wait()
	p.task = nil
}

// Close stops the helper goroutines and waits for them to exit. It is safe
// to call more than once.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	for _, w := range p.wake {
		close(w)
	}
	p.exited.Wait()
}
