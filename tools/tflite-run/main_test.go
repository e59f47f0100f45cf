package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/tools/internal/clitest"
)

var bin string

func TestMain(m *testing.M) { os.Exit(clitest.Main(m, "tflite-run", &bin)) }

func readMeta(t *testing.T, dir string) *Meta {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("meta.json: %v\n%s", err, data)
	}
	return &m
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func shaHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// invokeInProcess runs model on the given raw inputs with the interpreter
// and returns the raw outputs.
func invokeInProcess(t *testing.T, model []byte, inputs ...[]byte) [][]byte {
	t.Helper()
	m, err := interpreter.LoadModel(model)
	if err != nil {
		t.Fatal(err)
	}
	it, err := interpreter.New(m)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		t.Fatal(err)
	}
	for i, in := range inputs {
		copy(it.Input(i).Bytes(), in)
	}
	if err := it.Invoke(); err != nil {
		t.Fatal(err)
	}
	var outs [][]byte
	for _, o := range it.Outputs() {
		outs = append(outs, append([]byte(nil), o.Bytes()...))
	}
	return outs
}

func TestDefaultModel(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	out := filepath.Join(t.TempDir(), "out")
	r := clitest.Run(t, bin, "-runs", "3", "--warmup=1", model, out)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	if r.Stdout != string(readFile(t, filepath.Join(out, "meta.json"))) {
		t.Error("stdout differs from meta.json")
	}
	clitest.Match(t, r.Stdout, `^  "ok": true,$`, `"shape": \[1, 256\],$`, `"range": \[-1, 1\]$`,
		`"dtype": "float32"`, `"first_run": `, `"deterministic_across_runs": true`)
	m := readMeta(t, out)
	if !m.OK || len(m.Inputs) != 1 || len(m.Outputs) != 1 || m.Timing == nil || m.Timing.Runs != 3 || m.Timing.Warmup != 1 || len(m.Timing.All) != 3 {
		t.Fatalf("meta: %+v", m)
	}
	in, o := m.Inputs[0], m.Outputs[0]
	if in.Name != "input" || in.Source != "generated" || in.File != "in0.bin" || in.Generator == nil || in.Generator.Seed != 1234 || in.Bytes != 1024 {
		t.Errorf("input meta %+v", in)
	}
	if o.Name != "logits" || o.File != "out0.bin" || o.Dtype != "float32" || len(o.Shape) != 2 || o.Shape[1] != 32 || o.Bytes != 128 {
		t.Errorf("output meta %+v", o)
	}
	if m.ExecutedNodeTypes["FULLY_CONNECTED"] != 4 || m.ExecutedNodeTypes["RESHAPE"] != 2 {
		t.Errorf("executed_node_types %v", m.ExecutedNodeTypes)
	}
	inBytes := readFile(t, filepath.Join(out, "in0.bin"))
	outBytes := readFile(t, filepath.Join(out, "out0.bin"))
	if shaHex(inBytes) != in.SHA256 || shaHex(outBytes) != o.SHA256 {
		t.Error("sha256 in meta.json does not match the files")
	}
	if want := invokeInProcess(t, defaultmodel.Bytes(), inBytes)[0]; !bytes.Equal(outBytes, want) {
		t.Error("out0.bin differs from an in-process run on in0.bin")
	}

	// Giving the generated file back as input gives the same output and
	// writes no in0.bin.
	out2 := filepath.Join(t.TempDir(), "out2")
	r = clitest.Run(t, bin, model, out2, filepath.Join(out, "in0.bin"))
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	m2 := readMeta(t, out2)
	if m2.Outputs[0].SHA256 != o.SHA256 || m2.Inputs[0].Generator != nil || !filepath.IsAbs(m2.Inputs[0].Source) {
		t.Errorf("second run: %+v %+v", m2.Inputs[0], m2.Outputs[0])
	}
	if _, err := os.Stat(filepath.Join(out2, "in0.bin")); err == nil {
		t.Error("in0.bin was written for an input that was given")
	}

	// Another seed gives other inputs; "-" means generate.
	out3 := filepath.Join(t.TempDir(), "out3")
	r = clitest.Run(t, bin, "--seed", "7", "--range", "-2,3", model, out3, "-")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	m3 := readMeta(t, out3)
	if m3.Inputs[0].Generator.Seed != 7 || m3.Inputs[0].SHA256 == in.SHA256 || *m3.Inputs[0].Stats.Min < -2 || *m3.Inputs[0].Stats.Max >= 3 || *m3.Inputs[0].Stats.Max < 2 {
		t.Errorf("seeded run input %+v stats %+v", m3.Inputs[0], m3.Inputs[0].Stats)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	garbage := clitest.WriteFile(t, "garbage.tflite", []byte("this is not a flatbuffer at all, not even close"))
	short := clitest.WriteFile(t, "short.bin", make([]byte, 10))

	clitest.Run(t, bin).ExpectError(t, 2, `^tflite-run: want a model and an output folder \(usage: tflite-run \[flags\] model.tflite outdir`)
	clitest.Run(t, bin, "-bogus", model, dir).ExpectError(t, 2, `^tflite-run: flag provided but not defined: -bogus`)
	clitest.Run(t, bin, "-range", "1", model, dir).ExpectError(t, 2, `^tflite-run: invalid value "1" for flag -range: want LO,HI`)
	clitest.Run(t, bin, "-runs", "0", model, dir).ExpectError(t, 2, `^tflite-run: -runs must be >= 1`)
	clitest.Run(t, bin, model, dir, "-", "-").ExpectError(t, 2, `^tflite-run: 2 input files given but the model has 1 inputs`)

	clitest.Run(t, bin, filepath.Join(dir, "missing.tflite"), dir).ExpectError(t, 1, `^tflite-run: open .*missing.tflite: no such file or directory$`)
	clitest.Run(t, bin, garbage, dir).ExpectError(t, 1, `^tflite-run: .*garbage.tflite: invalid model: `)
	clitest.Run(t, bin, model, dir, short).ExpectError(t, 1,
		`^tflite-run: input 0 \(input\): file .*short.bin has 10 bytes, expected 1024 \(float32 \[1,256\]\)$`)
	clitest.Run(t, bin, model, dir, filepath.Join(dir, "nope.bin")).ExpectError(t, 1, `^tflite-run: input 0 \(input\): open .*nope.bin: no such file`)
	if r := clitest.Run(t, bin, "-help"); r.Code != 0 || !strings.Contains(r.Stderr, "usage: tflite-run") || !strings.Contains(r.Stderr, "-int-range") {
		t.Errorf("-help: exit %d\n%s", r.Code, r.Stderr)
	}
}

func TestUnresolvedOps(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	in := g.Tensor("x", core.Float32, []int{1, 4})
	mid := g.Tensor("tanh", core.Float32, []int{1, 4})
	out := g.Tensor("y", core.Float32, []int{1, 4})
	g.OpVersion(tflite.BuiltinOperatorTANH, 99, []int{in}, []int{mid}, nil) // no kernel claims version 99
	g.Custom("MyCustomOp", []int{mid}, []int{out}, nil)
	g.Inputs(in)
	g.Outputs(out)
	model := clitest.WriteFile(t, "unresolved.tflite", b.MustBytes())
	dir := t.TempDir()
	r := clitest.Run(t, bin, model, dir)
	r.ExpectError(t, 1, `^tflite-run: 2 op\(s\) of the model cannot run in this build: MyCustomOp v1 \(.*\); TANH v99 \(.*\)$`)
	m := readMeta(t, dir)
	if m.OK || len(m.UnresolvedOps) != 2 || len(m.UnresolvedCustomOps) != 1 || m.UnresolvedCustomOps[0] != "MyCustomOp" || m.Error == "" {
		t.Errorf("meta: %+v", m)
	}
}

// passThroughModel has one RESHAPE per input, so outputs equal inputs.
func passThroughModel(types []core.TensorType, shapes [][]int) []byte {
	b := modelbuilder.New()
	g := b.Main()
	var ins, outs []int
	for i, typ := range types {
		in := g.Tensor("in_"+cliDType(typ), typ, shapes[i])
		n := 1
		for _, d := range shapes[i] {
			n *= d
		}
		shape := g.ConstInt32("shape_"+cliDType(typ), []int{1}, []int32{int32(n)})
		out := g.Tensor("out_"+cliDType(typ), typ, []int{n})
		g.Op(tflite.BuiltinOperatorRESHAPE, []int{in, shape}, []int{out}, &tflite.ReshapeOptionsT{NewShape: []int32{int32(n)}})
		ins, outs = append(ins, in), append(outs, out)
	}
	g.Inputs(ins...)
	g.Outputs(outs...)
	return b.MustBytes()
}

func cliDType(t core.TensorType) string { return strings.ToLower(t.String()) }

// TestMatchesOracleReferenceInputs runs tflite-run on a pass-through model
// with the input shape of each MediaPipe reference and checks that the
// generated in0.bin equals the one the oracle wrote (seed 1234, [-1,1)).
func TestMatchesOracleReferenceInputs(t *testing.T) {
	refs := clitest.Shared(t, "reference/mediapipe")
	metas, _ := filepath.Glob(filepath.Join(refs, "*", "meta.json"))
	if len(metas) == 0 {
		t.Skipf("no references under %s", refs)
	}
	for _, meta := range metas {
		var m Meta
		if err := json.Unmarshal(readFile(t, meta), &m); err != nil {
			t.Fatal(err)
		}
		in := m.Inputs[0]
		if in.Dtype != "float32" || in.Generator == nil || in.Generator.Seed != 1234 || !sameRange(in.Generator.Range, -1, 1) {
			t.Fatalf("%s: input 0 is not float32 generated with seed 1234 in [-1,1): %+v", meta, in)
		}
		model := clitest.WriteFile(t, "pass.tflite", passThroughModel([]core.TensorType{core.Float32}, [][]int{in.Shape}))
		out := t.TempDir()
		if r := clitest.Run(t, bin, model, out); r.Code != 0 {
			t.Fatalf("exit %d: %s", r.Code, r.Stderr)
		}
		if !bytes.Equal(readFile(t, filepath.Join(out, "in0.bin")), readFile(t, filepath.Join(filepath.Dir(meta), "in0.bin"))) {
			t.Errorf("%s: generated in0.bin differs from the oracle's", filepath.Dir(meta))
		}
	}
}

func sameRange(r any, lo, hi float64) bool {
	v, ok := r.([]any)
	return ok && len(v) == 2 && v[0] == lo && v[1] == hi
}

// oracle returns the command that runs the tflite-oracle, skipping the test
// when node or the oracle's installed copy is missing.
func oracle(t *testing.T) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the comparison with the tflite-oracle")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found; skipping the comparison with the tflite-oracle")
	}
	dir := filepath.Join(clitest.RepoRoot(t), ".cache", "tflite-oracle")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@tensorflow", "tfjs-tflite")); err != nil {
		t.Skipf("tflite-oracle is not set up at %s (npm ci); skipping", dir)
	}
	return []string{node, filepath.Join(dir, "oracle.js")}
}

