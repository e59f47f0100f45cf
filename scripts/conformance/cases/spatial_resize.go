package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ResizeConfig is a float32 RESIZE_BILINEAR or RESIZE_NEAREST_NEIGHBOR case.
type ResizeConfig struct {
	Op           string `json:"op"`
	Shape        []int  `json:"shape"`
	Size         [2]int `json:"size"`
	AlignCorners bool   `json:"align_corners"`
	HalfPixel    bool   `json:"half_pixel_centers"`
	// SizeInput makes the size a model input (a dynamic output).
	SizeInput bool `json:"size_input,omitempty"`
}

// version follows op_version.cc.
func (c ResizeConfig) version() int {
	if c.HalfPixel || (c.Op == "RESIZE_NEAREST_NEIGHBOR" && c.AlignCorners) {
		return 3
	}
	return 1
}

func (c ResizeConfig) build(b *modelbuilder.Builder) error {
	g := b.Main()
	x := g.Tensor("x", core.Float32, c.Shape)
	var size int
	if c.SizeInput {
		size = g.Tensor("size", core.Int32, []int{2})
	} else {
		size = g.ConstInt32("size", []int{2}, []int32{int32(c.Size[0]), int32(c.Size[1])})
	}
	y := g.Tensor("y", core.Float32, []int{c.Shape[0], c.Size[0], c.Size[1], c.Shape[3]})
	var code tflite.BuiltinOperator
	var opts any
	switch c.Op {
	case "RESIZE_BILINEAR":
		code, opts = tflite.BuiltinOperatorRESIZE_BILINEAR, &tflite.ResizeBilinearOptionsT{AlignCorners: c.AlignCorners, HalfPixelCenters: c.HalfPixel}
	case "RESIZE_NEAREST_NEIGHBOR":
		code, opts = tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR, &tflite.ResizeNearestNeighborOptionsT{AlignCorners: c.AlignCorners, HalfPixelCenters: c.HalfPixel}
	default:
		return fmt.Errorf("unknown resize op %q", c.Op)
	}
	g.OpVersion(code, c.version(), []int{x, size}, []int{y}, opts)
	if c.SizeInput {
		g.Inputs(x, size)
	} else {
		g.Inputs(x)
	}
	g.Outputs(y)
	return nil
}

func resizeCase(op string, shape []int, h, w int, align, half, sizeInput bool) *Case {
	cfg := ResizeConfig{Op: op, Shape: shape, Size: [2]int{h, w}, AlignCorners: align, HalfPixel: half, SizeInput: sizeInput}
	name := fmt.Sprintf("%s_%s_to%dx%d", strings.ToLower(op), shapeName(shape), h, w)
	if align {
		name += "_align"
	}
	if half {
		name += "_halfpixel"
	}
	c := &Case{Name: name, Op: op, Config: cfg, Oracle: defaultOracle, build: cfg.build}
	if sizeInput {
		c.Name += "_sizeinput"
		c.inputs = func() [][]byte {
			return [][]byte{nil, modelbuilder.Int32Bytes([]int32{int32(h), int32(w)})}
		}
	}
	return c
}

func resizeCases() []*Case {
	var out []*Case
	combos := [][2]bool{{false, false}, {true, false}, {false, true}}
	for _, op := range []string{"RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"} {
		cs := combos
		if op == "RESIZE_NEAREST_NEIGHBOR" {
			cs = append(cs, [2]bool{true, true})
		}
		for _, ah := range cs {
			out = append(out,
				resizeCase(op, []int{1, 4, 5, 2}, 7, 9, ah[0], ah[1], false),
				resizeCase(op, []int{1, 7, 9, 3}, 3, 4, ah[0], ah[1], false),
				resizeCase(op, []int{2, 3, 3, 1}, 8, 8, ah[0], ah[1], false),
			)
		}
		out = append(out,
			resizeCase(op, []int{1, 5, 4, 2}, 1, 1, false, false, false),
			resizeCase(op, []int{1, 5, 4, 2}, 1, 1, true, false, false),
			resizeCase(op, []int{1, 1, 1, 3}, 3, 2, false, true, false),
			resizeCase(op, []int{1, 6, 6, 2}, 12, 12, false, false, false),
			resizeCase(op, []int{1, 3, 5, 2}, 5, 3, false, true, true),
		)
	}
	// XNNPACK computes constant-size RESIZE_BILINEAR in the oracle; a size
	// input leaves it to TFLite's builtin kernel.
	out = append(out,
		resizeCase("RESIZE_BILINEAR", []int{1, 4, 5, 2}, 7, 9, false, false, true),
		resizeCase("RESIZE_BILINEAR", []int{1, 4, 5, 2}, 7, 9, true, false, true),
		resizeCase("RESIZE_BILINEAR", []int{1, 4, 5, 2}, 7, 9, false, true, true),
		resizeCase("RESIZE_BILINEAR", []int{1, 7, 9, 3}, 3, 4, false, false, true),
		resizeCase("RESIZE_BILINEAR", []int{1, 7, 9, 3}, 3, 4, true, false, true),
	)
	return out
}
