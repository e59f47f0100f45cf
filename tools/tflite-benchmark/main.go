// Command tflite-benchmark measures how fast Edgelite runs a TensorFlow
// Lite model. It takes the flags of TensorFlow Lite's benchmark_model
// (tensorflow/lite/tools/benchmark) and prints its log, line for line, so
// that results and the scripts that parse them carry over:
//
//	tflite-benchmark --graph=model.tflite --num_threads=4 --enable_op_profiling=true
//
// With no --graph it benchmarks the embedded default model (package
// defaultmodel, a small float MLP) and says so.
//
// Flags take "--flag=value" or "--flag value", with benchmark_model's
// names and defaults: --graph, --num_threads (-1: Edgelite's default, 1),
// --num_runs (50), --min_secs (1), --max_secs (150), --warmup_runs (1),
// --warmup_min_secs (0.5), --run_delay (-1), --benchmark_name,
// --output_prefix, --verbose; inputs: --input_layer, --input_layer_shape
// (resizes the inputs), --input_layer_value_range,
// --input_layer_value_files; profiling: --enable_op_profiling,
// --max_profiling_buffer_entries (1024), --profiling_output_csv_file,
// --print_preinvoke_state, --print_postinvoke_state; memory:
// --report_peak_memory_footprint, --memory_footprint_check_interval_ms
// (50); delegation: --use_xnnpack (in a build with cgo and -tags xnnpack:
// Edgelite's XNNPACK delegate, with --num_threads threads; in other builds
// the flag fails and says how to rebuild), --require_full_delegation,
// --max_delegated_partitions, --min_nodes_per_partition (they bound the
// partitions of every delegate applied). After applying a delegate the log
// has benchmark_model's summary ("Explicitly applied XNNPACK delegate, and
// the model graph will be completely executed by the delegate." or "...
// partially executed by the delegate w/ N delegate kernels."), and the op
// profile shows each delegate node as one row typed TfLiteXNNPackDelegate.
// The flags of delegates Edgelite does not have (--use_gpu, --use_nnapi,
// --use_hexagon, --use_coreml, --use_edgetpu, --edgetpu_device,
// --external_delegate_path, --xnnpack_force_fp16, ...) are accepted and
// fail with "not available in this build: ..." and the reason: a benchmark
// must not quietly measure something else than asked.
//
// Beyond benchmark_model: --output_json=FILE writes every figure as JSON,
// and --output_svg=FILE draws the op profile (time per node type and per
// node) as a bar chart.
//
// The log: "INFO: STARTING!", the parameters given (all with --verbose),
// "Loaded model", the model size, the initialization time (load,
// interpreter, AllocateTensors), for the warm-up and the timed runs
// "Running benchmark for at least N iterations and at least S seconds but
// terminate if exceeding M seconds." and the statistics in microseconds
// ("count= first= curr= min= max= avg= std="), then "Inference timings in
// us: Init: …, First inference: …, Warmup (avg): …, Inference (avg): …"
// and, on Linux, the memory footprint (peak RSS: VmHWM of
// /proc/self/status, where benchmark_model reads getrusage's ru_maxrss,
// which Linux carries over from a parent process; with
// --report_peak_memory_footprint the peak sampled periodically and VmRSS at
// the end). With --enable_op_profiling
// follow TensorFlow Lite's profile tables (Run Order, Top by Computation
// Time, Summary by node type) for the initialization and the timed runs;
// "mem KB" is the size of each node's outputs.
//
// Inputs are filled once with random values as benchmark_model does
// (float32/float64 uniform in [-0.5,0.5), int8 [-127,127], uint8 [0,254],
// int16/int32/uint32/int64 [0,99], bool {0,1}) and copied into the input
// tensors before every run, outside the timed region. The timed loop does
// not allocate, with or without op profiling.
//
// Errors (missing or invalid model, ops this build cannot run, a bad flag
// or input file, an unavailable delegate) print one line on stderr
// ("ERROR: …") and exit with status 1 (2 for a flag that does not parse);
// "INFO:" and "WARN:" lines go to stdout as benchmark_model's do.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/profiling"
	"github.com/edgelite/edgelite/tools/internal/cliutil"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errorExit is a failure with its exit status.
