package interpreter_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// addModel is x + w -> y with a constant w, the base the validation cases
// below break one field at a time.
func addModel() *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 4})
	w := g.ConstFloat32("w", []int{1, 4}, []float32{1, 2, 3, 4})
	y := g.Tensor("y", core.Float32, []int{1, 4})
	g.Op(tflite.BuiltinOperatorADD, []int{x, w}, []int{y}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(y)
	b.Signature("serving_default", g, map[string]int{"x": x}, map[string]int{"y": y})
	b.Metadata("min_runtime_version", []byte("1.5.0"))
	return b
}

func TestLoadModelReadsStructure(t *testing.T) {
	m, err := interpreter.LoadModel(addModel().MustBytes())
	require.NoError(t, err)
	assert.Equal(t, 3, m.Version())
	require.Len(t, m.Subgraphs(), 1)
	sg := m.Subgraphs()[0]
	assert.Equal(t, []int{0}, sg.Inputs)
	assert.Equal(t, []int{2}, sg.Outputs)
	require.Len(t, sg.Operators, 1)
	assert.Equal(t, "ADD", sg.Operators[0].Op.Name())
	assert.Equal(t, 1, sg.Operators[0].Op.Version)
	w := sg.Tensors[1]
	assert.True(t, w.IsConstant())
	assert.Len(t, w.Data, 16)
	data, ok := m.MetadataByName("min_runtime_version")
	require.True(t, ok)
	assert.Equal(t, "1.5.0", string(data))
	require.Len(t, m.Signatures(), 1)
	assert.Equal(t, "serving_default", m.Signatures()[0].Key)
}

func TestConstantTensorsAliasTheModelBytes(t *testing.T) {
	buf := addModel().MustBytes()
	m, err := interpreter.LoadModel(buf)
	require.NoError(t, err)
	w := m.Subgraphs()[0].Tensors[1].Data
	// Zero-copy: the constant's bytes lie inside buf (unless the builder
	// placed them misaligned, which it does not for float32 data).
	inside := &w[0] == &buf[len(buf)-len(buf)] || (len(w) > 0 && containsPtr(buf, &w[0]))
	assert.True(t, inside)
}

func containsPtr(buf []byte, p *byte) bool {
	for i := range buf {
		if &buf[i] == p {
			return true
		}
	}
	return false
}

