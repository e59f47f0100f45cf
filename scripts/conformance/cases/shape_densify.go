package cases

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// DensifyConfig is a DENSIFY case: a FLOAT32 constant of Shape in TFLite's
// sparse format (identity traversal order, CSR levels where Sparse says,
// dense blocks of BlockSize over BlockMap), densified and added to a model
// input of the same shape (the oracle needs an input; ADD of x and the
// densified weights shows every value).
type DensifyConfig struct {
	Shape     []int  `json:"shape"`
	BlockMap  []int  `json:"block_map,omitempty"`
	BlockSize []int  `json:"block_size,omitempty"`
	Sparse    []bool `json:"sparse"`
	// Type is the stored values' type: FLOAT32 (empty), FLOAT16 or INT8
	// (scale 1/64); the latter two are dequantized (DEQUANTIZE) before
	// the ADD, as MediaPipe's sparse models do.
	Type string `json:"type,omitempty"`
}

// densifyEncode encodes dense in TFLite's sparse format (as its
// converter's DenseToSparse: CSR levels keep the indices whose subtree
// holds a non-zero).
func densifyEncode(c DensifyConfig, dense []float32) (*tflite.SparsityParametersT, []float32) {
	rank := len(c.Shape)
	levels := rank + len(c.BlockMap)
	size := make([]int, levels)
	copy(size, c.Shape)
	for b, d := range c.BlockMap {
		size[d] /= c.BlockSize[b]
		size[rank+b] = c.BlockSize[b]
	}
	strides := make([]int, rank)
	acc := 1
	for d := rank - 1; d >= 0; d-- {
		strides[d] = acc
		acc *= c.Shape[d]
	}
	flat := func(idx []int) int {
		orig := append([]int(nil), idx[:rank]...)
		for b, d := range c.BlockMap {
			orig[d] = orig[d]*c.BlockSize[b] + idx[rank+b]
		}
		f := 0
		for d := range rank {
			f += orig[d] * strides[d]
		}
		return f
	}
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
		sparse := l < len(c.Sparse) && c.Sparse[l]
		for i := range size[l] {
			idx[l] = i
			if sparse {
				if !nonZero(idx, l+1) {
					continue
				}
				inds[l] = append(inds[l], int32(i))
			}
			walk(idx, l+1)
		}
		if sparse {
			segs[l] = append(segs[l], int32(len(inds[l])))
		}
	}
	walk(make([]int, levels), 0)
	sp := &tflite.SparsityParametersT{}
	for l := range levels {
		sp.TraversalOrder = append(sp.TraversalOrder, int32(l))
		if l < len(c.Sparse) && c.Sparse[l] {
			sp.DimMetadata = append(sp.DimMetadata, &tflite.DimensionMetadataT{Format: tflite.DimensionTypeSPARSE_CSR,
				ArraySegments: &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorUint8Vector, Value: &tflite.Uint8VectorT{Values: int32sToBytes(segs[l])}},
				ArrayIndices:  &tflite.SparseIndexVectorT{Type: tflite.SparseIndexVectorInt32Vector, Value: &tflite.Int32VectorT{Values: inds[l]}},
			})
		} else {
			sp.DimMetadata = append(sp.DimMetadata, &tflite.DimensionMetadataT{Format: tflite.DimensionTypeDENSE, DenseSize: int32(size[l])})
		}
	}
	for _, d := range c.BlockMap {
		sp.BlockMap = append(sp.BlockMap, int32(d))
	}
	return sp, values
}

func int32sToBytes(v []int32) []byte {
	out := make([]byte, len(v))
	for i, x := range v {
		out[i] = byte(x)
	}
	return out
}

func (c DensifyConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		r := seedOf(name)
		n := numElements(c.Shape)
		dense := float32s(r, n, -1, 1)
		// Prune about two thirds, with whole zero rows.
		for i := range dense {
			if i%3 != 0 || (i/c.Shape[len(c.Shape)-1])%4 == 1 {
				dense[i] = 0
			}
		}
		sp, values := densifyEncode(c, dense)
		g := b.Main()
		var wd int
		switch c.Type {
		case "":
			w := g.Const("w_sparse", core.Float32, c.Shape, modelbuilder.Float32Bytes(values), modelbuilder.Sparsity(sp))
			wd = g.Tensor("w", core.Float32, c.Shape)
			g.Op(tflite.BuiltinOperatorDENSIFY, []int{w}, []int{wd}, nil)
		case "FLOAT16":
			h := make([]uint16, len(values))
			for i, v := range values {
				h[i] = core.Float32ToFloat16(v)
			}
			w := g.Const("w_sparse", core.Float16, c.Shape, modelbuilder.Uint16Bytes(h), modelbuilder.Sparsity(sp))
			w16 := g.Tensor("w16", core.Float16, c.Shape)
			g.Op(tflite.BuiltinOperatorDENSIFY, []int{w}, []int{w16}, nil)
			wd = g.Tensor("w", core.Float32, c.Shape)
			g.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, 3, []int{w16}, []int{wd}, nil)
		case "INT8":
			q := make([]byte, len(values))
			for i, v := range values {
				q[i] = byte(int8(min(max(math.Round(float64(v)*64), -127), 127)))
			}
			quant := modelbuilder.Quant(1.0/64, 0)
			w := g.Const("w_sparse", core.Int8, c.Shape, q, modelbuilder.Sparsity(sp), quant)
			w8 := g.Tensor("w8", core.Int8, c.Shape, quant)
			g.Op(tflite.BuiltinOperatorDENSIFY, []int{w}, []int{w8}, nil)
			wd = g.Tensor("w", core.Float32, c.Shape)
			g.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, 2, []int{w8}, []int{wd}, nil)
		default:
			return fmt.Errorf("unknown densify type %q", c.Type)
		}
		x := g.Tensor("x", core.Float32, c.Shape)
		y := g.Tensor("y", core.Float32, c.Shape)
		g.Op(tflite.BuiltinOperatorADD, []int{x, wd}, []int{y}, &tflite.AddOptionsT{})
		g.Inputs(x)
		g.Outputs(y)
		return nil
	}
}

func densifyCases() []*Case {
	c := func(name string, cfg DensifyConfig) *Case {
		full := "densify_" + name
		return &Case{Name: full, Op: "DENSIFY", Config: cfg, Oracle: defaultOracle, build: cfg.build(full),
			Note: "DENSIFY of a sparse FLOAT32 constant, then ADD with the input (an exact float add) to show the dense values"}
	}
	return []*Case{
		c("f32_2d_csr_rows", DensifyConfig{Shape: []int{6, 8}, Sparse: []bool{false, true}}),
		c("f32_4d_conv_weights", DensifyConfig{Shape: []int{8, 1, 1, 12}, Sparse: []bool{false, false, false, true}}),
		c("f32_2d_csr_both", DensifyConfig{Shape: []int{5, 7}, Sparse: []bool{true, true}}),
		c("f32_block_1x4", DensifyConfig{Shape: []int{4, 8}, BlockMap: []int{1}, BlockSize: []int{4}, Sparse: []bool{false, true, false}}),
		c("f16_4d_dequantize", DensifyConfig{Shape: []int{6, 1, 1, 16}, Sparse: []bool{false, false, false, true}, Type: "FLOAT16"}),
		c("i8_block_2x2_dequantize", DensifyConfig{Shape: []int{4, 6}, BlockMap: []int{0, 1}, BlockSize: []int{2, 2}, Sparse: []bool{false, true, false, false}, Type: "INT8"}),
	}
}
