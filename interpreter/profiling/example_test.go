package profiling_test

import (
	"fmt"
	"sort"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/profiling"
)

// Profile ten runs of the embedded default model and list its node types
// (sorted by name: times vary from run to run). WriteReport prints
// TensorFlow Lite's tables instead.
func Example() {
	m, err := interpreter.LoadModel(defaultmodel.Bytes())
	if err != nil {
		panic(err)
	}
	rec := profiling.NewRecorder(1024)
	it, err := interpreter.New(m, interpreter.WithProfiler(rec))
	if err != nil {
		panic(err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		panic(err)
	}
	sum := profiling.NewSummarizer(it)
	for range 10 {
		rec.Reset()
		if err := it.Invoke(); err != nil {
			panic(err)
		}
		sum.ProcessRun(rec.Events())
	}
	p := sum.Profiles()[0]
	types := p.Types
	sort.Slice(types, func(i, j int) bool { return types[i].Type < types[j].Type })
	fmt.Printf("%d runs, %d nodes; first: %s %s\n", p.Runs, len(p.Rows), p.Rows[0].Type, p.Rows[0].Name)
	for _, t := range types {
		fmt.Printf("%s x%d\n", t.Type, t.Count)
	}
	// Output:
	// 10 runs, 10 nodes; first: FULLY_CONNECTED [dense1]:0
	// ADD x2
	// CONCATENATION x1
	// FULLY_CONNECTED x4
	// MUL x1
	// RESHAPE x2
}
