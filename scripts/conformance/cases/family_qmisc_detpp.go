package cases

import (
	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
)

// DetppConfig is a TFLite_Detection_PostProcess case: box encodings and
// class predictions are model inputs, the anchors a constant.
type DetppConfig struct {
	Type        string  `json:"type"` // float32 or uint8 (all three inputs)
	Boxes       int     `json:"boxes"`
	BoxStride   int     `json:"box_stride"`
	Classes     int     `json:"classes"` // columns of the class predictions
	NumClasses  int     `json:"num_classes"`
	MaxDet      int     `json:"max_detections"`
	MaxCls      int     `json:"max_classes_per_detection"`
	PerClass    int     `json:"detections_per_class"`
	Regular     bool    `json:"use_regular_nms"`
	ScoreThr    float64 `json:"nms_score_threshold"`
	IouThr      float64 `json:"nms_iou_threshold"`
	Scales      [4]float64
	BoxQuant    *QuantParams `json:"box_quant,omitempty"`
	ScoreQuant  *QuantParams `json:"score_quant,omitempty"`
	AnchorQuant *QuantParams `json:"anchor_quant,omitempty"`
}

func (c DetppConfig) options() ([]byte, error) {
	return flexbuffers.Marshal(map[string]any{
		"max_detections":            c.MaxDet,
		"max_classes_per_detection": c.MaxCls,
		"detections_per_class":      c.PerClass,
		"use_regular_nms":           c.Regular,
		"nms_score_threshold":       c.ScoreThr,
		"nms_iou_threshold":         c.IouThr,
		"num_classes":               c.NumClasses,
		"y_scale":                   c.Scales[0],
		"x_scale":                   c.Scales[1],
		"h_scale":                   c.Scales[2],
		"w_scale":                   c.Scales[3],
	})
}

func (c DetppConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		typ, err := typeByName(c.Type)
		if err != nil {
			return err
		}
		opt := func(q *QuantParams) []modelbuilder.TensorOption {
			if q == nil {
				return nil
			}
			return []modelbuilder.TensorOption{q.option()}
		}
		g := b.Main()
		boxes := g.Tensor("box_encodings", typ, []int{1, c.Boxes, c.BoxStride}, opt(c.BoxQuant)...)
		scores := g.Tensor("class_predictions", typ, []int{1, c.Boxes, c.Classes}, opt(c.ScoreQuant)...)
		r := seedOf(name)
		var data []byte
		if typ == core.Float32 {
			v := make([]float32, 4*c.Boxes)
			for i := 0; i < c.Boxes; i++ {
				ctr := float32s(r, 2, 0, 1)
				size := float32s(r, 2, 0.1, 0.5)
				copy(v[4*i:], []float32{ctr[0], ctr[1], size[0], size[1]})
			}
			data = modelbuilder.Float32Bytes(v)
		} else {
			// Anchors quantized like Coral's SSD (scale ~1/155, zero point 0).
			data = make([]byte, 4*c.Boxes)
			for i := 0; i < c.Boxes; i++ {
				ctr := int32s(r, 2, 0, 155)
				size := int32s(r, 2, 15, 80)
				data[4*i], data[4*i+1], data[4*i+2], data[4*i+3] = byte(ctr[0]), byte(ctr[1]), byte(size[0]), byte(size[1])
			}
		}
		anchors := g.Const("anchors", typ, []int{c.Boxes, 4}, data, opt(c.AnchorQuant)...)
		rows := c.MaxDet * c.MaxCls
		outBoxes := g.Tensor("detection_boxes", core.Float32, []int{1, rows, 4})
		outClasses := g.Tensor("detection_classes", core.Float32, []int{1, rows})
		outScores := g.Tensor("detection_scores", core.Float32, []int{1, rows})
		num := g.Tensor("num_detections", core.Float32, []int{1})
		opts, err := c.options()
		if err != nil {
			return err
		}
		g.Custom("TFLite_Detection_PostProcess", []int{boxes, scores, anchors}, []int{outBoxes, outClasses, outScores, num}, opts)
		g.Inputs(boxes, scores)
		g.Outputs(outBoxes, outClasses, outScores, num)
		return nil
	}
}

func detppCase(name string, cfg DetppConfig, o Oracle) *Case {
	name = "detpp_" + name
	if cfg.BoxStride == 0 {
		cfg.BoxStride = 4
	}
	if cfg.Scales == [4]float64{} {
		cfg.Scales = [4]float64{10, 10, 5, 5}
	}
	return &Case{Name: name, Op: "TFLite_Detection_PostProcess", Config: cfg, Oracle: o, build: cfg.build(name)}
}

