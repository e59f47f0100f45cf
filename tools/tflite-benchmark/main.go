// Command tflite-benchmark measures how fast Edgelite runs a TensorFlow
// Lite model. It takes the flags of TensorFlow Lite's benchmark_model
// (tensorflow/lite/tools/benchmark) and prints its log, line for line, so
// that results and scripts carry over:
//
//	tflite-benchmark --graph=model.tflite --num_threads=4
//
// Flags (--flag=value and --flag value both work; defaults as in
// benchmark_model):
//
//	--graph            model file; empty: benchmark the embedded default
//	                   model (package defaultmodel, a small float MLP)
//	--num_threads      threads the kernels may use (1)
//	--num_runs         minimum number of timed runs (50)
//	--min_secs         minimum seconds of timed runs (1)
//	--max_secs         stop starting runs after this many seconds (150)
//	--warmup_runs      minimum number of warm-up runs (1)
//	--warmup_min_secs  minimum seconds of warm-up runs (0.5)
//	--run_delay        seconds to sleep between runs; <= 0: none (-1)
//	--benchmark_name   name logged with the parameters ("")
//	--output_prefix    prefix logged with the parameters ("")
//	--verbose          log every parameter, not only those given (false)
//
// As benchmark_model does, it logs "INFO: STARTING!", the parameters given
// on the command line (all with --verbose), "Loaded model", the model size,
// the initialization time (load, interpreter, AllocateTensors), then for
// the warm-up and the timed runs "Running benchmark for at least N
// iterations and at least S seconds but terminate if exceeding M seconds."
// and the run statistics in microseconds ("count= first= curr= min= max=
// avg= std="), and at the end "Inference timings in us: Init: …, First
// inference: …, Warmup (avg): …, Inference (avg): …" and, on Linux, the
// memory footprint delta (peak resident set size, as getrusage's ru_maxrss
// that benchmark_model reads, from VmHWM in /proc/self/status).
//
// Inputs are filled once with random values as benchmark_model does
// (float32/float64 uniform in [-0.5,0.5), int8 [-127,127], uint8 [0,254],
// int16/int32/uint32/int64 [0,99], bool {0,1}) and copied into the input
// tensors before every run, outside the timed region. The timed loop does
// not allocate.
//
// Errors (missing or invalid model, ops this build cannot run, a bad flag)
// print one line on stderr ("ERROR: …") and exit with status 1 (2 for a
// bad flag); "INFO:" and "WARN:" lines go to stdout as benchmark_model's do.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/tools/internal/cliutil"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// params are benchmark_model's parameters that this tool supports.
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

const usageHeader = `usage: tflite-benchmark [--graph=model.tflite] [flags]

Benchmarks a TensorFlow Lite model with Edgelite, logging as TensorFlow Lite's
benchmark_model does. Without --graph it benchmarks the embedded default model.

flags:
`

func parseFlags(args []string, stdout, stderr io.Writer) (*params, error) {
	p := &params{set: map[string]bool{}}
	fs := flag.NewFlagSet("tflite-benchmark", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&p.graph, "graph", "", "graph file name (empty: the embedded default model)")
	fs.IntVar(&p.numThreads, "num_threads", 1, "number of threads")
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
	return p, nil
}

// logf writes one benchmark_model log line ("INFO: ...", "WARN: ...").
func logf(w io.Writer, severity, format string, args ...any) {
	fmt.Fprintf(w, severity+": "+format+"\n", args...)
}

