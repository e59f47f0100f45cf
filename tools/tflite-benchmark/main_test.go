package main

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
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

func TestMain(m *testing.M) { os.Exit(clitest.Main(m, "tflite-benchmark", &bin)) }

// Regular expressions for benchmark_model's log lines, without the log
// prefix. TestRegexesMatchTFLite shows they match TensorFlow Lite's own
// output; the other tests hold Edgelite's output to them.
const (
	num   = `[0-9]+`
	float = `(?:-?[0-9.]+(?:e[+-][0-9]+)?|nan|-?inf)`

	statsRE = `(?:count=` + num + ` first=` + num + ` curr=` + num + ` min=` + num + ` max=` + num + ` avg=` + float + ` std=` + num +
		`|count=` + num + ` curr=` + num + `(?:\(all same\))?|count=0)`
	runningRE  = `Running benchmark for at least ` + num + ` iterations and at least ` + float + ` seconds but terminate if exceeding ` + float + ` seconds\.`
	sizeRE     = `The input model file size \(MB\): ` + float
	initRE     = `Initialized session in ` + float + `ms\.`
	loadedRE   = `Loaded model \S.*`
	timingsRE  = `Inference timings in us: Init: ` + num + `, First inference: ` + num + `, Warmup \(avg\): ` + float + `, Inference \(avg\): ` + float
	noteRE     = `Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime\. Take the information at your discretion\.`
	memDeltaRE = `Memory footprint delta from the start of the tool \(MB\): init=` + float + ` overall=` + float
	peakRE     = `Overall peak memory footprint \(MB\) via periodic monitoring: ` + float
	delegateRE = `(?:Explicitly applied \w+ delegate, and the model graph will be (?:completely executed by the delegate|partially executed by the delegate w/ ` + num + ` delegate kernels)|Though \w+ delegate is explicitly applied, the model graph will not be executed by the delegate)\.`
	initProfRE = `Profiling Info for Benchmark Initialization:`
	runProfRE  = `Operator-wise Profiling Info for Regular Benchmark Runs:`
	titleRE    = `============================== (?:Run Order|Top by Computation Time|Summary by node type) ==============================`
	// The node tables: TensorFlow Lite before 2.14 or so had a [start]
	// column, later ones (and Edgelite) do not.
	headerRE  = `\t +\[node type\](?:\t +\[start\])?\t +\[first\]\t +\[avg ms\]\t +\[%\]\t +\[cdf%\]\t +\[mem KB\]\t\[times called\]\t\[Name\]`
	rowRE     = `\t *(\S+)(?:\t *` + float + `)?\t *(` + float + `)\t *(` + float + `)\t *(` + float + `)%\t *(` + float + `)%\t *(` + float + `)\t *(` + num + `)\t(.+)`
	typeHdrRE = `\t +\[Node type\]\t +\[count\]\t +\[avg ms\]\t +\[avg %\]\t +\[cdf %\]\t +\[mem KB\]\t\[times called\]`
	typeRowRE = `\t *(\S+)\t *(` + num + `)\t *(` + float + `)\t *(` + float + `)%\t *(` + float + `)%\t *(` + float + `)\t *(` + num + `)`
	nodesRE   = `Number of nodes executed: (` + num + `)`
)

// info anchors a body for Edgelite's output: "INFO: " and the whole line.
func info(body string) string { return `INFO: ` + body }

