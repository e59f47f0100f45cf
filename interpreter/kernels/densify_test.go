package kernels_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// sparseEncode encodes dense data of shape with blocks (blockMap[b] is the
// dimension block b splits, blockSize[b] its size) in TFLite's format with
// the identity traversal order; csr[l] makes level l SPARSE_CSR (a CSR
// level keeps only the indices whose subtree holds a non-zero). It returns
// the sparsity parameters and the stored values.
func sparseEncode(shape []int, dense []float32, blockMap, blockSize []int, csr []bool) (*tflite.SparsityParametersT, []float32) {
	rank := len(shape)
	levels := rank + len(blockMap)
	size := make([]int, levels)
	copy(size, shape)
	for b, d := range blockMap {
		size[d] /= blockSize[b]
		size[rank+b] = blockSize[b]
	}
	st := strides(shape)
	flat := func(idx []int) int {
		orig := append([]int(nil), idx[:rank]...)
		for b, d := range blockMap {
			orig[d] = orig[d]*blockSize[b] + idx[rank+b]
		}
		f := 0
		for d := range rank {
			f += orig[d] * st[d]
		}
		return f
	}
	// nonZero reports whether the subtree under idx[:l] holds a non-zero.
	var nonZero func(idx []int, l int) bool
	nonZero = func(idx []int, l int) bool {
		if l == levels {
			return dense[flat(idx)] != 0
		}
		for i := range size[l] {
			idx[l] = i
			if nonZero(idx, l+1) {
				return true
			}
		}
		return false
	}
	md := make([]*tflite.DimensionMetadataT, levels)
	segs := make([][]int32, levels)
	inds := make([][]int32, levels)
	for l := range levels {
		segs[l] = []int32{0}
	}
	var values []float32
	var walk func(idx []int, l int)
	walk = func(idx []int, l int) {
		if l == levels {
			values = append(values, dense[flat(idx)])
			return
		}
		for i := range size[l] {
			idx[l] = i
			if csr[l] {
				if !nonZero(idx, l+1) {
					continue
				}
				inds[l] = append(inds[l], int32(i))
			}
			walk(idx, l+1)
		}
		if csr[l] {
			segs[l] = append(segs[l], int32(len(inds[l])))
		}
	}
	walk(make([]int, levels), 0)
	order := make([]int32, levels)
	for l := range levels {
		order[l] = int32(l)
		if csr[l] {
			md[l] = &tflite.DimensionMetadataT{Format: tflite.DimensionTypeSPARSE_CSR,
				ArraySegments: &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorInt32Vector, Value: &tflite.Int32VectorT{Values: segs[l]}},
				ArrayIndices:  &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorInt32Vector, Value: &tflite.Int32VectorT{Values: inds[l]}},
			}
		} else {
			md[l] = &tflite.DimensionMetadataT{Format: tflite.DimensionTypeDENSE, DenseSize: int32(size[l])}
		}
	}
	bm := make([]int32, len(blockMap))
	for i, d := range blockMap {
		bm[i] = int32(d)
	}
	return &tflite.SparsityParametersT{TraversalOrder: order, BlockMap: bm, DimMetadata: md}, values
}

// densifyModel is one DENSIFY of a sparse constant, the model's output.
func densifyModel(typ core.TensorType, shape []int, sp *tflite.SparsityParametersT, data []byte) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Const("x", typ, shape, data, modelbuilder.Sparsity(sp))
	y := g.Tensor("y", typ, shape)
	g.Op(tflite.BuiltinOperatorDENSIFY, []int{x}, []int{y}, nil)
	g.Inputs()
	g.Outputs(y)
	return b
}

func sparseTestMatrix(shape []int) []float32 {
	n := numElements(shape)
	dense := make([]float32, n)
	for i := range dense {
		if i%3 == 0 || i%7 == 2 {
			dense[i] = float32(i + 1)
		}
	}
	// An all-zero stretch, so some CSR segments are empty.
	for i := n / 3; i < n/2; i++ {
		dense[i] = 0
	}
	return dense
}

