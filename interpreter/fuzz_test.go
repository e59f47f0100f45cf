package interpreter_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// fuzzSeeds returns the built models and, when present, the real models
// with truncated and byte-flipped variants of them. The real models are
// read from ../shared and the fetched cache, never committed; the small
// built seeds are also stored in testdata/fuzz (see TestWriteFuzzSeeds).
func fuzzSeeds(t testing.TB) [][]byte {
	seeds := builtSeeds()
	for _, p := range sharedModels(t) {
		buf, err := os.ReadFile(p)
		if err != nil || len(buf) > 8<<20 {
			continue
		}
		seeds = append(seeds, buf, buf[:len(buf)/2], buf[:len(buf)-1])
		for _, at := range []int{4, 8, 16, 40, len(buf) / 3} {
			if at < len(buf) {
				flipped := append([]byte(nil), buf...)
				flipped[at] ^= 0x5a
				seeds = append(seeds, flipped)
			}
		}
	}
	return seeds
}

func builtSeeds() [][]byte {
	seeds := [][]byte{addModel().MustBytes(), chain().MustBytes()}
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3})
	s := g.ConstInt32("shape", []int{2}, []int32{3, 2})
	r := g.Tensor("r", core.Float32, []int{3, 2})
	w := g.ConstFloat32("w", []int{4, 2}, []float32{1, 2, 3, 4, 5, 6, 7, 8})
	y := g.Tensor("y", core.Float32, []int{3, 4})
	q := g.Tensor("q", core.Int8, []int{3, 4}, modelbuilder.Quant(0.1, 3))
	d := g.Tensor("d", core.Float32, []int{3, 4})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x, s}, []int{r}, &tflite.ReshapeOptionsT{NewShape: []int32{3, 2}})
	g.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{r, w, -1}, []int{y}, &tflite.FullyConnectedOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})
	g.Op(tflite.BuiltinOperatorQUANTIZE, []int{y}, []int{q}, nil)
	g.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{q}, []int{d}, nil)
	g.Inputs(x)
	g.Outputs(d)
	seeds = append(seeds, b.MustBytes())
	full := seeds[len(seeds)-1]
	seeds = append(seeds, full[:len(full)-9], full[:64])
	return seeds
}

// TestWriteFuzzSeeds regenerates the committed seed corpus when
// EDGELITE_WRITE_FUZZ_SEEDS=1; otherwise it checks the corpus exists.
func TestWriteFuzzSeeds(t *testing.T) {
	for _, name := range []string{"FuzzLoadModel", "FuzzInvoke"} {
		dir := filepath.Join("testdata", "fuzz", name)
		if os.Getenv("EDGELITE_WRITE_FUZZ_SEEDS") != "1" {
			entries, err := os.ReadDir(dir)
			if err != nil || len(entries) == 0 {
				t.Fatalf("seed corpus %s is missing: run EDGELITE_WRITE_FUZZ_SEEDS=1 go test -run TestWriteFuzzSeeds", dir)
			}
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range builtSeeds() {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-built-%02d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// FuzzLoadModel: no input may panic or hang the loader, and whatever loads
// must be fully walkable.
func FuzzLoadModel(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, buf []byte) {
		m, err := interpreter.LoadModel(buf)
		if err != nil {
			return
		}
		for _, sg := range m.Subgraphs() {
			for _, op := range sg.Operators {
				_ = op.Op.Name()
			}
		}
	})
}

// FuzzInvoke: load, make an interpreter, allocate and run whatever loads,
// with a small arena bound. Errors are fine; panics and hangs are not.
func FuzzInvoke(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, buf []byte) {
		m, err := interpreter.LoadModel(buf)
		if err != nil {
			return
		}
		it, err := interpreter.New(m, interpreter.WithMaxArenaBytes(16<<20))
		if err != nil {
			return
		}
		defer it.Close()
		if err := it.AllocateTensors(); err != nil {
			return
		}
		_ = it.Invoke()
		_ = it.Invoke()
	})
}