func runOracle(t *testing.T, args ...string) {
	t.Helper()
	cmd := oracle(t)
	c := exec.Command(cmd[0], append(cmd[1:], args...)...)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("oracle %q: %v\n%s", args, err, out)
	}
}

// TestOracleIntInputs generates inputs of every type the oracle supports,
// with non-default seed and ranges, with both tools and compares the
// inputs (and the pass-through outputs) byte for byte.
func TestOracleIntInputs(t *testing.T) {
	oracle(t)
	types := []core.TensorType{core.Float32, core.Int32, core.Int8, core.Uint8, core.Int16, core.Bool, core.Uint32}
	shapes := [][]int{{2, 50}, {3, 37}, {64}, {1, 64}, {100}, {33}, {7, 7}}
	model := clitest.WriteFile(t, "types.tflite", passThroughModel(types, shapes))
	for _, flags := range [][]string{
		nil,
		{"--seed", "99", "--range", "-3.5,7.25", "--int-range", "-70000,70000"},
		{"--seed", "4294967295", "--int-range", "5,5"},
	} {
		ref, got := t.TempDir(), t.TempDir()
		runOracle(t, append(append([]string{"--runs", "1", "--no-profile"}, flags...), model, ref)...)
		if r := clitest.Run(t, bin, append(append([]string{}, flags...), model, got)...); r.Code != 0 {
			t.Fatalf("%q: exit %d: %s", flags, r.Code, r.Stderr)
		}
		var rm, gm Meta
		json.Unmarshal(readFile(t, filepath.Join(ref, "meta.json")), &rm)
		json.Unmarshal(readFile(t, filepath.Join(got, "meta.json")), &gm)
		for i := range types {
			for _, f := range []string{"in%d.bin", "out%d.bin"} {
				name := strings.Replace(f, "%d", string(rune('0'+i)), 1)
				if !bytes.Equal(readFile(t, filepath.Join(ref, name)), readFile(t, filepath.Join(got, name))) {
					t.Errorf("%q: %s (%s) differs from the oracle's", flags, name, types[i])
				}
			}
			if rm.Inputs[i].Dtype != gm.Inputs[i].Dtype || rm.Outputs[i].Dtype != gm.Outputs[i].Dtype {
				t.Errorf("dtype %s/%s, oracle says %s/%s", gm.Inputs[i].Dtype, gm.Outputs[i].Dtype, rm.Inputs[i].Dtype, rm.Outputs[i].Dtype)
			}
			if *rm.Inputs[i].Stats.Mean != *gm.Inputs[i].Stats.Mean {
				t.Errorf("input %d stats %+v, oracle %+v", i, *gm.Inputs[i].Stats.Mean, *rm.Inputs[i].Stats.Mean)
			}
		}
	}
}

// TestOracleDefaultModel compares the default model's output with
// TensorFlow Lite's.
func TestOracleDefaultModel(t *testing.T) {
	oracle(t)
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	ref, got := t.TempDir(), t.TempDir()
	runOracle(t, "--runs", "1", "--no-profile", model, ref)
	if r := clitest.Run(t, bin, model, got); r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	if !bytes.Equal(readFile(t, filepath.Join(ref, "in0.bin")), readFile(t, filepath.Join(got, "in0.bin"))) {
		t.Fatal("in0.bin differs from the oracle's")
	}
	want, have := floats(readFile(t, filepath.Join(ref, "out0.bin"))), floats(readFile(t, filepath.Join(got, "out0.bin")))
	maxRef := 0.0
	for _, v := range want {
		maxRef = math.Max(maxRef, math.Abs(float64(v)))
	}
	for i := range want {
		if d := math.Abs(float64(want[i] - have[i])); d > 1e-4*maxRef {
			t.Errorf("output %d = %v, TFLite %v", i, have[i], want[i])
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