type errorExit struct {
	code int
	msg  string
}

func (e *errorExit) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "ERROR: internal error: %v\n", r)
			code = 1
		}
	}()
	logf(stdout, "INFO", "STARTING!")
	p, err := parseFlags(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %v (see --help for the flags)\n", err)
		return 2
	}
	if err := benchmark(p, stdout); err != nil {
		var e *errorExit
		if errors.As(err, &e) {
			fmt.Fprintf(stderr, "ERROR: %s\n", e.msg)
			return e.code
		}
		fmt.Fprintf(stderr, "ERROR: %s\n", cliutil.OneLine(err))
		return 1
	}
	return 0
}

// bench is one benchmark: an interpreter and the input data it is fed.
type bench struct {
	// samples holds the timed runs' latencies (µs) for --output_json's
	// median and percentiles; preallocated so the loop does not allocate,
	// it keeps the first cap(samples) runs.
	samples    []int64
	it         *interpreter.Interpreter
	inputs     []*interpreter.Tensor
	data       [][]byte // nil for inputs set once (strings)
	runDelay   time.Duration
	epoch      time.Time
	invokeErr  error
	inputBytes int64

	rec     *profiling.Recorder   // nil without --enable_op_profiling
	runProf *profiling.Summarizer // the timed runs' profile
	initRec []profiling.Event     // timed steps of the initialization
	layers  []inputLayer          // what the --input_layer* flags say

	delegates []appliedDelegate // closed after the interpreter
}

func (b *bench) nowMicros() int64 { return time.Since(b.epoch).Microseconds() }

// results are the figures of a benchmark, for the log and --output_json.
type results struct {
	modelName    string
	modelSize    int64
	startupUS    int64
	warmup       profiling.Stat
	inference    profiling.Stat
	memOK        bool
	initMemKB    int64
	overallMemKB int64
	peakMemMB    float64 // <= 0: not monitored
	initProf     *profiling.Summarizer
}

