package interpreter

import (
	"fmt"
	"io/fs"
	"math"
	"os"
	"runtime"
	"unsafe"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Limits that bound what a model may ask for, so that a hostile file cannot
// make the loader allocate without bound.
const (
	// SchemaVersion is the TFLite schema version this package reads.
	SchemaVersion = 3
	// MaxRank is the largest tensor rank accepted.
	MaxRank = 16
	// MaxTensorBytes is the largest size one tensor may declare.
	MaxTensorBytes = 1 << 40
	// MaxSubgraphTensors bounds the tensors of one subgraph, which keeps
	// the memory planner (quadratic in the worst case, as TFLite's) fast.
	MaxSubgraphTensors = 1 << 17
)

// Model is a validated, read-only TFLite model. Constant tensors alias the
// model's bytes (or the memory-mapped file), so the bytes given to LoadModel
// must not be modified afterwards. A Model is immutable and safe to share
// between goroutines and between any number of Interpreters.
type Model struct {
	data        []byte
	unmap       func() error
	cleanup     runtime.Cleanup // unmaps if the Model is collected unclosed
	fb          tflite.Model
	version     uint32
	description string
	opcodes     []core.OpCode
	buffers     [][]byte
	subgraphs   []*SubgraphInfo
	metadata    []MetadataInfo
	signatures  []SignatureInfo
}

// SubgraphInfo describes one subgraph of a model. Its fields must not be
// modified.
type SubgraphInfo struct {
	Name      string
	Tensors   []TensorInfo
	Inputs    []int
	Outputs   []int
	Operators []OperatorInfo
}

// TensorInfo describes one tensor of a model as the file declares it.
type TensorInfo struct {
	Name           string
	Type           core.TensorType
	Shape          []int
	ShapeSignature []int // nil when the model recorded none
	HasRank        bool
	Buffer         int    // index into the model's buffers (0: none)
	Data           []byte // constant data, nil for non-constant tensors
	Quantization   core.Quantization
	Sparsity       *core.Sparsity
	Variable       bool
}

// IsConstant reports whether the tensor has data in the model (possibly
// none at all, for a constant with zero elements).
func (t *TensorInfo) IsConstant() bool { return t.Data != nil }

// OperatorInfo describes one operator of a model.
type OperatorInfo struct {
	Opcode        int // index into Model.Opcodes
	Op            core.OpCode
	Inputs        []int // -1 marks an absent optional input
	Outputs       []int
	Intermediates []int
	CustomOptions []byte
	fb            tflite.Operator
}

// MetadataInfo is one named metadata entry.
type MetadataInfo struct {
	Name   string
	Buffer int
	Data   []byte
}

// SignatureInfo is one signature: named inputs and outputs of a subgraph.
type SignatureInfo struct {
	Key      string
	Subgraph int
	Inputs   []SignatureTensor
	Outputs  []SignatureTensor
}

// SignatureTensor maps a signature name to a tensor of its subgraph.
type SignatureTensor struct {
	Name   string
	Tensor int
}

// LoadModel validates a TFLite flatbuffer and returns a Model that aliases
// buf. Every offset, index, size, shape and quantization parameter is
// checked before use; a malformed model gives a *ModelError.
func LoadModel(buf []byte) (*Model, error) {
	if err := schema.Verify(buf); err != nil {
		return nil, &ModelError{Reason: "malformed flatbuffer", Err: err}
	}
	m := &Model{data: buf}
	if err := m.parse(); err != nil {
		return nil, err
	}
	return m, nil
}

// LoadModelFile loads a model from a file, memory-mapping it where the
// platform allows (the mapping is released by Close, or when the Model is
// garbage collected).
func LoadModelFile(path string) (*Model, error) {
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	m, err := LoadModel(data)
	if err != nil {
		if unmap != nil {
			_ = unmap()
		}
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	if unmap != nil {
		m.unmap = unmap
		m.cleanup = runtime.AddCleanup(m, func(f func() error) { _ = f() }, unmap)
	}
	return m, nil
}

// LoadModelFS loads a model from a file system (embed.FS, os.DirFS...).
func LoadModelFS(fsys fs.FS, name string) (*Model, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	m, err := LoadModel(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	return m, nil
}

// Close releases the memory mapping of a model loaded with LoadModelFile.
// The Model and every Interpreter made from it must not be used afterwards.
// Close is a no-op for other models.
func (m *Model) Close() error {
	if m.unmap == nil {
		return nil
	}
	f := m.unmap
	m.unmap = nil
	// Without Stop the collector would unmap the address again later, when
	// another mapping may have been given it.
	m.cleanup.Stop()
	return f()
}

func readFileBytes(path string) ([]byte, error) { return os.ReadFile(path) }

// Bytes returns the model's flatbuffer bytes (do not modify them).
func (m *Model) Bytes() []byte { return m.data }

// Size is the size of the model file in bytes.
func (m *Model) Size() int { return len(m.data) }

// Version is the schema version recorded in the model.
func (m *Model) Version() int { return int(m.version) }

// Description is the model's description string.
func (m *Model) Description() string { return m.description }

// Opcodes lists the model's operator codes with their versions.
func (m *Model) Opcodes() []core.OpCode { return m.opcodes }

// NumBuffers is the number of buffers in the model.
func (m *Model) NumBuffers() int { return len(m.buffers) }

// Buffer returns the bytes of buffer i (nil if empty).
func (m *Model) Buffer(i int) []byte { return m.buffers[i] }

// Subgraphs describes the model's subgraphs; subgraph 0 is the main one.
func (m *Model) Subgraphs() []*SubgraphInfo { return m.subgraphs }

// Metadata lists the model's named metadata entries.
func (m *Model) Metadata() []MetadataInfo { return m.metadata }

// MetadataByName returns the data of the named metadata entry.
func (m *Model) MetadataByName(name string) ([]byte, bool) {
	for _, md := range m.metadata {
		if md.Name == name {
			return md.Data, true
		}
	}
	return nil, false
}

// Signatures lists the model's signature definitions.
func (m *Model) Signatures() []SignatureInfo { return m.signatures }

// Flatbuffer returns the model's root table, for tools that read fields
// this package does not expose. The model has been verified, so the
// generated accessors are safe on it.
func (m *Model) Flatbuffer() *tflite.Model { return &m.fb }

// parse walks the verified flatbuffer once, copying the small metadata it
// needs into Go values and checking every cross-reference.
func (m *Model) parse() error {
	m.fb.Init(m.data, flatbuffers.GetUOffsetT(m.data))
	fb := &m.fb
	m.version = fb.Version()
	if m.version != SchemaVersion {
		return modelErrorf("version", "schema version %d is not supported (want %d)", m.version, SchemaVersion)
	}
	m.description = string(fb.Description())

	if err := m.parseBuffers(); err != nil {
		return err
	}
	if err := m.parseOpcodes(); err != nil {
		return err
	}
	n := fb.SubgraphsLength()
	if n == 0 {
		return modelErrorf("subgraphs", "the model has no subgraphs")
	}
	m.subgraphs = make([]*SubgraphInfo, n)
	for i := range n {
		var sg tflite.SubGraph
		fb.Subgraphs(&sg, i)
		info, err := m.parseSubgraph(i, &sg)
		if err != nil {
			return err
		}
		m.subgraphs[i] = info
	}
	if err := m.checkSubgraphCalls(); err != nil {
		return err
	}
	if err := m.parseMetadata(); err != nil {
		return err
	}
	return m.parseSignatures()
}

func (m *Model) parseBuffers() error {
	n := m.fb.BuffersLength()
	m.buffers = make([][]byte, n)
	var b tflite.Buffer
	for i := range n {
		m.fb.Buffers(&b, i)
		data := b.DataBytes()
		// Models over 2 GiB keep buffer data after the flatbuffer: offset
		// counts from the start of the file; 0 and 1 mean "not used".
		if off, size := b.Offset(), b.Size(); off > 1 {
			if off > uint64(len(m.data)) || size > uint64(len(m.data))-off {
				return modelErrorf(fmt.Sprintf("buffer %d", i), "data at offset %d size %d lies outside the %d-byte file", off, size, len(m.data))
			}
			data = m.data[off : off+size]
		}
		if len(data) == 0 {
			data = nil
		}
		m.buffers[i] = data
	}
	return nil
}

func (m *Model) parseOpcodes() error {
	n := m.fb.OperatorCodesLength()
	m.opcodes = make([]core.OpCode, n)
	var oc tflite.OperatorCode
	for i := range n {
		m.fb.OperatorCodes(&oc, i)
		path := fmt.Sprintf("operator_codes[%d]", i)
		// Old models store the code in the int8 field only; new ones put
		// 127 there for codes beyond it. The larger of the two is right.
		code := max(tflite.BuiltinOperator(oc.DeprecatedBuiltinCode()), oc.BuiltinCode())
		if code < 0 {
			return modelErrorf(path, "negative builtin code %d", code)
		}
		op := core.OpCode{Builtin: code, Version: int(oc.Version())}
		if code == tflite.BuiltinOperatorCUSTOM {
			op.Custom = string(oc.CustomCode())
			if op.Custom == "" {
				return modelErrorf(path, "custom op without a name")
			}
		}
		if op.Version < 1 {
			return modelErrorf(path+" ("+op.Name()+")", "version %d; versions start at 1", op.Version)
		}
		m.opcodes[i] = op
	}
	return nil
}

func (m *Model) parseSubgraph(si int, sg *tflite.SubGraph) (*SubgraphInfo, error) {
	info := &SubgraphInfo{Name: string(sg.Name())}
	sgPath := fmt.Sprintf("subgraph %d", si)
	nt := sg.TensorsLength()
	if nt > MaxSubgraphTensors {
		return nil, modelErrorf(sgPath, "%d tensors, over the limit of %d", nt, MaxSubgraphTensors)
	}
	info.Tensors = make([]TensorInfo, nt)
	var t tflite.Tensor
	for ti := range nt {
		sg.Tensors(&t, ti)
		if err := m.parseTensor(fmt.Sprintf("%s, tensor %d", sgPath, ti), &t, &info.Tensors[ti]); err != nil {
			return nil, err
		}
	}
	checkIndex := func(path string, idx int32, optional bool) error {
		if idx == -1 && optional {
			return nil
		}
		if idx < 0 || int(idx) >= nt {
			return modelErrorf(path, "tensor %d out of range [0,%d)", idx, nt)
		}
		return nil
	}
	info.Inputs = make([]int, sg.InputsLength())
	for i := range info.Inputs {
		idx := sg.Inputs(i)
		if err := checkIndex(fmt.Sprintf("%s: input %d", sgPath, i), idx, false); err != nil {
			return nil, err
		}
		if info.Tensors[idx].IsConstant() {
			return nil, modelErrorf(fmt.Sprintf("%s: input %d", sgPath, i), "tensor %d is constant", idx)
		}
		info.Inputs[i] = int(idx)
	}
	info.Outputs = make([]int, sg.OutputsLength())
	for i := range info.Outputs {
		idx := sg.Outputs(i)
		if err := checkIndex(fmt.Sprintf("%s: output %d", sgPath, i), idx, false); err != nil {
			return nil, err
		}
		info.Outputs[i] = int(idx)
	}

	// producer[t] is the operator that writes tensor t (-1: none).
	producer := make([]int, nt)
	for i := range producer {
		producer[i] = -1
	}
	isInput := make([]bool, nt)
	for _, idx := range info.Inputs {
		isInput[idx] = true
	}
	no := sg.OperatorsLength()
	info.Operators = make([]OperatorInfo, no)
	for oi := range no {
		op := &info.Operators[oi]
		sg.Operators(&op.fb, oi)
		opc := int(op.fb.OpcodeIndex())
		if opc >= len(m.opcodes) {
			return nil, modelErrorf(fmt.Sprintf("%s, operator %d", sgPath, oi), "opcode index %d out of range [0,%d)", opc, len(m.opcodes))
		}
		op.Opcode = opc
		op.Op = m.opcodes[opc]
		opPath := fmt.Sprintf("%s, operator %d (%s)", sgPath, oi, op.Op.Name())
		op.Inputs = make([]int, op.fb.InputsLength())
		for i := range op.Inputs {
			idx := op.fb.Inputs(i)
			if err := checkIndex(fmt.Sprintf("%s: input %d", opPath, i), idx, true); err != nil {
				return nil, err
			}
			op.Inputs[i] = int(idx)
		}
		op.Outputs = make([]int, op.fb.OutputsLength())
		for i := range op.Outputs {
			idx := op.fb.Outputs(i)
			path := fmt.Sprintf("%s: output %d", opPath, i)
			if err := checkIndex(path, idx, true); err != nil {
				return nil, err
			}
			op.Outputs[i] = int(idx)
			if idx < 0 {
				continue
			}
			switch {
			case info.Tensors[idx].IsConstant():
				return nil, modelErrorf(path, "tensor %d is constant and cannot be written", idx)
			case isInput[idx]:
				return nil, modelErrorf(path, "tensor %d is an input of the subgraph and cannot be written", idx)
			case producer[idx] >= 0:
				return nil, modelErrorf(path, "tensor %d is already written by operator %d", idx, producer[idx])
			}
			producer[idx] = oi
		}
		op.Intermediates = make([]int, op.fb.IntermediatesLength())
		for i := range op.Intermediates {
			idx := op.fb.Intermediates(i)
			if err := checkIndex(fmt.Sprintf("%s: intermediate %d", opPath, i), idx, false); err != nil {
				return nil, err
			}
			op.Intermediates[i] = int(idx)
		}
		op.CustomOptions = op.fb.CustomOptionsBytes()
		if off, size := op.fb.LargeCustomOptionsOffset(), op.fb.LargeCustomOptionsSize(); off > 1 {
			if off > uint64(len(m.data)) || size > uint64(len(m.data))-off {
				return nil, modelErrorf(opPath, "large custom options at offset %d size %d lie outside the %d-byte file", off, size, len(m.data))
			}
			op.CustomOptions = m.data[off : off+size]
		}
	}

	// Operators run in file order, so the graph is acyclic exactly when
	// every operand is available before its consumer runs.
	for oi := range info.Operators {
		op := &info.Operators[oi]
		for i, idx := range op.Inputs {
			if idx < 0 {
				continue
			}
			t := &info.Tensors[idx]
			if t.IsConstant() || t.Variable || isInput[idx] {
				continue
			}
			path := fmt.Sprintf("%s, operator %d (%s): input %d", sgPath, oi, op.Op.Name(), i)
			switch p := producer[idx]; {
			case p < 0:
				return nil, modelErrorf(path, "tensor %d (%q) is neither constant, a subgraph input, a variable nor written by any operator", idx, t.Name)
			case p >= oi:
				return nil, modelErrorf(path, "tensor %d (%q) is written by operator %d, which does not run before it (the graph has a cycle or is out of order)", idx, t.Name, p)
			}
		}
	}
	for i, idx := range info.Outputs {
		t := &info.Tensors[idx]
		if producer[idx] < 0 && !isInput[idx] && !t.IsConstant() && !t.Variable {
			return nil, modelErrorf(fmt.Sprintf("%s: output %d", sgPath, i), "tensor %d (%q) is never written", idx, t.Name)
		}
	}
	return info, nil
}

func (m *Model) parseTensor(path string, t *tflite.Tensor, info *TensorInfo) error {
	info.Name = string(t.Name())
	path += fmt.Sprintf(" (%q)", info.Name)
	info.Type = core.TensorType(t.Type())
	if !info.Type.Valid() {
		return modelErrorf(path, "unknown type %d", int8(t.Type()))
	}
	rank := t.ShapeLength()
	if rank > MaxRank {
		return modelErrorf(path, "rank %d exceeds the limit of %d", rank, MaxRank)
	}
	info.Shape = make([]int, rank)
	for i := range rank {
		d := t.Shape(i)
		if d < 0 {
			return modelErrorf(path, "dimension %d is %d", i, d)
		}
		info.Shape[i] = int(d)
	}
	info.HasRank = t.HasRank() || rank > 0
	elems, ok := core.NumElements(info.Shape)
	if !ok {
		return modelErrorf(path, "shape %v overflows", info.Shape)
	}
	byteSize, fixed := info.Type.ByteSize(elems)
	if fixed && byteSize > MaxTensorBytes {
		return modelErrorf(path, "shape %v of %s needs %d bytes, over the limit of %d", info.Shape, info.Type, byteSize, int64(MaxTensorBytes))
	}
	if n := t.ShapeSignatureLength(); n > 0 {
		if n != rank {
			return modelErrorf(path, "shape_signature has rank %d, shape has rank %d", n, rank)
		}
		info.ShapeSignature = make([]int, n)
		for i := range n {
			d := int(t.ShapeSignature(i))
			if d < -1 || (d >= 0 && d != info.Shape[i]) {
				return modelErrorf(path, "shape_signature dimension %d is %d, shape has %d", i, d, info.Shape[i])
			}
			info.ShapeSignature[i] = d
		}
	}
	info.Variable = t.IsVariable()
	b := int(t.Buffer())
	if b >= len(m.buffers) {
		return modelErrorf(path, "buffer %d out of range [0,%d)", b, len(m.buffers))
	}
	info.Buffer = b
	data := m.buffers[b]
	if data == nil && b != 0 && fixed && byteSize == 0 && !info.Variable {
		// A constant with no elements (e.g. the empty shape of a reshape
		// to a scalar) has an empty buffer of its own: still a constant.
		data = []byte{}
	}

	if q := t.Quantization(nil); q != nil {
		if err := parseQuantization(path, q, info); err != nil {
			return err
		}
	}
	if sp := t.Sparsity(nil); sp != nil {
		s, err := parseSparsity(path+": sparsity", sp, rank)
		if err != nil {
			return err
		}
		info.Sparsity = s
	}

	if data == nil {
		return nil
	}
	if info.Variable {
		return modelErrorf(path, "variable tensor with constant data (buffer %d) is not supported", b)
	}
	switch {
	case info.Sparsity != nil:
		// The buffer holds only the stored values; DENSIFY checks the
		// encoding against it.
	case info.Type == core.String:
		tmp := core.NewTensor(0, info.Name, core.String, info.Shape)
		tmp.Bind(data, core.StorageConstant)
		n, err := tmp.StringCount()
		if err != nil {
			return modelErrorf(path, "constant string data: %v", err)
		}
		if int64(n) != elems {
			return modelErrorf(path, "constant string data holds %d strings, shape %v needs %d", n, info.Shape, elems)
		}
	case !fixed:
		return modelErrorf(path, "constant %s tensors are not supported", info.Type)
	case int64(len(data)) != byteSize:
		return modelErrorf(path, "buffer %d has %d bytes, shape %v of %s needs %d", b, len(data), info.Shape, info.Type, byteSize)
	}
	info.Data = alignData(data, info.Type.ElementSize())
	return nil
}

// alignData returns data, or an aligned copy when the model placed it at an
// address that is not a multiple of the element size (typed views and
// 32-bit ARM need natural alignment).
func alignData(data []byte, elem int) []byte {
	if elem <= 1 || len(data) == 0 || uintptr(unsafe.Pointer(unsafe.SliceData(data)))%uintptr(min(elem, 8)) == 0 {
		return data
	}
	return alignedCopy(data)
}

// alignedCopy copies b to a new 64-byte-aligned slice.
func alignedCopy(b []byte) []byte {
	out := alignedBytes(len(b))
	copy(out, b)
	return out
}

// alignedBytes returns n zero bytes starting at a 64-byte boundary.
func alignedBytes(n int) []byte {
	raw := make([]byte, n+arenaAlign)
	off := int(-uintptr(unsafe.Pointer(unsafe.SliceData(raw))) & (arenaAlign - 1))
	return raw[off : off+n : off+n]
}

func parseQuantization(path string, q *tflite.QuantizationParameters, info *TensorInfo) error {
	qi := &info.Quantization
	ns, nz := q.ScaleLength(), q.ZeroPointLength()
	if ns > 0 || nz > 0 {
		if ns != nz {
			return modelErrorf(path+": quantization", "%d scales and %d zero points; they must be as many", ns, nz)
		}
		qi.Scale = make([]float32, ns)
		qi.ZeroPoint = make([]int64, nz)
		for i := range ns {
			s := q.Scale(i)
			if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) || s < 0 {
				return modelErrorf(path+": quantization", "scale %d is %v", i, s)
			}
			qi.Scale[i] = s
			qi.ZeroPoint[i] = q.ZeroPoint(i)
		}
		qi.QuantizedDimension = int(q.QuantizedDimension())
		if ns > 1 {
			d := qi.QuantizedDimension
			if d < 0 || d >= len(info.Shape) {
				return modelErrorf(path+": quantization", "quantized dimension %d out of range for rank %d", d, len(info.Shape))
			}
			if info.Shape[d] != ns {
				return modelErrorf(path+": quantization", "%d scales for quantized dimension %d of size %d", ns, d, info.Shape[d])
			}
		}
	}
	if n := q.MinLength(); n > 0 {
		qi.Min = make([]float32, n)
		for i := range n {
			qi.Min[i] = q.Min(i)
		}
	}
	if n := q.MaxLength(); n > 0 {
		qi.Max = make([]float32, n)
		for i := range n {
			qi.Max[i] = q.Max(i)
		}
	}
	return nil
}

func parseSparsity(path string, sp *tflite.SparsityParameters, rank int) (*core.Sparsity, error) {
	s := &core.Sparsity{
		TraversalOrder: make([]int, sp.TraversalOrderLength()),
		BlockMap:       make([]int, sp.BlockMapLength()),
	}
	for i := range s.BlockMap {
		s.BlockMap[i] = int(sp.BlockMap(i))
		if s.BlockMap[i] < 0 || s.BlockMap[i] >= rank {
			return nil, modelErrorf(path, "block_map[%d] = %d out of range for rank %d", i, s.BlockMap[i], rank)
		}
	}
	total := rank + len(s.BlockMap)
	if len(s.TraversalOrder) != total {
		return nil, modelErrorf(path, "traversal_order has %d entries, want rank %d + %d block dimensions", len(s.TraversalOrder), rank, len(s.BlockMap))
	}
	seen := make([]bool, total)
	for i := range s.TraversalOrder {
		v := int(sp.TraversalOrder(i))
		if v < 0 || v >= total || seen[v] {
			return nil, modelErrorf(path, "traversal_order[%d] = %d is not a permutation of [0,%d)", i, v, total)
		}
		seen[v] = true
		s.TraversalOrder[i] = v
	}
	n := sp.DimMetadataLength()
	if n != total {
		return nil, modelErrorf(path, "%d dim_metadata entries, want %d", n, total)
	}
	s.DimMetadata = make([]core.DimensionMetadata, n)
	var dm tflite.DimensionMetadata
	for i := range n {
		sp.DimMetadata(&dm, i)
		d := &s.DimMetadata[i]
		dpath := fmt.Sprintf("%s: dim_metadata[%d]", path, i)
		if dm.Format() == tflite.DimensionTypeDENSE {
			d.Dense = true
			d.DenseSize = int(dm.DenseSize())
			if d.DenseSize < 0 {
				return nil, modelErrorf(dpath, "dense_size %d", d.DenseSize)
			}
			continue
		}
		var err error
		if d.ArraySegments, err = sparseIndexVector(dpath+": array_segments", &dm, true); err != nil {
			return nil, err
		}
		if d.ArrayIndices, err = sparseIndexVector(dpath+": array_indices", &dm, false); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func sparseIndexVector(path string, dm *tflite.DimensionMetadata, segments bool) ([]int, error) {
	var tbl flatbuffers.Table
	var typ tflite.SparseIndexVector
	var ok bool
	if segments {
		typ, ok = dm.ArraySegmentsType(), dm.ArraySegments(&tbl)
	} else {
		typ, ok = dm.ArrayIndicesType(), dm.ArrayIndices(&tbl)
	}
	if !ok {
		return nil, modelErrorf(path, "missing for a sparse dimension")
	}
	var out []int
	switch typ {
	case tflite.SparseIndexVectorInt32Vector:
		var v tflite.Int32Vector
		v.Init(tbl.Bytes, tbl.Pos)
		out = make([]int, v.ValuesLength())
		for i := range out {
			out[i] = int(v.Values(i))
		}
	case tflite.SparseIndexVectorUint16Vector:
		var v tflite.Uint16Vector
		v.Init(tbl.Bytes, tbl.Pos)
		out = make([]int, v.ValuesLength())
		for i := range out {
			out[i] = int(v.Values(i))
		}
	case tflite.SparseIndexVectorUint8Vector:
		var v tflite.Uint8Vector
		v.Init(tbl.Bytes, tbl.Pos)
		out = make([]int, v.ValuesLength())
		for i := range out {
			out[i] = int(v.Values(i))
		}
	default:
		return nil, modelErrorf(path, "unknown index vector type %d", typ)
	}
	for i, v := range out {
		if v < 0 {
			return nil, modelErrorf(path, "value %d is negative (%d)", i, v)
		}
	}
	return out, nil
}

// subgraphRefs returns the subgraphs an operator calls (control flow and
// StableHLO region ops).
func subgraphRefs(op *OperatorInfo) []int {
	fb := &op.fb
	var tbl flatbuffers.Table
	switch fb.BuiltinOptionsType() {
	case tflite.BuiltinOptionsWhileOptions:
		if fb.BuiltinOptions(&tbl) {
			var o tflite.WhileOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.CondSubgraphIndex()), int(o.BodySubgraphIndex())}
		}
	case tflite.BuiltinOptionsIfOptions:
		if fb.BuiltinOptions(&tbl) {
			var o tflite.IfOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.ThenSubgraphIndex()), int(o.ElseSubgraphIndex())}
		}
	case tflite.BuiltinOptionsCallOnceOptions:
		if fb.BuiltinOptions(&tbl) {
			var o tflite.CallOnceOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.InitSubgraphIndex())}
		}
	case tflite.BuiltinOptionsCallOptions:
		if fb.BuiltinOptions(&tbl) {
			var o tflite.CallOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(int64(o.Subgraph()))}
		}
	}
	switch fb.BuiltinOptions2Type() {
	case tflite.BuiltinOptions2StableHLOCompositeOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StableHLOCompositeOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.DecompositionSubgraphIndex())}
		}
	case tflite.BuiltinOptions2StablehloSortOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StablehloSortOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.ComparatorSubgraphIndex())}
		}
	case tflite.BuiltinOptions2StablehloScatterOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StablehloScatterOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.UpdateComputationSubgraphIndex())}
		}
	case tflite.BuiltinOptions2StablehloReduceWindowOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StablehloReduceWindowOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.BodySubgraphIndex())}
		}
	case tflite.BuiltinOptions2StablehloReduceOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StablehloReduceOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.BodySubgraphIndex())}
		}
	case tflite.BuiltinOptions2StablehloWhileOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StablehloWhileOptions
			o.Init(tbl.Bytes, tbl.Pos)
			return []int{int(o.CondSubgraphIndex()), int(o.BodySubgraphIndex())}
		}
	case tflite.BuiltinOptions2StablehloCaseOptions:
		if fb.BuiltinOptions2(&tbl) {
			var o tflite.StablehloCaseOptions
			o.Init(tbl.Bytes, tbl.Pos)
			refs := make([]int, o.BranchSubgraphIndicesLength())
			for i := range refs {
				refs[i] = int(o.BranchSubgraphIndices(i))
			}
			return refs
		}
	}
	return nil
}

