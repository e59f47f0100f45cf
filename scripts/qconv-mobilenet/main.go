// Command qconv-mobilenet cuts a Coral mobilenet (mobilenet_v1_0.25_128_quant:
// after its 27 CONV_2D/DEPTHWISE_CONV_2D layers, before the average pool)
// before its first op other than a convolution or QUANTIZE, and writes two
// variants: trunc.tflite with constant weights (what Edgelite runs) and
// trunc_winput.tflite with every filter as a model input, plus the filters
// as w<i>.bin, so that the tflite-oracle runs TFLite's builtin kernels
// (XNNPACK takes convolutions only with constant weights):
//
//	go run ./scripts/qconv-mobilenet model.tflite outdir [max_ops]
//	node oracle.js outdir/trunc_winput.tflite refdir in0.bin outdir/w*.bin
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "qconv-mobilenet:", err)
		os.Exit(1)
	}
}

func load(path string) (*tflite.ModelT, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return tflite.GetRootAsModel(b, 0).UnPack(), nil
}

func truncate(m *tflite.ModelT, maxOps int) error {
	sg := m.Subgraphs[0]
	last := -1
	for i, op := range sg.Operators {
		// Stop at the first op other than a convolution or QUANTIZE
		// (the average pool of mobilenet v1, ADD in v2).
		code := m.OperatorCodes[op.OpcodeIndex].BuiltinCode
		if code != tflite.BuiltinOperatorCONV_2D && code != tflite.BuiltinOperatorDEPTHWISE_CONV_2D && code != tflite.BuiltinOperatorQUANTIZE {
			break
		}
		last = i
		if i+1 == maxOps {
			break
		}
	}
	if last < 0 {
		return fmt.Errorf("no convolution before the average pool")
	}
	sg.Operators = sg.Operators[:last+1]
	sg.Outputs = []int32{sg.Operators[last].Outputs[0]}
	return nil
}

func run(args []string) error {
	if len(args) != 2 && len(args) != 3 {
		return fmt.Errorf("usage: qconv-mobilenet model.tflite outdir [max_ops]")
	}
	maxOps := 0
	if len(args) == 3 {
		if _, err := fmt.Sscan(args[2], &maxOps); err != nil {
			return err
		}
	}
	out := args[1]
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	m, err := load(args[0])
	if err != nil {
		return err
	}
	if err := truncate(m, maxOps); err != nil {
		return err
	}
	b := modelbuilder.Serialize(m)
	if err := os.WriteFile(filepath.Join(out, "trunc.tflite"), b, 0o644); err != nil {
		return err
	}
	sg := m.Subgraphs[0]
	k := 0
	for _, op := range sg.Operators {
		code := m.OperatorCodes[op.OpcodeIndex].BuiltinCode
		if code != tflite.BuiltinOperatorCONV_2D && code != tflite.BuiltinOperatorDEPTHWISE_CONV_2D {
			continue
		}
		ti := op.Inputs[1]
		t := sg.Tensors[ti]
		data := m.Buffers[t.Buffer].Data
		k++
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("w%02d.bin", k)), data, 0o644); err != nil {
			return err
		}
		m.Buffers = append(m.Buffers, &tflite.BufferT{})
		t.Buffer = uint32(len(m.Buffers) - 1)
		sg.Inputs = append(sg.Inputs, ti)
	}
	b = modelbuilder.Serialize(m)
	return os.WriteFile(filepath.Join(out, "trunc_winput.tflite"), b, 0o644)
}