func TestDensifyEncodings(t *testing.T) {
	for _, c := range []struct {
		name      string
		shape     []int
		blockMap  []int
		blockSize []int
		csr       []bool
	}{
		{"dense only", []int{3, 4}, nil, nil, []bool{false, false}},
		{"csr rows", []int{5, 6}, nil, nil, []bool{false, true}},
		{"csr both", []int{5, 6}, nil, nil, []bool{true, true}},
		{"4d last csr", []int{4, 1, 1, 9}, nil, nil, []bool{false, false, false, true}},
		{"block 2x2", []int{4, 6}, []int{0, 1}, []int{2, 2}, []bool{false, true, false, false}},
		{"block last dim 4", []int{3, 8}, []int{1}, []int{4}, []bool{false, true, false}},
		{"block 3d", []int{2, 4, 6}, []int{2}, []int{3}, []bool{false, true, true, false}},
	} {
		dense := sparseTestMatrix(c.shape)
		sp, values := sparseEncode(c.shape, dense, c.blockMap, c.blockSize, c.csr)
		it := run(t, densifyModel(core.Float32, c.shape, sp, f32Bytes(values...)))
		assert.Equal(t, dense, it.Output(0).Float32s(), c.name)

		// INT8 and FLOAT16 are the same scatter over narrower elements.
		i8 := make([]byte, len(values))
		for i, v := range values {
			i8[i] = byte(int8(int(v) % 100))
		}
		want8 := make([]int8, len(dense))
		for i, v := range dense {
			want8[i] = int8(int(v) % 100)
		}
		it = run(t, densifyModel(core.Int8, c.shape, sp, i8))
		assert.Equal(t, want8, it.Output(0).Int8s(), c.name)

		f16 := make([]uint16, len(values))
		for i, v := range values {
			f16[i] = core.Float32ToFloat16(v)
		}
		want16 := make([]uint16, len(dense))
		for i, v := range dense {
			want16[i] = core.Float32ToFloat16(v)
		}
		it = run(t, densifyModel(core.Float16, c.shape, sp, modelbuilder.Uint16Bytes(f16)))
		assert.Equal(t, want16, it.Output(0).Float16s(), c.name)
	}
}