// fmtG formats a float as C++ streams do by default (%g, 6 digits).
func fmtG(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func fmtBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
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

func (p *params) logParams(w io.Writer) {
	logf(w, "INFO", "Log parameter values verbosely: [%s]", fmtBool(p.verbose))
	param := func(name, desc, value string) {
		if p.verbose || p.set[name] {
			logf(w, "INFO", "%s: [%s]", desc, value)
		}
	}
	param("num_runs", "Min num runs", strconv.Itoa(p.numRuns))
	param("min_secs", "Min runs duration (seconds)", fmtG(float64(p.minSecs)))
	param("max_secs", "Max runs duration (seconds)", fmtG(float64(p.maxSecs)))
	param("run_delay", "Inter-run delay (seconds)", fmtG(float64(p.runDelay)))
	param("num_threads", "Num threads", strconv.Itoa(p.numThreads))
	param("benchmark_name", "Benchmark name", p.benchmarkName)
	param("output_prefix", "Output prefix", p.outputPrefix)
	param("warmup_runs", "Min warmup runs", strconv.Itoa(p.warmupRuns))
	param("warmup_min_secs", "Min warmup runs duration (seconds)", fmtG(float64(p.warmupMinSecs)))
	logf(w, "INFO", "Graph: [%s]", p.graph)
	param("num_threads", "#threads used for CPU inference", strconv.Itoa(p.numThreads))
}

// bench is one benchmark: an interpreter and the input data it is fed.
type bench struct {
	it         *interpreter.Interpreter
	inputs     []*interpreter.Tensor
	data       [][]byte // nil for inputs set once (strings)
	runDelay   time.Duration
	epoch      time.Time
	invokeErr  error
	inputBytes int64
}

func (b *bench) nowMicros() int64 { return time.Since(b.epoch).Microseconds() }

func benchmark(p *params, w io.Writer) error {
	p.logParams(w)
	if p.graph == "" {
		logf(w, "INFO", "No --graph given: benchmarking the embedded default model %s", defaultmodel.Name)
	}

	// The model size is taken before Init, as benchmark_model does.
	var modelBytes []byte
	modelSize := int64(-1)
	if p.graph == "" {
		modelBytes = defaultmodel.Bytes()
		modelSize = int64(len(modelBytes))
	} else if fi, err := os.Stat(p.graph); err == nil && fi.Mode().IsRegular() {
		modelSize = fi.Size()
	}
	startMem, memOK := memoryFootprintKB()

	b := &bench{epoch: time.Now()}
	initStart := b.nowMicros()
	if err := b.init(p, modelBytes, w); err != nil {
		return err
	}
	defer b.it.Close()
	initEndMem, _ := memoryFootprintKB()
	initEnd := b.nowMicros()
	startupUS := initEnd - initStart

	if modelSize > 0 {
		logf(w, "INFO", "The input model file size (MB): %s", fmtG(float64(modelSize)/1e6))
	} else {
		logf(w, "WARN", "Failed to get the input model file size.")
	}
	logf(w, "INFO", "Initialized session in %sms.", fmtG(float64(startupUS)/1e3))

	if err := b.prepareInputs(); err != nil {
		return err
	}
	if p.runDelay > 0 {
		b.runDelay = time.Duration(float64(p.runDelay) * 1e9)
	}

	warmup, err := b.logRun(w, p.warmupRuns, p.warmupMinSecs, p.maxSecs)
	if err != nil {
		return err
	}
	inference, err := b.logRun(w, p.numRuns, p.minSecs, p.maxSecs)
	if err != nil {
		return err
	}
	overallMem, _ := memoryFootprintKB()

	logf(w, "INFO", "Inference timings in us: Init: %d, First inference: %d, Warmup (avg): %s, Inference (avg): %s",
		startupUS, warmup.first, fmtG(warmup.avg()), fmtG(inference.avg()))
	if memOK {
		logf(w, "INFO", "Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime. Take the information at your discretion.")
		logf(w, "INFO", "Memory footprint delta from the start of the tool (MB): init=%s overall=%s",
			fmtG(float64(initEndMem-startMem)/1024), fmtG(float64(overallMem-startMem)/1024))
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
	it, err := interpreter.New(m, interpreter.WithNumThreads(p.numThreads))
	if err != nil {
		return &errorExit{1, "Failed to initialize the interpreter: " + cliutil.OneLine(err)}
	}
	if err := it.AllocateTensors(); err != nil {
		it.Close()
		return &errorExit{1, "Failed to allocate tensors: " + cliutil.OneLine(err)}
	}
	b.it = it
	return nil
}

// prepareInputs makes random input data as benchmark_model's
// CreateRandomTensorData does.
func (b *bench) prepareInputs() error {
	b.inputs = b.it.Inputs()
	b.data = make([][]byte, len(b.inputs))
	for i, t := range b.inputs {
		if t.Type() == core.String {
			s := make([]string, t.NumElements())
			for k := range s {
				s[k] = "we're have some friends over saturday to hang out in the yard"
			}
			if err := t.SetStrings(s); err != nil {
				return &errorExit{1, fmt.Sprintf("Failed to populate tensor %s: %v", t.Name(), err)}
			}
			continue
		}
		d, err := randomData(t.Type(), t.NumElements())
		if err != nil {
			return &errorExit{1, fmt.Sprintf("Don't know how to populate tensor %s of type %s", t.Name(), t.Type())}
		}
		b.data[i] = d
		b.inputBytes += int64(len(d))
	}
	return nil
}

func randomData(t core.TensorType, n int) ([]byte, error) {
	es := t.ElementSize()
	out := make([]byte, n*es)
	put := func(i int, bits uint64) {
		for k := range es {
			out[i*es+k] = byte(bits >> (8 * k))
		}
	}
	for i := range n {
		switch t {
		case core.Float32:
			put(i, uint64(math.Float32bits(rand.Float32()-0.5)))
		case core.Float64:
			put(i, math.Float64bits(rand.Float64()-0.5))
		case core.Float16:
			put(i, uint64(core.Float32ToFloat16(rand.Float32()-0.5)))
		case core.Int8:
			put(i, uint64(rand.IntN(255)-127))
		case core.Uint8:
			put(i, uint64(rand.IntN(255)))
		case core.Int16, core.Int32, core.Uint32, core.Int64:
			put(i, uint64(rand.IntN(100)))
		case core.Bool:
			put(i, uint64(rand.IntN(2)))
		default:
			return nil, fmt.Errorf("unsupported type %s", t)
		}
	}
	return out, nil
}

// logRun is benchmark_model's BenchmarkModel::Run: it logs the plan, runs,
// and logs the statistics followed by an empty line.
func (b *bench) logRun(w io.Writer, minNum int, minSecs, maxSecs float32) (stat, error) {
	logf(w, "INFO", "Running benchmark for at least %d iterations and at least %s seconds but terminate if exceeding %s seconds.",
		minNum, fmtG(float64(minSecs)), fmtG(float64(maxSecs)))
	s := b.runs(minNum, minSecs, maxSecs)
	if b.invokeErr != nil {
		return s, &errorExit{1, "Invoke failed: " + cliutil.OneLine(b.invokeErr)}
	}
	logf(w, "INFO", "%s\n", s.String())
	return s, nil
}

// runs is the timed loop. It does not allocate.
func (b *bench) runs(minNum int, minSecs, maxSecs float32) stat {
	var s stat
	now := b.nowMicros()
	minFinish := now + int64(minSecs*1e6)
	maxFinish := now + int64(maxSecs*1e6)
	for run := 0; (run < minNum || now < minFinish) && now <= maxFinish; run++ {
		b.resetInputs()
		start := b.nowMicros()
		err := b.it.Invoke()
		end := b.nowMicros()
		s.update(end - start)
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

// stat is TensorFlow's Stat<int64_t>: running statistics of durations in
// microseconds.
type stat struct {
	first, newest, max, min int64
	count, sum              int64
	squaredSum              float64
}

func (s *stat) update(v int64) {
	if s.count == 0 {
		s.first, s.min, s.max = v, v, v
	}
	s.newest = v
	s.max = max(s.max, v)
	s.min = min(s.min, v)
	s.count++
	s.sum += v
	s.squaredSum += float64(v) * float64(v)
}

func (s *stat) allSame() bool { return s.count == 0 || s.min == s.max }

func (s *stat) avg() float64 {
	if s.count == 0 {
		return math.NaN()
	}
	return float64(s.sum) / float64(s.count)
}

// std is the population standard deviation, truncated to an integer as
// Stat<int64_t> does.
func (s *stat) std() int64 {
	if s.allSame() {
		return 0
	}
	return int64(math.Sqrt(s.squaredSum/float64(s.count) - s.avg()*s.avg()))
}

// String is Stat::OutputToStream.
func (s *stat) String() string {
	switch {
	case s.count == 0:
		return "count=0"
	case s.allSame():
		out := fmt.Sprintf("count=%d curr=%d", s.count, s.newest)
		if s.count > 1 {
			out += "(all same)"
		}
		return out
	}
	return fmt.Sprintf("count=%d first=%d curr=%d min=%d max=%d avg=%s std=%d",
		s.count, s.first, s.newest, s.min, s.max, fmtG(s.avg()), s.std())
}
