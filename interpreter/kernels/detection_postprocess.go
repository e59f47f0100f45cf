package kernels

import (
	"math"
	"slices"

	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/interpreter/core"
)

// TFLite_Detection_PostProcess: SSD's box decoding and non-max suppression,
// as TFLite's kernels/detection_postprocess.cc computes them.
//
// Inputs: box encodings [1, boxes, >=4] (y, x, h, w relative to the anchor),
// class predictions [1, boxes, num_classes (+1 background)] and anchors
// [boxes, 4] (center y, center x, h, w); each float32 or uint8 (and, as an
// extension TFLite lacks, int8) quantized per tensor, dequantized as
// (q - zero_point) * scale in float32. Outputs (float32): detection boxes
// [1, max_detections*max_classes_per_detection, 4] (ymin, xmin, ymax, xmax),
// classes and scores [1, max_detections*max_classes_per_detection] and the
// number of detections [1].
//
// Numerics follow TFLite exactly: the decoding runs in float64 and rounds to
// float32 as TFLite does; the score threshold keeps scores >= threshold; the
// candidates are sorted by a stable sort on decreasing score (ties in index
// order); a candidate is suppressed when its IoU with a kept box is strictly
// above the threshold. The regular NMS merges each class' detections into the running
// list with std::inplace_merge under "a.score >= b.score" (TFLite 2.13+), so
// equal scores of a later class come first. The fast NMS with several
// classes per detection orders each anchor's classes with
// std::partial_sort, which is not stable: detppPartialSortLibcxx reproduces
// LLVM libc++'s heap-based algorithm, the C++ library of TFLite's Android,
// iOS and WebAssembly builds (the oracle agrees on tie-heavy uint8 cases). A
// TFLite built against GNU libstdc++ (desktop Linux) may order a detection's
// exactly equal class scores differently (same classes and scores, permuted). Where TFLite leaves
// output slots unwritten (fewer detections than slots) this kernel writes
// zeros.
type detppKernel struct {
	maxDetections       int
	maxClassesPerDetect int
	detectionsPerClass  int
	scoreThreshold      float32
	iouThreshold        float32
	numClasses          int
	regularNMS          bool
	scaleY, scaleX      float64
	scaleH, scaleW      float64

	// Set by Prepare.
	numBoxes    int
	boxStride   int // elements per box encoding (>= 4)
	numClassesB int // num classes with background
	labelOffset int

	decoded   []float32 // [numBoxes][4] ymin, xmin, ymax, xmax
	scores    []float32 // dequantized class predictions
	classTmp  []float32 // one class' scores (regular) or max scores (fast)
	keepIdx   []int     // indices above the score threshold
	keepScore []float32
	sorted    []int
	active    []bool
	selected  []int
	// regular NMS: the merged list (maxDetections + per-class boxes) and a
	// copy of its sorted head for merging
	mergeIdx    []int
	mergeScore  []float32
	mergeSorted []int
	mergeVals   []float32
	// fast NMS per-anchor class order (numBoxes * numClasses)
	classOrder []int
}

const (
	detppDefaultPerClass = 100
	detppCoords          = 4
)