func TestLoadModelRejectsBadFields(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(m *tflite.ModelT)
		path   string
		reason string
	}{
		{"version", func(m *tflite.ModelT) { m.Version = 2 }, "version", "schema version 2"},
		{"input index", func(m *tflite.ModelT) { m.Subgraphs[0].Operators[0].Inputs[1] = 57 },
			"subgraph 0, operator 0 (ADD): input 1", "tensor 57 out of range [0,3)"},
		{"negative output index", func(m *tflite.ModelT) { m.Subgraphs[0].Operators[0].Outputs[0] = -7 },
			"subgraph 0, operator 0 (ADD): output 0", "tensor -7 out of range"},
		{"opcode index", func(m *tflite.ModelT) { m.Subgraphs[0].Operators[0].OpcodeIndex = 9 },
			"subgraph 0, operator 0", "opcode index 9 out of range [0,1)"},
		{"subgraph input", func(m *tflite.ModelT) { m.Subgraphs[0].Inputs[0] = 3 },
			"subgraph 0: input 0", "tensor 3 out of range"},
		{"subgraph output", func(m *tflite.ModelT) { m.Subgraphs[0].Outputs[0] = -1 },
			"subgraph 0: output 0", "tensor -1 out of range"},
		{"buffer size", func(m *tflite.ModelT) { m.Buffers[1].Data = m.Buffers[1].Data[:12] },
			`subgraph 0, tensor 1 ("w")`, "buffer 1 has 12 bytes, shape [1 4] of FLOAT32 needs 16"},
		{"buffer index", func(m *tflite.ModelT) { m.Subgraphs[0].Tensors[1].Buffer = 40 },
			`subgraph 0, tensor 1 ("w")`, "buffer 40 out of range"},
		{"negative dimension", func(m *tflite.ModelT) { m.Subgraphs[0].Tensors[0].Shape[1] = -4 },
			`subgraph 0, tensor 0 ("x")`, "dimension 1 is -4"},
		{"overflowing shape", func(m *tflite.ModelT) { m.Subgraphs[0].Tensors[0].Shape = []int32{1 << 20, 1 << 20, 1 << 10} },
			`subgraph 0, tensor 0 ("x")`, "over the limit"},
		{"unknown type", func(m *tflite.ModelT) { m.Subgraphs[0].Tensors[0].Type = 99 },
			`subgraph 0, tensor 0 ("x")`, "unknown type 99"},
		{"scale/zero point counts", func(m *tflite.ModelT) {
			m.Subgraphs[0].Tensors[0].Quantization = &tflite.QuantizationParametersT{Scale: []float32{1, 2}, ZeroPoint: []int64{0}}
		}, `subgraph 0, tensor 0 ("x"): quantization`, "2 scales and 1 zero points"},
		{"per-axis count", func(m *tflite.ModelT) {
			m.Subgraphs[0].Tensors[1].Quantization = &tflite.QuantizationParametersT{Scale: []float32{1, 2, 3}, ZeroPoint: []int64{0, 0, 0}, QuantizedDimension: 1}
		}, `subgraph 0, tensor 1 ("w"): quantization`, "3 scales for quantized dimension 1 of size 4"},
		{"quantized dimension", func(m *tflite.ModelT) {
			m.Subgraphs[0].Tensors[1].Quantization = &tflite.QuantizationParametersT{Scale: []float32{1, 2}, ZeroPoint: []int64{0, 0}, QuantizedDimension: 5}
		}, `subgraph 0, tensor 1 ("w"): quantization`, "quantized dimension 5 out of range for rank 2"},
		{"negative scale", func(m *tflite.ModelT) {
			m.Subgraphs[0].Tensors[0].Quantization = &tflite.QuantizationParametersT{Scale: []float32{-1}, ZeroPoint: []int64{0}}
		}, `subgraph 0, tensor 0 ("x"): quantization`, "scale 0 is -1"},
		{"written twice", func(m *tflite.ModelT) {
			op := *m.Subgraphs[0].Operators[0]
			m.Subgraphs[0].Operators = append(m.Subgraphs[0].Operators, &op)
		}, "subgraph 0, operator 1 (ADD): output 0", "already written by operator 0"},
		{"constant output", func(m *tflite.ModelT) { m.Subgraphs[0].Operators[0].Outputs[0] = 1 },
			"subgraph 0, operator 0 (ADD): output 0", "tensor 1 is constant"},
		{"input written", func(m *tflite.ModelT) { m.Subgraphs[0].Operators[0].Outputs[0] = 0 },
			"subgraph 0, operator 0 (ADD): output 0", "is an input of the subgraph"},
		{"cycle", func(m *tflite.ModelT) { m.Subgraphs[0].Operators[0].Inputs[0] = 2 },
			"subgraph 0, operator 0 (ADD): input 0", "does not run before it"},
		{"dangling input", func(m *tflite.ModelT) {
			m.Subgraphs[0].Tensors = append(m.Subgraphs[0].Tensors, &tflite.TensorT{Name: "ghost", Shape: []int32{1, 4}})
			m.Subgraphs[0].Operators[0].Inputs[0] = 3
		}, "subgraph 0, operator 0 (ADD): input 0", "neither constant, a subgraph input, a variable nor written"},
		{"unwritten output", func(m *tflite.ModelT) { m.Subgraphs[0].Operators = nil },
			"subgraph 0: output 0", "never written"},
		{"no subgraphs", func(m *tflite.ModelT) { m.Subgraphs = nil; m.SignatureDefs = nil }, "subgraphs", "no subgraphs"},
		{"custom op without name", func(m *tflite.ModelT) {
			m.OperatorCodes[0].BuiltinCode = tflite.BuiltinOperatorCUSTOM
			m.OperatorCodes[0].DeprecatedBuiltinCode = 32
		},
			"operator_codes[0]", "custom op without a name"},
		{"op version", func(m *tflite.ModelT) { m.OperatorCodes[0].Version = 0 }, "operator_codes[0] (ADD)", "version 0"},
		{"variable with data", func(m *tflite.ModelT) { m.Subgraphs[0].Tensors[1].IsVariable = true },
			`subgraph 0, tensor 1 ("w")`, "variable tensor with constant data"},
		{"shape signature", func(m *tflite.ModelT) { m.Subgraphs[0].Tensors[0].ShapeSignature = []int32{-1, 5} },
			`subgraph 0, tensor 0 ("x")`, "shape_signature dimension 1 is 5"},
		{"signature tensor", func(m *tflite.ModelT) { m.SignatureDefs[0].Inputs[0].TensorIndex = 8 },
			`signature_defs[0] ("serving_default"): input 0 ("x")`, "tensor 8 out of range"},
		{"signature subgraph", func(m *tflite.ModelT) { m.SignatureDefs[0].SubgraphIndex = 4 },
			`signature_defs[0] ("serving_default")`, "subgraph 4 out of range"},
		{"metadata buffer", func(m *tflite.ModelT) { m.Metadata[0].Buffer = 77 },
			`metadata[0] ("min_runtime_version")`, "buffer 77 out of range"},
		{"large buffer offset", func(m *tflite.ModelT) { m.Buffers[1].Data = nil; m.Buffers[1].Offset = 1 << 40; m.Buffers[1].Size = 16 },
			"buffer 1", "outside the"},
		{"sparsity traversal", func(m *tflite.ModelT) {
			m.Subgraphs[0].Tensors[1].Sparsity = &tflite.SparsityParametersT{TraversalOrder: []int32{0, 0}}
		}, `subgraph 0, tensor 1 ("w"): sparsity`, "not a permutation"},
		{"while recursion", func(m *tflite.ModelT) {
			m.OperatorCodes = append(m.OperatorCodes, &tflite.OperatorCodeT{DeprecatedBuiltinCode: int8(tflite.BuiltinOperatorWHILE), BuiltinCode: tflite.BuiltinOperatorWHILE, Version: 1})
			sg := m.Subgraphs[0]
			sg.Tensors = append(sg.Tensors, &tflite.TensorT{Name: "z", Shape: []int32{1, 4}})
			sg.Operators = append(sg.Operators, &tflite.OperatorT{OpcodeIndex: 1, Inputs: []int32{2}, Outputs: []int32{3},
				BuiltinOptions: &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsWhileOptions, Value: &tflite.WhileOptionsT{CondSubgraphIndex: 0, BodySubgraphIndex: 0}}})
		}, "subgraph 0", "recursion"},
		{"while subgraph index", func(m *tflite.ModelT) {
			m.OperatorCodes = append(m.OperatorCodes, &tflite.OperatorCodeT{DeprecatedBuiltinCode: int8(tflite.BuiltinOperatorIF), BuiltinCode: tflite.BuiltinOperatorIF, Version: 1})
			sg := m.Subgraphs[0]
			sg.Tensors = append(sg.Tensors, &tflite.TensorT{Name: "z", Shape: []int32{1, 4}})
			sg.Operators = append(sg.Operators, &tflite.OperatorT{OpcodeIndex: 1, Inputs: []int32{2}, Outputs: []int32{3},
				BuiltinOptions: &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsIfOptions, Value: &tflite.IfOptionsT{ThenSubgraphIndex: 3, ElseSubgraphIndex: 0}}})
		}, "subgraph 0, operator 1 (IF)", "calls subgraph 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := addModel()
			tc.mutate(b.Model())
			_, err := interpreter.LoadModel(modelbuilder.Serialize(b.Model()))
			require.Error(t, err)
			var me *interpreter.ModelError
			require.ErrorAs(t, err, &me, "error %v is not a *ModelError", err)
			assert.Equal(t, tc.path, me.Path)
			assert.Contains(t, me.Reason, tc.reason)
		})
	}
}

