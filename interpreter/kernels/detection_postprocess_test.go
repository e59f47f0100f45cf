package kernels_test

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

type detppOpts struct {
	maxDet, maxCls, perClass, numClasses int
	regular                              bool
	scoreThr, iouThr                     float64
	scales                               [4]float64 // y, x, h, w
}

func detppOptionBytes(t *testing.T, o detppOpts) []byte {
	t.Helper()
	b, err := flexbuffers.Marshal(map[string]any{
		"max_detections":            o.maxDet,
		"max_classes_per_detection": o.maxCls,
		"detections_per_class":      o.perClass,
		"use_regular_nms":           o.regular,
		"nms_score_threshold":       o.scoreThr,
		"nms_iou_threshold":         o.iouThr,
		"num_classes":               o.numClasses,
		"y_scale":                   o.scales[0],
		"x_scale":                   o.scales[1],
		"h_scale":                   o.scales[2],
		"w_scale":                   o.scales[3],
	})
	require.NoError(t, err)
	return b
}

// detppModel builds a one-op float model: inputs boxes and scores, constant
// anchors.
func detppModel(t *testing.T, o detppOpts, boxes, classes int, anchors []float32) *modelbuilder.Builder {
	b := modelbuilder.New()
	s := b.Main()
	in0 := s.Tensor("boxes", core.Float32, []int{1, boxes, 4})
	in1 := s.Tensor("scores", core.Float32, []int{1, boxes, classes})
	a := s.ConstFloat32("anchors", []int{boxes, 4}, anchors)
	var outs []int
	for i, sh := range [][]int{{1, 1, 4}, {1, 1}, {1, 1}, {1}} {
		outs = append(outs, s.Tensor("out"+string(rune('0'+i)), core.Float32, sh))
	}
	s.Custom("TFLite_Detection_PostProcess", []int{in0, in1, a}, outs, detppOptionBytes(t, o))
	s.Inputs(in0, in1)
	s.Outputs(outs...)
	return b
}

// Boxes with zero encodings decode to the anchors; unit anchors make the
// decoded corners easy to write down.
func detppTestAnchors() []float32 {
	return []float32{
		0.5, 0.5, 1.0, 1.0, // box 0: [0,0,1,1]
		0.5, 0.5, 1.0, 1.0, // box 1: same as 0
		0.5, 10.5, 1.0, 1.0, // box 2: [0,10,1,11] disjoint
		0.5, 0.6, 1.0, 1.0, // box 3: [0,0.1,1,1.1], IoU with 0 = 0.9/1.1
		0.5, 20.5, 1.0, 1.0, // box 4
		0.5, 30.5, 1.0, 1.0, // box 5
	}
}

func detppOutputs(it *interpreter.Interpreter) (boxes, classes, scores []float32, num float32) {
	return it.Output(0).Float32s(), it.Output(1).Float32s(), it.Output(2).Float32s(), it.Output(3).Float32s()[0]
}

