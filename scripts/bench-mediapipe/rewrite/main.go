// Command rewrite replaces MediaPipe's custom op Convolution2DTransposeBias
// with TensorFlow Lite's builtin TRANSPOSE_CONV (version 3, which takes the
// bias as a fourth input), so that the tflite-oracle, which cannot resolve
// custom ops, can time the selfie segmentation models for
// scripts/bench-mediapipe.sh:
//
//	rewrite in.tflite out.tflite
//
// The two compute the same thing: the selfie segmentation references of
// ../shared/REFERENCE.md were made on models rewritten the same way, and
// the oracle's output on this rewrite equals them exactly (compare.js).
// Exit status 1 when the model has no such op (nothing is written), 2 for
// usage or I/O errors.
package main

import (
	"encoding/binary"
	"fmt"
	"os"

	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: rewrite in.tflite out.tflite")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(2)
	}
	out, n, err := rewrite(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(2)
	}
	if n == 0 {
		fmt.Fprintln(os.Stderr, "rewrite: no Convolution2DTransposeBias op")
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[2], out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(2)
	}
}

func rewrite(data []byte) (out []byte, n int, err error) {
	defer func() {
		if r := recover(); r != nil { // a malformed flatbuffer
			err = fmt.Errorf("invalid model: %v", r)
		}
	}()
	m := tflite.GetRootAsModel(data, 0).UnPack()
	custom := map[uint32]bool{}
	for i, c := range m.OperatorCodes {
		if c.BuiltinCode == tflite.BuiltinOperatorCUSTOM && c.CustomCode == "Convolution2DTransposeBias" {
			custom[uint32(i)] = true
		}
	}
	if len(custom) == 0 {
		return nil, 0, nil
	}
	code := uint32(len(m.OperatorCodes))
	m.OperatorCodes = append(m.OperatorCodes, &tflite.OperatorCodeT{
		DeprecatedBuiltinCode: int8(tflite.BuiltinOperatorTRANSPOSE_CONV),
		BuiltinCode:           tflite.BuiltinOperatorTRANSPOSE_CONV, Version: 3,
	})
	for _, sg := range m.Subgraphs {
		for _, op := range sg.Operators {
			if !custom[op.OpcodeIndex] {
				continue
			}
			if len(op.Inputs) != 3 || len(op.Outputs) != 1 || len(op.CustomOptions) < 12 {
				return nil, 0, fmt.Errorf("a Convolution2DTransposeBias op has %d inputs, %d outputs, %d option bytes", len(op.Inputs), len(op.Outputs), len(op.CustomOptions))
			}
			// Custom options: TfLiteTransposeConvParams {padding (C enum:
			// 1 SAME, 2 VALID), stride_width, stride_height}.
			cPad := int32(binary.LittleEndian.Uint32(op.CustomOptions[0:]))
			pad := tflite.PaddingSAME
			if cPad == 2 {
				pad = tflite.PaddingVALID
			}
			outT := sg.Tensors[op.Outputs[0]]
			m.Buffers = append(m.Buffers, &tflite.BufferT{Data: modelbuilder.Int32Bytes(outT.Shape)})
			sg.Tensors = append(sg.Tensors, &tflite.TensorT{
				Shape: []int32{int32(len(outT.Shape))}, Type: tflite.TensorTypeINT32,
				Buffer: uint32(len(m.Buffers) - 1), Name: outT.Name + "/output_shape",
			})
			shape := int32(len(sg.Tensors) - 1)
			op.Inputs = []int32{shape, op.Inputs[1], op.Inputs[0], op.Inputs[2]}
			op.OpcodeIndex = code
			op.BuiltinOptions = &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsTransposeConvOptions, Value: &tflite.TransposeConvOptionsT{
				Padding: pad, StrideW: int32(binary.LittleEndian.Uint32(op.CustomOptions[4:])), StrideH: int32(binary.LittleEndian.Uint32(op.CustomOptions[8:])),
			}}
			op.CustomOptions, op.CustomOptionsFormat = nil, 0
			n++
		}
	}
	return modelbuilder.Serialize(m), n, nil
}
