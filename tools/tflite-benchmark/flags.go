package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/edgelite/edgelite/interpreter/profiling"
	"github.com/edgelite/edgelite/tools/internal/cliutil"
	"github.com/edgelite/edgelite/xnnpack"
)

// params are benchmark_model's parameters that this tool takes, plus its
// own (--output_json, --output_svg).
type params struct {
	graph         string
	numThreads    int
	numRuns       int
	minSecs       float32
	maxSecs       float32
	warmupRuns    int
	warmupMinSecs float32
	runDelay      float32
	benchmarkName string
	outputPrefix  string
	verbose       bool

	inputLayer, inputLayerShape, inputLayerValueRange, inputLayerValueFiles string

	enableOpProfiling         bool
	maxProfilingBufferEntries int
	profilingOutputCSVFile    string
	printPreinvokeState       bool
	printPostinvokeState      bool

	reportPeakMemoryFootprint      bool
	memoryFootprintCheckIntervalMS int

	requireFullDelegation bool
	maxDelegatedPartitions,
	minNodesPerPartition int

	outputJSON, outputSVG string

	delegateValues map[string]flag.Value // the delegate flags, by name

	set map[string]bool // flags given on the command line
}

// float32Flag is a float flag stored, like benchmark_model's, as float32.
type float32Flag struct{ p *float32 }

func (f float32Flag) String() string {
	if f.p == nil {
		return ""
	}
	return fmtG(float64(*f.p))
}

func (f float32Flag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 32)
	if err != nil {
		return errors.New("parse error")
	}
	*f.p = float32(v)
	return nil
}

// delegateFlag is a flag of one of benchmark_model's delegate providers.
// A delegate this build does not have is an error when asked for, never
// silently ignored: a benchmark must not measure something else than asked.
type delegateFlag struct {
	name     string
	isBool   bool
	desc     string // logged as benchmark_model logs it
	delegate string // what the flag asks for
	needs    string // why this build cannot ("" for --use_xnnpack: see makeDelegates)
}

const noBackend = "which Edgelite does not have (the delegate framework is there: package delegates); without the flag every op runs on Edgelite's CPU kernels, or on XNNPACK with --use_xnnpack=true"

var delegateFlags = []delegateFlag{
	{"use_xnnpack", true, "Use xnnpack", "the XNNPACK delegate", ""},
	{"xnnpack_force_fp16", true, "Force fp16 inference in xnnpack", "fp16 inference in the XNNPACK delegate", "is not implemented by Edgelite's XNNPACK delegate (it does not pass XNN_FLAG_FORCE_FP16_INFERENCE to XNNPACK yet); --use_xnnpack=true computes in float32"},
	{"use_gpu", true, "Use gpu", "the GPU delegate", "needs an OpenCL GPU backend, " + noBackend},
	{"gpu_precision_loss_allowed", true, "Allow lower precision in gpu", "the GPU delegate", "needs an OpenCL GPU backend, " + noBackend},
	{"gpu_experimental_enable_quant", true, "Enable running quant models in gpu", "the GPU delegate", "needs an OpenCL GPU backend, " + noBackend},
	{"gpu_backend", false, "GPU backend", "the GPU delegate", "needs an OpenCL GPU backend, " + noBackend},
	{"gpu_wait_type", false, "GPU delegate wait type", "the GPU delegate", "needs an OpenCL GPU backend, " + noBackend},
	{"use_nnapi", true, "Use NNAPI", "the NNAPI delegate", "needs Android's Neural Networks API, " + noBackend},
	{"nnapi_accelerator_name", false, "NNAPI accelerator name", "the NNAPI delegate", "needs Android's Neural Networks API, " + noBackend},
	{"nnapi_execution_preference", false, "NNAPI execution preference", "the NNAPI delegate", "needs Android's Neural Networks API, " + noBackend},
	{"use_hexagon", true, "Use Hexagon", "the Hexagon delegate", "needs Qualcomm's Hexagon libraries, " + noBackend},
	{"hexagon_lib_path", false, "Hexagon lib path", "the Hexagon delegate", "needs Qualcomm's Hexagon libraries, " + noBackend},
	{"hexagon_profiling", true, "Hexagon profiling", "the Hexagon delegate", "needs Qualcomm's Hexagon libraries, " + noBackend},
	{"use_coreml", true, "Use CoreML", "the Core ML delegate", "needs Apple's Core ML, " + noBackend},
	{"coreml_version", false, "CoreML version", "the Core ML delegate", "needs Apple's Core ML, " + noBackend},
	{"use_edgetpu", true, "Use Edge TPU", "the Edge TPU delegate", "needs the Edge TPU driver (libedgetpu) and an Edge TPU backend, " + noBackend},
	{"edgetpu_device", false, "Edge TPU device", "the Edge TPU delegate", "needs the Edge TPU driver (libedgetpu) and an Edge TPU backend, " + noBackend},
	{"external_delegate_path", false, "External delegate path", "an external delegate library", "needs loading TFLite delegate C libraries (TfLiteDelegate ABI), " + noBackend},
	{"external_delegate_options", false, "External delegate options", "an external delegate library", "needs loading TFLite delegate C libraries (TfLiteDelegate ABI), " + noBackend},
	{"allow_fp16", true, "Allow fp16", "float16 arithmetic for float32 models", "needs float16 kernels, which Edgelite does not have; Edgelite computes float32 models in float32"},
}