func TestDetectionPostProcessFast(t *testing.T) {
	o := detppOpts{maxDet: 3, maxCls: 1, perClass: 100, numClasses: 2, scoreThr: 0.1, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	// 6 boxes, background + 2 classes.
	scores := []float32{
		0, 0.9, 0.1, // box 0: class 0 0.9
		0, 0.8, 0.95, // box 1: class 1 0.95, overlaps box 0 fully
		0, 0.3, 0.2, // box 2: 0.3
		0, 0.7, 0.0, // box 3: 0.7, overlaps 0 (IoU 0.82)
		0, 0.05, 0.05, // box 4: below threshold
		0, 0.3, 0.3, // box 5: 0.3, tie with box 2 (index order)
	}
	it := run(t, detppModel(t, o, 6, 3, detppTestAnchors()), f32Bytes(make([]float32, 24)...), f32Bytes(scores...))
	b, c, s, n := detppOutputs(it)
	assert.Equal(t, float32(3), n)
	assert.Equal(t, []float32{0.95, 0.3, 0.3}, s)
	assert.Equal(t, []float32{1, 0, 0}, c)
	assert.Equal(t, []float32{0, 0, 1, 1, 0, 10, 1, 11, 0, 30, 1, 31}, b)
	assert.Equal(t, []int{1, 3, 4}, it.Output(0).Shape())
}

func TestDetectionPostProcessFastMultiClass(t *testing.T) {
	o := detppOpts{maxDet: 2, maxCls: 2, perClass: 100, numClasses: 3, scoreThr: 0.1, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	scores := []float32{
		0.2, 0.5, 0.7, // box 0 (no background: numClasses == classes)
		0.1, 0.1, 0.1,
		0.1, 0.1, 0.1,
		0.1, 0.1, 0.1,
		0.1, 0.1, 0.1,
		0.6, 0.6, 0.6, // box 5: ties: partial sort order (libstdc++ heap)
	}
	it := run(t, detppModel(t, o, 6, 3, detppTestAnchors()), f32Bytes(make([]float32, 24)...), f32Bytes(scores...))
	b, c, s, n := detppOutputs(it)
	assert.Equal(t, float32(2), n)
	assert.Equal(t, []float32{0.7, 0.5, 0.6, 0.6}, s)
	// Box 0's classes by decreasing score.
	assert.Equal(t, float32(2), c[0])
	assert.Equal(t, float32(1), c[1])
	assert.Len(t, b, 16)
	assert.Equal(t, []float32{0, 0, 1, 1, 0, 0, 1, 1, 0, 30, 1, 31, 0, 30, 1, 31}, b)
	// Box 5's three equal scores: libc++'s partial_sort keeps classes 0, 1
	// (the oracle's tie order is checked by the detpp_*_ties cases).
	assert.Equal(t, []float32{0, 1}, c[2:])
}

func TestDetectionPostProcessRegular(t *testing.T) {
	o := detppOpts{maxDet: 4, maxCls: 1, perClass: 2, numClasses: 2, regular: true, scoreThr: 0.1, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	scores := []float32{
		0, 0.9, 0.1,
		0, 0.8, 0.95,
		0, 0.3, 0.2,
		0, 0.7, 0.0,
		0, 0.05, 0.05,
		0, 0.4, 0.35,
	}
	it := run(t, detppModel(t, o, 6, 3, detppTestAnchors()), f32Bytes(make([]float32, 24)...), f32Bytes(scores...))
	b, c, s, n := detppOutputs(it)
	// class 0: sorted 0(.9) 1(.8) 3(.7) 5(.4) 2(.3): 1 and 3 suppressed by
	// 0; keep 2 per class: 0, 5. class 1: 1(.95) 5(.35) 2(.2) 0(.1): 0
	// suppressed by 1; keep 1, 5.
	assert.Equal(t, float32(4), n)
	assert.Equal(t, []float32{0.95, 0.9, 0.4, 0.35}, s)
	assert.Equal(t, []float32{1, 0, 0, 1}, c)
	assert.Equal(t, []float32{0, 0, 1, 1, 0, 0, 1, 1, 0, 30, 1, 31, 0, 30, 1, 31}, b)
}

func TestDetectionPostProcessPadding(t *testing.T) {
	o := detppOpts{maxDet: 5, maxCls: 1, perClass: 100, numClasses: 1, scoreThr: 0.5, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	scores := []float32{0.9, 0.1, 0.1, 0.1, 0.1, 0.6}
	it := run(t, detppModel(t, o, 6, 1, detppTestAnchors()), f32Bytes(make([]float32, 24)...), f32Bytes(scores...))
	b, c, s, n := detppOutputs(it)
	assert.Equal(t, float32(2), n)
	assert.Equal(t, []float32{0.9, 0.6, 0, 0, 0}, s)
	assert.Equal(t, []float32{0, 0, 0, 0, 0}, c)
	assert.Equal(t, float32(0), b[8])
}

func TestDetectionPostProcessDecode(t *testing.T) {
	o := detppOpts{maxDet: 1, maxCls: 1, perClass: 100, numClasses: 1, scoreThr: 0, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	anchors := []float32{0.5, 0.25, 0.2, 0.4}
	enc := []float32{1, -2, 0.5, -1}
	it := run(t, detppModel(t, o, 1, 1, anchors), f32Bytes(enc...), f32Bytes(1))
	b, _, _, _ := detppOutputs(it)
	yc := float32(1.0/10*0.2 + 0.5)
	xc := float32(-2.0/10*0.4 + 0.25)
	hh := float32(0.5 * math.Exp(0.5/5) * 0.2)
	hw := float32(0.5 * math.Exp(-1.0/5) * 0.4)
	assert.Equal(t, []float32{yc - hh, xc - hw, yc + hh, xc + hw}, b)
}

func TestDetectionPostProcessRejects(t *testing.T) {
	good := detppOpts{maxDet: 2, maxCls: 1, perClass: 100, numClasses: 2, scoreThr: 0.1, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	for name, mod := range map[string]func(o *detppOpts){
		"iou0":       func(o *detppOpts) { o.iouThr = 0 },
		"iou>1":      func(o *detppOpts) { o.iouThr = 1.5 },
		"maxDet0":    func(o *detppOpts) { o.maxDet = 0 },
		"maxCls0":    func(o *detppOpts) { o.maxCls = 0 },
		"classes":    func(o *detppOpts) { o.numClasses = 4 },
		"classes-2":  func(o *detppOpts) { o.numClasses = 1 },
		"scale0":     func(o *detppOpts) { o.scales[2] = 0 },
		"perClass0r": func(o *detppOpts) { o.regular = true; o.perClass = 0 },
	} {
		o := good
		mod(&o)
		assert.Error(t, prepareError(t, detppModel(t, o, 6, 3, detppTestAnchors())), name)
	}
	require.NoError(t, prepareError(t, detppModel(t, good, 6, 3, detppTestAnchors())))
	// Anchors of the wrong shape.
	assert.Error(t, prepareError(t, detppModel(t, good, 6, 3, detppTestAnchors()[:20])))
}

// detppRound is C's round (half away from zero) on float32.
func detppRound(x float32) float32 { return float32(math.Round(float64(x))) }

// TestDetectionPostProcessCoral runs the postprocess node of Coral's SSD
// model on the tensors its RESHAPE, CONCATENATION and LOGISTIC ops compute
// from the reference inputs (recomputed here with TFLite's float formulas for
// uint8 concatenation with rescaling and the uint8 logistic lookup table),
// and compares with TFLite's reference outputs.
func TestDetectionPostProcessCoral(t *testing.T) {
	modelPath := "../../../shared/models/coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers.tflite"
	refDir := "../../../shared/reference/coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers"
	data, err := os.ReadFile(modelPath)
	if os.IsNotExist(err) {
		t.Skip("shared model not present: " + modelPath)
	}
	require.NoError(t, err)
	m := tflite.GetRootAsModel(data, 0).UnPack()
	sg := m.Subgraphs[0]
	q := func(i int) (float32, int32) {
		qp := sg.Tensors[i].Quantization
		return qp.Scale[0], int32(qp.ZeroPoint[0])
	}
	// concat: model inputs 0..5 (boxes, to tensor 43) and 6..11 (classes,
	// to tensor 44) in anchor order.
	concat := func(inTensors []int, firstFile, out int) []byte {
		os_, ozp := q(out)
		inv := 1 / os_
		var res []byte
		for k, ti := range inTensors {
			b, err := os.ReadFile(filepath.Join(refDir, "in"+strconv.Itoa(firstFile+k)+".bin"))
			require.NoError(t, err)
			is, izp := q(ti)
			if is == os_ && izp == ozp {
				res = append(res, b...)
				continue
			}
			scale := is * inv
			bias := float32(-float32(izp) * scale)
			for _, v := range b {
				val := int32(detppRound(float32(float32(v)*scale)+bias)) + ozp
				res = append(res, byte(min(255, max(0, val))))
			}
		}
		return res
	}
	// Reference input file k is model input k; model inputs are tensors
	// 0,6,12,18,24,30 (boxes) and 1,7,...,31 (classes).
	boxes := concat([]int{0, 6, 12, 18, 24, 30}, 0, 43)
	logits := concat([]int{1, 7, 13, 19, 25, 31}, 6, 44)
	is, izp := q(44)
	osc, ozp := q(45)
	var lut [256]byte
	for v := 0; v < 256; v++ {
		dq := is * float32(int32(v)-izp)
		tr := float32(1 / (1 + math.Exp(-float64(dq))))
		r := detppRound(tr * (1 / osc))
		qv := int32(r + float32(ozp))
		lut[v] = byte(min(255, max(0, qv)))
	}
	scores := make([]byte, len(logits))
	for i, v := range logits {
		scores[i] = lut[v]
	}
	// Keep only the postprocess node: inputs 36 (boxes) and 45 (scores).
	sg.Operators = sg.Operators[16:]
	sg.Inputs = []int32{36, 45}
	it := func() *interpreter.Interpreter {
		mm, err := interpreter.LoadModel(modelbuilder.Serialize(m))
		require.NoError(t, err)
		it, err := interpreter.New(mm)
		require.NoError(t, err)
		t.Cleanup(func() { it.Close() })
		require.NoError(t, it.AllocateTensors())
		return it
	}()
	require.NoError(t, it.Input(0).CopyFromBuffer(boxes))
	require.NoError(t, it.Input(1).CopyFromBuffer(scores))
	require.NoError(t, it.Invoke())
	for i := 0; i < 4; i++ {
		ref, err := os.ReadFile(filepath.Join(refDir, "out"+strconv.Itoa(i)+".bin"))
		require.NoError(t, err)
		assert.Equal(t, float32sOfBytes(ref), it.Output(i).Float32s(), "output %d", i)
	}
}

// Quantized inputs decode as their dequantized float values: uint8 (as
// TFLite) and int8 (an extension: TFLite's kernel rejects int8 in Eval).
func TestDetectionPostProcessQuantizedMatchesFloat(t *testing.T) {
	o := detppOpts{maxDet: 4, maxCls: 2, perClass: 3, numClasses: 3, scoreThr: 0.2, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
	const boxes, classes = 8, 4
	for _, regular := range []bool{false, true} {
		o.regular = regular
		for _, typ := range []core.TensorType{core.Uint8, core.Int8} {
			zp := map[core.TensorType]int64{core.Uint8: 128, core.Int8: -3}[typ]
			bq, sq, aq := [2]float64{0.05, float64(zp)}, [2]float64{1.0 / 256, float64(zp) - 100}, [2]float64{0.01, float64(zp)}
			raw := func(n int, seed int) []byte {
				out := make([]byte, n)
				for i := range out {
					out[i] = byte((i*37 + seed*11 + i*i*5) % 251)
				}
				return out
			}
			rb, rs, ra := raw(boxes*4, 1), raw(boxes*classes, 2), raw(boxes*4, 3)
			// Anchors need positive heights and widths after dequantization.
			for i := range ra {
				if typ == core.Int8 {
					ra[i] = byte(int8(10 + int(ra[i])%100))
				} else {
					ra[i] = byte(int(zp) + 10 + int(ra[i])%100)
				}
			}
			deq := func(b []byte, q [2]float64) []float32 {
				out := make([]float32, len(b))
				for i, v := range b {
					x := float32(v)
					if typ == core.Int8 {
						x = float32(int8(v))
					}
					out[i] = (x - float32(q[1])) * float32(q[0])
				}
				return out
			}
			qb := modelbuilder.New()
			s := qb.Main()
			in0 := s.Tensor("boxes", typ, []int{1, boxes, 4}, modelbuilder.Quant(float32(bq[0]), int64(bq[1])))
			in1 := s.Tensor("scores", typ, []int{1, boxes, classes}, modelbuilder.Quant(float32(sq[0]), int64(sq[1])))
			a := s.Const("anchors", typ, []int{boxes, 4}, ra, modelbuilder.Quant(float32(aq[0]), int64(aq[1])))
			var outs []int
			for i, sh := range [][]int{{1, 1, 4}, {1, 1}, {1, 1}, {1}} {
				outs = append(outs, s.Tensor("out"+strconv.Itoa(i), core.Float32, sh))
			}
			s.Custom("TFLite_Detection_PostProcess", []int{in0, in1, a}, outs, detppOptionBytes(t, o))
			s.Inputs(in0, in1)
			s.Outputs(outs...)
			qit := run(t, qb, rb, rs)
			fit := run(t, detppModel(t, o, boxes, classes, deq(ra, aq)), f32Bytes(deq(rb, bq)...), f32Bytes(deq(rs, sq)...))
			require.Greater(t, fit.Output(3).Float32s()[0], float32(0))
			for i := 0; i < 4; i++ {
				assert.Equal(t, fit.Output(i).Float32s(), qit.Output(i).Float32s(), "%s regular=%v output %d", typ, regular, i)
			}
		}
	}
}