func TestLoadModelRejectsMalformedBytes(t *testing.T) {
	good := addModel().MustBytes()
	for _, buf := range [][]byte{nil, {1, 2, 3}, good[:len(good)/2], append([]byte{}, good[:8]...)} {
		_, err := interpreter.LoadModel(buf)
		var me *interpreter.ModelError
		require.ErrorAs(t, err, &me)
	}
	bad := append([]byte{}, good...)
	copy(bad[4:8], "XXXX")
	_, err := interpreter.LoadModel(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "XXXX")
}

func TestLoadModelFileAndFS(t *testing.T) {
	buf := addModel().MustBytes()
	path := filepath.Join(t.TempDir(), "add.tflite")
	require.NoError(t, os.WriteFile(path, buf, 0o644))
	m, err := interpreter.LoadModelFile(path)
	require.NoError(t, err)
	assert.Equal(t, len(buf), m.Size())
	assert.Equal(t, buf, m.Bytes())
	require.NoError(t, m.Close())

	m, err = interpreter.LoadModelFS(fstest.MapFS{"m/add.tflite": {Data: buf}}, "m/add.tflite")
	require.NoError(t, err)
	assert.Len(t, m.Subgraphs(), 1)

	_, err = interpreter.LoadModelFile(filepath.Join(t.TempDir(), "missing.tflite"))
	assert.True(t, errors.Is(err, os.ErrNotExist))
	empty := filepath.Join(t.TempDir(), "empty.tflite")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	_, err = interpreter.LoadModelFile(empty)
	assert.Error(t, err)
}

