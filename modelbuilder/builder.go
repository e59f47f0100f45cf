// Package modelbuilder builds TFLite models in memory through the schema's
// object API: tensors, constant buffers, operators with their options,
// several subgraphs, signatures and metadata. Tests use it to make small
// graphs; tools use it to write models.
package modelbuilder

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Builder accumulates a model. The zero value is not usable; call New.
type Builder struct {
	model   *tflite.ModelT
	opcodes map[opKey]uint32
	errs    []error
}

type opKey struct {
	code    tflite.BuiltinOperator
	custom  string
	version int32
}

// Subgraph is one graph of the model being built.
type Subgraph struct {
	b     *Builder
	index int
	sg    *tflite.SubGraphT
}

// New starts a model with an empty main subgraph and the mandatory empty
// buffer 0.
func New() *Builder {
	b := &Builder{
		model: &tflite.ModelT{
			Version:     3,
			Description: "edgelite modelbuilder",
			Buffers:     []*tflite.BufferT{{}},
		},
		opcodes: map[opKey]uint32{},
	}
	b.NewSubgraph("main")
	return b
}

// Model returns the object-API model built so far (to tweak fields the
// builder has no method for).
func (b *Builder) Model() *tflite.ModelT { return b.model }

// Main returns subgraph 0.
func (b *Builder) Main() *Subgraph { return &Subgraph{b: b, index: 0, sg: b.model.Subgraphs[0]} }

// NewSubgraph appends a subgraph and returns it.
func (b *Builder) NewSubgraph(name string) *Subgraph {
	sg := &tflite.SubGraphT{Name: name}
	b.model.Subgraphs = append(b.model.Subgraphs, sg)
	return &Subgraph{b: b, index: len(b.model.Subgraphs) - 1, sg: sg}
}

// Index is the subgraph's index in the model.
func (s *Subgraph) Index() int { return s.index }

// TensorOption sets optional tensor attributes.
type TensorOption func(*tflite.TensorT)

// Quant gives a tensor per-tensor affine quantization.
func Quant(scale float32, zeroPoint int64) TensorOption {
	return func(t *tflite.TensorT) {
		t.Quantization = &tflite.QuantizationParametersT{Scale: []float32{scale}, ZeroPoint: []int64{zeroPoint}}
	}
}

// PerAxisQuant gives a tensor per-axis quantization along dim.
func PerAxisQuant(scales []float32, zeroPoints []int64, dim int) TensorOption {
	return func(t *tflite.TensorT) {
		t.Quantization = &tflite.QuantizationParametersT{Scale: scales, ZeroPoint: zeroPoints, QuantizedDimension: int32(dim)}
	}
}

// Variable marks a tensor as a variable.
func Variable() TensorOption { return func(t *tflite.TensorT) { t.IsVariable = true } }

// ShapeSignature records which dimensions may vary (-1).
func ShapeSignature(sig ...int) TensorOption {
	return func(t *tflite.TensorT) { t.ShapeSignature = toInt32s(sig) }
}

// Sparsity attaches a sparse encoding (for constant tensors whose buffer
// holds only the non-zero values).
func Sparsity(sp *tflite.SparsityParametersT) TensorOption {
	return func(t *tflite.TensorT) { t.Sparsity = sp }
}

func toInt32s(v []int) []int32 {
	out := make([]int32, len(v))
	for i, x := range v {
		out[i] = int32(x)
	}
	return out
}

// Tensor adds a tensor without data and returns its index.
func (s *Subgraph) Tensor(name string, typ core.TensorType, shape []int, opts ...TensorOption) int {
	t := &tflite.TensorT{Name: name, Type: tflite.TensorType(typ), Shape: toInt32s(shape), HasRank: true}
	for _, o := range opts {
		o(t)
	}
	s.sg.Tensors = append(s.sg.Tensors, t)
	return len(s.sg.Tensors) - 1
}

// Const adds a tensor whose data is raw little-endian bytes.
func (s *Subgraph) Const(name string, typ core.TensorType, shape []int, data []byte, opts ...TensorOption) int {
	i := s.Tensor(name, typ, shape, opts...)
	s.sg.Tensors[i].Buffer = s.b.AddBuffer(data)
	return i
}

// ConstFloat32 adds a FLOAT32 constant.
func (s *Subgraph) ConstFloat32(name string, shape []int, v []float32, opts ...TensorOption) int {
	return s.Const(name, core.Float32, shape, Float32Bytes(v), opts...)
}

// ConstInt32 adds an INT32 constant.
func (s *Subgraph) ConstInt32(name string, shape []int, v []int32, opts ...TensorOption) int {
	return s.Const(name, core.Int32, shape, Int32Bytes(v), opts...)
}

// AddBuffer appends a buffer and returns its index.
func (b *Builder) AddBuffer(data []byte) uint32 {
	b.model.Buffers = append(b.model.Buffers, &tflite.BufferT{Data: append([]byte(nil), data...)})
	return uint32(len(b.model.Buffers) - 1)
}

// Inputs sets the subgraph's input tensors.
func (s *Subgraph) Inputs(idx ...int) { s.sg.Inputs = toInt32s(idx) }

// Outputs sets the subgraph's output tensors.
func (s *Subgraph) Outputs(idx ...int) { s.sg.Outputs = toInt32s(idx) }

// TensorT returns the object-API tensor i, to set fields directly.
func (s *Subgraph) TensorT(i int) *tflite.TensorT { return s.sg.Tensors[i] }

// Op appends a builtin operator of version 1. options is nil or a pointer
// to one of the schema's *OptionsT types (e.g. &tflite.AddOptionsT{}).
func (s *Subgraph) Op(code tflite.BuiltinOperator, inputs, outputs []int, options any) *tflite.OperatorT {
	return s.OpVersion(code, 1, inputs, outputs, options)
}