func newDetectionPostProcess(n *core.Node) (core.Kernel, error) {
	m, err := n.CustomOptionsMap()
	if err != nil {
		return nil, n.Errorf("%v", err)
	}
	get := func(key string) flexbuffers.Reference {
		r, _ := m.Get(key)
		return r
	}
	present := func(key string) bool {
		r, ok := m.Get(key)
		return ok && !r.IsNull()
	}
	k := &detppKernel{
		maxDetections:       int(int32(get("max_detections").Int())),
		maxClassesPerDetect: int(int32(get("max_classes_per_detection").Int())),
		detectionsPerClass:  detppDefaultPerClass,
		scoreThreshold:      float32(get("nms_score_threshold").Float()),
		iouThreshold:        float32(get("nms_iou_threshold").Float()),
		numClasses:          int(int32(get("num_classes").Int())),
		scaleY:              float64(float32(get("y_scale").Float())),
		scaleX:              float64(float32(get("x_scale").Float())),
		scaleH:              float64(float32(get("h_scale").Float())),
		scaleW:              float64(float32(get("w_scale").Float())),
	}
	if present("detections_per_class") {
		k.detectionsPerClass = int(int32(get("detections_per_class").Int()))
	}
	if present("use_regular_nms") {
		k.regularNMS = get("use_regular_nms").Bool()
	}
	if k.maxDetections < 1 {
		return nil, n.Errorf("max_detections %d must be positive", k.maxDetections)
	}
	if k.maxClassesPerDetect < 1 {
		return nil, n.Errorf("max_classes_per_detection %d must be positive", k.maxClassesPerDetect)
	}
	if k.regularNMS && k.detectionsPerClass < 1 {
		return nil, n.Errorf("detections_per_class %d must be positive", k.detectionsPerClass)
	}
	if !(k.iouThreshold > 0 && k.iouThreshold <= 1) {
		return nil, n.Errorf("nms_iou_threshold %g must be in (0, 1]", k.iouThreshold)
	}
	if math.IsNaN(float64(k.scoreThreshold)) {
		return nil, n.Errorf("nms_score_threshold is NaN")
	}
	if k.numClasses < 1 {
		return nil, n.Errorf("num_classes %d must be positive", k.numClasses)
	}
	for _, s := range []struct {
		name string
		v    float64
	}{{"y_scale", k.scaleY}, {"x_scale", k.scaleX}, {"h_scale", k.scaleH}, {"w_scale", k.scaleW}} {
		if s.v == 0 || math.IsNaN(s.v) || math.IsInf(s.v, 0) {
			return nil, n.Errorf("%s %g must be finite and non-zero", s.name, s.v)
		}
	}
	if int64(k.maxDetections)*int64(k.maxClassesPerDetect) > math.MaxInt32 {
		return nil, n.Errorf("max_detections*max_classes_per_detection overflows")
	}
	return k, nil
}

// detppCheckType accepts float32 and per-tensor uint8/int8 tensors.
func detppCheckType(n *core.Node, t *core.Tensor, what string) error {
	switch t.Type() {
	case core.Float32:
		return nil
	case core.Uint8, core.Int8:
		q := t.Quantization()
		if len(q.Scale) != 1 {
			return n.Errorf("%s %s tensor needs one (per-tensor) scale, has %d", what, t.Type(), len(q.Scale))
		}
		if s := q.Scale[0]; !(s > 0) || math.IsInf(float64(s), 0) {
			return n.Errorf("%s scale %g must be positive and finite", what, s)
		}
		return nil
	}
	return n.Errorf("%s has type %s; want float32, uint8 or int8", what, t.Type())
}

// Prepare implements core.Kernel.
func (k *detppKernel) Prepare(n *core.Node) error {
	if err := checkCounts(n, 3, 3, 4); err != nil {
		return err
	}
	boxes, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	cls, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	anchors, err := requireInput(n, 2)
	if err != nil {
		return err
	}
	if boxes.Rank() != 3 || cls.Rank() != 3 || anchors.Rank() != 2 {
		return n.Errorf("box encodings %s, class predictions %s, anchors %s: want ranks 3, 3, 2",
			core.FormatShape(boxes.Shape()), core.FormatShape(cls.Shape()), core.FormatShape(anchors.Shape()))
	}
	if boxes.Dim(0) != 1 || cls.Dim(0) != 1 {
		return n.Errorf("batch size must be 1 (box encodings %s, class predictions %s)",
			core.FormatShape(boxes.Shape()), core.FormatShape(cls.Shape()))
	}
	k.numBoxes = boxes.Dim(1)
	k.boxStride = boxes.Dim(2)
	if k.boxStride < detppCoords {
		return n.Errorf("box encodings %s: want at least 4 values per box", core.FormatShape(boxes.Shape()))
	}
	if cls.Dim(1) != k.numBoxes {
		return n.Errorf("class predictions %s do not match %d boxes", core.FormatShape(cls.Shape()), k.numBoxes)
	}
	if anchors.Dim(0) != k.numBoxes || anchors.Dim(1) != detppCoords {
		return n.Errorf("anchors %s: want [%d, 4]", core.FormatShape(anchors.Shape()), k.numBoxes)
	}
	k.numClassesB = cls.Dim(2)
	k.labelOffset = k.numClassesB - k.numClasses
	if k.labelOffset < 0 || k.labelOffset > 1 {
		return n.Errorf("class predictions have %d classes; want num_classes %d or one more (background)", k.numClassesB, k.numClasses)
	}
	for _, c := range []struct {
		t    *core.Tensor
		what string
	}{{boxes, "box encodings"}, {cls, "class predictions"}, {anchors, "anchors"}} {
		if err := detppCheckType(n, c.t, c.what); err != nil {
			return err
		}
	}
	rows := k.maxDetections * k.maxClassesPerDetect
	shapes := [][]int{{1, rows, detppCoords}, {1, rows}, {1, rows}, {1}}
	for i, s := range shapes {
		o, err := requireOutput(n, i)
		if err != nil {
			return err
		}
		if o.Type() != core.Float32 {
			return n.Errorf("output %d has type %s; want float32", i, o.Type())
		}
		o.SetShape(s)
	}
	nb := k.numBoxes
	k.decoded = make([]float32, nb*detppCoords)
	if cls.Type() != core.Float32 {
		k.scores = make([]float32, nb*k.numClassesB)
	} else {
		k.scores = nil
	}
	k.classTmp = make([]float32, nb)
	k.keepIdx = make([]int, nb)
	k.keepScore = make([]float32, nb)
	k.sorted = make([]int, nb)
	k.active = make([]bool, nb)
	k.selected = make([]int, 0, nb)
	if k.regularNMS {
		m := k.maxDetections + min(k.detectionsPerClass, k.maxDetections)
		k.mergeIdx = make([]int, m)
		k.mergeScore = make([]float32, m)
		k.mergeSorted = make([]int, k.maxDetections)
		k.mergeVals = make([]float32, k.maxDetections)
		k.classOrder = nil
	} else {
		k.classOrder = make([]int, nb*k.numClasses)
	}
	return nil
}

