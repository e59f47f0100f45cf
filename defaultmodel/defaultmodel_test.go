package defaultmodel

import (
	"bytes"
	"math"
	"testing"

	"github.com/edgelite/edgelite/interpreter"
)

func run(t *testing.T, model []byte, input []float32) []float32 {
	t.Helper()
	m, err := interpreter.LoadModel(model)
	if err != nil {
		t.Fatalf("LoadModel: %v", err)
	}
	it, err := interpreter.New(m)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		t.Fatalf("AllocateTensors: %v", err)
	}
	copy(it.Input(0).Float32s(), input)
	if err := it.Invoke(); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	return append([]float32(nil), it.Output(0).Float32s()...)
}

func testInput() []float32 {
	in := make([]float32, 256)
	r := newRNG(1234)
	copy(in, r.uniform(256, -1, 1))
	return in
}

func TestModelStructure(t *testing.T) {
	m, err := interpreter.LoadModel(Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Subgraphs()) != 1 {
		t.Fatalf("%d subgraphs, want 1", len(m.Subgraphs()))
	}
	sg := m.Subgraphs()[0]
	in, out := sg.Tensors[sg.Inputs[0]], sg.Tensors[sg.Outputs[0]]
	if in.Name != "input" || !equal(in.Shape, InputShape) || in.Type != interpreter.Float32 {
		t.Errorf("input %q %v %v", in.Name, in.Type, in.Shape)
	}
	if out.Name != "logits" || !equal(out.Shape, OutputShape) || out.Type != interpreter.Float32 {
		t.Errorf("output %q %v %v", out.Name, out.Type, out.Shape)
	}
	ops := map[string]int{}
	for _, op := range sg.Operators {
		ops[op.Op.Name()]++
	}
	want := map[string]int{"FULLY_CONNECTED": 4, "ADD": 2, "MUL": 1, "CONCATENATION": 1, "RESHAPE": 2}
	for k, v := range want {
		if ops[k] != v {
			t.Errorf("%d %s ops, want %d (all: %v)", ops[k], k, v, ops)
		}
	}
	sigs := m.Signatures()
	if len(sigs) != 1 || sigs[0].Key != "serving_default" || len(sigs[0].Inputs) != 1 || sigs[0].Inputs[0].Name != "input" ||
		len(sigs[0].Outputs) != 1 || sigs[0].Outputs[0].Name != "logits" {
		t.Errorf("signatures %+v", sigs)
	}
	if name, ok := m.MetadataByName("model_name"); !ok || string(name) != Name {
		t.Errorf("metadata model_name = %q, %v", name, ok)
	}
	if m.Size() < 100_000 {
		t.Errorf("model is only %d bytes; expected a non-trivial model", m.Size())
	}
}

func TestBytesDeterministicAndCopied(t *testing.T) {
	a, b := Bytes(), Bytes()
	if !bytes.Equal(a, b) {
		t.Fatal("Bytes differs between calls")
	}
	if again := newBuilder().MustBytes(); !bytes.Equal(a, again) {
		t.Fatal("rebuilding the model gives different bytes")
	}
	a[len(a)/2] ^= 0xff
	if bytes.Equal(a, Bytes()) {
		t.Fatal("Bytes returned shared memory")
	}
}

func TestRuns(t *testing.T) {
	in := testInput()
	out := run(t, Bytes(), in)
	if len(out) != 32 {
		t.Fatalf("%d outputs, want 32", len(out))
	}
	nonzero := 0
	for i, v := range out {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("output %d is %v", i, v)
		}
		if v != 0 {
			nonzero++
		}
	}
	if nonzero < 16 {
		t.Errorf("only %d of 32 outputs are non-zero: %v", nonzero, out)
	}
	again := run(t, Bytes(), in)
	for i := range out {
		if math.Float32bits(out[i]) != math.Float32bits(again[i]) {
			t.Fatalf("output %d differs between runs: %v vs %v", i, out[i], again[i])
		}
	}
	// A different input gives a different output.
	in2 := append([]float32(nil), in...)
	for i := range in2 {
		in2[i] = -in2[i]
	}
	other := run(t, Bytes(), in2)
	same := true
	for i := range out {
		same = same && out[i] == other[i]
	}
	if same {
		t.Error("output does not depend on the input")
	}
}

// TestReference checks the graph against a plain Go evaluation of the same
// arithmetic, so that the model computes what its doc comment says.
func TestReference(t *testing.T) {
	m, err := interpreter.LoadModel(Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sg := m.Subgraphs()[0]
	c := func(name string) []float32 {
		for _, ti := range sg.Tensors {
			if ti.Name == name {
				return floats(ti.Data)
			}
		}
		t.Fatalf("no tensor %q", name)
		return nil
	}
	fc := func(x []float32, layer string, units int, relu bool) []float32 {
		w, b := c(layer+"/weights"), c(layer+"/bias")
		inSize := len(w) / units
		var out []float32
		for r := 0; r < len(x)/inSize; r++ {
			for u := range units {
				s := float64(b[u])
				for k := range inSize {
					s += float64(x[r*inSize+k]) * float64(w[u*inSize+k])
				}
				if relu && s < 0 {
					s = 0
				}
				out = append(out, float32(s))
			}
		}
		return out
	}
	in := testInput()
	h1 := fc(in, "dense1", 128, true)
	scale, shift := c("norm/scale"), c("norm/shift")
	n1 := make([]float32, 128)
	for i := range n1 {
		n1[i] = h1[i]*scale[i] + shift[i]
	}
	cat := append(fc(n1, "dense2a", 64, true), fc(in, "dense2b", 64, true)...)
	for i := range cat {
		cat[i] += h1[i]
	}
	want := fc(cat, "dense3", 16, false)
	got := run(t, Bytes(), in)
	maxAbs := 0.0
	for _, v := range want {
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*maxAbs {
			t.Errorf("output %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func floats(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24)
	}
	return out
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
