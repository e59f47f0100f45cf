package vec

// DWI8Acc3x3 sets acc[i] to the sum over a 3×3 window of
// (x+inOff)*(w+fOff) in int32 arithmetic (wrapping), for channels
// [0, len(acc)&^7), and returns that count (0 when it did nothing; the
// caller computes the channels from the returned count on). Channel i's
// taps are x[p + fy*rs + fx*cs + i] and w[(fy*3+fx)*cs + i]; the sum runs
// in (fy, fx) order, which integer addition does not depend on anyway.
func DWI8Acc3x3(acc []int32, x []int8, p, cs, rs int, w []int8, inOff, fOff int32) int {
	n8 := len(acc) &^ 7
	if !hasAVX2 || n8 == 0 || p < 0 || cs < n8 || rs < 3*cs {
		return 0
	}
	if len(x) < p+2*rs+2*cs+n8 || len(w) < 8*cs+n8 {
		return 0
	}
	dwI8K3AVX2(&acc[0], &x[p], &w[0], n8, cs, rs, inOff, fOff)
	return n8
}

// RequantI8 holds per-channel parameters of RequantI8.Apply, derived once
// from TFLite's quantized multipliers and shifts.
type RequantI8 struct {
	mult, left, right, right1, rmask []int32
	// ok is set when every multiplier and shift is in the loop's range.
	ok bool
}

// NewRequantI8 prepares channels' multipliers (in [0, 2^31)) and shifts
// (positive: left).
func NewRequantI8(mult []int32, shift []int) RequantI8 {
	n := len(mult)
	r := RequantI8{mult: append([]int32(nil), mult...), left: make([]int32, n), right: make([]int32, n), right1: make([]int32, n), rmask: make([]int32, n), ok: true}
	for i, s := range shift[:n] {
		if mult[i] < 0 || s > 31 || s < -31 {
			r.ok = false
		}
		if s > 0 {
			r.left[i] = int32(s)
		} else if s < 0 {
			r.right[i], r.right1[i], r.rmask[i] = int32(-s), int32(-s-1), 1
		}
	}
	return r
}

// Apply sets y[i] = clamp(MultiplyByQuantizedMultiplier-NEON(acc[i]) + off,
// lo, hi) for channels c0+i, i < len(acc)&^7, rounding as TFLite's
// vectorised output stage (vqrdmulhq_s32, then a right shift rounding half
// up), and returns that count (0 when it did nothing; the caller computes
// the channels from the returned count on). lo and hi lie in int8's range.
func (r *RequantI8) Apply(y []int8, acc []int32, c0 int, off, lo, hi int32) int {
	n8 := len(acc) &^ 7
	if !hasAVX2 || !r.ok || n8 == 0 || c0 < 0 || len(y) < n8 || c0+n8 > len(r.mult) || lo < -128 || hi > 127 {
		return 0
	}
	requantI8AVX2(&y[0], &acc[0], &r.mult[c0], &r.left[c0], &r.right[c0], &r.right1[c0], &r.rmask[c0], n8, off, lo, hi)
	return n8
}
