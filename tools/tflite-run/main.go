// Command tflite-run runs a TensorFlow Lite model once with Edgelite and
// writes its outputs as raw files, in the same layout as the tflite-oracle
// (../shared/tools/tflite-oracle), so that Edgelite's results can be
// compared file by file with TensorFlow Lite's (compare.js works on both).
//
// Usage:
//
//	tflite-run [flags] model.tflite outdir [in0.bin|- in1.bin|- ...]
//
// Flags (also accepted with two dashes and after the positional arguments):
//
//	-seed S          PRNG seed (uint32, default 1234); input i uses seed S+i
//	-range LO,HI     range of generated float inputs (default -1,1)
//	-int-range LO,HI range of generated int16/int32/uint32 inputs (default 0,99)
//	-threads N       threads the kernels (and the delegate) may use (default 1)
//	-num_threads N   the same as -threads (benchmark_model's name)
//	-use_xnnpack     run what XNNPACK supports on the XNNPACK delegate (a
//	                 build with cgo and -tags xnnpack; in others it fails
//	                 and says how to rebuild)
//	-runs N          timed runs after the first run (default 1)
//	-warmup N        untimed runs between the first run and the timed runs (default 0)
//
// Inputs are raw little-endian files of exactly the input tensor's byte
// size. A missing input or "-" is generated exactly as the oracle does
// (splitmix32 seeded with seed+i; floats lo+(hi-lo)*u/2^32 rounded to
// float32; int8 (u&255)-128; uint8 u&255; bool u&1; int16/int32/uint32
// lo+floor((hi-lo+1)*u/2^32)) and written to outdir/in<i>.bin.
//
// The first run's outputs go to outdir/out<i>.bin (raw little-endian, model
// output order). Then come -warmup untimed and -runs timed runs. outdir/meta.json
// describes the run with the oracle's field names where they apply (model,
// model_sha256, runtime, ok, error, model_init_ms, inputs and outputs with
// index, name, dtype, shape, bytes, tensor_id, source, file, generator,
// sha256 and stats, timing_ms, deterministic_across_runs,
// executed_node_types, unresolved_custom_ops) plus unresolved_ops,
// arena_bytes and, with -use_xnnpack, delegation (the delegate's
// partitions, the nodes it took and those left on the CPU; delegate nodes
// count in executed_node_types as TfLiteXNNPackDelegate); the same JSON is
// printed on stdout.
//
// Exit status: 0 ok; 1 the model is missing or invalid, has ops this build
// cannot run (meta.json is still written and says which), fails to run, or
// an input file has the wrong size; 2 usage error. Errors are one line on
// stderr starting with "tflite-run: ".
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/internal/inputgen"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/tools/internal/cliutil"
	"github.com/edgelite/edgelite/xnnpack"
)

const shortUsage = "tflite-run [flags] model.tflite outdir [in0.bin|- ...]"

const usage = `usage: tflite-run [flags] model.tflite outdir [in0.bin|- in1.bin|- ...]

Runs model.tflite with Edgelite and writes to outdir, as the tflite-oracle does:
  in<i>.bin   inputs that were generated (not given, or given as "-")
  out<i>.bin  raw little-endian outputs of the first run, in model output order
  meta.json   names, dtypes, shapes, sha256, stats, timings (also printed on stdout)

flags:
`

// exitError carries the exit status with the message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &exitError{2, fmt.Sprintf(format, args...)}
}

func fail(format string, args ...any) error {
	return &exitError{1, fmt.Sprintf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "tflite-run: internal error: %v\n", r)
			code = 1
		}
	}()
	err := runMain(args, stdout, stderr)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var e *exitError
	if errors.As(err, &e) {
		if e.code == 2 {
			fmt.Fprintf(stderr, "tflite-run: %s (usage: %s; -help for flags)\n", e.msg, shortUsage)
		} else {
			fmt.Fprintf(stderr, "tflite-run: %s\n", e.msg)
		}
		return e.code
	}
	fmt.Fprintf(stderr, "tflite-run: %s\n", cliutil.OneLine(err))
	return 1
}

type config struct {
	gen        inputgen.Options
	threads    int
	runs       int
	warmup     int
	useXNNPACK bool
}

type pairFlag struct {
	v   *[2]float64
	set bool
}

func (p *pairFlag) String() string {
	if p.v == nil {
		return ""
	}
	return fmt.Sprintf("%v,%v", p.v[0], p.v[1])
}

