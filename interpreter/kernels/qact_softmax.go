package kernels

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/edgelite/edgelite/interpreter/core"
)

// qactSoftmax16 is int16 SOFTMAX (version 3) as TFLite's activations.cc
// SoftmaxPrepare and reference_ops::SoftmaxInt16 compute it: the input
// difference to the row maximum rescaled so that [-65535, 0] spans
// [-10, 0], exp looked up in a 513-entry interpolated table, the sum's
// reciprocal looked up in a 1/(1+x) table.
type qactSoftmax16 struct {
	mul   int32
	shift int
	exp   [513]int16
	inv   [513]int16
}

// qactMaxSoftmax16Depth keeps the Q16.15 sum of a row's exps (each at
// most 32767) inside int32.
const qactMaxSoftmax16Depth = 65535

// qactPrepareSoftmax16 is SoftmaxPrepare for int16 input and output.
func qactPrepareSoftmax16(beta float32, in, out *core.Tensor) (*ewQSoftmax, error) {
	if out.Type() != core.Int16 {
		return nil, fmt.Errorf("quantized SOFTMAX from INT16 to %s is not supported", out.Type())
	}
	if r := in.Rank(); r < 1 || r > 4 {
		return nil, fmt.Errorf("INT16 SOFTMAX takes ranks 1 to 4 (TFLite's SoftmaxInt16), got %d", r)
	}
	if d := in.Shape()[in.Rank()-1]; d > qactMaxSoftmax16Depth {
		return nil, fmt.Errorf("INT16 SOFTMAX rows of %d values overflow TFLite's int32 sum (at most %d)", d, qactMaxSoftmax16Depth)
	}
	si, zi, err := ewQuantScalar(in)
	if err != nil {
		return nil, err
	}
	so, zo, err := ewQuantScalar(out)
	if err != nil {
		return nil, err
	}
	if zi != 0 || zo != 0 {
		return nil, fmt.Errorf("INT16 zero points must be 0 (input %d, output %d)", zi, zo)
	}
	// TF_LITE_ENSURE_NEAR in float32.
	if want := float32(1.0 / 32768); float32(math.Abs(float64(so-want))) > 0.001*want {
		return nil, fmt.Errorf("INT16 SOFTMAX output needs scale 1/32768, got %g", so)
	}
	s := &qactSoftmax16{}
	// The scale-beta product is float32 in TFLite, the division double.
	s.mul, s.shift = quantizeMultiplier(float64(si*beta) / (10.0 / 65535.0))
	const rng = 65535.0
	qactPopulateLUT16(10.0/rng, 32767, 2.0/rng, 0, math.Exp, &s.exp)
	qactPopulateLUT16(1.0/rng, -32768, 2.0/rng, 0, func(v float64) float64 { return 1 / (1 + v) }, &s.inv)
	q := &ewQSoftmax{op: normSoftmax, inType: core.Int16, outType: core.Int16, s16: s}
	return q, nil
}

// qactPopulateLUT16 is TFLite's LUTPopulateInt16 with double arithmetic
// (kernels/internal/common.h, as SoftmaxPrepare calls it): 512 samples of
// f over the input range, each lowered by half the midpoint error of the
// linear interpolation, and the end point.
func qactPopulateLUT16(inScale float64, inZP int32, outScale float64, outZP int32, f func(float64) float64, lut *[513]int16) {
	inMin := inScale * float64(-32768-inZP)
	inMax := inScale * float64(32767-inZP)
	outMin := outScale * float64(-32768-outZP)
	outMax := outScale * float64(32767-outZP)
	const steps = 512
	step := (inMax - inMin) / steps
	half := step / 2
	inv := 65536 / (outMax - outMin)
	clamp := func(v float64) int16 { return int16(min(max(v, -32768), 32767)) }
	for i := range steps {
		// Explicit conversions round each product, as C++ does.
		x := inMin + float64(float64(i)*step)
		val := f(x)
		mid := f(x + half)
		next := f(inMin + float64(float64(i+1)*step))
		sample := math.Round(float64(val * inv))
		interp := math.Round((float64(next*inv) + sample) / 2)
		midVal := math.Round(float64(mid * inv))
		bias := math.Round((interp - midVal) / 2)
		lut[i] = clamp(sample - bias)
	}
	lut[steps] = clamp(math.Round(float64(f(inMax) * inv)))
}

// qactLUTLookup16 is TFLite's LUTLookup for int16: the table entry of the
// top 9 bits, interpolated by the low 7.
func qactLUTLookup16(v int16, lut *[513]int16) int16 {
	index := uint16(256 + int32(v>>7))
	offset := int32(v & 0x7f)
	base := lut[index]
	slope := lut[index+1] - base
	delta := (int32(slope)*offset + 64) >> 7
	return int16(int32(base) + delta)
}

// qactSoftmax16Rows is reference_ops::SoftmaxInt16 row by row; y holds
// the exps until the last loop rescales them.
func qactSoftmax16Rows(s *qactSoftmax16, x, y []int16, rows, depth int) {
	for r := range rows {
		xr, yr := x[r*depth:(r+1)*depth], y[r*depth:(r+1)*depth]
		maxV := int16(math.MinInt16)
		for _, v := range xr {
			maxV = max(maxV, v)
		}
		var sum int32
		for c, v := range xr {
			scaled := multiplyByQuantizedMultiplier(int32(v)-int32(maxV), s.mul, s.shift) + 32767
			e := qactLUTLookup16(int16(min(max(scaled, -32768), 32767)), &s.exp)
			yr[c] = e
			sum += int32(e)
		}
		h := bits.LeadingZeros32(uint32(sum))
		shifted := int32((int64(sum)<<(h-1) + 1<<13) >> 14)
		sym := shifted - (1<<15 + 1<<16)
		recip := int64(qactLUTLookup16(int16(min(max(sym, -32768), 32767)), &s.inv))
		rs := 31 - h
		round := int64(1) << (rs - 1)
		for c, e := range yr {
			v := int32((int64(e)*recip + round) >> rs)
			yr[c] = int16(min(max(v, 0), 32767))
		}
	}
}

// qactLogSoftmaxRows8 is optimized_ops::LogSoftmax for int8: the float
// table sum from the row maximum, logf, then
// (input_scale*x - (input_scale*max + log_sum)/output_scale) in float32,
// rounded half to even.
func qactLogSoftmaxRows8(q *ewQSoftmax, x, y []int8, rows, depth int) {
	for r := range rows {
		xr, yr := x[r*depth:(r+1)*depth], y[r*depth:(r+1)*depth]
		maxV := int8(math.MinInt8)
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
			lp := float32(float32(scale*float32(v)) - pre)
			pq := int32(math.RoundToEven(float64(lp))) + q.outZP
			yr[j] = int8(min(max(pq, q.outLo), q.outHi))
		}
	}
}