func benchmark(p *params, w io.Writer) error {
	if p.reportPeakMemoryFootprint && p.memoryFootprintCheckIntervalMS <= 0 {
		logf(w, "WARN", "--memory_footprint_check_interval_ms is set to %d (ms), This value is invalid, and it will be set to the default value 50 (ms).", p.memoryFootprintCheckIntervalMS)
		p.memoryFootprintCheckIntervalMS = 50
	}
	p.logParams(w)
	if err := p.checkDelegates(); err != nil {
		return err
	}
	if p.graph == "" {
		logf(w, "INFO", "No --graph given: benchmarking the embedded default model %s", defaultmodel.Name)
	}
	if p.profilingOutputCSVFile != "" && !p.enableOpProfiling {
		logf(w, "WARN", "--profiling_output_csv_file has no effect without --enable_op_profiling=true.")
	}
	if p.outputSVG != "" && !p.enableOpProfiling {
		return &errorExit{1, "--output_svg draws the op profile: it needs --enable_op_profiling=true"}
	}

	var monitor *memoryMonitor
	if p.reportPeakMemoryFootprint {
		monitor = startMemoryMonitor(time.Duration(p.memoryFootprintCheckIntervalMS) * time.Millisecond)
	}
	stopMonitor := func() float64 {
		if monitor == nil {
			return -1
		}
		m := monitor
		monitor = nil
		return m.Stop()
	}
	defer stopMonitor()

	// The model size is taken before Init, as benchmark_model does.
	r := &results{modelSize: -1}
	var modelBytes []byte
	if p.graph == "" {
		modelBytes = defaultmodel.Bytes()
		r.modelSize = int64(len(modelBytes))
	} else if fi, err := os.Stat(p.graph); err == nil && fi.Mode().IsRegular() {
		r.modelSize = fi.Size()
	}
	startMem, memOK := memoryFootprintKB()

	b := &bench{epoch: time.Now()}
	defer func() { closeDelegates(b.delegates) }() // after the interpreter's Close
	initStart := b.nowMicros()
	if err := b.init(p, modelBytes, w); err != nil {
		return err
	}
	defer b.it.Close()
	initEndMem, _ := memoryFootprintKB()
	initEnd := b.nowMicros()
	r.startupUS = initEnd - initStart
	r.modelName = p.graph
	if p.graph == "" {
		r.modelName = defaultmodel.Name + " (embedded)"
	}

	if r.modelSize > 0 {
		logf(w, "INFO", "The input model file size (MB): %s", fmtG(float64(r.modelSize)/1e6))
	} else {
		logf(w, "WARN", "Failed to get the input model file size.")
	}
	logf(w, "INFO", "Initialized session in %sms.", fmtG(float64(r.startupUS)/1e3))

	if err := b.prepareInputs(p); err != nil {
		return err
	}
	if p.runDelay > 0 {
		b.runDelay = time.Duration(float64(p.runDelay) * 1e9)
	}
	if b.rec != nil {
		r.initProf = profiling.NewSummarizer(b.it)
		r.initProf.ProcessRun(b.initRec)
		b.runProf = profiling.NewSummarizer(b.it)
	}
	if p.printPreinvokeState {
		printState(w, b.it, "pre-invoke")
	}

	var err error
	if r.warmup, err = b.logRun(w, p.warmupRuns, p.warmupMinSecs, p.maxSecs, false); err != nil {
		return err
	}
	b.samples = make([]int64, 0, maxLatencySamples)
	if r.inference, err = b.logRun(w, p.numRuns, p.minSecs, p.maxSecs, true); err != nil {
		return err
	}
	overallMem, _ := memoryFootprintKB()
	r.memOK, r.initMemKB, r.overallMemKB = memOK, initEndMem-startMem, overallMem-startMem
	r.peakMemMB = stopMonitor()

	logf(w, "INFO", "Inference timings in us: Init: %d, First inference: %d, Warmup (avg): %s, Inference (avg): %s",
		r.startupUS, r.warmup.First(), fmtG(r.warmup.Avg()), fmtG(r.inference.Avg()))
	if r.memOK {
		logf(w, "INFO", "Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime. Take the information at your discretion.")
		logf(w, "INFO", "Memory footprint delta from the start of the tool (MB): init=%s overall=%s",
			fmtG(float64(r.initMemKB)/1024), fmtG(float64(r.overallMemKB)/1024))
		if r.peakMemMB > 0 {
			logf(w, "INFO", "Overall peak memory footprint (MB) via periodic monitoring: %s", fmtG(r.peakMemMB))
			if rss, shared, ok := rssStatsMB(); ok {
				// benchmark_model's spelling, kept for the scripts that grep it.
				logf(w, "INFO", "Memory status at the end of exeution:")
				logf(w, "INFO", "- VmRSS              : %d MB", rss)
				logf(w, "INFO", "+ RssAnnon           : %d MB", rss-shared)
				logf(w, "INFO", "+ RssFile + RssShmem : %d MB", shared)
			}
		}
	}
	if b.rec != nil {
		if err := b.writeProfiles(w, p, r); err != nil {
			return err
		}
	}
	if p.printPostinvokeState {
		printState(w, b.it, "post-invoke")
	}
	if p.outputJSON != "" {
		if err := writeJSON(p, b, r); err != nil {
			return &errorExit{1, "Failed to write --output_json: " + cliutil.OneLine(err)}
		}
	}
	if p.outputSVG != "" {
		if err := writeSVG(p.outputSVG, r.modelName, b.runProf.Profiles(), r.inference.Avg()); err != nil {
			return &errorExit{1, "Failed to write --output_svg: " + cliutil.OneLine(err)}
		}
	}
	return nil
}

