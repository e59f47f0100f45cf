package schema

import (
	"reflect"

	"github.com/edgelite/edgelite/schema/tflite"
)

// Test models built with the object API. They are used by the round-trip
// tests, the malformed-input tests and to seed FuzzVerify.

func opCode(op tflite.BuiltinOperator, version int32) *tflite.OperatorCodeT {
	oc := &tflite.OperatorCodeT{Version: version}
	SetBuiltinCodeT(oc, op)
	return oc
}

// minimalModel is a one-operator model: out = in + in.
func minimalModel() *tflite.ModelT {
	return &tflite.ModelT{
		Version:       Version,
		OperatorCodes: []*tflite.OperatorCodeT{opCode(tflite.BuiltinOperatorADD, 1)},
		Subgraphs: []*tflite.SubGraphT{{
			Tensors: []*tflite.TensorT{
				{Shape: []int32{1, 4}, Type: tflite.TensorTypeFLOAT32, Name: "in"},
				{Shape: []int32{1, 4}, Type: tflite.TensorTypeFLOAT32, Name: "out"},
			},
			Inputs:  []int32{0},
			Outputs: []int32{1},
			Operators: []*tflite.OperatorT{{
				OpcodeIndex: 0,
				Inputs:      []int32{0, 0},
				Outputs:     []int32{1},
				BuiltinOptions: &tflite.BuiltinOptionsT{
					Type:  tflite.BuiltinOptionsAddOptions,
					Value: &tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU, PotScaleInt16: true},
				},
				DebugMetadataIndex: -1,
			}},
			Name:               "main",
			DebugMetadataIndex: -1,
		}},
		Description: "minimal",
		Buffers:     []*tflite.BufferT{{}},
	}
}