func (p *pairFlag) Set(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return fmt.Errorf("want LO,HI")
	}
	var v [2]float64
	for i, part := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || math.IsNaN(f) {
			return fmt.Errorf("want LO,HI")
		}
		v[i] = f
	}
	*p.v = v
	return nil
}

type seedFlag struct{ v *uint32 }

func (s seedFlag) String() string {
	if s.v == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*s.v), 10)
}

// Set parses the seed as the oracle does (parseInt(s) >>> 0): negative
// values wrap modulo 2^32.
func (s seedFlag) Set(str string) error {
	n, err := strconv.ParseInt(str, 10, 64)
	if err != nil {
		return fmt.Errorf("want an integer")
	}
	*s.v = uint32(n)
	return nil
}

func parseArgs(args []string, stderr io.Writer) (*config, []string, error) {
	c := &config{gen: inputgen.DefaultOptions()}
	fs := flag.NewFlagSet("tflite-run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(seedFlag{&c.gen.Seed}, "seed", "PRNG `seed` (uint32); input i uses seed+i")
	fs.Var(&pairFlag{v: &c.gen.Range}, "range", "range `LO,HI` of generated float inputs")
	fs.Var(&pairFlag{v: &c.gen.IntRange}, "int-range", "range `LO,HI` of generated int16/int32/uint32 inputs (inclusive)")
	fs.IntVar(&c.threads, "threads", 1, "threads the kernels (and the delegate) may use")
	fs.IntVar(&c.threads, "num_threads", 1, "the same as -threads")
	xnnUsage := "run what XNNPACK supports on the XNNPACK delegate"
	if !xnnpack.Built {
		xnnUsage = "not available in this build (rebuild with cgo and -tags xnnpack): " + xnnUsage
	}
	fs.BoolVar(&c.useXNNPACK, "use_xnnpack", false, xnnUsage)
	fs.IntVar(&c.runs, "runs", 1, "timed runs after the first run")
	fs.IntVar(&c.warmup, "warmup", 0, "untimed runs between the first run and the timed runs")
	args = cliutil.JoinBoolValues(fs, args)
	pos, err := cliutil.ParseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	switch {
	case c.threads < 1:
		return nil, nil, usageErr("-threads must be >= 1")
	case c.runs < 1:
		return nil, nil, usageErr("-runs must be >= 1")
	case c.warmup < 0:
		return nil, nil, usageErr("-warmup must be >= 0")
	case len(pos) < 2:
		return nil, nil, usageErr("want a model and an output folder")
	}
	return c, pos, nil
}

// Meta is meta.json. Field names follow the oracle's.
type Meta struct {
	Model               string         `json:"model"`
	ModelSHA256         string         `json:"model_sha256"`
	Runtime             Runtime        `json:"runtime"`
	OK                  bool           `json:"ok"`
	Error               string         `json:"error,omitempty"`
	UnresolvedCustomOps []string       `json:"unresolved_custom_ops,omitempty"`
	UnresolvedOps       []Unresolved   `json:"unresolved_ops,omitempty"`
	ModelInitMS         *float64       `json:"model_init_ms,omitempty"`
	ArenaBytes          *int64         `json:"arena_bytes,omitempty"`
	Inputs              []*TensorMeta  `json:"inputs,omitempty"`
	Outputs             []*TensorMeta  `json:"outputs,omitempty"`
	Timing              *Timing        `json:"timing_ms,omitempty"`
	Deterministic       *bool          `json:"deterministic_across_runs,omitempty"`
	ExecutedNodeTypes   map[string]int `json:"executed_node_types,omitempty"`
	Delegation          *Delegation    `json:"delegation,omitempty"`
}

// Delegation says what the delegate took of the primary subgraph.
type Delegation struct {
	Delegate       string `json:"delegate"`
	Partitions     int    `json:"partitions"`
	DelegatedNodes int    `json:"delegated_nodes"`
	CPUNodes       int    `json:"cpu_nodes"`
	// CPUReasons are the delegate's reasons for the nodes it refused, one
	// per distinct "OP: reason".
	CPUReasons []string `json:"cpu_reasons,omitempty"`
}

// Runtime says what computed the outputs.
type Runtime struct {
	Package    string `json:"package"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	NumThreads int    `json:"num_threads"`
}

// Unresolved is one (op, version) the build cannot run.
type Unresolved struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// TensorMeta describes one input or output.
type TensorMeta struct {
	Index             int        `json:"index"`
	Name              string     `json:"name"`
	Dtype             string     `json:"dtype"`
	Shape             []int      `json:"shape"`
	Bytes             int        `json:"bytes"`
	TensorID          int        `json:"tensor_id"`
	ShapeBeforeInvoke []int      `json:"shape_before_invoke,omitempty"`
	Source            string     `json:"source,omitempty"`
	File              string     `json:"file,omitempty"`
	Generator         *Generator `json:"generator,omitempty"`
	SHA256            string     `json:"sha256,omitempty"`
	Stats             *Stats     `json:"stats,omitempty"`
}

// Generator records how an input was generated.
type Generator struct {
	PRNG  string `json:"prng"`
	Seed  uint32 `json:"seed"`
	Range any    `json:"range"`
}

// Stats are the oracle's per-tensor statistics; NaNs are counted, not used.
type Stats struct {
	Min  *float64 `json:"min"`
	Max  *float64 `json:"max"`
	Mean *float64 `json:"mean"`
	NaN  int      `json:"nan"`
}

// Timing is timing_ms.
type Timing struct {
	FirstRun float64   `json:"first_run"`
	Runs     int       `json:"runs"`
	Warmup   int       `json:"warmup"`
	Mean     float64   `json:"mean"`
	Median   float64   `json:"median"`
	Min      float64   `json:"min"`
	Max      float64   `json:"max"`
	All      []float64 `json:"all"`
	Note     string    `json:"note"`
}

func runMain(args []string, stdout, stderr io.Writer) error {
	c, pos, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	modelPath, outDir, inFiles := pos[0], pos[1], pos[2:]
	if c.useXNNPACK && !xnnpack.Built {
		return fail("-use_xnnpack: this build has no XNNPACK delegate: install the C libraries (scripts/install-xnnpack-deps.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev) and rebuild with cgo and -tags xnnpack")
	}

	data, err := os.ReadFile(modelPath)
	if err != nil {
		return fail("%s", cliutil.OneLine(err))
	}
	model, err := interpreter.LoadModel(data)
	if err != nil {
		return fail("%s: %s", modelPath, cliutil.OneLine(err))
	}
	sum := sha256.Sum256(data)
	abs, _ := filepath.Abs(modelPath)
	meta := &Meta{
		Model:       abs,
		ModelSHA256: hex.EncodeToString(sum[:]),
		Runtime: Runtime{
			Package: "github.com/edgelite/edgelite", Go: runtime.Version(),
			OS: runtime.GOOS, Arch: runtime.GOARCH, NumThreads: c.threads,
		},
	}
	sg := model.Subgraphs()[0]
	if len(inFiles) > len(sg.Inputs) {
		return usageErr("%d input files given but the model has %d inputs", len(inFiles), len(sg.Inputs))
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fail("%s", cliutil.OneLine(err))
	}
	// finish writes meta.json and the JSON on stdout, and passes err on.
	finish := func(runErr error) error {
		if runErr != nil {
			meta.OK = false
			var u *interpreter.UnresolvedOpsError
			if errors.As(runErr, &u) {
				for _, op := range u.Ops {
					meta.UnresolvedOps = append(meta.UnresolvedOps, Unresolved{op.Name, op.Version, op.Reason})
					if !isBuiltinName(op.Name) {
						meta.UnresolvedCustomOps = append(meta.UnresolvedCustomOps, op.Name)
					}
				}
			}
			meta.Error = cliutil.OneLine(runErr)
		} else {
			meta.OK = true
		}
		js, err := cliutil.FormatJSON(meta)
		if err != nil {
			return fail("meta.json: %v", err)
		}
		if err := os.WriteFile(filepath.Join(outDir, "meta.json"), js, 0o644); err != nil && runErr == nil {
			runErr = fail("%s", cliutil.OneLine(err))
		}
		stdout.Write(js)
		if runErr != nil {
			var e *exitError
			if !errors.As(runErr, &e) {
				runErr = fail("%s", cliutil.OneLine(runErr))
			}
		}
		return runErr
	}

	prof := &opCounter{}
	opts := []interpreter.Option{interpreter.WithNumThreads(c.threads), interpreter.WithProfiler(prof)}
	if c.useXNNPACK {
		d, err := xnnpack.New(xnnpack.Options{NumThreads: c.threads})
		if err != nil {
			return fail("%s", cliutil.OneLine(err))
		}
		defer d.Close() // after the interpreter's Close below
		opts = append(opts, interpreter.WithDelegates(d))
		meta.Runtime.Package += " with the XNNPACK delegate"
	}
	t0 := time.Now()
	it, err := interpreter.New(model, opts...)
	if err != nil {
		return finish(err)
	}
	defer it.Close()
	if c.useXNNPACK {
		meta.Delegation = delegation(it.Plan())
	}
	if err := it.AllocateTensors(); err != nil {
		return finish(fmt.Errorf("allocate tensors: %w", err))
	}
	initMS := ms(time.Since(t0))
	meta.ModelInitMS = &initMS
	arena := it.ArenaBytes()
	meta.ArenaBytes = &arena

	inputs, outputs := it.Inputs(), it.Outputs()
	for i, t := range inputs {
		meta.Inputs = append(meta.Inputs, tensorMeta(i, t))
	}
	for i, t := range outputs {
		meta.Outputs = append(meta.Outputs, tensorMeta(i, t))
	}

	// Inputs: read the given files, generate the others.
	inputData := make([][]byte, len(inputs))
	for i, t := range inputs {
		m := meta.Inputs[i]
		if t.Type() == core.String || t.Type().ElementSize() == 0 {
			return finish(fail("input %d (%s): %s inputs are not supported", i, t.Name(), t.Type()))
		}
		want := t.ByteSize()
		if i < len(inFiles) && inFiles[i] != "-" {
			f := inFiles[i]
			b, err := os.ReadFile(f)
			if err != nil {
				return finish(fail("input %d (%s): %s", i, t.Name(), cliutil.OneLine(err)))
			}
			if len(b) != want {
				return finish(fail("input %d (%s): file %s has %d bytes, expected %d (%s %s)",
					i, t.Name(), f, len(b), want, cliutil.DType(t.Type()), cliutil.FormatShape(t.Shape())))
			}
			inputData[i] = b
			m.Source, _ = filepath.Abs(f)
		} else {
			if !inputgen.Supported(t.Type()) {
				return finish(fail("input %d (%s): cannot generate %s data; give a file", i, t.Name(), cliutil.DType(t.Type())))
			}
			seed := c.gen.SeedFor(i)
			b, err := inputgen.Generate(t.Type(), t.NumElements(), seed, c.gen)
			if err != nil {
				return finish(fail("input %d (%s): %v", i, t.Name(), err))
			}
			name := fmt.Sprintf("in%d.bin", i)
			if err := os.WriteFile(filepath.Join(outDir, name), b, 0o644); err != nil {
				return finish(fail("%s", cliutil.OneLine(err)))
			}
			inputData[i] = b
			m.Source, m.File = "generated", name
			m.Generator = &Generator{PRNG: "splitmix32", Seed: seed, Range: c.gen.RangeFor(t.Type())}
		}
		m.SHA256 = sha(inputData[i])
		m.Stats = stats(t.Type(), inputData[i])
	}
	setInputs := func() {
		for i, t := range inputs {
			copy(t.Bytes(), inputData[i])
		}
	}

	// First run: its outputs are the result.
	setInputs()
	prof.on = true
	t1 := time.Now()
	err = it.Invoke()
	first := ms(time.Since(t1))
	prof.on = false
	meta.ExecutedNodeTypes = prof.counts
	if err != nil {
		return finish(fmt.Errorf("invoke: %w", err))
	}
	firstOut := make([][]byte, len(outputs))
	for i, t := range outputs {
		m := meta.Outputs[i]
		if shape := t.Shape(); !slices.Equal(shape, m.Shape) {
			m.ShapeBeforeInvoke = m.Shape
			m.Shape = slices.Clone(shape)
		}
		m.Bytes = len(t.Bytes())
		firstOut[i] = slices.Clone(t.Bytes())
		m.File = fmt.Sprintf("out%d.bin", i)
		if err := os.WriteFile(filepath.Join(outDir, m.File), firstOut[i], 0o644); err != nil {
			return finish(fail("%s", cliutil.OneLine(err)))
		}
		m.SHA256 = sha(firstOut[i])
		m.Stats = stats(t.Type(), firstOut[i])
	}

	// Warm-up and timed runs.
	for range c.warmup {
		setInputs()
		if err := it.Invoke(); err != nil {
			return finish(fmt.Errorf("invoke: %w", err))
		}
	}
	times := make([]float64, c.runs)
	for r := range times {
		setInputs()
		start := time.Now()
		if err := it.Invoke(); err != nil {
			return finish(fmt.Errorf("invoke: %w", err))
		}
		times[r] = ms(time.Since(start))
	}
	det := true
	for i, t := range outputs {
		det = det && string(t.Bytes()) == string(firstOut[i])
	}
	meta.Deterministic = &det
	sorted := slices.Clone(times)
	slices.Sort(sorted)
	total := 0.0
	all := make([]float64, len(times))
	for i, v := range times {
		total += v
		all[i] = math.Round(v*1000) / 1000
	}
	meta.Timing = &Timing{
		FirstRun: first, Runs: c.runs, Warmup: c.warmup,
		Mean: total / float64(len(times)), Median: sorted[len(sorted)/2],
		Min: sorted[0], Max: sorted[len(sorted)-1], All: all,
		Note: fmt.Sprintf("edgelite %s/%s, %d thread(s)%s, set inputs excluded, output copy excluded", runtime.GOOS, runtime.GOARCH, c.threads, withXNNPACK(c)),
	}
	return finish(nil)
}

// delegation summarizes the primary subgraph's plan.
func delegation(p *delegates.Plan) *Delegation {
	sp := &p.Subgraphs[0]
	d := &Delegation{Delegate: xnnpack.Name, Partitions: len(sp.Partitions), CPUNodes: len(sp.CPUNodes())}
	for _, part := range sp.Partitions {
		d.DelegatedNodes += len(part.Nodes)
	}
	seen := map[string]bool{}
	for _, r := range sp.Refusals {
		why := r.Op + ": " + r.Reason
		if !seen[why] {
			seen[why] = true
			d.CPUReasons = append(d.CPUReasons, why)
		}
	}
	return d
}

func tensorMeta(i int, t *core.Tensor) *TensorMeta {
	return &TensorMeta{
		Index: i, Name: t.Name(), Dtype: cliutil.DType(t.Type()),
		Shape: slices.Clone(t.Shape()), Bytes: len(t.Bytes()), TensorID: t.Index(),
	}
}

// opCounter counts executed operators while on.
type opCounter struct {
	on     bool
	counts map[string]int
}

func (p *opCounter) BeginOp(subgraph, node int, op string) {
	if p.on {
		if p.counts == nil {
			p.counts = map[string]int{}
		}
		p.counts[op]++
	}
}

func (p *opCounter) EndOp(subgraph, node int) {}

func isBuiltinName(name string) bool {
	for _, n := range tfliteBuiltinNames() {
		if n == name {
			return true
		}
	}
	return false
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// stats computes the oracle's min/max/mean/nan over the values of a raw
// little-endian buffer of type t (nil for types without numeric values).
func stats(t core.TensorType, b []byte) *Stats {
	n := 0
	es := t.ElementSize()
	if es == 0 || t == core.Complex64 || t == core.Complex128 || t == core.Resource {
		return nil
	}
	n = len(b) / es
	minV, maxV, sum := math.Inf(1), math.Inf(-1), 0.0
	nan := 0
	for i := range n {
		v := valueAt(t, b, i)
		if math.IsNaN(v) {
			nan++
			continue
		}
		minV = math.Min(minV, v)
		maxV = math.Max(maxV, v)
		sum += v
	}
	s := &Stats{NaN: nan}
	if cnt := n - nan; cnt > 0 {
		mean := sum / float64(cnt)
		s.Min, s.Max, s.Mean = &minV, &maxV, &mean
	}
	return s
}

func valueAt(t core.TensorType, b []byte, i int) float64 {
	le := func(n int) uint64 {
		var v uint64
		for k := n - 1; k >= 0; k-- {
			v = v<<8 | uint64(b[i*n+k])
		}
		return v
	}
	switch t {
	case core.Float32:
		return float64(math.Float32frombits(uint32(le(4))))
	case core.Float64:
		return math.Float64frombits(le(8))
	case core.Float16:
		return float64(core.Float16ToFloat32(uint16(le(2))))
	case core.BFloat16:
		return float64(math.Float32frombits(uint32(le(2)) << 16))
	case core.Int8:
		return float64(int8(b[i]))
	case core.Uint8, core.Bool:
		return float64(b[i])
	case core.Int16:
		return float64(int16(le(2)))
	case core.Uint16:
		return float64(uint16(le(2)))
	case core.Int32:
		return float64(int32(le(4)))
	case core.Uint32:
		return float64(uint32(le(4)))
	case core.Int64:
		return float64(int64(le(8)))
	case core.Uint64:
		return float64(le(8))
	}
	return math.NaN()
}

func withXNNPACK(c *config) string {
	if c.useXNNPACK {
		return ", XNNPACK delegate"
	}
	return ""
}