// OpVersion appends a builtin operator of the given version.
func (s *Subgraph) OpVersion(code tflite.BuiltinOperator, version int, inputs, outputs []int, options any) *tflite.OperatorT {
	op := &tflite.OperatorT{
		OpcodeIndex: s.b.opcode(opKey{code: code, version: int32(version)}),
		Inputs:      toInt32s(inputs),
		Outputs:     toInt32s(outputs),
	}
	if options != nil {
		if err := setOptions(op, options); err != nil {
			s.b.errs = append(s.b.errs, fmt.Errorf("subgraph %d, operator %d (%s): %w", s.index, len(s.sg.Operators), core.BuiltinName(code), err))
		}
	}
	s.sg.Operators = append(s.sg.Operators, op)
	return op
}

// Custom appends a custom operator with raw options bytes (usually a
// FlexBuffer map).
func (s *Subgraph) Custom(name string, inputs, outputs []int, customOptions []byte) *tflite.OperatorT {
	op := &tflite.OperatorT{
		OpcodeIndex:   s.b.opcode(opKey{code: tflite.BuiltinOperatorCUSTOM, custom: name, version: 1}),
		Inputs:        toInt32s(inputs),
		Outputs:       toInt32s(outputs),
		CustomOptions: customOptions,
	}
	s.sg.Operators = append(s.sg.Operators, op)
	return op
}

// setOptions puts a *XxxOptionsT value in the right options union by its
// type name: the union member is the type name without the trailing T.
func setOptions(op *tflite.OperatorT, options any) error {
	rt := reflect.TypeOf(options)
	if rt.Kind() != reflect.Pointer {
		return fmt.Errorf("options must be a pointer to an options type, got %s", rt)
	}
	name := strings.TrimSuffix(rt.Elem().Name(), "T")
	if v, ok := tflite.EnumValuesBuiltinOptions[name]; ok {
		op.BuiltinOptions = &tflite.BuiltinOptionsT{Type: v, Value: options}
		return nil
	}
	if v, ok := tflite.EnumValuesBuiltinOptions2[name]; ok {
		op.BuiltinOptions2 = &tflite.BuiltinOptions2T{Type: v, Value: options}
		return nil
	}
	return fmt.Errorf("%s is not a member of the builtin options unions", rt.Elem().Name())
}

func (b *Builder) opcode(k opKey) uint32 {
	if i, ok := b.opcodes[k]; ok {
		return i
	}
	// deprecated_builtin_code holds codes below 127; larger codes store the
	// placeholder 127 there, as the converter does.
	dep := int8(min(int32(k.code), 127))
	b.model.OperatorCodes = append(b.model.OperatorCodes, &tflite.OperatorCodeT{
		DeprecatedBuiltinCode: dep, BuiltinCode: k.code, CustomCode: k.custom, Version: k.version,
	})
	i := uint32(len(b.model.OperatorCodes) - 1)
	b.opcodes[k] = i
	return i
}

// Signature adds a signature over subgraph s with named inputs and outputs
// (name → tensor index in s).
func (b *Builder) Signature(key string, s *Subgraph, inputs, outputs map[string]int) {
	sig := &tflite.SignatureDefT{SignatureKey: key, SubgraphIndex: uint32(s.index)}
	for _, name := range sortedKeys(inputs) {
		sig.Inputs = append(sig.Inputs, &tflite.TensorMapT{Name: name, TensorIndex: uint32(inputs[name])})
	}
	for _, name := range sortedKeys(outputs) {
		sig.Outputs = append(sig.Outputs, &tflite.TensorMapT{Name: name, TensorIndex: uint32(outputs[name])})
	}
	b.model.SignatureDefs = append(b.model.SignatureDefs, sig)
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Metadata adds a named metadata entry whose data is a new buffer.
func (b *Builder) Metadata(name string, data []byte) {
	b.model.Metadata = append(b.model.Metadata, &tflite.MetadataT{Name: name, Buffer: b.AddBuffer(data)})
}

// Bytes serializes the model with the "TFL3" file identifier.
func (b *Builder) Bytes() ([]byte, error) {
	if len(b.errs) > 0 {
		return nil, b.errs[0]
	}
	return Serialize(b.model), nil
}

// MustBytes is Bytes for tests and examples: it panics on a builder error.
func (b *Builder) MustBytes() []byte {
	out, err := b.Bytes()
	if err != nil {
		panic(err)
	}
	return out
}

// Serialize packs an object-API model into flatbuffer bytes with the "TFL3"
// file identifier (see schema.Serialize).
func Serialize(m *tflite.ModelT) []byte { return schema.Serialize(m) }

// Float32Bytes encodes float32 values little-endian.
func Float32Bytes(v []float32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(x))
	}
	return out
}

// Int32Bytes encodes int32 values little-endian.
func Int32Bytes(v []int32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(x))
	}
	return out
}

// Int64Bytes encodes int64 values little-endian.
func Int64Bytes(v []int64) []byte {
	out := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(out[8*i:], uint64(x))
	}
	return out
}

// Int16Bytes encodes int16 values little-endian.
func Int16Bytes(v []int16) []byte {
	out := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(x))
	}
	return out
}

// Uint16Bytes encodes uint16 values (e.g. float16 bits) little-endian.
func Uint16Bytes(v []uint16) []byte {
	out := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(out[2*i:], x)
	}
	return out
}

// Int8Bytes reinterprets int8 values as bytes.
func Int8Bytes(v []int8) []byte {
	out := make([]byte, len(v))
	for i, x := range v {
		out[i] = byte(x)
	}
	return out
}
