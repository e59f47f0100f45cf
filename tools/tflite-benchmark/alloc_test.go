package main

import (
	"io"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
)

// TestInvokeLoopDoesNotAllocate checks that the timed loop (input copy,
// Invoke, statistics) does not allocate.
func TestInvokeLoopDoesNotAllocate(t *testing.T) {
	p := &params{numThreads: 1, set: map[string]bool{}}
	b := &bench{}
	if err := b.init(p, defaultmodel.Bytes(), io.Discard); err != nil {
		t.Fatal(err)
	}
	defer b.it.Close()
	if err := b.prepareInputs(); err != nil {
		t.Fatal(err)
	}
	b.runs(3, 0, 10) // warm up
	allocs := testing.AllocsPerRun(20, func() {
		s := b.runs(10, 0, 10)
		if s.count != 10 {
			t.Fatalf("%d runs, want 10", s.count)
		}
	})
	if b.invokeErr != nil {
		t.Fatal(b.invokeErr)
	}
	if allocs != 0 {
		t.Errorf("the timed loop allocates %v times per call", allocs)
	}
}
