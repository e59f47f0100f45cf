package threadpool

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countTask records which parts ran and on which workers.
type countTask struct {
	hits    []atomic.Int32
	workers []atomic.Int32
	busy    []atomic.Int32 // parts running per worker right now
	overlap atomic.Bool
	sleep   time.Duration
}

func newCountTask(parts, workers int) *countTask {
	return &countTask{hits: make([]atomic.Int32, parts), workers: make([]atomic.Int32, workers), busy: make([]atomic.Int32, workers)}
}

func (c *countTask) Run(part, worker int) {
	if c.busy[worker].Add(1) != 1 {
		c.overlap.Store(true)
	}
	c.hits[part].Add(1)
	c.workers[worker].Add(1)
	if c.sleep > 0 {
		time.Sleep(c.sleep)
	}
	c.busy[worker].Add(-1)
}

func TestRunsEveryPartOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 3, 8} {
		p := New(workers)
		for _, parts := range []int{0, 1, 2, 7, 100} {
			c := newCountTask(parts, p.Workers())
			p.Run(parts, c)
			for i := range c.hits {
				if n := c.hits[i].Load(); n != 1 {
					t.Fatalf("workers=%d parts=%d: part %d ran %d times", workers, parts, i, n)
				}
			}
			if c.overlap.Load() {
				t.Fatalf("workers=%d: a worker ran two parts at once", workers)
			}
		}
		p.Close()
		p.Close()
	}
}

func TestUsesHelpers(t *testing.T) {
	p := New(4)
	defer p.Close()
	c := newCountTask(8, p.Workers())
	c.sleep = 20 * time.Millisecond // long enough that every helper wakes
	p.Run(8, c)
	used := 0
	for i := range c.workers {
		if c.workers[i].Load() > 0 {
			used++
		}
	}
	if used < 2 {
		t.Errorf("only %d of 4 workers ran parts", used)
	}
}

func TestClosedPoolRunsInline(t *testing.T) {
	p := New(3)
	p.Close()
	c := newCountTask(5, p.Workers())
	p.Run(5, c)
	if c.workers[0].Load() != 5 {
		t.Errorf("caller ran %d of 5 parts after Close", c.workers[0].Load())
	}
}

func TestConcurrentRunsSerialize(t *testing.T) {
	p := New(3)
	defer p.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				c := newCountTask(9, p.Workers())
				p.Run(9, c)
				for i := range c.hits {
					if c.hits[i].Load() != 1 {
						t.Error("part not run exactly once")
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

type sumTask struct{ out []int64 }

func (s *sumTask) Run(part, worker int) { s.out[part] = int64(part) * 3 }

func TestRunDoesNotAllocate(t *testing.T) {
	p := New(4)
	defer p.Close()
	task := &sumTask{out: make([]int64, 64)}
	f := TaskFunc(func(part, worker int) { task.out[part]++ })
	if n := testing.AllocsPerRun(100, func() { p.Run(64, task) }); n != 0 {
		t.Errorf("Run allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { p.Run(64, f) }); n != 0 {
		t.Errorf("Run with a TaskFunc allocates %v times per call", n)
	}
	for i, v := range task.out {
		if v != int64(i)*3+101 {
			t.Fatalf("part %d = %d", i, v)
		}
	}
}

func TestCloseStopsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	p := New(6)
	p.Run(10, &sumTask{out: make([]int64, 10)})
	p.Close()
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("%d goroutines after Close, %d before New", runtime.NumGoroutine(), before)
}