// useXNNPACK reports whether --use_xnnpack asks for the delegate.
func (p *params) useXNNPACK() bool {
	return p.set["use_xnnpack"] && p.delegateValues["use_xnnpack"].String() == "true"
}

const usageHeader = `usage: tflite-benchmark [--graph=model.tflite] [flags]

Benchmarks a TensorFlow Lite model with Edgelite, logging as TensorFlow Lite's
benchmark_model does. Without --graph it benchmarks the embedded default model.

flags:
`

func parseFlags(args []string, stdout, stderr io.Writer) (*params, error) {
	p := &params{set: map[string]bool{}, delegateValues: map[string]flag.Value{}}
	fs := flag.NewFlagSet("tflite-benchmark", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&p.graph, "graph", "", "graph file name (empty: the embedded default model)")
	fs.IntVar(&p.numThreads, "num_threads", -1, "number of threads (-1: Edgelite's default, 1)")
	fs.IntVar(&p.numRuns, "num_runs", 50, "expected number of runs, see also min_secs, max_secs")
	p.minSecs, p.maxSecs, p.warmupMinSecs, p.runDelay = 1, 150, 0.5, -1
	fs.Var(float32Flag{&p.minSecs}, "min_secs", "minimum number of `seconds` to rerun for, potentially making the actual number of runs to be greater than num_runs")
	fs.Var(float32Flag{&p.maxSecs}, "max_secs", "maximum number of `seconds` to rerun for, potentially making the actual number of runs to be less than num_runs")
	fs.IntVar(&p.warmupRuns, "warmup_runs", 1, "minimum number of runs performed on initialization, to allow performance characteristics to settle, see also warmup_min_secs")
	fs.Var(float32Flag{&p.warmupMinSecs}, "warmup_min_secs", "minimum number of `seconds` to rerun for, potentially making the actual number of warm-up runs to be greater than warmup_runs")
	fs.Var(float32Flag{&p.runDelay}, "run_delay", "delay between runs in `seconds`")
	fs.StringVar(&p.benchmarkName, "benchmark_name", "", "benchmark name")
	fs.StringVar(&p.outputPrefix, "output_prefix", "", "benchmark output prefix")
	fs.BoolVar(&p.verbose, "verbose", false, "log every parameter value, not only those given on the command line")
	fs.BoolVar(&p.reportPeakMemoryFootprint, "report_peak_memory_footprint", false, "report the peak memory footprint by checking it periodically (from another goroutine)")
	fs.IntVar(&p.memoryFootprintCheckIntervalMS, "memory_footprint_check_interval_ms", 50, "interval in `ms` between two memory footprint checks (with --report_peak_memory_footprint)")

	fs.StringVar(&p.inputLayer, "input_layer", "", "input layer `names`, comma-separated, e.g. input1,input2")
	fs.StringVar(&p.inputLayerShape, "input_layer_shape", "", "input layer `shapes` (resizes the inputs), colon-separated, e.g. 1,224,224,3:1,20")
	fs.StringVar(&p.inputLayerValueRange, "input_layer_value_range", "", "value `ranges` for integer inputs, e.g. input1,1,2:input2,0,254 (low and high inclusive)")
	fs.StringVar(&p.inputLayerValueFiles, "input_layer_value_files", "", "raw input `files`, e.g. input1:file1,input2:file2 (each of exactly the tensor's byte size)")
	fs.BoolVar(&p.requireFullDelegation, "require_full_delegation", false, "require a delegate to run the entire graph")
	fs.BoolVar(&p.enableOpProfiling, "enable_op_profiling", false, "enable op profiling")
	fs.IntVar(&p.maxProfilingBufferEntries, "max_profiling_buffer_entries", 1024, "max profiling buffer `entries`")
	fs.StringVar(&p.profilingOutputCSVFile, "profiling_output_csv_file", "", "`file` to export profile data to as CSV; if not set, prints to stdout")
	fs.BoolVar(&p.printPreinvokeState, "print_preinvoke_state", false, "print the interpreter's tensors and nodes just before the first Invoke")
	fs.BoolVar(&p.printPostinvokeState, "print_postinvoke_state", false, "print the interpreter's tensors and nodes after the last Invoke")
	fs.IntVar(&p.maxDelegatedPartitions, "max_delegated_partitions", 0, "max number of partitions to be delegated")
	fs.IntVar(&p.minNodesPerPartition, "min_nodes_per_partition", 0, "the minimal number of nodes of a partition for it to be delegated (<= 0: the delegate's default)")
	fs.StringVar(&p.outputJSON, "output_json", "", "write every figure to this `file` as JSON (Edgelite)")
	fs.StringVar(&p.outputSVG, "output_svg", "", "write a bar chart of time per node type and per node to this `file` (Edgelite; needs --enable_op_profiling)")
	for _, d := range delegateFlags {
		var v flag.Value
		usage := "not available in this build: " + d.delegate
		if d.name == "use_xnnpack" {
			usage = "run what it supports on the XNNPACK delegate"
			if !xnnpack.Built {
				usage = "not available in this build (rebuild with -tags xnnpack): " + d.delegate
			}
		}
		if d.isBool {
			b := false
			fs.BoolVar(&b, d.name, false, usage)
		} else {
			s := ""
			fs.StringVar(&s, d.name, "", usage)
		}
		v = fs.Lookup(d.name).Value
		p.delegateValues[d.name] = v
	}

	args = cliutil.JoinBoolValues(fs, args)
	pos, err := cliutil.ParseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usageHeader)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) { p.set[f.Name] = true })
	if len(pos) > 0 {
		logf(stdout, "WARN", "Unconsumed cmdline flags: %s", strings.Join(pos, " "))
	}
	return p, p.validate()
}