// writeProfiles is benchmark_model's ProfilingListener::OnBenchmarkEnd:
// the initialization's and the timed runs' reports, on stdout after an
// "INFO: " header, or as CSV into --profiling_output_csv_file.
func (b *bench) writeProfiles(w io.Writer, p *params, r *results) error {
	if d := b.rec.Dropped(); d > 0 {
		logf(w, "WARN", "The profiling buffer was full: %d events were dropped; raise --max_profiling_buffer_entries.", d)
	}
	out, prefix, csv := w, "INFO: ", false
	var f *os.File
	if p.profilingOutputCSVFile != "" {
		var err error
		if f, err = os.Create(p.profilingOutputCSVFile); err != nil {
			return &errorExit{1, "Failed to open --profiling_output_csv_file: " + cliutil.OneLine(err)}
		}
		out, prefix, csv = f, "", true
	}
	for _, s := range []struct {
		header string
		sum    *profiling.Summarizer
	}{
		{"Profiling Info for Benchmark Initialization:", r.initProf},
		{"Operator-wise Profiling Info for Regular Benchmark Runs:", b.runProf},
	} {
		if !s.sum.HasProfiles() {
			continue
		}
		fmt.Fprintf(out, "%s%s\n", prefix, s.header)
		if err := s.sum.WriteReport(out, "profile", csv); err != nil {
			return err
		}
		fmt.Fprintln(out)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return &errorExit{1, "Failed to write --profiling_output_csv_file: " + cliutil.OneLine(err)}
		}
	}
	return nil
}

func (b *bench) init(p *params, modelBytes []byte, w io.Writer) error {
	var m *interpreter.Model
	var err error
	name := p.graph
	if p.graph == "" {
		name = defaultmodel.Name + " (embedded)"
		m, err = interpreter.LoadModel(modelBytes)
	} else {
		m, err = interpreter.LoadModelFile(p.graph)
		if u := errors.Unwrap(err); u != nil {
			err = u // drop LoadModelFile's "load model <path>: " prefix
		}
	}
	if err != nil {
		return &errorExit{1, fmt.Sprintf("Failed to load model %s: %s", name, cliutil.OneLine(err))}
	}
	logf(w, "INFO", "Loaded model %s", name)
	ds, err := makeDelegates(p, w)
	if err != nil {
		return err
	}
	b.delegates = ds
	opts := []interpreter.Option{interpreter.WithNumThreads(p.numThreads)}
	if len(ds) > 0 {
		opts = append(opts, interpreter.WithDelegateOptions(p.delegateOptions()))
		for _, d := range ds {
			opts = append(opts, interpreter.WithDelegates(d.d))
		}
	} else {
		for _, name := range []string{"max_delegated_partitions", "min_nodes_per_partition"} {
			if p.set[name] {
				logf(w, "WARN", "--%s has no effect: no delegate is applied (ask for one with --use_xnnpack=true).", name)
			}
		}
	}
	if p.enableOpProfiling {
		// As benchmark_model does, make room for every node of the model
		// (plus headroom) whatever the flag says.
		entries := p.maxProfilingBufferEntries
		total := 0
		for _, sg := range m.Subgraphs() {
			total += len(sg.Operators)
		}
		if total > entries {
			entries = total + 512
		}
		b.rec = profiling.NewRecorder(entries)
		opts = append(opts, interpreter.WithProfiler(b.rec))
	}
	it, err := interpreter.New(m, opts...)
	if err != nil {
		return &errorExit{1, "Failed to initialize the interpreter: " + cliutil.OneLine(err)}
	}
	if err := logDelegation(w, p, it, ds); err != nil {
		it.Close()
		return err
	}
	if err := b.resizeInputs(p, it, w); err != nil {
		it.Close()
		return err
	}
	var start int64
	var startMem int64
	if b.rec != nil {
		start = b.rec.Now()
		startMem, _ = memoryFootprintKB()
		b.rec.Stop() // Prepare is not an op run
	}
	if err := it.AllocateTensors(); err != nil {
		it.Close()
		return &errorExit{1, "Failed to allocate tensors: " + cliutil.OneLine(err)}
	}
	if b.rec != nil {
		endMem, _ := memoryFootprintKB()
		b.initRec = append(b.initRec, profiling.Event{Kind: profiling.KindOther, Tag: "AllocateTensors",
			Begin: start, End: b.rec.Now(), MemBytes: (endMem - startMem) * 1000})
	}
	b.it = it
	return nil
}

