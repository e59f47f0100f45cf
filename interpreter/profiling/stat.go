package profiling

import (
	"fmt"
	"math"
	"strconv"
)

// Stat is TensorFlow's Stat<int64_t>: running statistics of integer
// samples (durations in microseconds in benchmark_model's log).
type Stat struct {
	first, newest, max, min int64
	count, sum              int64
	squaredSum              float64
}

// Update adds one sample.
func (s *Stat) Update(v int64) {
	if s.count == 0 {
		s.first, s.min, s.max = v, v, v
	}
	s.newest = v
	s.max = max(s.max, v)
	s.min = min(s.min, v)
	s.count++
	s.sum += v
	s.squaredSum += float64(v) * float64(v)
}

// Count is the number of samples.
func (s *Stat) Count() int64 { return s.count }

// Sum is the sum of the samples.
func (s *Stat) Sum() int64 { return s.sum }

// First is the first sample (0 if none).
func (s *Stat) First() int64 { return s.first }

// Newest is the latest sample (0 if none).
func (s *Stat) Newest() int64 { return s.newest }

// Min is the smallest sample (0 if none).
func (s *Stat) Min() int64 { return s.min }

// Max is the largest sample (0 if none).
func (s *Stat) Max() int64 { return s.max }

// AllSame says whether every sample is equal (true with none).
func (s *Stat) AllSame() bool { return s.count == 0 || s.min == s.max }

// Avg is the mean (NaN with no samples, as in TensorFlow).
func (s *Stat) Avg() float64 {
	if s.count == 0 {
		return math.NaN()
	}
	return float64(s.sum) / float64(s.count)
}

// Std is the population standard deviation, truncated to an integer as
// Stat<int64_t> does.
func (s *Stat) Std() int64 {
	if s.AllSame() {
		return 0
	}
	return int64(math.Sqrt(s.squaredSum/float64(s.count) - s.Avg()*s.Avg()))
}

// String is Stat::OutputToStream: "count=50 first=... curr=... min=...
// max=... avg=... std=...", "count=N curr=C(all same)" when every sample
// is equal, "count=0" with none.
func (s *Stat) String() string {
	switch {
	case s.count == 0:
		return "count=0"
	case s.AllSame():
		out := fmt.Sprintf("count=%d curr=%d", s.count, s.newest)
		if s.count > 1 {
			out += "(all same)"
		}
		return out
	}
	return fmt.Sprintf("count=%d first=%d curr=%d min=%d max=%d avg=%s std=%d",
		s.count, s.first, s.newest, s.min, s.max, FormatG(s.Avg()), s.Std())
}

// FormatG formats a float as a C++ stream does by default (%g with 6
// significant digits; "nan", "inf").
func FormatG(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