// validate rejects values benchmark_model would reject or misuse.
func (p *params) validate() error {
	bad := func(name, why string) error {
		return fmt.Errorf("invalid value %q for flag -%s: %s", fmt.Sprint(p.flagValue(name)), name, why)
	}
	switch {
	case p.numThreads < -1 || p.numThreads == 0:
		return bad("num_threads", "must be -1 (default) or at least 1")
	case p.maxProfilingBufferEntries < 1:
		return bad("max_profiling_buffer_entries", "must be at least 1")
	case p.maxDelegatedPartitions < 0:
		return bad("max_delegated_partitions", "must not be negative")
	}
	return nil
}

func (p *params) flagValue(name string) any {
	switch name {
	case "num_threads":
		return p.numThreads
	case "max_profiling_buffer_entries":
		return p.maxProfilingBufferEntries
	case "max_delegated_partitions":
		return p.maxDelegatedPartitions
	}
	return ""
}

// checkDelegates fails for the first delegate flag that asks for a
// delegate this build does not have (--use_xnnpack is makeDelegates').
func (p *params) checkDelegates() error {
	for _, d := range delegateFlags {
		if !p.set[d.name] || d.needs == "" {
			continue
		}
		v := p.delegateValues[d.name].String()
		if d.isBool && v == "false" {
			continue // asking for no delegate is fine
		}
		return &errorExit{1, fmt.Sprintf("not available in this build: --%s=%s: %s %s", d.name, v, d.delegate, d.needs)}
	}
	return nil
}

