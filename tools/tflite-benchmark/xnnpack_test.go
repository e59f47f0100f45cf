//go:build xnnpack && cgo

package main

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter/profiling"
	"github.com/edgelite/edgelite/tools/internal/clitest"
)

var quick = []string{"--num_runs=2", "--min_secs=0", "--warmup_runs=1", "--warmup_min_secs=0"}

func runOK(t *testing.T, args ...string) clitest.Result {
	t.Helper()
	r := clitest.Run(t, bin, append(append([]string{}, quick...), args...)...)
	if r.Code != 0 {
		t.Fatalf("%q: exit %d\n%s\n%s", args, r.Code, r.Stdout, r.Stderr)
	}
	return r
}

// TestXNNPACKWholeModel: a MediaPipe model XNNPACK takes whole runs as one
// delegate node: benchmark_model's summary line, --require_full_delegation
// accepted, and one op-profile row typed TfLiteXNNPackDelegate and named
// "[Identity_1, Identity]:232", exactly as in TensorFlow Lite 2.12's own
// profile of this model with XNNPACK
// (interpreter/profiling/testdata/tflite_profile_palm_detection_lite.txt).
func TestXNNPACKWholeModel(t *testing.T) {
	model := clitest.Model(t, "mediapipe/palm_detection_lite.tflite")
	r := runOK(t, "--graph="+model, "--use_xnnpack=true", "--num_threads=2", "--require_full_delegation=true", "--enable_op_profiling=true")
	clitest.Match(t, r.Stdout,
		`^INFO: Use xnnpack: \[1\]$`,
		`^INFO: Created Edgelite's XNNPACK delegate for CPU \(2 threads\)\.$`,
		`^`+info(delegateRE)+`$`,
		`^INFO: Explicitly applied XNNPACK delegate, and the model graph will be completely executed by the delegate\.$`,
		`^`+info(timingsRE)+`$`)
	sec := section(t, r.Stdout, `^`+info(runProfRE)+`$`)
	row := regexp.MustCompile(`^` + rowRE + `$`)
	var rows []string
	for _, l := range sec {
		if row.MatchString(l) {
			rows = append(rows, l)
		}
	}
	// Run Order and Top by Computation Time: the delegate node, once each.
	if len(rows) != 2 {
		t.Fatalf("%d node rows, want the delegate node in Run Order and Top:\n%s", len(rows), strings.Join(sec, "\n"))
	}
	for _, l := range rows {
		f := row.FindStringSubmatch(l)
		if f[1] != "TfLiteXNNPackDelegate" || f[8] != "[Identity_1, Identity]:232" {
			t.Errorf("row %q: want type TfLiteXNNPackDelegate named [Identity_1, Identity]:232", l)
		}
	}
	clitest.Match(t, strings.Join(sec, "\n"), `^Number of nodes executed: 1$`, `^\t +TfLiteXNNPackDelegate\t +1\t`)
}

// TestXNNPACKPartial: a quantized Coral model is split (XNNPACK has no
// quantized AVERAGE_POOL_2D or SOFTMAX); the partition flags act on it.
func TestXNNPACKPartial(t *testing.T) {
	model := clitest.Shared(t, "models/coral/mobilenet_v1_0.25_128_quant.tflite")
	partial := func(n string) string {
		return `^INFO: Explicitly applied XNNPACK delegate, and the model graph will be partially executed by the delegate w/ ` + n + ` delegate kernels\.$`
	}
	r := runOK(t, "--graph="+model, "--use_xnnpack=true", "--enable_op_profiling=true")
	clitest.Match(t, r.Stdout, `^INFO: Created Edgelite's XNNPACK delegate for CPU \(1 threads\)\.$`, partial("2"),
		`^\t +TfLiteXNNPackDelegate\t +2\t`, `^\t +AVERAGE_POOL_2D\t +1\t`, `^\t +SOFTMAX\t +1\t`)

	r = runOK(t, "--graph="+model, "--use_xnnpack=true", "--max_delegated_partitions=1", "--enable_op_profiling=true")
	clitest.Match(t, r.Stdout, `^INFO: Max number of delegated partitions: \[1\]$`, partial("1"), `^\t +TfLiteXNNPackDelegate\t +1\t`)
	if strings.Contains(r.Stdout, "no effect") {
		t.Errorf("--max_delegated_partitions said to have no effect:\n%s", r.Stdout)
	}

	r = runOK(t, "--graph="+model, "--use_xnnpack=true", "--min_nodes_per_partition=100")
	clitest.Match(t, r.Stdout, `^INFO: Min nodes per partition: \[100\]$`,
		`^INFO: Though XNNPACK delegate is explicitly applied, the model graph will not be executed by the delegate\.$`)

	r = clitest.Run(t, bin, append(append([]string{}, quick...), "--graph="+model, "--use_xnnpack=true", "--require_full_delegation=true")...)
	r.ExpectError(t, 1, `^ERROR: Disallowed CPU fallback detected: --require_full_delegation is set, and 2 of 31 nodes run on the CPU \(AVERAGE_POOL_2D: .*; SOFTMAX: .*\)$`)
	clitest.Match(t, r.Stdout, partial("2"))
}

// TestXNNPACKOtherDelegates: the flags of delegates Edgelite lacks still
// fail with their reason when XNNPACK is built.
func TestXNNPACKOtherDelegates(t *testing.T) {
	r := clitest.Run(t, bin, append(append([]string{}, quick...), "--use_xnnpack=true", "--use_gpu=true")...)
	r.ExpectError(t, 1, `^ERROR: not available in this build: --use_gpu=true: the GPU delegate needs an OpenCL GPU backend, which Edgelite does not have`)
}

// TestXNNPACKInvokeLoopDoesNotAllocate: the timed loop with the delegate
// (and op profiling) does not allocate either.
func TestXNNPACKInvokeLoopDoesNotAllocate(t *testing.T) {
	p, err := parseFlags([]string{"--use_xnnpack=true", "--num_threads=2", "--enable_op_profiling=true"}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{}
	if err := b.init(p, defaultmodel.Bytes(), io.Discard); err != nil {
		t.Fatal(err)
	}
	defer closeDelegates(b.delegates)
	defer b.it.Close()
	if n := len(b.it.Plan().Subgraphs[0].Steps); n != 1 {
		t.Fatalf("%d plan steps, want the whole default model on XNNPACK", n)
	}
	if err := b.prepareInputs(p); err != nil {
		t.Fatal(err)
	}
	b.runProf = profiling.NewSummarizer(b.it)
	b.runs(3, 0, 10, true)
	allocs := testing.AllocsPerRun(20, func() { b.runs(10, 0, 10, true) })
	if b.invokeErr != nil {
		t.Fatal(b.invokeErr)
	}
	if allocs != 0 {
		t.Errorf("the timed loop allocates %v times per call", allocs)
	}
	if rows := b.runProf.Profiles()[0].Rows; len(rows) != 1 || rows[0].Type != "TfLiteXNNPackDelegate" {
		t.Errorf("profile rows %+v, want one TfLiteXNNPackDelegate", rows)
	}
}
