package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/tools/internal/clitest"
)

var bin string

func TestMain(m *testing.M) { os.Exit(clitest.Main(m, "tflite-inspect", &bin)) }

func inspectOK(t *testing.T, args ...string) string {
	t.Helper()
	r := clitest.Run(t, bin, args...)
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("tflite-inspect %q: exit %d\n%s", args, r.Code, r.Stderr)
	}
	return r.Stdout
}

func TestDefaultModelText(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	out := inspectOK(t, model)
	clitest.Match(t, out,
		`^Model: +`+regexp.QuoteMeta(model)+`$`,
		`^File size: +\d+ bytes \(\d+\.\d kB\)$`,
		`^Schema version: 3$`,
		`^Description: +"edgelite_default_mlp: `,
		`^Subgraphs: +1$`,
		`^Buffers: +\d+ \(\d+ non-empty\), \d+ bytes \(.*\); constant tensor data \d+ bytes`,
		`^Runnable: +yes`,
		`^Subgraph 0 "main": 23 tensors, 10 operators$`,
		`^    0: tensor 0 "input" float32\[1,256\]$`,
		`^    0: tensor 22 "logits" float32\[1,32\]$`,
		`^    FULLY_CONNECTED v1 +×4$`,
		`^    ADD v1 +×2$`,
		`^    RESHAPE v1 +×2$`,
		`^    CONCATENATION v1 +×1$`,
		`^    MUL v1 +×1$`,
		`^Ops this build cannot run: none$`,
		`^  model_name: 20 bytes \(buffer \d+\) "edgelite_default_mlp"$`,
		`^  "serving_default": subgraph 0$`,
		`^    input  "input" → tensor 0 \(input\)$`,
		`^    output "logits" → tensor 22 \(logits\)$`,
	)
	if strings.Contains(out, "Operators:") {
		t.Error("operators listed without --ops")
	}
	ops := inspectOK(t, "--ops", model)
	clitest.Match(t, ops,
		`^  Operators:$`,
		`^ +0  FULLY_CONNECTED v1  in \[0 1 2\]  out \[3\]  fused_activation_function=RELU weights_format=DEFAULT keep_num_dims=false`,
		`^ +\d+  CONCATENATION v1  in \[\d+ \d+\]  out \[\d+\]  axis=1 fused_activation_function=NONE`,
		`^ +\d+  RESHAPE v1  in \[\d+ \d+\]  out \[\d+\]  new_shape=\[2,64\]$`,
	)
	// Flags may come after the model.
	if again := inspectOK(t, model, "--ops"); again != ops {
		t.Error("flags after the model give other output")
	}
}

func TestDefaultModelJSON(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	out := inspectOK(t, "--json", "--ops", model)
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.SchemaVersion != 3 || rep.SizeBytes != len(defaultmodel.Bytes()) || !rep.Runnable || len(rep.Unsupported) != 0 {
		t.Errorf("report %+v", rep)
	}
	sg := rep.Subgraphs[0]
	if sg.Name != "main" || sg.NumTensors != 23 || sg.NumOperators != 10 || len(sg.Operators) != 10 ||
		sg.Inputs[0].Name != "input" || sg.Inputs[0].Dtype != "float32" || sg.Outputs[0].Shape[1] != 32 {
		t.Errorf("subgraph %+v", sg)
	}
	if sg.Ops[0] != (OpCount{Op: "FULLY_CONNECTED", Version: 1, Count: 4}) {
		t.Errorf("ops %+v", sg.Ops)
	}
	if got := sg.Operators[0].BuiltinOptions["fused_activation_function"]; got != "RELU" {
		t.Errorf("operator 0 fused_activation_function = %v", got)
	}
	if len(rep.Signatures) != 1 || rep.Signatures[0].Key != "serving_default" || rep.Signatures[0].Outputs[0] != (SignatureArg{"logits", 22, "logits"}) {
		t.Errorf("signatures %+v", rep.Signatures)
	}
	if len(rep.Metadata) != 1 || rep.Metadata[0].Name != "model_name" || rep.Metadata[0].Text != defaultmodel.Name {
		t.Errorf("metadata %+v", rep.Metadata)
	}
	if rep.Buffers.Count < 10 || rep.Buffers.ConstantTensorBytes < 200_000 || rep.Buffers.TotalBytes < rep.Buffers.ConstantTensorBytes {
		t.Errorf("buffers %+v", rep.Buffers)
	}

	// The documented field names are stable.
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	keys := func(m map[string]any) string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		sort.Strings(k)
		return strings.Join(k, ",")
	}
	if got, want := keys(raw), "buffers,description,file,metadata,runnable,schema_version,signatures,size_bytes,subgraphs,unsupported_ops"; got != want {
		t.Errorf("top-level keys %s, want %s", got, want)
	}
	sub := raw["subgraphs"].([]any)[0].(map[string]any)
	if got, want := keys(sub), "index,inputs,name,num_operators,num_tensors,operators,ops,outputs"; got != want {
		t.Errorf("subgraph keys %s, want %s", got, want)
	}
	if got, want := keys(sub["inputs"].([]any)[0].(map[string]any)), "dtype,name,shape,tensor"; got != want {
		t.Errorf("tensor keys %s, want %s", got, want)
	}
	if got, want := keys(raw["buffers"].(map[string]any)), "constant_tensor_bytes,count,non_empty,total_bytes"; got != want {
		t.Errorf("buffers keys %s, want %s", got, want)
	}
	if !strings.Contains(out, `"shape": [1, 256]`) {
		t.Error("shapes are not printed on one line")
	}
}

