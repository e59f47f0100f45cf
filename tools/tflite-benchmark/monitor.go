package main

import (
	"sync/atomic"
	"time"
)

// memoryMonitor is benchmark_model's MemoryUsageMonitor: a goroutine that
// samples the memory footprint (peak RSS) every interval and keeps the
// largest, with one last sample when it is stopped.
type memoryMonitor struct {
	peakKB atomic.Int64
	stop   chan struct{}
	done   chan struct{}
}

func startMemoryMonitor(interval time.Duration) *memoryMonitor {
	m := &memoryMonitor{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			m.sample()
			select {
			case <-m.stop:
				m.sample()
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memoryMonitor) sample() {
	if kb, ok := memoryFootprintKB(); ok && kb > m.peakKB.Load() {
		m.peakKB.Store(kb)
	}
}

// Stop ends the sampling and returns the peak in MB (<= 0: unknown).
func (m *memoryMonitor) Stop() float64 {
	close(m.stop)
	<-m.done
	return float64(m.peakKB.Load()) / 1024
}
