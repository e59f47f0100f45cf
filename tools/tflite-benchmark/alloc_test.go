package main

import (
	"io"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter/profiling"
)

// TestInvokeLoopDoesNotAllocate checks that the timed loop (input copy,
// Invoke, statistics, and with op profiling the recorder and the
// summarizer) does not allocate.
func TestInvokeLoopDoesNotAllocate(t *testing.T) {
	for _, profile := range []bool{false, true} {
		p := &params{numThreads: 1, maxProfilingBufferEntries: 1024, enableOpProfiling: profile, set: map[string]bool{}}
		b := &bench{}
		if err := b.init(p, defaultmodel.Bytes(), io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := b.prepareInputs(p); err != nil {
			t.Fatal(err)
		}
		if profile {
			b.runProf = profiling.NewSummarizer(b.it)
		}
		b.runs(3, 0, 10, profile) // warm up; the profile meets every node
		allocs := testing.AllocsPerRun(20, func() {
			s := b.runs(10, 0, 10, profile)
			if s.Count() != 10 {
				t.Fatalf("%d runs, want 10", s.Count())
			}
		})
		if b.invokeErr != nil {
			t.Fatal(b.invokeErr)
		}
		if allocs != 0 {
			t.Errorf("profiling %v: the timed loop allocates %v times per call", profile, allocs)
		}
		if profile {
			ps := b.runProf.Profiles()
			if ps[0].Runs != 3+20*10+10 || len(ps[0].Rows) != 10 {
				t.Errorf("profile: %d runs, %d rows; want %d runs, 10 rows", ps[0].Runs, len(ps[0].Rows), 3+21*10)
			}
		}
		b.it.Close()
	}
}
