package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// This file holds FULLY_CONNECTED's hybrid (dynamic-range) kernel: FLOAT32
// input and output, INT8 weights with one scale, as TFLite's EvalHybrid
// and its portable tensor_utils: each input row is quantized on the fly
// (symmetrically to [-127, 127], or with asymmetric_quantize_inputs to
// [-128, 127] with a zero point), dotted with the weights in int32, and
// scaled back by the row's scale times the weights' scale onto the output,
// which starts from the bias. With per-channel weights (version 12) each
// unit's product scale is the row's scale times that unit's weight scale,
// as TFLite's SSE tensor_utils apply it (the portable one drops
// the channel scales for symmetric inputs, which would leave the weights
// unscaled).

// qconvHybridFC is the hybrid state of a fullyConnectedKernel.
type qconvHybridFC struct {
	filterScale float32
	asymmetric  bool
	// channelScales are per-channel weight scales (version 12), nil for
	// one scale: each row's product scale is then the input's scale times
	// its own.
	channelScales []float32
}

// prepareHybrid validates the hybrid FULLY_CONNECTED and requests its
// scratch tensors.
func (k *fullyConnectedKernel) prepareHybrid(n *core.Node, in, w, bias, out *core.Tensor) error {
	if w.Type() != core.Int8 {
		return n.Errorf("hybrid FLOAT32 input with %s weights is not supported", w.Type())
	}
	if out.Type() != core.Float32 {
		return n.Errorf("%s output with FLOAT32 input is not supported", out.Type())
	}
	if bias != nil && bias.Type() != core.Float32 {
		return n.Errorf("%s bias with FLOAT32 input is not supported", bias.Type())
	}
	q := w.Quantization()
	if !q.IsQuantized() {
		return n.Errorf("hybrid INT8 weights have no quantization parameters")
	}
	if len(q.Scale) != 1 && (len(q.Scale) != k.units || q.QuantizedDimension != 0) {
		return n.Errorf("hybrid weights have %d scales along dimension %d; want 1 or one per output unit (%d) along dimension 0", len(q.Scale), q.QuantizedDimension, k.units)
	}
	for _, s := range q.Scale {
		if s == 0 || math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return n.Errorf("invalid weights scale %g", s)
		}
	}
	k.hybrid = &qconvHybridFC{filterScale: q.Scale[0], asymmetric: k.opts.AsymmetricQuantizeInputs}
	if len(q.Scale) > 1 {
		k.hybrid.channelScales = q.Scale
		k.hybrid.filterScale = 1
	}
	n.Temporary(0, core.Int8, []int{k.batch * k.inSize})
	n.Temporary(1, core.Float32, []int{k.batch})
	n.Temporary(2, core.Int32, []int{k.batch})
	n.Temporary(3, core.Int32, []int{k.units})
	return nil
}

// qconvSymmetricQuantize is TFLite's PortableSymmetricQuantizeFloats:
// scale max|v| / 127, values rounded half away from zero and clamped to
// [-127, 127]; an all-zero row gives zeros and scale 1.
func qconvSymmetricQuantize(v []float32, q []int8) (scale float32) {
	lo, hi := v[0], v[0]
	for _, x := range v[1:] {
		lo = min(lo, x)
		hi = max(hi, x)
	}
	r := max(float32(math.Abs(float64(lo))), float32(math.Abs(float64(hi))))
	if r == 0 {
		clear(q)
		return 1
	}
	inv := 127 / r
	for i, x := range v {
		t := int32(math.Round(float64(x * inv)))
		q[i] = int8(min(127, max(-127, t)))
	}
	return r / 127
}