// richModel exercises most of the schema: two subgraphs, quantized and
// sparse tensors, variant tensors, builtin options of several kinds in both
// unions (some with vectors and strings), custom options, signature defs,
// metadata, external buffers and large-model buffer offsets.
func richModel() *tflite.ModelT {
	f32 := func(xs ...float32) []byte {
		b := make([]byte, 0, 4*len(xs))
		for _, x := range xs {
			u := uint32(int32(x * 1000))
			b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		}
		return b
	}
	main := &tflite.SubGraphT{
		Tensors: []*tflite.TensorT{
			{ // 0: quantized input
				Shape: []int32{1, 8, 8, 3}, ShapeSignature: []int32{-1, 8, 8, 3}, Type: tflite.TensorTypeINT8, Name: "input",
				Quantization: &tflite.QuantizationParametersT{
					Min: []float32{-1}, Max: []float32{1}, Scale: []float32{0.0078125}, ZeroPoint: []int64{-1},
				},
				HasRank: true,
			},
			{ // 1: per-channel quantized filter
				Shape: []int32{4, 3, 3, 3}, Type: tflite.TensorTypeINT8, Buffer: 1, Name: "filter",
				Quantization: &tflite.QuantizationParametersT{
					Scale: []float32{0.1, 0.2, 0.3, 0.4}, ZeroPoint: []int64{0, 0, 0, 0}, QuantizedDimension: 0,
				},
				HasRank: true,
			},
			{ // 2: sparse weights
				Shape: []int32{4, 4}, Type: tflite.TensorTypeFLOAT32, Buffer: 2, Name: "sparse_weights",
				Sparsity: &tflite.SparsityParametersT{
					TraversalOrder: []int32{0, 1, 2, 3},
					BlockMap:       []int32{0, 1},
					DimMetadata: []*tflite.DimensionMetadataT{
						{Format: tflite.DimensionTypeDENSE, DenseSize: 2},
						{
							Format:        tflite.DimensionTypeSPARSE_CSR,
							ArraySegments: &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorInt32Vector, Value: &tflite.Int32VectorT{Values: []int32{0, 1, 2}}},
							ArrayIndices:  &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorUint8Vector, Value: &tflite.Uint8VectorT{Values: []byte{0, 1}}},
						},
						{
							Format:        tflite.DimensionTypeSPARSE_CSR,
							ArraySegments: &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorUint16Vector, Value: &tflite.Uint16VectorT{Values: []uint16{0, 1, 2}}},
							ArrayIndices:  &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorUint16Vector, Value: &tflite.Uint16VectorT{Values: []uint16{1, 0}}},
						},
						{Format: tflite.DimensionTypeDENSE, DenseSize: 2},
					},
				},
				HasRank: true,
			},
			{ // 3: conv output with custom quantization
				Shape: []int32{1, 8, 8, 4}, Type: tflite.TensorTypeINT8, Name: "conv",
				Quantization: &tflite.QuantizationParametersT{
					Details: &tflite.QuantizationDetailsT{
						Type:  tflite.QuantizationDetailsCustomQuantization,
						Value: &tflite.CustomQuantizationT{Custom: []byte("codebook")},
					},
				},
				HasRank: true,
			},
			{ // 4: blockwise quantized
				Shape: []int32{256}, Type: tflite.TensorTypeINT4, Buffer: 3, Name: "int4",
				Quantization: &tflite.QuantizationParametersT{
					Details: &tflite.QuantizationDetailsT{
						Type:  tflite.QuantizationDetailsBlockwiseQuantization,
						Value: &tflite.BlockwiseQuantizationT{Scales: 5, ZeroPoints: -1, BlockSize: 32},
					},
				},
			},
			{Shape: []int32{8}, Type: tflite.TensorTypeFLOAT32, Buffer: 4, Name: "scales"},
			{Shape: []int32{2}, Type: tflite.TensorTypeINT32, Buffer: 5, Name: "new_shape"},
			{Shape: []int32{1, 256}, Type: tflite.TensorTypeINT8, Name: "reshaped"},
			{ // 8: variable with variant subtypes
				Type: tflite.TensorTypeVARIANT, Name: "list", IsVariable: true,
				VariantTensors: []*tflite.VariantSubTypeT{{Shape: []int32{-1, 2}, Type: tflite.TensorTypeFLOAT32, HasRank: true}},
			},
			{Shape: []int32{1, 256}, Type: tflite.TensorTypeFLOAT32, Name: "output", ExternalBuffer: 1},
		},
		Inputs:  []int32{0},
		Outputs: []int32{9},
		Operators: []*tflite.OperatorT{
			{
				OpcodeIndex: 0, Inputs: []int32{0, 1, -1}, Outputs: []int32{3},
				BuiltinOptions: &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsConv2DOptions, Value: &tflite.Conv2DOptionsT{
					Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1,
					FusedActivationFunction: tflite.ActivationFunctionTypeRELU6, QuantizedBiasType: tflite.TensorTypeINT32,
				}},
				DebugMetadataIndex: -1,
			},
			{
				OpcodeIndex: 1, Inputs: []int32{3, 6}, Outputs: []int32{7},
				BuiltinOptions:     &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsReshapeOptions, Value: &tflite.ReshapeOptionsT{NewShape: []int32{1, 256}}},
				DebugMetadataIndex: 7,
			},
			{
				OpcodeIndex: 2, Inputs: []int32{7, 8}, Outputs: []int32{9},
				CustomOptions: []byte{0x01, 0x02, 0x03, 0x04, 0x05}, CustomOptionsFormat: tflite.CustomOptionsFormatFLEXBUFFERS,
				MutatingVariableInputs: []bool{false, true},
				Intermediates:          []int32{4, 5},
				DebugMetadataIndex:     -1,
			},
			{
				OpcodeIndex: 3, Inputs: []int32{9}, Outputs: []int32{9},
				BuiltinOptions2: &tflite.BuiltinOptions2T{Type: tflite.BuiltinOptions2StableHLOCompositeOptions, Value: &tflite.StableHLOCompositeOptionsT{
					Name: "odml.rms_norm", DecompositionSubgraphIndex: 1, CompositeAttributes: []byte{0xa0, 0x00}, Version: 2,
				}},
				LargeCustomOptionsOffset: 1 << 33, LargeCustomOptionsSize: 64,
				DebugMetadataIndex: -1,
			},
			{
				OpcodeIndex: 4, Inputs: []int32{9}, Outputs: []int32{9},
				BuiltinOptions2: &tflite.BuiltinOptions2T{Type: tflite.BuiltinOptions2StablehloConvolutionOptions, Value: &tflite.StablehloConvolutionOptionsT{
					WindowStrides: []int64{1, 1}, Padding: []int64{0, 0, 1, 1}, WindowReversal: []bool{false, true},
					InputSpatialDimensions: []int64{1, 2}, FeatureGroupCount: 1, BatchGroupCount: 1,
					PrecisionConfig: []tflite.StablehloPrecisionConfig{tflite.StablehloPrecisionConfigHIGHEST},
				}},
				DebugMetadataIndex: -1,
			},
			{
				OpcodeIndex: 5, Inputs: []int32{9}, Outputs: []int32{9},
				BuiltinOptions:     &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsWhileOptions, Value: &tflite.WhileOptionsT{CondSubgraphIndex: 1, BodySubgraphIndex: 1}},
				DebugMetadataIndex: -1,
			},
		},
		Name:               "main",
		DebugMetadataIndex: -1,
	}
	body := &tflite.SubGraphT{
		Tensors: []*tflite.TensorT{
			{Shape: []int32{1, 256}, Type: tflite.TensorTypeFLOAT32, Name: "x"},
			{Shape: []int32{1, 256}, Type: tflite.TensorTypeFLOAT32, Name: "y"},
			{Shape: []int32{}, Type: tflite.TensorTypeFLOAT32, Name: "scalar", HasRank: true},
		},
		Inputs:  []int32{0},
		Outputs: []int32{1},
		Operators: []*tflite.OperatorT{
			{
				OpcodeIndex: 6, Inputs: []int32{0, 0}, Outputs: []int32{1},
				BuiltinOptions:     &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsConcatenationOptions, Value: &tflite.ConcatenationOptionsT{Axis: -1}},
				DebugMetadataIndex: -1,
			},
			{
				OpcodeIndex: 7, Inputs: []int32{1}, Outputs: []int32{1},
				BuiltinOptions:     &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsVarHandleOptions, Value: &tflite.VarHandleOptionsT{Container: "c", SharedName: "v"}},
				DebugMetadataIndex: -1,
			},
			{
				OpcodeIndex: 8, Inputs: []int32{1}, Outputs: []int32{1},
				BuiltinOptions:     &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsSqueezeOptions, Value: &tflite.SqueezeOptionsT{SqueezeDims: []int32{0}}},
				DebugMetadataIndex: -1,
			},
		},
		Name:               "body",
		DebugMetadataIndex: 3,
	}
	return &tflite.ModelT{
		Version: Version,
		OperatorCodes: []*tflite.OperatorCodeT{
			opCode(tflite.BuiltinOperatorCONV_2D, 8),
			opCode(tflite.BuiltinOperatorRESHAPE, 1),
			{DeprecatedBuiltinCode: int8(tflite.BuiltinOperatorCUSTOM), BuiltinCode: tflite.BuiltinOperatorCUSTOM, CustomCode: "MyCustomOp", Version: 1},
			opCode(tflite.BuiltinOperatorSTABLEHLO_COMPOSITE, 1),
			opCode(tflite.BuiltinOperatorSTABLEHLO_CONVOLUTION, 1),
			opCode(tflite.BuiltinOperatorWHILE, 1),
			opCode(tflite.BuiltinOperatorCONCATENATION, 1),
			opCode(tflite.BuiltinOperatorVAR_HANDLE, 1),
			opCode(tflite.BuiltinOperatorSQUEEZE, 1),
		},
		Subgraphs:   []*tflite.SubGraphT{main, body},
		Description: "edgelite schema test model",
		Buffers: []*tflite.BufferT{
			{},
			{Data: make([]byte, 4*3*3*3)},
			{Data: f32(1, 2, 3, 4)},
			{Data: []byte{0x12, 0x34, 0x56, 0x78}},
			{Offset: 1 << 32, Size: 32},
			{Data: []byte{1, 0, 0, 0, 0, 1, 0, 0}},
			{Data: []byte("{\"min_runtime_version\":\"1.5.0\"}")},
		},
		MetadataBuffer: []int32{6},
		Metadata:       []*tflite.MetadataT{{Name: "min_runtime_version", Buffer: 6}, {Name: "empty", Buffer: 0}},
		SignatureDefs: []*tflite.SignatureDefT{
			{
				Inputs:        []*tflite.TensorMapT{{Name: "image", TensorIndex: 0}},
				Outputs:       []*tflite.TensorMapT{{Name: "logits", TensorIndex: 9}},
				SignatureKey:  "serving_default",
				SubgraphIndex: 0,
			},
			{
				Inputs:        []*tflite.TensorMapT{{Name: "x", TensorIndex: 0}},
				Outputs:       []*tflite.TensorMapT{{Name: "y", TensorIndex: 1}},
				SignatureKey:  "body",
				SubgraphIndex: 1,
			},
		},
		ExternalBufferGroups: []*tflite.ExternalBufferGroupT{{Name: "weights.bin"}},
		ExternalBuffers:      []*tflite.ExternalBufferT{{Id: 1, Group: 0, Offset: 4096, Length: 1024, Packing: "none"}},
	}
}

// normalize returns a deep copy of v (a pointer to an object-API struct)
// with every nil slice replaced by an empty one, so that models can be
// compared after a Pack/UnPack round trip (UnPack never returns nil slices
// for scalar vectors, Pack omits nil ones).
func normalize[T any](v T) T {
	out := reflect.New(reflect.TypeOf(v)).Elem()
	out.Set(normalizeValue(reflect.ValueOf(v)))
	return out.Interface().(T)
}

func normalizeValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(normalizeValue(v.Elem()))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(normalizeValue(v.Elem()))
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			n.Field(i).Set(normalizeValue(v.Field(i)))
		}
		return n
	case reflect.Slice:
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(normalizeValue(v.Index(i)))
		}
		return n
	}
	return v
}