// resizeInputs applies --input_layer and --input_layer_shape, checking
// them as benchmark_model does.
func (b *bench) resizeInputs(p *params, it *interpreter.Interpreter, w io.Writer) error {
	layers, err := parseInputLayers(p, it.Inputs())
	if err != nil {
		return &errorExit{1, err.Error()}
	}
	b.layers = layers
	if p.inputLayer == "" {
		return nil
	}
	for j, l := range layers {
		t := it.Input(j)
		if l.name != t.Name() {
			logf(w, "WARN", "Tensor # %d is named %s but flags call it %s", t.Index(), t.Name(), l.name)
		}
		if len(l.shape) != t.Rank() {
			return &errorExit{1, fmt.Sprintf("Input tensor #%d should have %d dimensions!", t.Index(), t.Rank())}
		}
	}
	for j, l := range layers {
		if slices.Equal(l.shape, it.Input(j).Shape()) {
			continue
		}
		if err := it.ResizeInputTensor(j, l.shape); err != nil {
			return &errorExit{1, fmt.Sprintf("Failed to resize input %s to %s: %s", l.name, cliutil.FormatShape(l.shape), cliutil.OneLine(err))}
		}
	}
	return nil
}

// prepareInputs makes the input data once: from --input_layer_value_files,
// or random as benchmark_model's CreateRandomTensorData does.
func (b *bench) prepareInputs(p *params) error {
	b.inputs = b.it.Inputs()
	b.data = make([][]byte, len(b.inputs))
	for i, t := range b.inputs {
		var l *inputLayer
		if i < len(b.layers) {
			l = &b.layers[i]
		}
		d, err := inputData(t, l)
		if err != nil {
			return &errorExit{1, err.Error()}
		}
		b.data[i] = d
		b.inputBytes += int64(len(d))
	}
	return nil
}

// logRun is benchmark_model's BenchmarkModel::Run: it logs the plan, runs,
// and logs the statistics followed by an empty line.
func (b *bench) logRun(w io.Writer, minNum int, minSecs, maxSecs float32, profile bool) (profiling.Stat, error) {
	logf(w, "INFO", "Running benchmark for at least %d iterations and at least %s seconds but terminate if exceeding %s seconds.",
		minNum, fmtG(float64(minSecs)), fmtG(float64(maxSecs)))
	s := b.runs(minNum, minSecs, maxSecs, profile)
	if b.invokeErr != nil {
		return s, &errorExit{1, "Invoke failed: " + cliutil.OneLine(b.invokeErr)}
	}
	logf(w, "INFO", "%s\n", s.String())
	return s, nil
}

// maxLatencySamples bounds the per-run latencies kept for the JSON report.
const maxLatencySamples = 1 << 16

// runs is the timed loop. It does not allocate (profiling included, once
// every node has been seen).
func (b *bench) runs(minNum int, minSecs, maxSecs float32, profile bool) profiling.Stat {
	var s profiling.Stat
	profile = profile && b.rec != nil && b.runProf != nil
	now := b.nowMicros()
	minFinish := now + int64(minSecs*1e6)
	maxFinish := now + int64(maxSecs*1e6)
	for run := 0; (run < minNum || now < minFinish) && now <= maxFinish; run++ {
		b.resetInputs()
		if profile {
			b.rec.Reset()
			b.rec.Start()
		}
		start := b.nowMicros()
		err := b.it.Invoke()
		end := b.nowMicros()
		if profile {
			b.rec.Stop()
			b.runProf.ProcessRun(b.rec.Events())
		}
		s.Update(end - start)
		if len(b.samples) < cap(b.samples) {
			b.samples = append(b.samples, end-start)
		}
		if b.runDelay > 0 {
			time.Sleep(b.runDelay)
		}
		now = b.nowMicros()
		if err != nil {
			b.invokeErr = err
			break
		}
	}
	return s
}

func (b *bench) resetInputs() {
	for i, t := range b.inputs {
		if d := b.data[i]; d != nil {
			copy(t.Bytes(), d)
		}
	}
}