// TestRegexesMatchTFLite runs the regular expressions over lines of real
// benchmark_model output pasted in public issue threads (log prefixes as
// the tool or logcat wrote them, "INFO: " in recent versions).
func TestRegexesMatchTFLite(t *testing.T) {
	prefix := `(?:INFO: |I tflite  : )?`
	for _, tc := range []struct{ re, line string }{
		// github.com/google-research/google-research/issues/802
		{loadedRE, "Loaded model /data/local/tmp/model.tflite"},
		{sizeRE, "The input model file size (MB): 1.41812"},
		{initRE, "Initialized session in 17.851ms."},
		{runningRE, "Running benchmark for at least 1 iterations and at least 0.5 seconds but terminate if exceeding 150 seconds."},
		{statsRE, "count=478 first=2104 curr=1017 min=1012 max=2104 avg=1041.15 std=63"},
		{runningRE, "Running benchmark for at least 1000 iterations and at least 1 seconds but terminate if exceeding 150 seconds."},
		{timingsRE, "Inference timings in us: Init: 17851, First inference: 2104, Warmup (avg): 1041.15, Inference (avg): 1039.66"},
		// github.com/google/XNNPACK/issues/999
		{noteRE, "Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime. Take the information at your discretion."},
		{memDeltaRE, "Memory footprint delta from the start of the tool (MB): init=8.97656 overall=18.7227"},
		{initProfRE, "Profiling Info for Benchmark Initialization:"},
		{timingsRE, "Inference timings in us: Init: 18777, First inference: 64791, Warmup (avg): 57758.2, Inference (avg): 55043.2"},
		// github.com/tensorflow/tensorflow/issues/43541
		{delegateRE, "Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate."},
		{statsRE, "count=4 first=130565 curr=120829 min=117370 max=130565 avg=122373 std=4930"},
		// github.com/tensorflow/tensorflow/issues/56301 (logcat)
		{delegateRE, "I tflite  : Explicitly applied NNAPI delegate, and the model graph will be partially executed by the delegate w/ 44 delegate kernels."},
		{delegateRE, "I tflite  : Though NNAPI delegate is explicitly applied, the model graph will not be executed by the delegate."},
		{sizeRE, "I tflite  : The input model file size (MB): 0.113392"},
		{statsRE, "I tflite  : count=40 first=32942 curr=12594 min=11340 max=32942 avg=12581.9 std=3331"},
		// github.com/tensorflow/tensorflow/issues/26736 and 27948 (tables with [start])
		{titleRE, "============================== Run Order =============================="},
		{headerRE, "\t             [node type]\t          [start]\t  [first]\t [avg ms]\t     [%]\t  [cdf%]\t  [mem KB]\t[times called]\t[Name]"},
		{rowRE, "\t              MIRROR_PAD\t            0.000\t   11.161\t   11.156\t  1.267%\t  1.267%\t     0.000\t        1\t[MirrorPad]"},
		{rowRE, "\t       DEPTHWISE_CONV_2D\t            0.000\t  538.139\t  536.830\t 56.668%\t 56.668%\t     0.000\t        1\t[srnetwork/Conv/Relu]"},
		{statsRE, "count=1 curr=1058871"},
		// github.com/tensorflow/tensorflow/issues/42507
		{initProfRE, "Profiling Info for Benchmark Initialization:"},
	} {
		if !regexp.MustCompile("^" + prefix + tc.re + "$").MatchString(tc.line) {
			t.Errorf("%q does not match %q", tc.line, tc.re)
		}
	}
	// A whole profile written by real TensorFlow Lite 2.12 (see
	// interpreter/profiling's TestTFLiteProfileByteExact for where it comes
	// from): every line is one the profile regexes accept.
	prof, err := os.ReadFile("../../interpreter/profiling/testdata/tflite_profile_palm_detection_lite.txt")
	if err != nil {
		t.Fatal(err)
	}
	profileLine := regexp.MustCompile(`^(?:` + strings.Join([]string{titleRE, headerRE, rowRE, typeHdrRE, typeRowRE, nodesRE,
		`Timings \(microseconds\): ` + statsRE, `Memory \(bytes\): count=0`, num + ` nodes observed`, `Delegate internal: `, ``}, "|") + `)$`)
	rows := 0
	for _, line := range strings.Split(string(prof), "\n") {
		if !profileLine.MatchString(line) {
			t.Errorf("TFLite profile line %q matches no expression", line)
		}
		if regexp.MustCompile(`^` + rowRE + `$`).MatchString(line) {
			rows++
		}
	}
	if rows != 1+1+119+10 { // the delegate node in Run Order and Top; its 119 internal ops, the top 10
		t.Errorf("%d table rows recognized in the TFLite profile, want 131", rows)
	}
	// The same expressions match the lines Edgelite writes for the same
	// events (the delegate lines are not reachable from the CLI yet).
	for _, line := range []string{delegateSummary("XNNPACK", 1, 1), delegateSummary("XNNPACK", 3, 7), delegateSummary("XNNPACK", 0, 7)} {
		if !regexp.MustCompile("^" + delegateRE + "$").MatchString(line) {
			t.Errorf("%q does not match %q", line, delegateRE)
		}
	}
}