// logf writes one benchmark_model log line ("INFO: ...", "WARN: ...").
func logf(w io.Writer, severity, format string, args ...any) {
	fmt.Fprintf(w, severity+": "+format+"\n", args...)
}

// fmtG formats a float as C++ streams do by default (%g, 6 digits).
func fmtG(v float64) string { return profiling.FormatG(v) }

func fmtBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// logParams logs the parameters in benchmark_model's order and words:
// those given on the command line, or all with --verbose.
func (p *params) logParams(w io.Writer) {
	logf(w, "INFO", "Log parameter values verbosely: [%s]", fmtBool(p.verbose))
	param := func(name, desc, value string) {
		if p.verbose || p.set[name] {
			logf(w, "INFO", "%s: [%s]", desc, value)
		}
	}
	i, f, b := strconv.Itoa, func(v float32) string { return fmtG(float64(v)) }, fmtBool
	param("num_runs", "Min num runs", i(p.numRuns))
	param("min_secs", "Min runs duration (seconds)", f(p.minSecs))
	param("max_secs", "Max runs duration (seconds)", f(p.maxSecs))
	param("run_delay", "Inter-run delay (seconds)", f(p.runDelay))
	param("num_threads", "Num threads", i(p.numThreads))
	param("benchmark_name", "Benchmark name", p.benchmarkName)
	param("output_prefix", "Output prefix", p.outputPrefix)
	param("warmup_runs", "Min warmup runs", i(p.warmupRuns))
	param("warmup_min_secs", "Min warmup runs duration (seconds)", f(p.warmupMinSecs))
	param("report_peak_memory_footprint", "Report the peak memory footprint", b(p.reportPeakMemoryFootprint))
	param("memory_footprint_check_interval_ms", "Memory footprint check interval (ms)", i(p.memoryFootprintCheckIntervalMS))
	logf(w, "INFO", "Graph: [%s]", p.graph)
	param("input_layer", "Input layers", p.inputLayer)
	param("input_layer_shape", "Input shapes", p.inputLayerShape)
	param("input_layer_value_range", "Input value ranges", p.inputLayerValueRange)
	param("input_layer_value_files", "Input value files", p.inputLayerValueFiles)
	param("require_full_delegation", "Require full delegation", b(p.requireFullDelegation))
	param("enable_op_profiling", "Enable op profiling", b(p.enableOpProfiling))
	param("max_profiling_buffer_entries", "Max profiling buffer entries", i(p.maxProfilingBufferEntries))
	param("profiling_output_csv_file", "CSV File to export profiling data to", p.profilingOutputCSVFile)
	param("print_preinvoke_state", "Print pre-invoke interpreter state", b(p.printPreinvokeState))
	param("print_postinvoke_state", "Print post-invoke interpreter state", b(p.printPostinvokeState))
	param("output_json", "JSON file to export all figures to", p.outputJSON)
	param("output_svg", "SVG file to draw the op profile in", p.outputSVG)
	param("num_threads", "#threads used for CPU inference", i(p.numThreads))
	param("max_delegated_partitions", "Max number of delegated partitions", i(p.maxDelegatedPartitions))
	param("min_nodes_per_partition", "Min nodes per partition", i(p.minNodesPerPartition))
	for _, d := range delegateFlags {
		v := p.delegateValues[d.name].String()
		if d.isBool {
			v = fmtBool(v == "true")
		}
		param(d.name, d.desc, v)
	}
}
