package kernels_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spatialFamily lists the builtin ops of the spatial kernel family.
var spatialFamily = map[tflite.BuiltinOperator]bool{
	tflite.BuiltinOperatorPAD: true, tflite.BuiltinOperatorPADV2: true, tflite.BuiltinOperatorMIRROR_PAD: true,
	tflite.BuiltinOperatorMAX_POOL_2D: true, tflite.BuiltinOperatorAVERAGE_POOL_2D: true, tflite.BuiltinOperatorL2_POOL_2D: true,
	tflite.BuiltinOperatorRESIZE_BILINEAR: true, tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR: true,
	tflite.BuiltinOperatorMEAN: true, tflite.BuiltinOperatorSUM: true, tflite.BuiltinOperatorREDUCE_PROD: true,
	tflite.BuiltinOperatorREDUCE_MAX: true, tflite.BuiltinOperatorREDUCE_MIN: true,
	tflite.BuiltinOperatorDEPTH_TO_SPACE: true, tflite.BuiltinOperatorSPACE_TO_DEPTH: true,
	tflite.BuiltinOperatorSPACE_TO_BATCH_ND: true, tflite.BuiltinOperatorBATCH_TO_SPACE_ND: true,
}

// realMediaPipeModels lists the MediaPipe models the project fetches and
// the shared ones.
func realMediaPipeModels() []string {
	var paths []string
	for _, dir := range []string{"../../testdata/models/mediapipe", "../../../shared/models/mediapipe"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.tflite"))
		paths = append(paths, m...)
	}
	return paths
}

// extractNode returns a one-op model of operator i of m's main subgraph:
// its constant operands keep their data, the others become model inputs.
func extractNode(m *tflite.ModelT, i int) *tflite.ModelT {
	sg := m.Subgraphs[0]
	op := sg.Operators[i]
	out := &tflite.ModelT{Version: 3, Buffers: []*tflite.BufferT{{}}}
	code := m.OperatorCodes[op.OpcodeIndex]
	out.OperatorCodes = []*tflite.OperatorCodeT{{BuiltinCode: code.BuiltinCode, DeprecatedBuiltinCode: code.DeprecatedBuiltinCode, Version: code.Version}}
	nsg := &tflite.SubGraphT{Name: "main"}
	remap := map[int32]int32{}
	add := func(idx int32, output bool) int32 {
		if idx < 0 {
			return idx
		}
		if j, ok := remap[idx]; ok {
			return j
		}
		t := sg.Tensors[idx]
		nt := &tflite.TensorT{Name: t.Name, Type: t.Type, Shape: t.Shape, HasRank: true}
		if data := m.Buffers[t.Buffer].Data; len(data) > 0 && !output {
			out.Buffers = append(out.Buffers, &tflite.BufferT{Data: data})
			nt.Buffer = uint32(len(out.Buffers) - 1)
		} else if output {
			nsg.Outputs = append(nsg.Outputs, int32(len(nsg.Tensors)))
		} else {
			nsg.Inputs = append(nsg.Inputs, int32(len(nsg.Tensors)))
		}
		nsg.Tensors = append(nsg.Tensors, nt)
		remap[idx] = int32(len(nsg.Tensors) - 1)
		return remap[idx]
	}
	nop := &tflite.OperatorT{BuiltinOptions: op.BuiltinOptions}
	for _, x := range op.Inputs {
		nop.Inputs = append(nop.Inputs, add(x, false))
	}
	for _, x := range op.Outputs {
		nop.Outputs = append(nop.Outputs, add(x, true))
	}
	nsg.Operators = []*tflite.OperatorT{nop}
	out.Subgraphs = []*tflite.SubGraphT{nsg}
	return out
}

// TestSpatialRealModelNodes runs every spatial-family node of the real
// MediaPipe models on its own: Prepare must accept it and infer the shape
// the model records. SPATIAL_DUMP=dir writes the one-op models there, to
// compare them with TFLite through the oracle.
func TestSpatialRealModelNodes(t *testing.T) {
	paths := realMediaPipeModels()
	if len(paths) == 0 {
		t.Skip("no real models: testdata/models/mediapipe/*.tflite not found (scripts fetch them)")
	}
	dump := os.Getenv("SPATIAL_DUMP")
	for _, p := range paths {
		buf, err := os.ReadFile(p)
		require.NoError(t, err)
		m := tflite.GetRootAsModel(buf, 0).UnPack()
		sg := m.Subgraphs[0]
		for i, op := range sg.Operators {
			code := m.OperatorCodes[op.OpcodeIndex].BuiltinCode
			if !spatialFamily[code] {
				continue
			}
			name := fmt.Sprintf("%s_%d_%s", filepath.Base(p[:len(p)-len(".tflite")]), i, code)
			t.Run(name, func(t *testing.T) {
				one := modelbuilder.Serialize(extractNode(m, i))
				if dump != "" {
					require.NoError(t, os.WriteFile(filepath.Join(dump, name+".tflite"), one, 0o644))
				}
				mod, err := interpreter.LoadModel(one)
				require.NoError(t, err)
				it, err := interpreter.New(mod)
				require.NoError(t, err)
				defer it.Close()
				require.NoError(t, it.AllocateTensors())
				require.NoError(t, it.Invoke())
				want := sg.Tensors[op.Outputs[0]].Shape
				got := it.Output(0).Shape()
				require.Len(t, got, len(want))
				for d := range want {
					assert.Equal(t, int(want[d]), got[d], "output dim %d", d)
				}
			})
		}
	}
}