func detppCases() []*Case {
	f32, u8 := typeName(core.Float32), typeName(core.Uint8)
	qBox := perTensor(0.0865558, 183)
	qScore := perTensor(1.0/256, 0)
	qAnchor := perTensor(0.0064530605, 0)
	qCoarse := perTensor(0.05, 235)
	u8cfg := func(c DetppConfig) DetppConfig {
		c.Type = u8
		c.BoxQuant, c.ScoreQuant, c.AnchorQuant = &qBox, &qScore, &qAnchor
		return c
	}
	// Coarse scores: only a few distinct values above the threshold, so
	// the unstable std::partial_sort's tie order is exercised.
	coarse := func(c DetppConfig) DetppConfig {
		c = u8cfg(c)
		c.ScoreQuant = &qCoarse
		return c
	}
	return []*Case{
		detppCase("f32_fast", DetppConfig{Type: f32, Boxes: 40, Classes: 4, NumClasses: 3, MaxDet: 6, MaxCls: 1, PerClass: 100, ScoreThr: -0.5, IouThr: 0.5}, defaultOracle),
		detppCase("f32_fast_multiclass", DetppConfig{Type: f32, Boxes: 40, Classes: 5, NumClasses: 5, MaxDet: 5, MaxCls: 3, PerClass: 100, ScoreThr: -0.9, IouThr: 0.3}, defaultOracle),
		detppCase("f32_fast_stride6", DetppConfig{Type: f32, Boxes: 30, BoxStride: 6, Classes: 3, NumClasses: 2, MaxDet: 4, MaxCls: 1, PerClass: 100, ScoreThr: 0, IouThr: 0.6, Scales: [4]float64{8, 9, 4, 3}}, defaultOracle),
		detppCase("f32_regular", DetppConfig{Type: f32, Boxes: 40, Classes: 4, NumClasses: 3, MaxDet: 8, MaxCls: 1, PerClass: 3, Regular: true, ScoreThr: -0.5, IouThr: 0.4}, defaultOracle),
		detppCase("f32_regular_iou1", DetppConfig{Type: f32, Boxes: 24, Classes: 2, NumClasses: 2, MaxDet: 10, MaxCls: 1, PerClass: 6, Regular: true, ScoreThr: -1, IouThr: 1}, defaultOracle),
		detppCase("u8_fast", u8cfg(DetppConfig{Boxes: 64, Classes: 5, NumClasses: 4, MaxDet: 10, MaxCls: 1, PerClass: 100, ScoreThr: 0.3, IouThr: 0.6}), defaultOracle),
		detppCase("u8_fast_multiclass", u8cfg(DetppConfig{Boxes: 64, Classes: 5, NumClasses: 4, MaxDet: 6, MaxCls: 2, PerClass: 100, ScoreThr: 0.3, IouThr: 0.6}), defaultOracle),
		detppCase("u8_regular_ties", coarse(DetppConfig{Boxes: 60, Classes: 6, NumClasses: 5, MaxDet: 12, MaxCls: 1, PerClass: 5, Regular: true, ScoreThr: 0.5, IouThr: 0.5}), defaultOracle),
		detppCase("u8_regular_ties_many", coarse(DetppConfig{Boxes: 80, Classes: 8, NumClasses: 8, MaxDet: 25, MaxCls: 1, PerClass: 9, Regular: true, ScoreThr: 0.4, IouThr: 0.7}), defaultOracle),
		detppCase("u8_fast_multiclass_ties", coarse(DetppConfig{Boxes: 50, Classes: 9, NumClasses: 8, MaxDet: 5, MaxCls: 4, PerClass: 100, ScoreThr: 0.3, IouThr: 0.5}), defaultOracle),
		detppCase("u8_fast_multiclass_ties_wide", coarse(DetppConfig{Boxes: 40, Classes: 21, NumClasses: 20, MaxDet: 4, MaxCls: 7, PerClass: 100, ScoreThr: 0.3, IouThr: 0.5}), defaultOracle),
		detppCase("u8_regular_per_class_cut", coarse(DetppConfig{Boxes: 60, Classes: 7, NumClasses: 6, MaxDet: 5, MaxCls: 1, PerClass: 50, Regular: true, ScoreThr: 0.2, IouThr: 0.6}), defaultOracle),
		detppCase("u8_regular", u8cfg(DetppConfig{Boxes: 64, Classes: 4, NumClasses: 3, MaxDet: 10, MaxCls: 1, PerClass: 4, Regular: true, ScoreThr: 0.2, IouThr: 0.5}), defaultOracle),
	}
}