// sharedModels lists the real models in ../shared (read-only fixtures).
func sharedModels(t testing.TB) []string {
	var paths []string
	for _, dir := range []string{"../../shared/models/mediapipe", "../../shared/models/coral", "../testdata/models"} {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.tflite"))
		paths = append(paths, matches...)
		more, _ := filepath.Glob(filepath.Join(dir, "*", "*.tflite"))
		paths = append(paths, more...)
	}
	return paths
}

func TestLoadRealModels(t *testing.T) {
	paths := sharedModels(t)
	if len(paths) == 0 {
		t.Skip("no real models: ../../shared/models/mediapipe/*.tflite not found")
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			m, err := interpreter.LoadModelFile(p)
			require.NoError(t, err)
			defer m.Close()
			sg := m.Subgraphs()[0]
			assert.NotEmpty(t, sg.Inputs)
			assert.NotEmpty(t, sg.Outputs)
			assert.NotEmpty(t, sg.Operators)
		})
	}
}

func TestEmptyConstantIsAConstant(t *testing.T) {
	// RESHAPE to a scalar: the converter writes the empty shape as a
	// constant with an empty buffer; TFLite runs it.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 1})
	s := g.Const("shape", core.Int32, []int{0}, nil)
	y := g.Tensor("y", core.Float32, []int{})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x, s}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)
	assert.True(t, m.Subgraphs()[0].Tensors[s].IsConstant())
	it, err := interpreter.New(m)
	require.NoError(t, err)
	require.NoError(t, it.AllocateTensors())
	it.Input(0).Float32s()[0] = 2.5
	require.NoError(t, it.Invoke())
	assert.Empty(t, it.Output(0).Shape())
	assert.Equal(t, []float32{2.5}, it.Output(0).Float32s())
}