// detppDequant returns element i of a float32 or quantized tensor, as
// TFLite's Dequantizer computes it: (float(q) - zero_point) * scale.
func detppDequant(t *core.Tensor, i int) float32 {
	switch t.Type() {
	case core.Uint8:
		s, zp := t.Quantization().Params(0)
		return (float32(t.Uint8s()[i]) - float32(zp)) * s
	case core.Int8:
		s, zp := t.Quantization().Params(0)
		return (float32(t.Int8s()[i]) - float32(zp)) * s
	}
	return t.Float32s()[i]
}

// Eval implements core.Kernel.
func (k *detppKernel) Eval(n *core.Node) error {
	boxes, cls, anchors := n.Inputs[0], n.Inputs[1], n.Inputs[2]
	k.decode(boxes, anchors)
	for i := 0; i < k.numBoxes; i++ {
		b := k.decoded[i*4 : i*4+4]
		// TFLite's ValidateBoxes (NaN boxes pass, as there).
		if b[0] > b[2] || b[1] > b[3] {
			return n.Errorf("decoded box %d has ymin > ymax or xmin > xmax", i)
		}
	}
	scores := k.scores
	if scores == nil {
		scores = cls.Float32s()
	} else {
		for i := range scores {
			scores[i] = detppDequant(cls, i)
		}
	}
	outBoxes := n.Outputs[0].Float32s()
	outClasses := n.Outputs[1].Float32s()
	outScores := n.Outputs[2].Float32s()
	clear(outBoxes)
	clear(outClasses)
	clear(outScores)
	var count int
	if k.regularNMS {
		count = k.regular(scores, outBoxes, outClasses, outScores)
	} else {
		count = k.fast(scores, outBoxes, outClasses, outScores)
	}
	n.Outputs[3].Float32s()[0] = float32(count)
	return nil
}

// decode turns the center-size encodings into corner boxes, in TFLite's
// float64 arithmetic. The explicit conversions keep Go from fusing
// multiply-adds, which TFLite's x86 build does not do either.
func (k *detppKernel) decode(boxes, anchors *core.Tensor) {
	for i := 0; i < k.numBoxes; i++ {
		e := i * k.boxStride
		y := float64(detppDequant(boxes, e))
		x := float64(detppDequant(boxes, e+1))
		h := float64(detppDequant(boxes, e+2))
		w := float64(detppDequant(boxes, e+3))
		a := i * detppCoords
		ay := float64(detppDequant(anchors, a))
		ax := float64(detppDequant(anchors, a+1))
		ah := float64(detppDequant(anchors, a+2))
		aw := float64(detppDequant(anchors, a+3))
		yc := float32(float64(y/k.scaleY*ah) + ay)
		xc := float32(float64(x/k.scaleX*aw) + ax)
		halfH := float32(0.5 * math.Exp(h/k.scaleH) * ah)
		halfW := float32(0.5 * math.Exp(w/k.scaleW) * aw)
		d := k.decoded[a : a+4]
		d[0] = yc - halfH
		d[1] = xc - halfW
		d[2] = yc + halfH
		d[3] = xc + halfW
	}
}