// checkSubgraphCalls checks that every subgraph an operator calls exists
// and that no subgraph calls itself, directly or not, which would recurse
// forever.
func (m *Model) checkSubgraphCalls() error {
	calls := make([][]int, len(m.subgraphs))
	for si, sg := range m.subgraphs {
		for oi := range sg.Operators {
			op := &sg.Operators[oi]
			for _, ref := range subgraphRefs(op) {
				if ref < 0 || ref >= len(m.subgraphs) {
					return modelErrorf(fmt.Sprintf("subgraph %d, operator %d (%s)", si, oi, op.Op.Name()), "calls subgraph %d, out of range [0,%d)", ref, len(m.subgraphs))
				}
				calls[si] = append(calls[si], ref)
			}
		}
	}
	// Depth-first search with colours finds a cycle in O(V+E).
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, len(m.subgraphs))
	var visit func(int) error
	visit = func(s int) error {
		colour[s] = grey
		for _, c := range calls[s] {
			switch colour[c] {
			case grey:
				return modelErrorf(fmt.Sprintf("subgraph %d", s), "calls subgraph %d, which is already on the call path (recursion)", c)
			case white:
				if err := visit(c); err != nil {
					return err
				}
			}
		}
		colour[s] = black
		return nil
	}
	for s := range m.subgraphs {
		if colour[s] == white {
			if err := visit(s); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *Model) parseMetadata() error {
	n := m.fb.MetadataLength()
	var md tflite.Metadata
	for i := range n {
		m.fb.Metadata(&md, i)
		b := int(md.Buffer())
		if b >= len(m.buffers) {
			return modelErrorf(fmt.Sprintf("metadata[%d] (%q)", i, md.Name()), "buffer %d out of range [0,%d)", b, len(m.buffers))
		}
		m.metadata = append(m.metadata, MetadataInfo{Name: string(md.Name()), Buffer: b, Data: m.buffers[b]})
	}
	for i := range m.fb.MetadataBufferLength() {
		if b := m.fb.MetadataBuffer(i); b < 0 || int(b) >= len(m.buffers) {
			return modelErrorf(fmt.Sprintf("metadata_buffer[%d]", i), "buffer %d out of range [0,%d)", b, len(m.buffers))
		}
	}
	return nil
}

func (m *Model) parseSignatures() error {
	n := m.fb.SignatureDefsLength()
	var sd tflite.SignatureDef
	var tm tflite.TensorMap
	for i := range n {
		m.fb.SignatureDefs(&sd, i)
		sig := SignatureInfo{Key: string(sd.SignatureKey()), Subgraph: int(sd.SubgraphIndex())}
		path := fmt.Sprintf("signature_defs[%d] (%q)", i, sig.Key)
		if sig.Subgraph >= len(m.subgraphs) {
			return modelErrorf(path, "subgraph %d out of range [0,%d)", sig.Subgraph, len(m.subgraphs))
		}
		for _, s := range m.signatures {
			if s.Key == sig.Key {
				return modelErrorf(path, "duplicate signature key")
			}
		}
		nt := len(m.subgraphs[sig.Subgraph].Tensors)
		read := func(kind string, count int, get func(*tflite.TensorMap, int) bool) ([]SignatureTensor, error) {
			out := make([]SignatureTensor, count)
			for j := range count {
				get(&tm, j)
				st := SignatureTensor{Name: string(tm.Name()), Tensor: int(tm.TensorIndex())}
				if st.Tensor >= nt {
					return nil, modelErrorf(fmt.Sprintf("%s: %s %d (%q)", path, kind, j, st.Name), "tensor %d out of range [0,%d)", st.Tensor, nt)
				}
				for _, prev := range out[:j] {
					if prev.Name == st.Name {
						return nil, modelErrorf(fmt.Sprintf("%s: %s %d", path, kind, j), "duplicate name %q", st.Name)
					}
				}
				out[j] = st
			}
			return out, nil
		}
		var err error
		if sig.Inputs, err = read("input", sd.InputsLength(), sd.Inputs); err != nil {
			return err
		}
		if sig.Outputs, err = read("output", sd.OutputsLength(), sd.Outputs); err != nil {
			return err
		}
		m.signatures = append(m.signatures, sig)
	}
	return nil
}