func TestDensifyRejectsBadEncodings(t *testing.T) {
	shape := []int{5, 6}
	dense := sparseTestMatrix(shape)
	good := func() (*tflite.SparsityParametersT, []float32) {
		return sparseEncode(shape, dense, nil, nil, []bool{false, true})
	}
	i32 := func(sp *tflite.SparsityParametersT, l int, seg bool) *[]int32 {
		if seg {
			return &sp.DimMetadata[l].ArraySegments.Value.(*tflite.Int32VectorT).Values
		}
		return &sp.DimMetadata[l].ArrayIndices.Value.(*tflite.Int32VectorT).Values
	}
	for _, c := range []struct {
		name   string
		mutate func(sp *tflite.SparsityParametersT, v *[]float32)
		want   string
	}{
		{"index out of range", func(sp *tflite.SparsityParametersT, _ *[]float32) { (*i32(sp, 1, false))[0] = 6 }, "out of range"},
		{"segments decrease", func(sp *tflite.SparsityParametersT, _ *[]float32) {
			s := *i32(sp, 1, true)
			s[1], s[2] = s[2], s[1]
		}, "decrease"},
		{"segments too few", func(sp *tflite.SparsityParametersT, _ *[]float32) {
			s := i32(sp, 1, true)
			*s = (*s)[:len(*s)-1]
		}, "array_segments"},
		{"segments end short", func(sp *tflite.SparsityParametersT, _ *[]float32) {
			s := i32(sp, 1, true)
			(*s)[len(*s)-1]--
		}, "array_indices"},
		{"segments start", func(sp *tflite.SparsityParametersT, _ *[]float32) { (*i32(sp, 1, true))[0] = 1 }, "want 0"},
		{"indices unsorted", func(sp *tflite.SparsityParametersT, _ *[]float32) {
			s := *i32(sp, 1, false)
			s[0], s[1] = s[1], s[0]
		}, "not increasing"},
		{"too few values", func(_ *tflite.SparsityParametersT, v *[]float32) { *v = (*v)[:len(*v)-1] }, "stores"},
		{"too many values", func(_ *tflite.SparsityParametersT, v *[]float32) { *v = append(*v, 1) }, "stores"},
		{"dense size", func(sp *tflite.SparsityParametersT, _ *[]float32) { sp.DimMetadata[0].DenseSize = 4 }, "dense_size"},
	} {
		sp, v := good()
		c.mutate(sp, &v)
		err := prepareError(t, densifyModel(core.Float32, shape, sp, f32Bytes(v...)))
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
	// Blocks that do not divide their dimension.
	sp, v := sparseEncode([]int{4, 6}, sparseTestMatrix([]int{4, 6}), []int{1}, []int{2}, []bool{false, true, false})
	sp.DimMetadata[2].DenseSize = 4
	err := prepareError(t, densifyModel(core.Float32, []int{4, 6}, sp, f32Bytes(v...)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "block size")
	// A type DENSIFY does not take.
	sp, _ = good()
	err = prepareError(t, densifyModel(core.Int32, shape, sp, make([]byte, 4*len(v))))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "INT32")
}

// TestDensifyRealModel densifies every sparse weight of MediaPipe's
// face_detection_full_range_sparse. Its "dense twin"
// face_detection_full_range is not the same network (measured: its
// conv2d_1/Kernel differs from the sparse model's conv2d_1 weight in every
// position, pruned or not, and conv2d_5 has 16 filters against 12), so the
// values cannot be paired. They are checked by a round trip instead:
// encoding the densified tensor again in the same level formats (as
// TFLite's converter does, CSR levels keeping the non-zero entries) must
// give back the model's array_segments, array_indices and stored values
// exactly.
func TestDensifyRealModel(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "models", "mediapipe")
	sparsePath := filepath.Join(dir, "face_detection_full_range_sparse.tflite")
	if _, err := os.Stat(sparsePath); err != nil {
		t.Skipf("%s not found (fetch the test models first)", sparsePath)
	}
	sm, err := interpreter.LoadModelFile(sparsePath)
	require.NoError(t, err)
	defer sm.Close()
	var fb tflite.SubGraph
	require.True(t, sm.Flatbuffer().Subgraphs(&fb, 0))
	sg := sm.Subgraphs()[0]
	checked, zeros, total := 0, 0, 0
	for _, op := range sg.Operators {
		if op.Op.Builtin != tflite.BuiltinOperatorDENSIFY {
			continue
		}
		ti := sg.Tensors[op.Inputs[0]]
		require.NotNil(t, ti.Sparsity, ti.Name)
		require.Equal(t, core.Float16, ti.Type, ti.Name)
		var tt tflite.Tensor
		require.True(t, fb.Tensors(&tt, op.Inputs[0]))
		sp := tt.Sparsity(nil).UnPack()
		data := sm.Buffer(ti.Buffer)
		it := run(t, densifyModel(ti.Type, ti.Shape, sp, data))
		got := it.Output(0).Float16s()
		require.Len(t, got, numElements(ti.Shape), ti.Name)

		// Round trip: the identity traversal order and no blocks is what
		// these weights use.
		require.Empty(t, ti.Sparsity.BlockMap, ti.Name)
		csr := make([]bool, len(ti.Sparsity.DimMetadata))
		for l, md := range ti.Sparsity.DimMetadata {
			require.Equal(t, l, ti.Sparsity.TraversalOrder[l], ti.Name)
			csr[l] = !md.Dense
		}
		asF32 := make([]float32, len(got))
		for i, h := range got {
			asF32[i] = core.Float16ToFloat32(h)
			if h&0x7fff == 0 {
				zeros++
			}
		}
		again, values := sparseEncode(ti.Shape, asF32, nil, nil, csr)
		for l, md := range ti.Sparsity.DimMetadata {
			if md.Dense {
				continue
			}
			assert.Equal(t, md.ArraySegments, int32sToInts(again.DimMetadata[l].ArraySegments.Value.(*tflite.Int32VectorT).Values), "%s level %d segments", ti.Name, l)
			assert.Equal(t, md.ArrayIndices, int32sToInts(again.DimMetadata[l].ArrayIndices.Value.(*tflite.Int32VectorT).Values), "%s level %d indices", ti.Name, l)
		}
		stored := make([]uint16, len(data)/2)
		for i := range stored {
			stored[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		back := make([]uint16, len(values))
		for i, v := range values {
			back[i] = core.Float32ToFloat16(v)
		}
		require.Equal(t, stored, back, ti.Name)
		total += len(got)
		checked++
	}
	require.Equal(t, 46, checked)
	t.Logf("%d sparse weights densified; re-encoding gives back the model's encoding (%d of %d values zero)", checked, zeros, total)
}

func int32sToInts(v []int32) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}