// iou is TFLite's ComputeIntersectionOverUnion on decoded boxes i and j.
func (k *detppKernel) iou(i, j int) float32 {
	bi := k.decoded[i*4 : i*4+4]
	bj := k.decoded[j*4 : j*4+4]
	areaI := float32((bi[2] - bi[0]) * (bi[3] - bi[1]))
	areaJ := float32((bj[2] - bj[0]) * (bj[3] - bj[1]))
	if areaI <= 0 || areaJ <= 0 {
		return 0
	}
	ymin := max(bi[0], bj[0])
	xmin := max(bi[1], bj[1])
	ymax := min(bi[2], bj[2])
	xmax := min(bi[3], bj[3])
	inter := float32(max(ymax-ymin, 0) * max(xmax-xmin, 0))
	return inter / (areaI + areaJ - inter)
}

// nmsSingleClass is TFLite's NonMaxSuppressionSingleClassHelper: it fills
// k.selected with up to maxDet box indices of scores (one per box).
func (k *detppKernel) nmsSingleClass(scores []float32, maxDet int) {
	kept := 0
	for i, s := range scores {
		if s >= k.scoreThreshold {
			k.keepIdx[kept] = i
			k.keepScore[kept] = s
			kept++
		}
	}
	sorted := k.sorted[:kept]
	for i := range sorted {
		sorted[i] = i
	}
	keepScore := k.keepScore
	slices.SortStableFunc(sorted, func(a, b int) int {
		// Decreasing score; SortStable keeps equal scores in index order,
		// as std::stable_sort does.
		if keepScore[a] > keepScore[b] {
			return -1
		}
		if keepScore[b] > keepScore[a] {
			return 1
		}
		return 0
	})
	outSize := min(kept, maxDet)
	k.selected = k.selected[:0]
	active := k.active[:kept]
	for i := range active {
		active[i] = true
	}
	numActive := kept
	for i := 0; i < kept; i++ {
		if numActive == 0 || len(k.selected) >= outSize {
			break
		}
		if !active[i] {
			continue
		}
		bi := k.keepIdx[sorted[i]]
		k.selected = append(k.selected, bi)
		active[i] = false
		numActive--
		for j := i + 1; j < kept; j++ {
			if active[j] && k.iou(bi, k.keepIdx[sorted[j]]) > k.iouThreshold {
				active[j] = false
				numActive--
			}
		}
	}
}

// detppArgMax is TFLite's ArgMaxVector: the first index of the maximum.
func detppArgMax(v []float32) int {
	best, bestV := 0, v[0]
	for i := 1; i < len(v); i++ {
		if v[i] > bestV {
			best, bestV = i, v[i]
		}
	}
	return best
}

// detppPartialSortIdx is TFLite's DecreasingPartialArgSort: idx gets
// 0..len(values)-1 with its first num entries ordered by decreasing value.
func detppPartialSortIdx(values []float32, num int, idx []int) {
	if num == 1 {
		idx[0] = detppArgMax(values)
		return
	}
	for i := range idx {
		idx[i] = i
	}
	detppPartialSortLibcxx(idx, num, func(a, b int) bool { return values[a] > values[b] })
}

// regular is TFLite's NonMaxSuppressionMultiClassRegularHelper (TFLite
// 2.13 and later, single-threaded): each class' NMS keeps up to
// min(detections_per_class, max_detections) boxes, which are merged into the
// running list with std::inplace_merge under "a.score >= b.score", so on
// equal scores the later class comes first; the list is cut to
// max_detections after every class.
func (k *detppKernel) regular(scores, outBoxes, outClasses, outScores []float32) int {
	nb, ncb := k.numBoxes, k.numClassesB
	perClass := min(k.detectionsPerClass, k.maxDetections)
	size := 0
	for col := 0; col < k.numClasses; col++ {
		cs := k.classTmp
		for row := 0; row < nb; row++ {
			cs[row] = scores[row*ncb+col+k.labelOffset]
		}
		k.nmsSingleClass(cs, perClass)
		if len(k.selected) == 0 {
			continue
		}
		end := size
		for _, s := range k.selected {
			k.mergeIdx[end] = s*ncb + col + k.labelOffset
			k.mergeScore[end] = cs[s]
			end++
		}
		// Merge [0, size) (copied out) with [size, end) in place.
		copy(k.mergeSorted[:size], k.mergeIdx[:size])
		copy(k.mergeVals[:size], k.mergeScore[:size])
		i, j, w := 0, size, 0
		for i < size && j < end {
			if k.mergeScore[j] >= k.mergeVals[i] {
				k.mergeIdx[w], k.mergeScore[w] = k.mergeIdx[j], k.mergeScore[j]
				j++
			} else {
				k.mergeIdx[w], k.mergeScore[w] = k.mergeSorted[i], k.mergeVals[i]
				i++
			}
			w++
		}
		for ; i < size; i++ {
			k.mergeIdx[w], k.mergeScore[w] = k.mergeSorted[i], k.mergeVals[i]
			w++
		}
		size = min(end, k.maxDetections)
	}
	for i := 0; i < size; i++ {
		anchor := k.mergeIdx[i] / ncb
		class := k.mergeIdx[i] - anchor*ncb - k.labelOffset
		copy(outBoxes[i*4:i*4+4], k.decoded[anchor*4:anchor*4+4])
		outClasses[i] = float32(class)
		outScores[i] = k.mergeScore[i]
	}
	return size
}

