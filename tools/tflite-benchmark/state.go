package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// tfliteTypeNames are TensorFlow Lite's C names of the tensor types.
var tfliteTypeNames = map[core.TensorType]string{
	core.Float32: "kTfLiteFloat32", core.Float16: "kTfLiteFloat16", core.Float64: "kTfLiteFloat64",
	core.Int8: "kTfLiteInt8", core.Uint8: "kTfLiteUInt8", core.Int16: "kTfLiteInt16", core.Uint16: "kTfLiteUInt16",
	core.Int32: "kTfLiteInt32", core.Uint32: "kTfLiteUInt32", core.Int64: "kTfLiteInt64", core.Uint64: "kTfLiteUInt64",
	core.Bool: "kTfLiteBool", core.String: "kTfLiteString", core.Complex64: "kTfLiteComplex64",
	core.Resource: "kTfLiteResource", core.Variant: "kTfLiteVariant", core.BFloat16: "kTfLiteBFloat16",
}

// allocTypeNames are TensorFlow Lite's names for where tensor bytes live.
var allocTypeNames = map[core.Storage]string{
	core.StorageNone: "kTfLiteMemNone", core.StorageConstant: "kTfLiteMmapRo", core.StorageArena: "kTfLiteArenaRw",
	core.StoragePersistent: "kTfLiteArenaRwPersistent", core.StorageDynamic: "kTfLiteDynamic",
}

// printState is benchmark_model's --print_preinvoke_state and
// --print_postinvoke_state: the interpreter's subgraphs, tensors (type,
// storage, bytes, shape) and nodes, in the spirit of TensorFlow Lite's
// PrintInterpreterState (the layout is Edgelite's).
func printState(w io.Writer, it *interpreter.Interpreter, when string) {
	var b strings.Builder
	fmt.Fprintf(&b, "INFO: \n====Printing out TfLite interpreter %s state begins====\n", when)
	fmt.Fprintf(&b, "Interpreter has %d subgraphs.\n\n", it.NumSubgraphs())
	for i := range it.NumSubgraphs() {
		g, err := it.Subgraph(i)
		if err != nil {
			continue
		}
		var tensors []*interpreter.Tensor
		for k := 0; ; k++ {
			t := g.Tensor(k)
			if t == nil {
				break
			}
			tensors = append(tensors, t)
		}
		nodes := g.Nodes()
		fmt.Fprintf(&b, "-----------Subgraph-%d has %d tensors and %d nodes------------\n", i, len(tensors), len(nodes))
		fmt.Fprintf(&b, "%d Inputs: %s -> %s\n", len(g.Inputs()), tensorIDs(g.Inputs()), bytesMB(g.Inputs()))
		fmt.Fprintf(&b, "%d Outputs: %s -> %s\n\n", len(g.Outputs()), tensorIDs(g.Outputs()), bytesMB(g.Outputs()))
		fmt.Fprintf(&b, "Tensor %3s %-25s %-15s %-24s %-18s %s\n", "ID", "Name", "Type", "AllocType", "Size (Bytes/MB)", "Shape")
		for _, t := range tensors {
			typ := tfliteTypeNames[t.Type()]
			if typ == "" {
				typ = t.Type().String()
			}
			n := len(t.Bytes())
			fmt.Fprintf(&b, "Tensor %3d %-25s %-15s %-24s %-8d / %.2f %s\n", t.Index(), clip(t.Name(), 25), typ,
				allocTypeNames[t.Storage()], n, float64(n)/(1<<20), shapeString(t.Shape()))
		}
		b.WriteByte('\n')
		for k, n := range nodes {
			code := int(n.Op.Builtin)
			fmt.Fprintf(&b, "Node %3d Operator Builtin Code %3d %s (not delegated)\n", k, code, n.Op.Name())
			fmt.Fprintf(&b, "  %d Input Tensors:%s -> %s\n", len(n.Inputs), tensorIDs(n.Inputs), bytesMB(n.Inputs))
			fmt.Fprintf(&b, "  %d Output Tensors:%s -> %s\n", len(n.Outputs), tensorIDs(n.Outputs), bytesMB(n.Outputs))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "INFO: ====Printing out TfLite interpreter %s state ends====\n\n", when)
	io.WriteString(w, b.String())
}

func tensorIDs(ts []*core.Tensor) string {
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		if t == nil {
			parts = append(parts, "-1")
			continue
		}
		parts = append(parts, fmt.Sprint(t.Index()))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func bytesMB(ts []*core.Tensor) string {
	n := 0
	for _, t := range ts {
		if t != nil {
			n += len(t.Bytes())
		}
	}
	return fmt.Sprintf("%dB (%.2fMB)", n, float64(n)/(1<<20))
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
