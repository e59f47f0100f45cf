// Command tflite-inspect prints a summary of a TensorFlow Lite model: what
// it contains and whether this build of Edgelite can run it.
//
// Usage:
//
//	tflite-inspect [--json] [--ops] [--plan] [--plan-delegate=NAME[,NAME]]
//	    [--plan-min-nodes=N] [--plan-max-partitions=N] [--plan-svg FILE]
//	    model.tflite
//
// The summary has the file size, schema version and description; for each
// subgraph its name, tensor and operator counts, its inputs and outputs
// (name, dtype, shape, shape signature, quantization: scale and zero point,
// or for per-axis quantization the number of scales and the quantized
// dimension) and a histogram of its ops with their versions ("CONV_2D v3
// ×12"); the (op, version) pairs this build cannot run, with the reason the
// op resolver gives; the buffers (count and bytes); the metadata entries
// (name and size); and the signature defs (key, subgraph, named inputs and
// outputs). With --ops every operator is listed too, with its inputs,
// outputs, builtin options and custom options (decoded from FlexBuffers).
//
// With --json the same information is printed as one JSON document with
// these fields (names are stable; fields marked ? are omitted when empty):
//
//	file                 path as given
//	size_bytes           file size
//	schema_version       TFLite schema version (3)
//	description          model description
//	runnable             true when every (op, version) has a kernel
//	subgraphs[]          index, name, num_tensors, num_operators,
//	                     inputs[], outputs[]  (tensors, below)
//	                     ops[]: op, version, count, custom
//	                     operators[]? (--ops): index, op, version, inputs[],
//	                       outputs[] (tensor indices, -1 = absent),
//	                       builtin_options? {field: value} (schema field
//	                       names, enums by name), custom_options_bytes?,
//	                       custom_options? (decoded FlexBuffer),
//	                       custom_options_text?, custom_options_error?
//	unsupported_ops[]    op, version, uses, reason
//	buffers              count, non_empty, total_bytes, constant_tensor_bytes
//	metadata[]           name, buffer, bytes, text? (short printable data)
//	signatures[]         key, subgraph, inputs[], outputs[]:
//	                     name, tensor, tensor_name
//
// A tensor is: tensor (index in its subgraph), name, dtype ("float32",
// "int8", ...), shape, shape_signature? (-1 marks a dynamic dimension), and
// quantization? with per_axis, and scale and zero_point (per-tensor) or
// count and quantized_dimension (per-axis).
//
// With --plan the delegation plan is printed too (and is the "plan" member
// of the JSON document): the delegates named by --plan-delegate (a
// comma-separated list, applied in order: "reference", the pure-Go
// reference delegate that runs the ops it lists with Edgelite's CPU
// kernels, and "xnnpack", Edgelite's XNNPACK delegate, in a build with cgo
// and -tags xnnpack; without the tag that name fails and says how to build
// it) are given the model as interpreter.New gives them, with
// --plan-min-nodes and --plan-max-partitions as delegates.Options. For each
// subgraph it lists the partitions (delegate, operators, delegate node,
// input and output tensors), the operators left on the CPU, the execution
// order (P<n> for a partition) and, for every operator a delegate refused,
// which and why. The JSON form:
//
//	plan?                delegates[], min_nodes_per_partition,
//	                     max_partitions, subgraphs[]: index, name, offered,
//	                     note?, num_operators, num_delegated,
//	                     partitions[]: delegate, delegate_index,
//	                       node_index, nodes[], inputs[], outputs[],
//	                     cpu_nodes[], refusals[]: node, op, delegate,
//	                       kind (unsupported, cpu-only, too-small,
//	                       over-max, compile-failed), reason,
//	                     steps[]: node, partition (-1: CPU)
//
// --plan-svg FILE draws the plan as an SVG picture: operators as boxes in
// execution order (in columns), tensors between them as edges, partitions
// coloured by delegate, and a legend; hovering a box shows why it is where
// it is.
//
// Exit status: 0 ok; 1 the model is missing or invalid (one line on stderr,
// "tflite-inspect: <error>"); 2 usage error.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/tools/internal/cliutil"
)

