package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// QMoveConfig is a quantized data-movement case (PAD, PADV2, MIRROR_PAD,
// DEPTH_TO_SPACE, SPACE_TO_DEPTH, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND,
// RESIZE_*): one quantized input, constant INT32 inputs after it, and for
// PADV2 a quantized constant pad value.
type QMoveConfig struct {
	Op       string      `json:"op"`
	Version  int         `json:"version"`
	Type     string      `json:"type"`
	Shape    []int       `json:"shape"`
	OutShape []int       `json:"out_shape"`
	Quant    QuantParams `json:"quant"`
	// OutQuant is the output's parameters when they differ from Quant.
	OutQuant  *QuantParams `json:"out_quant,omitempty"`
	Ints      [][]int32    `json:"ints"`
	IntShapes [][]int      `json:"int_shapes"`
	// PadValue is PADV2's stored constant value.
	PadValue *int64 `json:"pad_value,omitempty"`
	Block    int    `json:"block,omitempty"`
	Mode     string `json:"mode,omitempty"`
	// AlignCorners and HalfPixel are the resize options.
	AlignCorners bool `json:"align_corners,omitempty"`
	HalfPixel    bool `json:"half_pixel,omitempty"`
	// IntsInput makes the first INT32 input a model input (crafted data),
	// which keeps the oracle's XNNPACK from taking the op.
	IntsInput bool `json:"ints_input,omitempty"`
}

var spQMoveCodes = map[string]tflite.BuiltinOperator{
	"PAD": tflite.BuiltinOperatorPAD, "PADV2": tflite.BuiltinOperatorPADV2, "MIRROR_PAD": tflite.BuiltinOperatorMIRROR_PAD,
	"DEPTH_TO_SPACE": tflite.BuiltinOperatorDEPTH_TO_SPACE, "SPACE_TO_DEPTH": tflite.BuiltinOperatorSPACE_TO_DEPTH,
	"SPACE_TO_BATCH_ND": tflite.BuiltinOperatorSPACE_TO_BATCH_ND, "BATCH_TO_SPACE_ND": tflite.BuiltinOperatorBATCH_TO_SPACE_ND,
	"RESIZE_BILINEAR": tflite.BuiltinOperatorRESIZE_BILINEAR, "RESIZE_NEAREST_NEIGHBOR": tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR,
}

func (c QMoveConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	code, ok := spQMoveCodes[c.Op]
	if !ok {
		return fmt.Errorf("unknown op %q", c.Op)
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape, c.Quant.option())
	ins := []int{x}
	modelIns := []int{x}
	for i, v := range c.Ints {
		if i == 0 && c.IntsInput {
			t := g.Tensor(fmt.Sprintf("c%d", i), core.Int32, c.IntShapes[i])
			ins = append(ins, t)
			modelIns = append(modelIns, t)
			continue
		}
		ins = append(ins, g.ConstInt32(fmt.Sprintf("c%d", i), c.IntShapes[i], v))
	}
	oq := c.Quant
	if c.OutQuant != nil {
		oq = *c.OutQuant
	}
	if c.PadValue != nil {
		var data []byte
		switch typ {
		case core.Int16:
			data = modelbuilder.Int16Bytes([]int16{int16(*c.PadValue)})
		default:
			data = []byte{byte(*c.PadValue)}
		}
		ins = append(ins, g.Const("pad_value", typ, []int{1}, data, oq.option()))
	}
	y := g.Tensor("y", typ, c.OutShape, oq.option())
	var opts any
	switch c.Op {
	case "MIRROR_PAD":
		opts = &tflite.MirrorPadOptionsT{Mode: tflite.EnumValuesMirrorPadMode[c.Mode]}
	case "DEPTH_TO_SPACE":
		opts = &tflite.DepthToSpaceOptionsT{BlockSize: int32(c.Block)}
	case "SPACE_TO_DEPTH":
		opts = &tflite.SpaceToDepthOptionsT{BlockSize: int32(c.Block)}
	case "RESIZE_BILINEAR":
		opts = &tflite.ResizeBilinearOptionsT{AlignCorners: c.AlignCorners, HalfPixelCenters: c.HalfPixel}
	case "RESIZE_NEAREST_NEIGHBOR":
		opts = &tflite.ResizeNearestNeighborOptionsT{AlignCorners: c.AlignCorners, HalfPixelCenters: c.HalfPixel}
	}
	g.OpVersion(code, c.Version, ins, []int{y}, opts)
	g.Inputs(modelIns...)
	g.Outputs(y)
	return nil
}

func spQMoveCase(name string, cfg QMoveConfig) *Case {
	typ, _ := typeByName(cfg.Type)
	o := defaultOracle
	if typ == core.Int16 {
		o = intRange(-32768, 32767)
	}
	c := &Case{Name: "q_sp_" + name, Op: cfg.Op, Config: cfg, Oracle: o, build: cfg.build}
	if cfg.IntsInput {
		c.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes(cfg.Ints[0])} }
	}
	if cfg.Op == "RESIZE_BILINEAR" && typ != core.Int16 && !cfg.IntsInput {
		c.OffByOne = true
		c.Note = "the oracle's XNNPACK computes 8-bit RESIZE_BILINEAR (its own fixed-point rounding); the _sizeinput twin " +
			"of this case runs TFLite's builtin kernel and is exact"
	}
	return c
}