// qconvAsymmetricQuantize is TFLite's PortableAsymmetricQuantizeFloats:
// the range [min(0, lo), max(0, hi)] over [-128, 127] in double, the zero
// point from whichever end has the smaller error, nudged into range;
// values scaled by 1/scale in float, rounded, offset and clamped.
func qconvAsymmetricQuantize(v []float32, q []int8) (scale float32, offset int32) {
	lo, hi := v[0], v[0]
	for _, x := range v[1:] {
		lo = min(lo, x)
		hi = max(hi, x)
	}
	rmin, rmax := float64(min(0, lo)), float64(max(0, hi))
	if rmin == rmax {
		clear(q)
		return 1, 0
	}
	const qmin, qmax = -128.0, 127.0
	s := (rmax - rmin) / (qmax - qmin)
	zpMin := qmin - rmin/s
	zpMax := qmax - rmax/s
	errMin := math.Abs(qmin) + math.Abs(rmin/s)
	errMax := math.Abs(qmax) + math.Abs(rmax/s)
	zp := zpMax
	if errMin < errMax {
		zp = zpMin
	}
	switch {
	case zp <= qmin:
		offset = qmin
	case zp >= qmax:
		offset = qmax
	default:
		offset = int32(math.Round(zp))
	}
	scale = float32(s)
	inv := 1 / scale
	for i, x := range v {
		t := int32(math.Round(float64(inv*x))) + offset
		q[i] = int8(min(127, max(-128, t)))
	}
	return scale, offset
}

// evalHybrid runs the hybrid fully connected layer.
func (k *fullyConnectedKernel) evalHybrid(n *core.Node) error {
	h := k.hybrid
	x, w, y := n.Inputs[0].Float32s(), n.Inputs[1].Int8s(), n.Outputs[0].Float32s()
	var b []float32
	if k.hasBias {
		b = n.Inputs[2].Float32s()
	}
	if len(n.Temporaries) < 4 {
		return n.Errorf("kernel was not prepared")
	}
	qx := n.Temporaries[0].Int8s()
	scales := n.Temporaries[1].Float32s()
	offsets := n.Temporaries[2].Int32s()
	rowSums := n.Temporaries[3].Int32s()
	nx, nw, ny := k.batch*k.inSize, k.units*k.inSize, k.batch*k.units
	if len(x) < nx || len(w) < nw || len(y) < ny || (k.hasBias && len(b) < k.units) ||
		len(qx) < nx || len(scales) < k.batch || len(offsets) < k.batch || len(rowSums) < k.units {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	y = y[:ny]
	// The output starts from the bias (or zero).
	for i := 0; i < k.batch; i++ {
		dst := y[i*k.units : (i+1)*k.units]
		if b != nil {
			copy(dst, b[:k.units])
		} else {
			clear(dst)
		}
	}
	// TFLite skips the products when the whole input is zero.
	allZero := true
	for _, v := range x[:nx] {
		if v != 0 {
			allZero = false
			break
		}
	}
	if !allZero {
		for i := 0; i < k.batch; i++ {
			row, q := x[i*k.inSize:(i+1)*k.inSize], qx[i*k.inSize:(i+1)*k.inSize]
			if h.asymmetric {
				scales[i], offsets[i] = qconvAsymmetricQuantize(row, q)
			} else {
				scales[i], offsets[i] = qconvSymmetricQuantize(row, q), 0
			}
			scales[i] *= h.filterScale
		}
		if h.asymmetric {
			for u := range k.units {
				var s int32
				for _, v := range w[u*k.inSize : (u+1)*k.inSize] {
					s += int32(v)
				}
				rowSums[u] = s
			}
		}
		for i := 0; i < k.batch; i++ {
			q := qx[i*k.inSize : (i+1)*k.inSize]
			dst := y[i*k.units : (i+1)*k.units]
			for u := range dst {
				wrow := w[u*k.inSize:][:len(q)]
				var dot int32
				for d, v := range q {
					dot += int32(wrow[d]) * int32(v)
				}
				if h.asymmetric {
					dot -= rowSums[u] * offsets[i]
				}
				scale := scales[i]
				if h.channelScales != nil {
					scale *= h.channelScales[u]
				}
				// The conversion keeps Go from fusing a multiply-add.
				dst[u] += float32(float32(dot) * scale)
			}
		}
	}
	for i, v := range y {
		y[i] = clamp(v, k.lo, k.hi)
	}
	return nil
}