// expectLines checks stdout line by line against regular expressions
// (each anchored at both ends). The last want lines are the memory lines,
// left out off Linux.
func expectLines(t *testing.T, out string, memLines int, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if runtime.GOOS != "linux" {
		want = want[:len(want)-memLines]
	}
	if len(lines) != len(want) {
		t.Errorf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range min(len(lines), len(want)) {
		if !regexp.MustCompile("^" + want[i] + "$").MatchString(lines[i]) {
			t.Errorf("line %d %q does not match %q", i+1, lines[i], want[i])
		}
	}
}

var tail = []string{info(timingsRE), info(noteRE), info(memDeltaRE)}

func TestDefaultModel(t *testing.T) {
	r := clitest.Run(t, bin, "--num_runs=5", "--min_secs=0", "--warmup_min_secs", "0")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	size := strconv.FormatFloat(float64(len(defaultmodel.Bytes()))/1e6, 'g', 6, 64)
	expectLines(t, r.Stdout, 2, append([]string{
		`INFO: STARTING!`,
		`INFO: Log parameter values verbosely: \[0\]`,
		`INFO: Min num runs: \[5\]`,
		`INFO: Min runs duration \(seconds\): \[0\]`,
		`INFO: Min warmup runs duration \(seconds\): \[0\]`,
		`INFO: Graph: \[\]`,
		`INFO: No --graph given: benchmarking the embedded default model edgelite_default_mlp`,
		`INFO: Loaded model edgelite_default_mlp \(embedded\)`,
		`INFO: The input model file size \(MB\): ` + regexp.QuoteMeta(size),
		info(initRE),
		`INFO: Running benchmark for at least 1 iterations and at least 0 seconds but terminate if exceeding 150 seconds\.`,
		`INFO: count=1 curr=` + num,
		``,
		`INFO: Running benchmark for at least 5 iterations and at least 0 seconds but terminate if exceeding 150 seconds\.`,
		info(statsRE),
		``,
	}, tail...)...)
	clitest.Match(t, r.Stdout, `^INFO: count=5 `)
}

func TestGraphFlagAndVerbose(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	r := clitest.Run(t, bin, "--graph", model, "--num_threads=2", "--verbose", "--num_runs=3", "--min_secs=0.001",
		"--warmup_runs=2", "--warmup_min_secs=0", "--max_secs=20", "--run_delay=0.0001", "--benchmark_name=bm", "--output_prefix=pre",
		"--use_xnnpack", "false", "--use_gpu=false")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	want := []string{
		`INFO: STARTING!`,
		`INFO: Log parameter values verbosely: \[1\]`,
		`INFO: Min num runs: \[3\]`,
		`INFO: Min runs duration \(seconds\): \[0\.001\]`,
		`INFO: Max runs duration \(seconds\): \[20\]`,
		`INFO: Inter-run delay \(seconds\): \[0\.0001\]`,
		`INFO: Num threads: \[2\]`,
		`INFO: Benchmark name: \[bm\]`,
		`INFO: Output prefix: \[pre\]`,
		`INFO: Min warmup runs: \[2\]`,
		`INFO: Min warmup runs duration \(seconds\): \[0\]`,
		`INFO: Report the peak memory footprint: \[0\]`,
		`INFO: Memory footprint check interval \(ms\): \[50\]`,
		`INFO: Graph: \[` + regexp.QuoteMeta(model) + `\]`,
		`INFO: Input layers: \[\]`,
		`INFO: Input shapes: \[\]`,
		`INFO: Input value ranges: \[\]`,
		`INFO: Input value files: \[\]`,
		`INFO: Require full delegation: \[0\]`,
		`INFO: Enable op profiling: \[0\]`,
		`INFO: Max profiling buffer entries: \[1024\]`,
		`INFO: CSV File to export profiling data to: \[\]`,
		`INFO: Print pre-invoke interpreter state: \[0\]`,
		`INFO: Print post-invoke interpreter state: \[0\]`,
		`INFO: JSON file to export all figures to: \[\]`,
		`INFO: SVG file to draw the op profile in: \[\]`,
		`INFO: #threads used for CPU inference: \[2\]`,
		`INFO: Max number of delegated partitions: \[0\]`,
		`INFO: Min nodes per partition: \[0\]`,
	}
	for _, d := range delegateFlags {
		v := ""
		if d.isBool {
			v = "0"
		}
		want = append(want, `INFO: `+regexp.QuoteMeta(d.desc)+`: \[`+v+`\]`)
	}
	want = append(want,
		`INFO: Loaded model `+regexp.QuoteMeta(model),
		info(sizeRE),
		info(initRE),
		`INFO: Running benchmark for at least 2 iterations and at least 0 seconds but terminate if exceeding 20 seconds\.`,
		info(statsRE),
		``,
		`INFO: Running benchmark for at least 3 iterations and at least 0\.001 seconds but terminate if exceeding 20 seconds\.`,
		info(statsRE),
		``,
	)
	expectLines(t, r.Stdout, 2, append(want, tail...)...)
	clitest.Match(t, r.Stdout, `^INFO: count=2 `, `^INFO: Use xnnpack: \[0\]$`, `^INFO: Use gpu: \[0\]$`)
}

func TestDefaultsLogged(t *testing.T) {
	r := clitest.Run(t, bin, "--verbose=true", "--num_runs=1", "--min_secs=0", "--warmup_runs=0", "--warmup_min_secs=0")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout,
		`^INFO: Max runs duration \(seconds\): \[150\]$`,
		`^INFO: Inter-run delay \(seconds\): \[-1\]$`,
		`^INFO: Num threads: \[-1\]$`,
		`^INFO: Benchmark name: \[\]$`,
		`^INFO: Max profiling buffer entries: \[1024\]$`,
		`^INFO: Memory footprint check interval \(ms\): \[50\]$`,
		`^INFO: Running benchmark for at least 0 iterations and at least 0 seconds but terminate if exceeding 150 seconds\.$`,
		`^INFO: count=0$`,
		`^INFO: Inference timings in us: Init: `+num+`, First inference: 0, Warmup \(avg\): nan, Inference \(avg\): `+float+`$`,
	)
}