func spQMoveCases() []*Case {
	var out []*Case
	types := []struct {
		t core.TensorType
		q QuantParams
	}{
		{core.Uint8, perTensor(0.0235, 131)},
		{core.Int8, perTensor(0.0123, -7)},
		{core.Int16, perTensor(1.0/4096, 0)},
	}
	for _, tq := range types {
		t, q := tq.t, tq.q
		ts := typeShort(t)
		v := spQVersion(t)
		pv := int64(-3)
		if t == core.Uint8 {
			pv = 201
		}
		pads := []int32{0, 1, 2, 1, 1, 0, 0, 2}
		out = append(out,
			spQMoveCase("pad_"+ts, QMoveConfig{Op: "PAD", Version: v, Type: typeName(t), Shape: []int{1, 3, 2, 3}, OutShape: []int{2, 6, 3, 5}, Quant: q,
				Ints: [][]int32{pads}, IntShapes: [][]int{{4, 2}}}),
			spQMoveCase("padv2_"+ts, QMoveConfig{Op: "PADV2", Version: v, Type: typeName(t), Shape: []int{1, 3, 2, 3}, OutShape: []int{2, 6, 3, 5}, Quant: q,
				Ints: [][]int32{pads}, IntShapes: [][]int{{4, 2}}, PadValue: &pv}),
		)
		if t == core.Int16 {
			// TFLite's MIRROR_PAD, DEPTH_TO_SPACE, SPACE_TO_DEPTH and the
			// batch/space ops reject INT16 (the oracle fails to prepare).
			continue
		}
		out = append(out,
			spQMoveCase("mirror_pad_reflect_"+ts, QMoveConfig{Op: "MIRROR_PAD", Version: v, Type: typeName(t), Shape: []int{2, 3, 4}, OutShape: []int{2, 6, 5}, Quant: q,
				Ints: [][]int32{{0, 0, 1, 2, 0, 1}}, IntShapes: [][]int{{3, 2}}, Mode: "REFLECT"}),
			spQMoveCase("depth_to_space_"+ts, QMoveConfig{Op: "DEPTH_TO_SPACE", Version: min(v, 2), Type: typeName(t), Shape: []int{1, 2, 3, 8}, OutShape: []int{1, 4, 6, 2}, Quant: q, Block: 2}),
			spQMoveCase("space_to_depth_"+ts, QMoveConfig{Op: "SPACE_TO_DEPTH", Version: min(v, 2), Type: typeName(t), Shape: []int{1, 4, 6, 2}, OutShape: []int{1, 2, 3, 8}, Quant: q, Block: 2}),
			spQMoveCase("space_to_batch_"+ts, QMoveConfig{Op: "SPACE_TO_BATCH_ND", Version: spQBatchVersion(t), Type: typeName(t), Shape: []int{1, 3, 5, 2}, OutShape: []int{4, 2, 3, 2}, Quant: q,
				Ints: [][]int32{{2, 2}, {1, 0, 0, 1}}, IntShapes: [][]int{{2}, {2, 2}}}),
			spQMoveCase("batch_to_space_"+ts, QMoveConfig{Op: "BATCH_TO_SPACE_ND", Version: spQBatchVersion(t), Type: typeName(t), Shape: []int{4, 2, 3, 2}, OutShape: []int{1, 3, 5, 2}, Quant: q,
				Ints: [][]int32{{2, 2}, {1, 0, 0, 1}}, IntShapes: [][]int{{2}, {2, 2}}}),
		)
	}
	for _, tq := range types {
		t, q := tq.t, tq.q
		ts := typeShort(t)
		for _, op := range []string{"RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"} {
			short := map[string]string{"RESIZE_BILINEAR": "bilinear", "RESIZE_NEAREST_NEIGHBOR": "nearest"}[op]
			for _, g := range []struct {
				in, out     []int
				align, half bool
			}{
				{[]int{1, 3, 4, 2}, []int{1, 7, 9, 2}, false, false},
				{[]int{1, 3, 4, 2}, []int{1, 7, 9, 2}, true, false},
				{[]int{2, 3, 4, 2}, []int{2, 6, 5, 2}, false, true},
				{[]int{1, 7, 6, 3}, []int{1, 3, 4, 3}, false, false},
				{[]int{1, 7, 6, 3}, []int{1, 3, 4, 3}, false, true},
			} {
				v := spQVersion(t)
				if v == 3 {
					v = 4
				}
				if g.half && v < 3 {
					v = 3
				}
				mode := "default"
				if g.align {
					mode = "align"
				} else if g.half {
					mode = "half"
				}
				name := fmt.Sprintf("resize_%s_%s_%s_to_%dx%d_%s", short, ts, shapeName(g.in), g.out[1], g.out[2], mode)
				cfg := QMoveConfig{Op: op, Version: v, Type: typeName(t), Shape: g.in, OutShape: g.out, Quant: q,
					Ints: [][]int32{{int32(g.out[1]), int32(g.out[2])}}, IntShapes: [][]int{{2}}, AlignCorners: g.align, HalfPixel: g.half}
				out = append(out, spQMoveCase(name, cfg))
				if op == "RESIZE_BILINEAR" && t != core.Int16 {
					cfg.IntsInput = true
					out = append(out, spQMoveCase(name+"_sizeinput", cfg))
				}
			}
		}
	}
	return out
}

// spQBatchVersion is SPACE_TO_BATCH_ND's and BATCH_TO_SPACE_ND's version
// for a 4-D input of the type.
func spQBatchVersion(t core.TensorType) int {
	switch t {
	case core.Int8:
		return 2
	case core.Int16:
		return 4
	}
	return 1
}