// quantModel has quantized, per-axis and dynamic inputs and a custom op with
// FlexBuffer options that this build cannot run.
func quantModel(t *testing.T) []byte {
	opts, err := flexbuffers.Marshal(map[string]any{"alpha": 0.5, "mode": "fast", "sizes": []any{int64(1), int64(2)}})
	if err != nil {
		t.Fatal(err)
	}
	b := modelbuilder.New()
	b.Model().Description = "quant test"
	g := b.Main()
	a := g.Tensor("a", core.Int8, []int{1, 4}, modelbuilder.Quant(0.5, -3), modelbuilder.ShapeSignature(-1, 4))
	c := g.Tensor("c", core.Int8, []int{2, 3}, modelbuilder.PerAxisQuant([]float32{0.1, 0.2, 0.3}, []int64{0, 0, 0}, 1))
	y := g.Tensor("y", core.Float32, []int{1, 4})
	z := g.Tensor("z", core.Float32, []int{1, 4})
	g.Custom("MyOp", []int{a, c}, []int{y}, opts)
	g.Custom("RawOp", []int{y}, []int{z}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	g.Inputs(a, c)
	g.Outputs(z)
	return b.MustBytes()
}

func TestQuantizedAndCustom(t *testing.T) {
	model := clitest.WriteFile(t, "quant.tflite", quantModel(t))
	out := inspectOK(t, "--ops", model)
	clitest.Match(t, out,
		`^Runnable: +no, 2 \(op, version\) pair\(s\) have no kernel in this build$`,
		`^    0: tensor 0 "a" int8\[1,4\] signature \[-1,4\] quantized: scale 0\.5 zero point -3$`,
		`^    1: tensor 1 "c" int8\[2,3\] quantized per-axis: 3 scales along dimension 1$`,
		`^    MyOp v1 +×1  \(custom\)$`,
		`^ +0  MyOp v1  in \[0 1\]  out \[2\]  custom options \(\d+ bytes\): \{"alpha": 0\.5, "mode": "fast", "sizes": \[1, 2\]\}$`,
		`^ +1  RawOp v1  in \[2\]  out \[3\]  custom options: 9 bytes \(not a FlexBuffer: .*\)$`,
		`^  MyOp v1 \(1 uses\): custom op "MyOp" is not registered$`,
		`^  RawOp v1 \(1 uses\): custom op "RawOp" is not registered$`,
		`^Metadata: none$`,
		`^Signatures: none$`,
	)
	var rep Report
	if err := json.Unmarshal([]byte(inspectOK(t, "--json", "--ops", model)), &rep); err != nil {
		t.Fatal(err)
	}
	in := rep.Subgraphs[0].Inputs
	if q := in[0].Quantization; q == nil || q.PerAxis || *q.Scale != 0.5 || *q.ZeroPoint != -3 || in[0].ShapeSignature[0] != -1 {
		t.Errorf("input 0 %+v", in[0])
	}
	if q := in[1].Quantization; q == nil || !q.PerAxis || q.Count != 3 || *q.QuantizedDimension != 1 || q.Scale != nil {
		t.Errorf("input 1 %+v", in[1])
	}
	op := rep.Subgraphs[0].Operators[0]
	if m, ok := op.CustomOptions.(map[string]any); !ok || m["alpha"] != 0.5 || m["mode"] != "fast" || op.CustomOptionsBytes == 0 {
		t.Errorf("custom options %#v", op.CustomOptions)
	}
	if rep.Runnable || len(rep.Unsupported) != 2 || rep.Unsupported[0].Op != "MyOp" || rep.Unsupported[0].Uses != 1 {
		t.Errorf("unsupported %+v", rep.Unsupported)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := clitest.WriteFile(t, "garbage.tflite", []byte("this is not a model, only text of some length"))
	empty := clitest.WriteFile(t, "empty.tflite", nil)
	truncated := clitest.WriteFile(t, "truncated.tflite", defaultmodel.Bytes()[:3000])
	clitest.Run(t, bin, dir+"/missing.tflite").ExpectError(t, 1, `^tflite-inspect: load model .*missing.tflite: open .*missing.tflite: no such file or directory$`)
	clitest.Run(t, bin, garbage).ExpectError(t, 1, `^tflite-inspect: load model .*garbage.tflite: invalid model: `)
	clitest.Run(t, bin, "--json", empty).ExpectError(t, 1, `^tflite-inspect: load model .*empty.tflite: `)
	clitest.Run(t, bin, truncated).ExpectError(t, 1, `^tflite-inspect: load model .*truncated.tflite: invalid model: `)
	clitest.Run(t, bin, dir).ExpectError(t, 1, `^tflite-inspect: load model `)
	clitest.Run(t, bin).ExpectError(t, 2, `^tflite-inspect: want exactly one model file, got 0 arguments \(usage: `)
	clitest.Run(t, bin, garbage, garbage).ExpectError(t, 2, `^tflite-inspect: want exactly one model file, got 2 arguments`)
	clitest.Run(t, bin, "--bogus", garbage).ExpectError(t, 2, `^tflite-inspect: flag provided but not defined: -bogus`)
	if r := clitest.Run(t, bin, "-h"); r.Code != 0 || !strings.Contains(r.Stderr, "usage: tflite-inspect") {
		t.Errorf("-h: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestCorruptModels flips bytes of a valid model and checks that every
// variant is either inspected or rejected with one line, never a panic.
func TestCorruptModels(t *testing.T) {
	good := quantModel(t)
	good2 := defaultmodel.Bytes()[:4096] // also truncated headers
	rng := rand.New(rand.NewPCG(1, 2))
	path := t.TempDir() + "/m.tflite"
	n := 100
	if testing.Short() {
		n = 20
	}
	for i := range n {
		src := good
		if i%3 == 0 {
			src = good2
		}
		m := append([]byte(nil), src...)
		for range 1 + rng.IntN(4) {
			m[rng.IntN(len(m))] = byte(rng.Uint32())
		}
		if err := os.WriteFile(path, m, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"--json", "--ops", path}, {"--ops", path}} {
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			if strings.Contains(stderr.String(), "internal error") {
				t.Fatalf("variant %d: %s", i, stderr.String())
			}
			if code != 0 && (code != 1 || strings.Count(stderr.String(), "\n") != 1) {
				t.Fatalf("variant %d: exit %d, stderr %q", i, code, stderr.String())
			}
		}
	}
}

func TestRealModels(t *testing.T) {
	t.Run("palm_detection_lite", func(t *testing.T) {
		model := clitest.Model(t, "mediapipe/palm_detection_lite.tflite")
		out := inspectOK(t, "--ops", model)
		clitest.Match(t, out,
			`^File size: +1985440 bytes \(1\.99 MB\)$`,
			`^Subgraph 0 "main": 353 tensors, 232 operators$`,
			`^    0: tensor 0 "input_1" float32\[1,192,192,3\]$`,
			`^    DEQUANTIZE v2 +×113$`,
			`^    CONV_2D v1 +×30$`,
			`^ +2  CONV_2D v1  in \[0 314 304\]  out \[121\]  padding=SAME stride_w=2 stride_h=2 fused_activation_function=NONE`,
			`^  min_runtime_version: 16 bytes \(buffer \d+\) "2\.2\.0"$`,
		)
		var rep Report
		if err := json.Unmarshal([]byte(inspectOK(t, "--json", model)), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Subgraphs[0].NumOperators != 232 || len(rep.Subgraphs[0].Outputs) != 2 {
			t.Errorf("report %+v", rep.Subgraphs[0])
		}
	})
	t.Run("mobilenet_quant", func(t *testing.T) {
		model := clitest.Model(t, "coral/mobilenet_v1_0.25_128_quant.tflite")
		clitest.Match(t, inspectOK(t, model),
			`^    0: tensor \d+ "input" uint8\[1,128,128,3\] quantized: scale 0\.0078125 zero point 128$`)
	})
	t.Run("ssd_postprocess", func(t *testing.T) {
		model := clitest.Model(t, "coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers.tflite")
		clitest.Match(t, inspectOK(t, "--ops", model),
			`^    TFLite_Detection_PostProcess v1 +×1  \(custom\)$`,
			`TFLite_Detection_PostProcess v1 .*custom options \(\d+ bytes\): \{.*"max_detections": 20,`,
			`^Runnable: +yes`)
	})
}