// fast is TFLite's NonMaxSuppressionMultiClassFastHelper.
func (k *detppKernel) fast(scores, outBoxes, outClasses, outScores []float32) int {
	nb, ncb, nc := k.numBoxes, k.numClassesB, k.numClasses
	perAnchor := min(k.maxClassesPerDetect, nc)
	for row := 0; row < nb; row++ {
		bs := scores[row*ncb+k.labelOffset : row*ncb+k.labelOffset+nc]
		order := k.classOrder[row*nc : (row+1)*nc]
		detppPartialSortIdx(bs, perAnchor, order)
		k.classTmp[row] = bs[order[0]]
	}
	k.nmsSingleClass(k.classTmp, k.maxDetections)
	for out, sel := range k.selected {
		bs := scores[sel*ncb+k.labelOffset:]
		order := k.classOrder[sel*nc:]
		for col := 0; col < perAnchor; col++ {
			o := k.maxClassesPerDetect*out + col
			copy(outBoxes[o*4:o*4+4], k.decoded[sel*4:sel*4+4])
			outClasses[o] = float32(order[col])
			outScores[o] = bs[order[col]]
		}
	}
	return len(k.selected)
}

// detppPartialSortLibcxx reproduces LLVM libc++'s std::partial_sort (the C++
// library of TFLite's Android, iOS and WebAssembly builds): make_heap, heap
// select with sift-down, then sort_heap whose pop_heap is Floyd's sift-down
// followed by a sift-up.
func detppPartialSortLibcxx(v []int, middle int, less func(a, b int) bool) {
	if middle <= 0 {
		return
	}
	h := v[:middle]
	n := middle
	if n > 1 {
		for start := (n - 2) / 2; start >= 0; start-- {
			detppSiftDown(h, start, less)
		}
	}
	for i := middle; i < len(v); i++ {
		if less(v[i], h[0]) {
			v[i], h[0] = h[0], v[i]
			detppSiftDown(h, 0, less)
		}
	}
	for l := n; l > 1; l-- {
		detppPopHeapFloyd(h[:l], less)
	}
}

// detppSiftDown is libc++'s __sift_down of h[start] in heap h.
func detppSiftDown(h []int, start int, less func(a, b int) bool) {
	n := len(h)
	child := start
	if n < 2 || (n-2)/2 < child {
		return
	}
	child = 2*child + 1
	if child+1 < n && less(h[child], h[child+1]) {
		child++
	}
	if less(h[child], h[start]) {
		return
	}
	top := h[start]
	for {
		h[start] = h[child]
		start = child
		if (n-2)/2 < child {
			break
		}
		child = 2*child + 1
		if child+1 < n && less(h[child], h[child+1]) {
			child++
		}
		if less(h[child], top) {
			break
		}
	}
	h[start] = top
}

// detppPopHeapFloyd is libc++'s __pop_heap: the top moves to the end.
func detppPopHeapFloyd(h []int, less func(a, b int) bool) {
	n := len(h)
	top := h[0]
	// __floyd_sift_down
	hole, child := 0, 0
	for {
		child = 2*child + 1
		c := child
		if c+1 < n && less(h[c], h[c+1]) {
			c++
			child++
		}
		h[hole] = h[c]
		hole = c
		if child > (n-2)/2 {
			break
		}
	}
	last := n - 1
	if hole == last {
		h[hole] = top
		return
	}
	h[hole] = h[last]
	h[last] = top
	// __sift_up of the element now at hole (length hole+1).
	l := hole + 1
	if l > 1 {
		l = (l - 2) / 2
		if less(h[l], h[hole]) {
			t := h[hole]
			for {
				h[hole] = h[l]
				hole = l
				if l == 0 {
					break
				}
				l = (l - 1) / 2
				if !less(h[l], t) {
					break
				}
			}
			h[hole] = t
		}
	}
}