func TestUnconsumedArgs(t *testing.T) {
	r := clitest.Run(t, bin, "extra", "--num_runs=1", "--min_secs=0", "--warmup_min_secs=0", "more")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout, `^WARN: Unconsumed cmdline flags: extra more$`, `^INFO: Graph: \[\]$`)
	r = clitest.Run(t, bin, "--num_runs=1", "--min_secs=0", "--warmup_min_secs=0", "--profiling_output_csv_file=x.csv", "--max_delegated_partitions=2")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout, `^WARN: --profiling_output_csv_file has no effect without --enable_op_profiling=true\.$`,
		`^WARN: --max_delegated_partitions has no effect: no delegate is applied \(ask for one with --use_xnnpack=true\)\.$`)
}

// tanhModel is a one-op float model with input "x" of shape [1,8].
func tanhModel(t *testing.T, version int) string {
	b := modelbuilder.New()
	g := b.Main()
	in, out := g.Tensor("x", core.Float32, []int{1, 8}), g.Tensor("y", core.Float32, []int{1, 8})
	g.OpVersion(tflite.BuiltinOperatorTANH, version, []int{in}, []int{out}, nil)
	g.Inputs(in)
	g.Outputs(out)
	return clitest.WriteFile(t, "tanh.tflite", b.MustBytes())
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := clitest.WriteFile(t, "garbage.tflite", []byte("definitely not a tflite model, just some text"))
	truncated := clitest.WriteFile(t, "truncated.tflite", defaultmodel.Bytes()[:5000])
	unresolved := tanhModel(t, 99) // no kernel claims version 99
	tanh := tanhModel(t, 1)
	short := clitest.WriteFile(t, "short.bin", make([]byte, 31))

	for _, tc := range []struct {
		args []string
		code int
		re   string
	}{
		{[]string{"--graph=" + filepath.Join(dir, "missing.tflite")}, 1, `^ERROR: Failed to load model .*missing.tflite: open .*missing.tflite: no such file or directory$`},
		{[]string{"--graph", garbage}, 1, `^ERROR: Failed to load model .*garbage.tflite: invalid model: `},
		{[]string{"--graph", truncated}, 1, `^ERROR: Failed to load model .*truncated.tflite: invalid model: `},
		{[]string{"--graph", unresolved}, 1, `^ERROR: Failed to initialize the interpreter: 1 op\(s\) of the model cannot run in this build: TANH v99 \(.*\)$`},
		{[]string{"--bogus=1"}, 2, `^ERROR: flag provided but not defined: -bogus \(see --help for the flags\)$`},
		{[]string{"--num_runs=many"}, 2, `^ERROR: invalid value "many" for flag -num_runs: `},
		{[]string{"--min_secs=soon"}, 2, `^ERROR: invalid value "soon" for flag -min_secs: parse error`},
		{[]string{"--enable_op_profiling=maybe"}, 2, `^ERROR: invalid boolean value "maybe" for -enable_op_profiling: `},
		{[]string{"--num_threads=0"}, 2, `^ERROR: invalid value "0" for flag -num_threads: must be -1 \(default\) or at least 1`},
		{[]string{"--max_profiling_buffer_entries=0"}, 2, `^ERROR: invalid value "0" for flag -max_profiling_buffer_entries: must be at least 1`},
		{[]string{"--graph"}, 2, `^ERROR: flag needs an argument: -graph`},
		// Delegates: refused, never ignored.
		{[]string{"--xnnpack_force_fp16=true"}, 1, `^ERROR: not available in this build: --xnnpack_force_fp16=true: fp16 inference in the XNNPACK delegate is not implemented`},
		{[]string{"--use_gpu", "true"}, 1, `^ERROR: not available in this build: --use_gpu=true: the GPU delegate needs .*OpenCL`},
		{[]string{"--use_edgetpu", "--edgetpu_device=usb"}, 1, `^ERROR: not available in this build: --use_edgetpu=true: the Edge TPU delegate needs .*libedgetpu`},
		{[]string{"--edgetpu_device=usb"}, 1, `^ERROR: not available in this build: --edgetpu_device=usb: the Edge TPU delegate`},
		{[]string{"--use_hexagon=1"}, 1, `^ERROR: not available in this build: --use_hexagon=true: the Hexagon delegate`},
		{[]string{"--use_coreml=true"}, 1, `^ERROR: not available in this build: --use_coreml=true: the Core ML delegate`},
		{[]string{"--use_nnapi=true"}, 1, `^ERROR: not available in this build: --use_nnapi=true: the NNAPI delegate`},
		{[]string{"--external_delegate_path=/lib/libdelegate.so"}, 1, `^ERROR: not available in this build: --external_delegate_path=/lib/libdelegate.so: an external delegate library`},
		{[]string{"--require_full_delegation=true"}, 1, `^ERROR: Disallowed CPU fallback detected: --require_full_delegation is set, and no delegate is applied \(ask for one with --use_xnnpack=true\)`},
		// Inputs.
		{[]string{"--graph", tanh, "--input_layer_value_files=x:" + short}, 1, `^ERROR: The size of .*short.bin is 31 bytes\. It should be 32 bytes\.$`},
		{[]string{"--graph", tanh, "--input_layer_value_files=x:" + filepath.Join(dir, "nope.bin")}, 1, `^ERROR: Failed to read the input_layer_value_file: .*nope.bin: no such file or directory$`},
		{[]string{"--graph", tanh, "--input_layer_value_files=z:" + short}, 1, `^ERROR: Cannot find the corresponding input_layer name\(z\) in --input_layer as $`},
		{[]string{"--graph", tanh, "--input_layer=x,y", "--input_layer_shape=1,8"}, 1, `^ERROR: The number of items in --input_layer_shape \(1,8, with 1 items\) must match the number of items in --input_layer \(x,y, with 2 items\)\.`},
		{[]string{"--graph", tanh, "--input_layer=x", "--input_layer_shape=1,8,2"}, 1, `^ERROR: Input tensor #0 should have 2 dimensions!$`},
		{[]string{"--graph", tanh, "--input_layer=x", "--input_layer_shape=1,-1"}, 1, `^ERROR: Any unknown sizes in the shapes \(-1's\) must be replaced with the size you want to benchmark with\.$`},
		{[]string{"--graph", tanh, "--input_layer=x", "--input_layer_shape=1,eight"}, 1, `^ERROR: Incorrect size string specified: 1,eight$`},
		{[]string{"--graph", tanh, "--input_layer=x", "--input_layer_shape=1,8", "--input_layer_value_range=x,5,1"}, 1, `^ERROR: Wrong low and high value of the input value range specified: x,5,1$`},
		{[]string{"--input_layer=input", "--input_layer_shape=2,256"}, 1, `^ERROR: Failed to allocate tensors: subgraph 0, operator 7 \(RESHAPE\): prepare: `},
		{[]string{"--output_svg=" + filepath.Join(dir, "x.svg")}, 1, `^ERROR: --output_svg draws the op profile: it needs --enable_op_profiling=true$`},
	} {
		r := clitest.Run(t, bin, append([]string{"--num_runs=1", "--min_secs=0", "--warmup_min_secs=0"}, tc.args...)...)
		r.ExpectError(t, tc.code, tc.re)
		if !strings.HasPrefix(r.Stdout, "INFO: STARTING!\n") {
			t.Errorf("%q: stdout does not start with STARTING!:\n%s", tc.args, r.Stdout)
		}
	}
	if r := clitest.Run(t, bin, "--help"); r.Code != 0 || !strings.Contains(r.Stderr, "-num_runs") || !strings.Contains(r.Stderr, "-use_xnnpack") {
		t.Errorf("--help: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestInputFlags resizes an input, feeds it from a file and checks the
// values reach the model (tanh's output in the JSON is not needed: the
// input shape and bytes are).
func TestInputFlags(t *testing.T) {
	tanh := tanhModel(t, 1)
	in := make([]byte, 3*8*4)
	for i := range 24 {
		binary.LittleEndian.PutUint32(in[4*i:], math.Float32bits(float32(i)/24))
	}
	file := clitest.WriteFile(t, "x.bin", in)
	js := filepath.Join(t.TempDir(), "out.json")
	r := clitest.Run(t, bin, "--graph", tanh, "--input_layer", "x", "--input_layer_shape", "3,8", "--input_layer_value_files", "x:"+file,
		"--num_runs=2", "--min_secs=0", "--warmup_min_secs=0", "--output_json", js, "--print_postinvoke_state", "true")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout, `^INFO: Input layers: \[x\]$`, `^INFO: Input shapes: \[3,8\]$`,
		`^INFO: Input value files: \[x:.*x\.bin\]$`,
		`^====Printing out TfLite interpreter post-invoke state begins====$`,
		`^Tensor +0 x +kTfLiteFloat32 +kTfLiteArenaRw +96 +/ 0\.00 \[3,8\]$`,
		`^Node +0 Operator Builtin Code +28 TANH \(not delegated\)$`,
		`^INFO: ====Printing out TfLite interpreter post-invoke state ends====$`)
	var rep reportJSON
	readJSON(t, js, &rep)
	if len(rep.Inputs) != 1 || rep.Inputs[0].Name != "x" || len(rep.Inputs[0].Shape) != 2 || rep.Inputs[0].Shape[0] != 3 || rep.Inputs[0].Bytes != 96 {
		t.Errorf("inputs %+v, want x [3,8] 96 bytes", rep.Inputs)
	}
	// Every timed run's latency is kept, and the median lies within them.
	if inf := rep.Inference; int64(len(inf.Samples)) != inf.Count || inf.Median == nil ||
		*inf.Median < float64(inf.Min) || *inf.Median > float64(inf.Max) {
		t.Errorf("inference samples %v, median %v: want %d samples and a median in [%d, %d]", inf.Samples, inf.Median, inf.Count, inf.Min, inf.Max)
	}
	// A value range for an integer input is accepted by name without --input_layer.
	r = clitest.Run(t, bin, "--graph", tanh, "--input_layer_value_range=x,0,3", "--num_runs=1", "--min_secs=0", "--warmup_min_secs=0")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
}

// section returns the lines of out from the first line matching start up
// to the next empty line after a "nodes observed" line.
func section(t *testing.T, out, start string) []string {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if regexp.MustCompile(start).MatchString(l) {
			for j := i + 1; j < len(lines); j++ {
				if strings.HasSuffix(lines[j], " nodes observed") {
					return lines[i : j+1]
				}
			}
		}
	}
	t.Fatalf("no section %q in\n%s", start, out)
	return nil
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestOpProfilingMediaPipe profiles a MediaPipe model and checks the
// tables: their layout, that every node of the model appears once, that
// the summary by type adds up to the rows, and that the rows add up to
// the measured Inference (avg) within 10%.
func TestOpProfilingMediaPipe(t *testing.T) {
	model := clitest.Model(t, "mediapipe/palm_detection_lite.tflite")
	dir := t.TempDir()
	js, svg := filepath.Join(dir, "p.json"), filepath.Join(dir, "p.svg")
	r := clitest.Run(t, bin, "--graph="+model, "--num_runs=3", "--min_secs=0", "--warmup_min_secs=0", "--enable_op_profiling=true",
		"--output_json="+js, "--output_svg", svg)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout, `^INFO: Loaded model `+regexp.QuoteMeta(model)+`$`,
		`^INFO: The input model file size \(MB\): 1\.98544$`, `^INFO: count=3 `, `^`+info(timingsRE)+`$`,
		`^`+info(initProfRE)+`$`, `^`+info(runProfRE)+`$`)

	// The nodes that run: the model's operators less those computed once in
	// AllocateTensors (its float16 weights' DEQUANTIZE).
	m, err := interpreter.LoadModelFile(model)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	it, err := interpreter.New(m)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		t.Fatal(err)
	}
	g, _ := it.Subgraph(0)
	numOps := 0
	for i := range g.Nodes() {
		if !g.Folded(i) {
			numOps++
		}
	}
	if numOps == 0 || numOps == len(m.Subgraphs()[0].Operators) {
		t.Errorf("%d of %d operators run; palm_detection_lite's DEQUANTIZE ops should be folded", numOps, len(m.Subgraphs()[0].Operators))
	}

	sec := section(t, r.Stdout, `^`+info(runProfRE)+`$`)
	row, header, typeRow := regexp.MustCompile(`^`+rowRE+`$`), regexp.MustCompile(`^`+headerRE+`$`), regexp.MustCompile(`^`+typeRowRE+`$`)
	var runOrderSum, typeSum float64
	names := map[string]bool{}
	nodes, table := -1, ""
	for _, l := range sec[1:] {
		switch {
		case regexp.MustCompile(`^` + titleRE + `$`).MatchString(l):
			table = l
		case header.MatchString(l), regexp.MustCompile(`^` + typeHdrRE + `$`).MatchString(l), l == "":
		case strings.Contains(table, "Run Order") && row.MatchString(l):
			f := row.FindStringSubmatch(l)
			runOrderSum += atof(t, f[3])
			if names[f[8]] {
				t.Errorf("node %s listed twice", f[8])
			}
			names[f[8]] = true
			if f[7] != "1" {
				t.Errorf("times called %s, want 1: %q", f[7], l)
			}
		case strings.Contains(table, "Top by") && row.MatchString(l):
		case strings.Contains(table, "Summary by node type") && typeRow.MatchString(l):
			typeSum += atof(t, typeRow.FindStringSubmatch(l)[3])
		case regexp.MustCompile(`^` + nodesRE + `$`).MatchString(l):
			nodes, _ = strconv.Atoi(regexp.MustCompile(nodesRE).FindStringSubmatch(l)[1])
		case strings.HasPrefix(l, "Timings (microseconds): "), l == "Memory (bytes): count=0", strings.HasSuffix(l, " nodes observed"):
		default:
			t.Errorf("unexpected line in the profile (table %q): %q", table, l)
		}
	}
	if nodes != numOps || len(names) != numOps {
		t.Errorf("Number of nodes executed: %d, %d rows in Run Order; the model has %d operators", nodes, len(names), numOps)
	}
	if math.Abs(typeSum-runOrderSum) > 0.001*float64(numOps) {
		t.Errorf("summary by node type adds up to %.3f ms, the Run Order to %.3f ms", typeSum, runOrderSum)
	}
	avgUS := atof(t, regexp.MustCompile(`Inference \(avg\): (` + float + `)`).FindStringSubmatch(r.Stdout)[1])
	if ratio := runOrderSum * 1000 / avgUS; ratio < 0.9 || ratio > 1.1 {
		t.Errorf("op times add up to %.3f ms, Inference (avg) is %.3f ms (ratio %.3f)", runOrderSum, avgUS/1000, ratio)
	}

	var rep reportJSON
	readJSON(t, js, &rep)
	if rep.InferenceAvgUS == nil || math.Abs(*rep.InferenceAvgUS-avgUS) > 1e-5*avgUS || rep.Inference.Count != 3 {
		t.Errorf("JSON inference %+v, avg %v; the log says %v", rep.Inference, rep.InferenceAvgUS, avgUS)
	}
	if len(rep.Profile) != 1 || len(rep.Profile[0].Rows) != numOps || len(rep.InitProfile) != 1 || rep.InitProfile[0].Rows[0].Type != "AllocateTensors" {
		t.Errorf("JSON profile: %d profiles, init %d", len(rep.Profile), len(rep.InitProfile))
	} else {
		checkSVG(t, svg, rep.Profile[0])
	}
}

