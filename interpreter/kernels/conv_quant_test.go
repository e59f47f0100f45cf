package kernels_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/scripts/conformance/cases"
)

// TestQconvMobilenetConvLayers runs the Coral uint8 mobilenet
// (mobilenet_v1_0.25_128_quant) up to its last convolution before the
// average pool (27 CONV_2D and DEPTHWISE_CONV_2D layers) on the native
// reference input and requires the 4x4x256 activations to equal, bit for
// bit, what TFLite's builtin kernels computed
// (testdata/qconv/mobilenet_v1_0.25_128_quant_convs_out0.bin, made by
// scripts/qconv-mobilenet and the tflite-oracle with every filter a model
// input, so XNNPACK left all 27 layers to the builtin kernels; XNNPACK's
// own uint8 convolutions differ in 872 of the 4096 values, by up to 20).
func TestQconvMobilenetConvLayers(t *testing.T) {
	const name = "mobilenet_v1_0.25_128_quant"
	modelPath := filepath.Join("..", "..", "..", "shared", "models", "coral", name+".tflite")
	inPath := filepath.Join("..", "..", "..", "shared", "reference", "coral", name, "in0.bin")
	data, err := os.ReadFile(modelPath)
	if err != nil {
		t.Skipf("%s not found: %v", modelPath, err)
	}
	in, err := os.ReadFile(inPath)
	if err != nil {
		t.Skipf("%s not found: %v", inPath, err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "qconv", name+"_convs_out0.bin"))
	require.NoError(t, err)

	m := tflite.GetRootAsModel(data, 0).UnPack()
	sg := m.Subgraphs[0]
	last := -1
	for i, op := range sg.Operators {
		if m.OperatorCodes[op.OpcodeIndex].BuiltinCode == tflite.BuiltinOperatorAVERAGE_POOL_2D {
			break
		}
		last = i
	}
	require.Equal(t, 26, last)
	sg.Operators = sg.Operators[:last+1]
	sg.Outputs = []int32{sg.Operators[last].Outputs[0]}

	model, err := interpreter.LoadModel(modelbuilder.Serialize(m))
	require.NoError(t, err)
	it, err := interpreter.New(model)
	require.NoError(t, err)
	defer it.Close()
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Input(0).CopyFromBuffer(in))
	require.NoError(t, it.Invoke())
	got := it.Output(0).Bytes()
	require.Equal(t, len(want), len(got))
	diff := 0
	for i := range want {
		if got[i] != want[i] {
			diff++
		}
	}
	require.Zero(t, diff, "%d of %d values differ from TFLite's builtin kernels", diff, len(want))
	// Eval is allocation-free.
	allocs := testing.AllocsPerRun(3, func() {
		if err := it.Invoke(); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}

// TestQconvCasesAllocationFree invokes every quantized and hybrid conv
// family case again and requires Invoke not to allocate.
func TestQconvCasesAllocationFree(t *testing.T) {
	n := 0
	for _, c := range cases.All() {
		if !strings.HasPrefix(c.Name, "q_conv2d_") && !strings.HasPrefix(c.Name, "q_dwconv_") &&
			!strings.HasPrefix(c.Name, "q_fc_") && !strings.HasPrefix(c.Name, "q_tconv_") && !strings.HasPrefix(c.Name, "q_hybrid_") {
			continue
		}
		n++
		data, err := c.Model()
		require.NoError(t, err)
		model, err := interpreter.LoadModel(data)
		require.NoError(t, err)
		it, err := interpreter.New(model)
		require.NoError(t, err)
		require.NoError(t, it.AllocateTensors(), c.Name)
		for i := range it.Inputs() {
			in, err := os.ReadFile(filepath.Join("testdata", "conformance", c.Name, fmt.Sprintf("in%d.bin", i)))
			require.NoError(t, err)
			require.NoError(t, it.Input(i).CopyFromBuffer(in))
		}
		require.NoError(t, it.Invoke(), c.Name)
		allocs := testing.AllocsPerRun(2, func() {
			if err := it.Invoke(); err != nil {
				t.Fatal(err)
			}
		})
		require.Zero(t, allocs, c.Name)
		it.Close()
	}
	require.NotZero(t, n)
}
