package kernels

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// ewQSoftmax is quantized SOFTMAX as TFLite's builtin kernel computes it
// for uint8 and int8 inputs (activations.cc SoftmaxPrepare/SoftmaxQuantized,
// kGenericOptimized: optimized_ops::PopulateSoftmaxLookupTable and the
// float-table optimized_ops::Softmax, not the gemmlowp fixed-point
// reference_ops::Softmax, which only the kReference registration runs, nor
// the uint16 LUT variant, which only aarch64 clang builds use).
type ewQSoftmax struct {
	op           rowNormOp
	inType       core.TensorType
	outType      core.TensorType
	table        [256]float32
	outScale     float32
	outZP        int32
	outLo, outHi int32
	// inScale is LOG_SOFTMAX's input scale.
	inScale float32
	// s16 is int16 SOFTMAX (qact_softmax.go).
	s16 *qactSoftmax16
}

func ewPrepareQRowNorm(op rowNormOp, beta float32, in, out *core.Tensor) (*ewQSoftmax, error) {
	if op == normLogSoftmax && (in.Type() == core.Uint8 || in.Type() == core.Int8) {
		return ewPrepareQLogSoftmax(in, out)
	}
	if op == normSoftmax && in.Type() == core.Int16 {
		return qactPrepareSoftmax16(beta, in, out)
	}
	if op == normL2 {
		return ewPrepareQL2Norm(in, out)
	}
	if op != normSoftmax {
		return nil, fmt.Errorf("%s inputs (quantized) are not supported yet", in.Type())
	}
	it, ot := in.Type(), out.Type()
	switch {
	case it == core.Uint8 && (ot == core.Uint8 || ot == core.Int16):
	case it == core.Int8 && (ot == core.Int8 || ot == core.Int16):
	default:
		return nil, fmt.Errorf("quantized SOFTMAX from %s to %s is not supported", it, ot)
	}
	inScale, _, err := ewQuantScalar(in)
	if err != nil {
		return nil, err
	}
	outScale, outZP, err := ewQuantScalar(out)
	if err != nil {
		return nil, err
	}
	// SoftmaxPrepare's checks on the output's quantization.
	wantZP, wantScale := int32(0), float32(1.0/256)
	switch ot {
	case core.Int8:
		wantZP = -128
	case core.Int16:
		wantZP, wantScale = -32768, 1.0/65536
	}
	if outZP != wantZP || math.Abs(float64(outScale-wantScale)) >= float64(0.001*wantScale) {
		return nil, fmt.Errorf("%s SOFTMAX output needs scale %g and zero point %d, got %g and %d", ot, wantScale, wantZP, outScale, outZP)
	}
	q := &ewQSoftmax{op: op, inType: it, outType: ot, outScale: outScale, outZP: outZP}
	lo, hi := intRange(ot)
	q.outLo, q.outHi = int32(lo), int32(hi)
	// PopulateSoftmaxLookupTable: table[255-v] = expf(-input_scale*beta*v),
	// every product in float32.
	scale := -inScale * beta
	for v := 0; v <= 255; v++ {
		q.table[255-v] = float32(math.Exp(float64(float32(scale * float32(v)))))
	}
	return q, nil
}

func ewEvalQRowNorm(n *core.Node, q *ewQSoftmax, rows, depth int) error {
	total := rows * depth
	in, out := n.Inputs[0], n.Outputs[0]
	var err error
	switch {
	case q.op == normL2:
		if q.inType == core.Uint8 {
			x, y := in.Uint8s(), out.Uint8s()
			if len(x) < total || len(y) < total {
				err = ewErrStorage
				break
			}
			ewQL2NormRows(q, x, y, rows, depth)
		} else {
			x, y := in.Int8s(), out.Int8s()
			if len(x) < total || len(y) < total {
				err = ewErrStorage
				break
			}
			ewQL2NormRows(q, x, y, rows, depth)
		}
	case q.s16 != nil:
		x, y := in.Int16s(), out.Int16s()
		if len(x) < total || len(y) < total {
			err = ewErrStorage
			break
		}
		qactSoftmax16Rows(q.s16, x, y, rows, depth)
	case q.op == normLogSoftmax && q.inType == core.Int8:
		x, y := in.Int8s(), out.Int8s()
		if len(x) < total || len(y) < total {
			err = ewErrStorage
			break
		}
		qactLogSoftmaxRows8(q, x, y, rows, depth)
	case q.op == normLogSoftmax:
		x, y := in.Uint8s(), out.Uint8s()
		if len(x) < total || len(y) < total {
			err = ewErrStorage
			break
		}
		ewQLogSoftmaxRows(q, x, y, rows, depth)
	case q.inType == core.Uint8:
		err = ewQSoftmaxOut(q, in.Uint8s(), out, total, rows, depth)
	case q.inType == core.Int8:
		err = ewQSoftmaxOut(q, in.Int8s(), out, total, rows, depth)
	}
	if err != nil {
		return n.Errorf("%v", err)
	}
	return nil
}