func TestProfilingCSV(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "prof.csv")
	r := clitest.Run(t, bin, "--num_runs=2", "--min_secs=0", "--warmup_min_secs=0", "--enable_op_profiling", "true", "--profiling_output_csv_file", csv)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stdout, "Run Order") {
		t.Errorf("with a CSV file the tables must not go to stdout:\n%s", r.Stdout)
	}
	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	clitest.Match(t, out,
		`^Profiling Info for Benchmark Initialization:$`,
		`^Operator-wise Profiling Info for Regular Benchmark Runs:$`,
		`^node type, first, avg_ms, %, cdf%, mem KB, times called, name$`,
		`^node type, count, avg_ms, avg %, cdf %, mem KB, times called$`,
		`^AllocateTensors, `+float+`, `+float+`, 100%, 100%, `+float+`, 1, AllocateTensors/0$`,
		// The default model's first node, named after its output; the comma
		// of "[dense1]:0" would be a tab, there is none.
		`^FULLY_CONNECTED, `+float+`, `+float+`, `+float+`%, `+float+`%, 0\.512, 1, \[dense1\]:0$`,
		`^FULLY_CONNECTED, 4, `+float+`, `+float+`%, `+float+`%, 1\.152, 4$`,
		`^Number of nodes executed: 10$`,
	)
	if strings.Contains(out, "\t") && !strings.Contains(out, "\t") {
		t.Error("unreachable")
	}
}

