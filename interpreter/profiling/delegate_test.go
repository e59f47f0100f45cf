package profiling_test

import (
	"strings"
	"testing"

	"github.com/edgelite/edgelite/delegates/reference"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/profiling"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// TestDelegateNodeRow: with a delegate, the plan is shorter than the
// operator list and the delegate node's index (2 here: the operator count)
// is past its end. Its row is still named after its outputs, as TensorFlow
// Lite names it ("[y]:2"), and the CPU operator after it keeps its own name.
func TestDelegateNodeRow(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 4})
	a := g.Tensor("a", core.Float32, []int{1, 4})
	y := g.Tensor("y", core.Float32, []int{1, 4})
	z := g.Tensor("z", core.Float32, []int{1, 4})
	g.Op(tflite.BuiltinOperatorADD, []int{x, x}, []int{a}, &tflite.AddOptionsT{})
	g.Op(tflite.BuiltinOperatorMUL, []int{a, x}, []int{y}, &tflite.MulOptionsT{})
	g.Op(tflite.BuiltinOperatorEXP, []int{y}, []int{z}, nil)
	g.Inputs(x)
	g.Outputs(z)
	m, err := interpreter.LoadModel(b.MustBytes())
	if err != nil {
		t.Fatal(err)
	}
	rec := profiling.NewRecorder(64)
	it, err := interpreter.New(m, interpreter.WithProfiler(rec), interpreter.WithDelegates(reference.New(reference.Options{})))
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		t.Fatal(err)
	}
	if err := it.Invoke(); err != nil {
		t.Fatal(err)
	}
	s := profiling.NewSummarizer(it)
	s.ProcessRun(rec.Events())
	rows := s.Profiles()[0].Rows
	var got []string
	for _, r := range rows {
		got = append(got, r.Type+" "+r.Name)
	}
	want := reference.Name + " [y]:3, EXP [z]:2"
	if strings.Join(got, ", ") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, ", "), want)
	}
}
