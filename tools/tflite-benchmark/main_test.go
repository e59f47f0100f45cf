package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/tools/internal/clitest"
)

var bin string

func TestMain(m *testing.M) { os.Exit(clitest.Main(m, "tflite-benchmark", &bin)) }

const (
	num     = `[0-9]+`
	float   = `(?:[0-9.]+(?:e[+-][0-9]+)?|nan)`
	statsRE = `INFO: (?:count=` + num + ` first=` + num + ` curr=` + num + ` min=` + num + ` max=` + num + ` avg=` + float + ` std=` + num +
		`|count=` + num + ` curr=` + num + `(?:\(all same\))?)`
)

// expectLines checks stdout line by line against regular expressions
// (each anchored at both ends).
func expectLines(t *testing.T, out string, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if runtime.GOOS != "linux" {
		// No memory footprint lines off Linux.
		want = want[:len(want)-2]
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

var tail = []string{
	`INFO: Inference timings in us: Init: ` + num + `, First inference: ` + num + `, Warmup \(avg\): ` + float + `, Inference \(avg\): ` + float,
	`INFO: Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime\. Take the information at your discretion\.`,
	`INFO: Memory footprint delta from the start of the tool \(MB\): init=` + float + ` overall=` + float,
}

func TestDefaultModel(t *testing.T) {
	r := clitest.Run(t, bin, "--num_runs=5", "--min_secs=0", "--warmup_min_secs", "0")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	size := strconv.FormatFloat(float64(len(defaultmodel.Bytes()))/1e6, 'g', 6, 64)
	expectLines(t, r.Stdout, append([]string{
		`INFO: STARTING!`,
		`INFO: Log parameter values verbosely: \[0\]`,
		`INFO: Min num runs: \[5\]`,
		`INFO: Min runs duration \(seconds\): \[0\]`,
		`INFO: Min warmup runs duration \(seconds\): \[0\]`,
		`INFO: Graph: \[\]`,
		`INFO: No --graph given: benchmarking the embedded default model edgelite_default_mlp`,
		`INFO: Loaded model edgelite_default_mlp \(embedded\)`,
		`INFO: The input model file size \(MB\): ` + regexp.QuoteMeta(size),
		`INFO: Initialized session in ` + float + `ms\.`,
		`INFO: Running benchmark for at least 1 iterations and at least 0 seconds but terminate if exceeding 150 seconds\.`,
		`INFO: count=1 curr=` + num,
		``,
		`INFO: Running benchmark for at least 5 iterations and at least 0 seconds but terminate if exceeding 150 seconds\.`,
		statsRE,
		``,
	}, tail...)...)
	clitest.Match(t, r.Stdout, `^INFO: count=5 `)
}

func TestGraphFlagAndVerbose(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	r := clitest.Run(t, bin, "--graph", model, "--num_threads=2", "--verbose", "--num_runs=3", "--min_secs=0.001",
		"--warmup_runs=2", "--warmup_min_secs=0", "--max_secs=20", "--run_delay=0.0001", "--benchmark_name=bm", "--output_prefix=pre")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	expectLines(t, r.Stdout, append([]string{
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
		`INFO: Graph: \[` + regexp.QuoteMeta(model) + `\]`,
		`INFO: #threads used for CPU inference: \[2\]`,
		`INFO: Loaded model ` + regexp.QuoteMeta(model),
		`INFO: The input model file size \(MB\): ` + float,
		`INFO: Initialized session in ` + float + `ms\.`,
		`INFO: Running benchmark for at least 2 iterations and at least 0 seconds but terminate if exceeding 20 seconds\.`,
		statsRE,
		``,
		`INFO: Running benchmark for at least 3 iterations and at least 0\.001 seconds but terminate if exceeding 20 seconds\.`,
		statsRE,
		``,
	}, tail...)...)
	clitest.Match(t, r.Stdout, `^INFO: count=2 `)
}

func TestDefaultsLogged(t *testing.T) {
	r := clitest.Run(t, bin, "--verbose=true", "--num_runs=1", "--min_secs=0", "--warmup_runs=0", "--warmup_min_secs=0")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	clitest.Match(t, r.Stdout,
		`^INFO: Max runs duration \(seconds\): \[150\]$`,
		`^INFO: Inter-run delay \(seconds\): \[-1\]$`,
		`^INFO: Num threads: \[1\]$`,
		`^INFO: Benchmark name: \[\]$`,
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
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := clitest.WriteFile(t, "garbage.tflite", []byte("definitely not a tflite model, just some text"))
	truncated := clitest.WriteFile(t, "truncated.tflite", defaultmodel.Bytes()[:5000])

	b := modelbuilder.New()
	g := b.Main()
	in, out := g.Tensor("x", core.Float32, []int{1, 8}), g.Tensor("y", core.Float32, []int{1, 8})
	g.OpVersion(tflite.BuiltinOperatorTANH, 99, []int{in}, []int{out}, nil) // no kernel claims version 99
	g.Inputs(in)
	g.Outputs(out)
	unresolved := clitest.WriteFile(t, "tanh.tflite", b.MustBytes())

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
		{[]string{"--graph"}, 2, `^ERROR: flag needs an argument: -graph`},
	} {
		r := clitest.Run(t, bin, tc.args...)
		r.ExpectError(t, tc.code, tc.re)
		if !strings.HasPrefix(r.Stdout, "INFO: STARTING!\n") {
			t.Errorf("%q: stdout does not start with STARTING!:\n%s", tc.args, r.Stdout)
		}
	}
	if r := clitest.Run(t, bin, "--help"); r.Code != 0 || !strings.Contains(r.Stderr, "-num_runs") {
		t.Errorf("--help: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestRealModel benchmarks a MediaPipe model when this build can run it,
// and otherwise checks that the failure names the missing ops.
func TestRealModel(t *testing.T) {
	model := clitest.Model(t, "mediapipe/palm_detection_lite.tflite")
	r := clitest.Run(t, bin, "--graph="+model, "--num_runs=2", "--min_secs=0", "--warmup_min_secs=0")
	if r.Code != 0 {
		r.ExpectError(t, 1, `^ERROR: Failed to initialize the interpreter: \d+ op\(s\) of the model cannot run in this build: `)
		t.Logf("this build cannot run %s yet: %s", model, r.Stderr)
		return
	}
	clitest.Match(t, r.Stdout, `^INFO: Loaded model `+regexp.QuoteMeta(model)+`$`,
		`^INFO: The input model file size \(MB\): 1\.98544$`, `^INFO: count=2 `)
}