const usage = `usage: tflite-inspect [--json] [--ops] [--plan] [--plan-delegate=NAME[,NAME]] [--plan-min-nodes=N] [--plan-max-partitions=N] [--plan-svg FILE] model.tflite

Prints a summary of a TensorFlow Lite model: size, schema version, subgraphs
with their inputs, outputs and op histogram, the ops this build cannot run,
buffers, metadata and signatures; with --plan, which operators the named
delegates take and why the others stay on the CPU; with --plan-svg, a
picture of that plan.

flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "tflite-inspect: internal error: %v\n", r)
			code = 1
		}
	}()
	fs := flag.NewFlagSet("tflite-inspect", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print one JSON document instead of text")
	ops := fs.Bool("ops", false, "list every operator with its options")
	withPlan := fs.Bool("plan", false, "print the delegation plan")
	planDelegate := fs.String("plan-delegate", "reference", "delegates to plan with, comma-separated, applied in order (this build: "+strings.Join(planDelegateNames(), ", ")+")")
	minNodes := fs.Int("plan-min-nodes", 0, "delegates.Options.MinNodesPerPartition")
	maxParts := fs.Int("plan-max-partitions", 0, "delegates.Options.MaxPartitions (0: no limit)")
	svgFile := fs.String("plan-svg", "", "write a picture of the delegation plan to this SVG file")
	pos, err := cliutil.ParseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		return 0
	}
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one model file, got %d arguments", len(pos))
	}
	var ds []delegates.Delegate
	if err == nil && (*withPlan || *svgFile != "") {
		ds, err = makeDelegates(*planDelegate)
	}
	if err == nil && (*minNodes < 0 || *maxParts < 0) {
		err = errors.New("--plan-min-nodes and --plan-max-partitions must not be negative")
	}
	if err != nil {
		fmt.Fprintf(stderr, "tflite-inspect: %v (usage: tflite-inspect [--json] [--ops] [--plan] [--plan-delegate=NAME] [--plan-svg FILE] model.tflite)\n", err)
		return 2
	}
	defer func() {
		for _, d := range ds {
			d.Close()
		}
	}()
	m, err := interpreter.LoadModelFile(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "tflite-inspect: %s\n", cliutil.OneLine(err))
		return 1
	}
	defer m.Close()
	rep := inspect(pos[0], m, *ops)
	if ds != nil {
		plan, err := makePlan(m, ds, delegates.Options{MinNodesPerPartition: *minNodes, MaxPartitions: *maxParts})
		if err != nil {
			fmt.Fprintf(stderr, "tflite-inspect: plan: %s\n", cliutil.OneLine(err))
			return 1
		}
		if *svgFile != "" {
			if err := saveSVG(*svgFile, m, plan, pos[0]); err != nil {
				fmt.Fprintf(stderr, "tflite-inspect: %v\n", err)
				return 1
			}
		}
		if *withPlan {
			rep.Plan = plan
		}
	}
	if *asJSON {
		b, err := cliutil.FormatJSON(rep)
		if err != nil {
			fmt.Fprintf(stderr, "tflite-inspect: %v\n", err)
			return 1
		}
		stdout.Write(b)
		return 0
	}
	printText(stdout, rep)
	if rep.Plan != nil {
		printPlan(stdout, rep.Plan)
	}
	return 0
}

func saveSVG(path string, m *interpreter.Model, plan *PlanReport, model string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s: delegation plan (%s)", filepath.Base(model), strings.Join(plan.Delegates, ", "))
	if err := writeSVG(f, m, plan, title); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// Report is the JSON document.
type Report struct {
	File          string        `json:"file"`
	SizeBytes     int           `json:"size_bytes"`
	SchemaVersion int           `json:"schema_version"`
	Description   string        `json:"description"`
	Runnable      bool          `json:"runnable"`
	Subgraphs     []Subgraph    `json:"subgraphs"`
	Unsupported   []Unsupported `json:"unsupported_ops"`
	Buffers       Buffers       `json:"buffers"`
	Metadata      []Metadata    `json:"metadata"`
	Signatures    []Signature   `json:"signatures"`
	Plan          *PlanReport   `json:"plan,omitempty"`
}

// Subgraph summarizes one subgraph.
type Subgraph struct {
	Index        int        `json:"index"`
	Name         string     `json:"name"`
	NumTensors   int        `json:"num_tensors"`
	NumOperators int        `json:"num_operators"`
	Inputs       []Tensor   `json:"inputs"`
	Outputs      []Tensor   `json:"outputs"`
	Ops          []OpCount  `json:"ops"`
	Operators    []Operator `json:"operators,omitempty"`
}

// Tensor describes a subgraph input or output.
type Tensor struct {
	Tensor         int    `json:"tensor"`
	Name           string `json:"name"`
	Dtype          string `json:"dtype"`
	Shape          []int  `json:"shape"`
	ShapeSignature []int  `json:"shape_signature,omitempty"`
	Quantization   *Quant `json:"quantization,omitempty"`
}

// Quant is a tensor's quantization.
type Quant struct {
	PerAxis            bool     `json:"per_axis"`
	Scale              *float32 `json:"scale,omitempty"`
	ZeroPoint          *int64   `json:"zero_point,omitempty"`
	Count              int      `json:"count,omitempty"`
	QuantizedDimension *int     `json:"quantized_dimension,omitempty"`
}

// OpCount is one line of an op histogram.
type OpCount struct {
	Op      string `json:"op"`
	Version int    `json:"version"`
	Count   int    `json:"count"`
	Custom  bool   `json:"custom"`
}

// Operator is one operator (--ops).
type Operator struct {
	Index              int            `json:"index"`
	Op                 string         `json:"op"`
	Version            int            `json:"version"`
	Inputs             []int          `json:"inputs"`
	Outputs            []int          `json:"outputs"`
	BuiltinOptions     map[string]any `json:"builtin_options,omitempty"`
	CustomOptionsBytes int            `json:"custom_options_bytes,omitempty"`
	CustomOptions      any            `json:"custom_options,omitempty"`
	CustomOptionsText  string         `json:"custom_options_text,omitempty"`
	CustomOptionsError string         `json:"custom_options_error,omitempty"`

	optionText string // builtin options in schema order, for the text output
}

// Unsupported is an (op, version) pair this build cannot run.
type Unsupported struct {
	Op      string `json:"op"`
	Version int    `json:"version"`
	Uses    int    `json:"uses"`
	Reason  string `json:"reason"`
}

// Buffers summarizes the model's buffers.
type Buffers struct {
	Count               int   `json:"count"`
	NonEmpty            int   `json:"non_empty"`
	TotalBytes          int64 `json:"total_bytes"`
	ConstantTensorBytes int64 `json:"constant_tensor_bytes"`
}

// Metadata is one metadata entry.
type Metadata struct {
	Name   string `json:"name"`
	Buffer int    `json:"buffer"`
	Bytes  int    `json:"bytes"`
	Text   string `json:"text,omitempty"`
}

// Signature is one signature def.
type Signature struct {
	Key      string         `json:"key"`
	Subgraph int            `json:"subgraph"`
	Inputs   []SignatureArg `json:"inputs"`
	Outputs  []SignatureArg `json:"outputs"`
}

// SignatureArg is one named signature input or output.
type SignatureArg struct {
	Name       string `json:"name"`
	Tensor     int    `json:"tensor"`
	TensorName string `json:"tensor_name"`
}

func inspect(path string, m *interpreter.Model, withOps bool) *Report {
	rep := &Report{
		File: path, SizeBytes: m.Size(), SchemaVersion: m.Version(), Description: m.Description(),
		Subgraphs: []Subgraph{}, Unsupported: []Unsupported{}, Metadata: []Metadata{}, Signatures: []Signature{},
	}
	uses := make([]int, len(m.Opcodes()))
	constBufs := map[int]bool{}
	for si, sg := range m.Subgraphs() {
		s := Subgraph{
			Index: si, Name: sg.Name, NumTensors: len(sg.Tensors), NumOperators: len(sg.Operators),
			Inputs: tensors(sg, sg.Inputs), Outputs: tensors(sg, sg.Outputs), Ops: []OpCount{},
		}
		counts := map[int]int{}
		for _, op := range sg.Operators {
			counts[op.Opcode]++
			uses[op.Opcode]++
		}
		for opc, n := range counts {
			oc := m.Opcodes()[opc]
			s.Ops = append(s.Ops, OpCount{Op: oc.Name(), Version: oc.Version, Count: n, Custom: oc.Builtin == tflite.BuiltinOperatorCUSTOM})
		}
		sort.Slice(s.Ops, func(a, b int) bool {
			x, y := s.Ops[a], s.Ops[b]
			if x.Count != y.Count {
				return x.Count > y.Count
			}
			if x.Op != y.Op {
				return x.Op < y.Op
			}
			return x.Version < y.Version
		})
		for _, t := range sg.Tensors {
			if t.IsConstant() {
				constBufs[t.Buffer] = true
			}
		}
		if withOps {
			s.Operators = operators(m, si, sg)
		}
		rep.Subgraphs = append(rep.Subgraphs, s)
	}

	// Ask the builtin resolver about every (op, version) pair once.
	resolver := kernels.Builtins()
	seen := map[core.OpCode]int{}
	for i, oc := range m.Opcodes() {
		if j, ok := seen[oc]; ok {
			if j >= 0 {
				rep.Unsupported[j].Uses += uses[i]
			}
			continue
		}
		seen[oc] = -1
		if _, err := resolver.Lookup(oc); err != nil {
			seen[oc] = len(rep.Unsupported)
			rep.Unsupported = append(rep.Unsupported, Unsupported{Op: oc.Name(), Version: oc.Version, Uses: uses[i], Reason: cliutil.OneLine(err)})
		}
	}
	sort.Slice(rep.Unsupported, func(a, b int) bool {
		x, y := rep.Unsupported[a], rep.Unsupported[b]
		if x.Op != y.Op {
			return x.Op < y.Op
		}
		return x.Version < y.Version
	})
	// A model whose unresolvable opcodes no operator uses still runs.
	rep.Runnable = true
	for _, u := range rep.Unsupported {
		if u.Uses > 0 {
			rep.Runnable = false
		}
	}

	rep.Buffers.Count = m.NumBuffers()
	for i := range m.NumBuffers() {
		n := int64(len(m.Buffer(i)))
		if n > 0 {
			rep.Buffers.NonEmpty++
		}
		rep.Buffers.TotalBytes += n
		if constBufs[i] {
			rep.Buffers.ConstantTensorBytes += n
		}
	}
	for _, md := range m.Metadata() {
		rep.Metadata = append(rep.Metadata, Metadata{Name: md.Name, Buffer: md.Buffer, Bytes: len(md.Data), Text: shortText(md.Data)})
	}
	for _, sig := range m.Signatures() {
		s := Signature{Key: sig.Key, Subgraph: sig.Subgraph, Inputs: []SignatureArg{}, Outputs: []SignatureArg{}}
		sg := m.Subgraphs()[sig.Subgraph]
		for _, in := range sig.Inputs {
			s.Inputs = append(s.Inputs, SignatureArg{Name: in.Name, Tensor: in.Tensor, TensorName: sg.Tensors[in.Tensor].Name})
		}
		for _, out := range sig.Outputs {
			s.Outputs = append(s.Outputs, SignatureArg{Name: out.Name, Tensor: out.Tensor, TensorName: sg.Tensors[out.Tensor].Name})
		}
		rep.Signatures = append(rep.Signatures, s)
	}
	return rep
}

func tensors(sg *interpreter.SubgraphInfo, idx []int) []Tensor {
	out := []Tensor{}
	for _, i := range idx {
		t := &sg.Tensors[i]
		tt := Tensor{Tensor: i, Name: t.Name, Dtype: cliutil.DType(t.Type), Shape: append([]int{}, t.Shape...), ShapeSignature: t.ShapeSignature}
		if q := &t.Quantization; q.IsQuantized() {
			if q.PerAxis() {
				dim := q.QuantizedDimension
				tt.Quantization = &Quant{PerAxis: true, Count: len(q.Scale), QuantizedDimension: &dim}
			} else {
				s, z := q.Scale[0], q.ZeroPoint[0]
				tt.Quantization = &Quant{Scale: &s, ZeroPoint: &z}
			}
		}
		out = append(out, tt)
	}
	return out
}

func operators(m *interpreter.Model, si int, info *interpreter.SubgraphInfo) []Operator {
	var sg tflite.SubGraph
	m.Flatbuffer().Subgraphs(&sg, si)
	out := make([]Operator, len(info.Operators))
	var fbop tflite.Operator
	for i, op := range info.Operators {
		o := Operator{Index: i, Op: op.Op.Name(), Version: op.Op.Version, Inputs: op.Inputs, Outputs: op.Outputs}
		if o.Inputs == nil {
			o.Inputs = []int{}
		}
		if o.Outputs == nil {
			o.Outputs = []int{}
		}
		sg.Operators(&fbop, i)
		ot := fbop.UnPack()
		for _, u := range []any{ot.BuiltinOptions, ot.BuiltinOptions2} {
			if v := unionValue(u); v != nil {
				o.BuiltinOptions, o.optionText = options(v)
			}
		}
		if n := len(op.CustomOptions); n > 0 {
			o.CustomOptionsBytes = n
			decodeCustom(&o, op.CustomOptions)
		}
		out[i] = o
	}
	return out
}

// unionValue returns the options struct held by a *BuiltinOptionsT or
// *BuiltinOptions2T, or nil.
func unionValue(u any) any {
	switch u := u.(type) {
	case *tflite.BuiltinOptionsT:
		if u != nil {
			return u.Value
		}
	case *tflite.BuiltinOptions2T:
		if u != nil {
			return u.Value
		}
	}
	return nil
}

// options flattens an *XxxOptionsT into schema field names (snake_case)
// and JSON-friendly values, enums by name.
func options(v any) (map[string]any, string) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, ""
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, ""
	}
	out := map[string]any{}
	var parts []string
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if !f.IsExported() {
			continue
		}
		name := snake(f.Name)
		val := plain(rv.Field(i))
		out[name] = val
		parts = append(parts, fmt.Sprintf("%s=%v", name, textValue(val)))
	}
	return out, strings.Join(parts, " ")
}

func plain(v reflect.Value) any {
	if s, ok := v.Interface().(fmt.Stringer); ok && v.Kind() != reflect.Pointer {
		return s.String()
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return []any{}
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plain(v.Index(i))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		m, _ := options(v.Interface())
		return m
	}
	return v.Interface()
}

func textValue(v any) string {
	if s, ok := v.([]any); ok {
		parts := make([]string, len(s))
		for i, x := range s {
			parts[i] = fmt.Sprint(x)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return fmt.Sprint(v)
}

// snake turns a Go field name into the schema's snake_case name
// ("FusedActivationFunction" → "fused_activation_function").
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// decodeCustom decodes custom options as a FlexBuffer (the format TFLite
// uses for custom op options), keeping the raw size when they are not one.
func decodeCustom(o *Operator, data []byte) {
	root, err := flexbuffers.Root(data)
	if err != nil {
		o.CustomOptionsError = err.Error()
		return
	}
	o.CustomOptionsText = root.String()
	if v, err := root.ToAny(); err == nil {
		if _, err := json.Marshal(v); err == nil {
			o.CustomOptions = v
		}
	}
}

// shortText returns data as text when it is short, printable UTF-8 (after
// trailing NULs are dropped), else "".
func shortText(data []byte) string {
	s := strings.TrimRight(string(data), "\x00")
	if s == "" || len(s) > 64 || !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return ""
		}
	}
	return s
}

func printText(w io.Writer, r *Report) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Model:          %s\n", r.File)
	p("File size:      %d bytes (%s)\n", r.SizeBytes, mb(int64(r.SizeBytes)))
	p("Schema version: %d\n", r.SchemaVersion)
	p("Description:    %q\n", r.Description)
	p("Subgraphs:      %d\n", len(r.Subgraphs))
	b := r.Buffers
	p("Buffers:        %d (%d non-empty), %d bytes (%s); constant tensor data %d bytes (%s)\n",
		b.Count, b.NonEmpty, b.TotalBytes, mb(b.TotalBytes), b.ConstantTensorBytes, mb(b.ConstantTensorBytes))
	if r.Runnable {
		p("Runnable:       yes, every op has a kernel in this build\n")
	} else {
		n := 0
		for _, u := range r.Unsupported {
			if u.Uses > 0 {
				n++
			}
		}
		p("Runnable:       no, %d (op, version) pair(s) have no kernel in this build\n", n)
	}

	for _, s := range r.Subgraphs {
		p("\nSubgraph %d %q: %d tensors, %d operators\n", s.Index, s.Name, s.NumTensors, s.NumOperators)
		p("  Inputs:\n")
		printTensors(w, s.Inputs)
		p("  Outputs:\n")
		printTensors(w, s.Outputs)
		p("  Ops:\n")
		width := 0
		for _, o := range s.Ops {
			width = max(width, len(opLabel(o.Op, o.Version)))
		}
		for _, o := range s.Ops {
			custom := ""
			if o.Custom {
				custom = "  (custom)"
			}
			p("    %-*s ×%d%s\n", width, opLabel(o.Op, o.Version), o.Count, custom)
		}
		if len(s.Operators) > 0 {
			p("  Operators:\n")
			for _, o := range s.Operators {
				p("    %4d  %s  in %s  out %s", o.Index, opLabel(o.Op, o.Version), ints(o.Inputs), ints(o.Outputs))
				if o.optionText != "" {
					p("  %s", o.optionText)
				}
				switch {
				case o.CustomOptionsText != "":
					p("  custom options (%d bytes): %s", o.CustomOptionsBytes, o.CustomOptionsText)
				case o.CustomOptionsBytes > 0:
					p("  custom options: %d bytes (not a FlexBuffer: %s)", o.CustomOptionsBytes, o.CustomOptionsError)
				}
				p("\n")
			}
		}
	}

	p("\nOps this build cannot run:")
	if len(r.Unsupported) == 0 {
		p(" none\n")
	} else {
		p("\n")
		for _, u := range r.Unsupported {
			p("  %s (%d uses): %s\n", opLabel(u.Op, u.Version), u.Uses, u.Reason)
		}
	}

	p("\nMetadata:")
	if len(r.Metadata) == 0 {
		p(" none\n")
	} else {
		p("\n")
		for _, md := range r.Metadata {
			p("  %s: %d bytes (buffer %d)", md.Name, md.Bytes, md.Buffer)
			if md.Text != "" {
				p(" %q", md.Text)
			}
			p("\n")
		}
	}

	p("\nSignatures:")
	if len(r.Signatures) == 0 {
		p(" none\n")
	} else {
		p("\n")
		for _, s := range r.Signatures {
			p("  %q: subgraph %d\n", s.Key, s.Subgraph)
			for _, a := range s.Inputs {
				p("    input  %q → tensor %d (%s)\n", a.Name, a.Tensor, a.TensorName)
			}
			for _, a := range s.Outputs {
				p("    output %q → tensor %d (%s)\n", a.Name, a.Tensor, a.TensorName)
			}
		}
	}
}

func printTensors(w io.Writer, ts []Tensor) {
	if len(ts) == 0 {
		fmt.Fprintf(w, "    none\n")
	}
	for i, t := range ts {
		fmt.Fprintf(w, "    %d: tensor %d %q %s%s", i, t.Tensor, t.Name, t.Dtype, cliutil.FormatShape(t.Shape))
		if t.ShapeSignature != nil {
			fmt.Fprintf(w, " signature %s", cliutil.FormatShape(t.ShapeSignature))
		}
		if q := t.Quantization; q != nil {
			if q.PerAxis {
				fmt.Fprintf(w, " quantized per-axis: %d scales along dimension %d", q.Count, *q.QuantizedDimension)
			} else {
				fmt.Fprintf(w, " quantized: scale %g zero point %d", *q.Scale, *q.ZeroPoint)
			}
		}
		fmt.Fprintln(w)
	}
}

func opLabel(op string, version int) string { return fmt.Sprintf("%s v%d", op, version) }

func ints(v []int) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprint(x)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func mb(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