// TestPeakMemoryCLI checks the peak memory figure against the
// /proc/self/status readings the tool took at the end (in its JSON) and
// the VmRSS line against them.
func TestPeakMemoryCLI(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory figures are Linux's")
	}
	model := clitest.Model(t, "mediapipe/palm_detection_lite.tflite")
	js := filepath.Join(t.TempDir(), "m.json")
	r := clitest.Run(t, bin, "--graph", model, "--num_runs=2", "--min_secs=0", "--warmup_min_secs=0",
		"--report_peak_memory_footprint=true", "--memory_footprint_check_interval_ms=5", "--output_json", js)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout, `^`+info(peakRE)+`$`,
		`^INFO: Memory status at the end of exeution:$`,
		`^INFO: - VmRSS              : `+num+` MB$`,
		`^INFO: \+ RssAnnon           : `+num+` MB$`,
		`^INFO: \+ RssFile \+ RssShmem : `+num+` MB$`)
	var rep reportJSON
	readJSON(t, js, &rep)
	if rep.Memory == nil || rep.Memory.PeakMB == nil {
		t.Fatalf("no peak memory in the JSON: %+v", rep.Memory)
	}
	peakKB := *rep.Memory.PeakMB * 1024
	hwm, rss := float64(rep.Memory.ProcStatusKB["VmHWM"]), float64(rep.Memory.ProcStatusKB["VmRSS"])
	// The last sample is taken after the runs, so the peak is the
	// high-water mark the kernel reports (within what the JSON encoding
	// itself may add).
	if hwm == 0 || peakKB > hwm+64 || peakKB < hwm-2048 || peakKB < rss-2048 {
		t.Errorf("peak %.0f kB; /proc/self/status VmHWM %.0f kB, VmRSS %.0f kB", peakKB, hwm, rss)
	}
	// The model's weights (1.9 MB, memory-mapped and read) are resident.
	if peakKB < 2000 {
		t.Errorf("peak %.0f kB is below the model's size", peakKB)
	}
	printed := atof(t, regexp.MustCompile(`Overall peak memory footprint \(MB\) via periodic monitoring: (` + float + `)`).FindStringSubmatch(r.Stdout)[1])
	if math.Abs(printed-*rep.Memory.PeakMB) > 1e-3*printed {
		t.Errorf("log says peak %v MB, JSON %v MB", printed, *rep.Memory.PeakMB)
	}
	vm := atof(t, regexp.MustCompile(`- VmRSS +: (` + num + `) MB`).FindStringSubmatch(r.Stdout)[1])
	if math.Abs(vm-rss/1024) > 2 {
		t.Errorf("VmRSS line %v MB, /proc/self/status VmRSS %.1f MB", vm, rss/1024)
	}
}