var ewErrStorage = fmt.Errorf("tensor storage does not match the prepared shapes")

func ewQSoftmaxOut[In ~uint8 | ~int8](q *ewQSoftmax, x []In, out *core.Tensor, total, rows, depth int) error {
	if len(x) < total {
		return ewErrStorage
	}
	switch q.outType {
	case core.Uint8:
		y := out.Uint8s()
		if len(y) < total {
			return ewErrStorage
		}
		ewQSoftmaxRows(q, x, y, rows, depth)
	case core.Int8:
		y := out.Int8s()
		if len(y) < total {
			return ewErrStorage
		}
		ewQSoftmaxRows(q, x, y, rows, depth)
	case core.Int16:
		y := out.Int16s()
		if len(y) < total {
			return ewErrStorage
		}
		ewQSoftmaxRows(q, x, y, rows, depth)
	}
	return nil
}

// ewQSoftmaxRows is optimized_ops::Softmax with the float lookup table: a
// float32 sum of the table entries in order, one reciprocal, and each
// probability rounded (uint8: + 0.5 and truncated, as TFLite's
// QuantizeSoftmaxOutput<uint8_t> does off aarch64; others: std::round).
func ewQSoftmaxRows[In ~uint8 | ~int8, Out ~uint8 | ~int8 | ~int16](q *ewQSoftmax, x []In, y []Out, rows, depth int) {
	outU8 := q.outType == core.Uint8
	for r := 0; r < rows; r++ {
		xr, yr := x[r*depth:(r+1)*depth], y[r*depth:(r+1)*depth]
		maxV := int32(math.MinInt32)
		for _, v := range xr {
			maxV = max(maxV, int32(v))
		}
		off := 255 - maxV
		var sum float32
		for _, v := range xr {
			sum += q.table[off+int32(v)]
		}
		inv := 1 / float32(sum*q.outScale)
		for j, v := range xr {
			p := float32(q.table[off+int32(v)] * inv)
			var pq int32
			if outU8 {
				pq = int32(float32(p+0.5)) + q.outZP
			} else {
				pq = int32(math.Round(float64(p))) + q.outZP
			}
			yr[j] = Out(min(max(pq, q.outLo), q.outHi))
		}
	}
}

// ewPrepareQLogSoftmax is activations.cc LogSoftmaxPrepare for uint8 and
// int8 (the kGenericOptimized float-table path): the output is fixed at
// scale 16/256 and zero point 255 (uint8) or 127 (int8), and the exp table
// is the softmax one with beta 1.
func ewPrepareQLogSoftmax(in, out *core.Tensor) (*ewQSoftmax, error) {
	typ := in.Type()
	if out.Type() != typ {
		return nil, fmt.Errorf("quantized LOG_SOFTMAX from %s to %s is not supported", typ, out.Type())
	}
	wantZP := int32(255)
	if typ == core.Int8 {
		wantZP = 127
	}
	inScale, _, err := ewQuantScalar(in)
	if err != nil {
		return nil, err
	}
	outScale, outZP, err := ewQuantScalar(out)
	if err != nil {
		return nil, err
	}
	if outScale != 16.0/256 || outZP != wantZP {
		return nil, fmt.Errorf("%s LOG_SOFTMAX output needs scale 16/256 and zero point %d, got %g and %d", typ, wantZP, outScale, outZP)
	}
	lo, hi := intRange(typ)
	q := &ewQSoftmax{op: normLogSoftmax, inType: typ, outType: typ, outScale: outScale, outZP: outZP, outLo: int32(lo), outHi: int32(hi), inScale: inScale}
	scale := -inScale
	for v := 0; v <= 255; v++ {
		q.table[255-v] = float32(math.Exp(float64(float32(scale * float32(v)))))
	}
	return q, nil
}

// ewQLogSoftmaxRows is optimized_ops::LogSoftmax for uint8: the float table
// sum, logf, then (input_scale*x - (input_scale*max + log_sum)) / out_scale
// in float32, rounded half to even (std::rint).
func ewQLogSoftmaxRows(q *ewQSoftmax, x, y []uint8, rows, depth int) {
	for r := 0; r < rows; r++ {
		xr, yr := x[r*depth:(r+1)*depth], y[r*depth:(r+1)*depth]
		var maxV uint8
		for _, v := range xr {
			maxV = max(maxV, v)
		}
		off := 255 - int(maxV)
		var sum float32
		for _, v := range xr {
			sum += q.table[off+int(v)]
		}
		logSum := float32(math.Log(float64(sum)))
		scale := q.inScale / q.outScale
		pre := float32(float32(q.inScale*float32(maxV))+logSum) / q.outScale
		for j, v := range xr {
			lp := float32(scale*float32(v)) - pre
			pq := int32(math.RoundToEven(float64(lp))) + q.outZP
			yr[j] = uint8(min(max(pq, q.outLo), q.outHi))
		}
	}
}
