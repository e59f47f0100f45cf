package kernels_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
)

// thModels are the larger models whose DEPTHWISE_CONV_2D, pooling,
// RESIZE_BILINEAR, ADD/MUL, PRELU and activation fast paths split over
// the pool (th_split.go): float MediaPipe models and int8/uint8 Coral ones.
var thModels = []string{
	"selfie_segmentation", "hand_landmark_full", "pose_landmark_full", "palm_detection_full",
	"face_detection_full_range", "tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v1_0.25_128_quant",
}

// TestThreadsSplitMatchOneThread: every output of a model on two threads
// is bit-identical to one thread, and Invoke on two threads allocates
// nothing.
func TestThreadsSplitMatchOneThread(t *testing.T) {
	for _, name := range thModels {
		t.Run(name, func(t *testing.T) {
			one, two := gcModel(t, name, 1), gcModel(t, name, 2)
			require.NoError(t, one.Invoke())
			require.NoError(t, two.Invoke())
			require.Len(t, two.Outputs(), len(one.Outputs()))
			for i := range one.Outputs() {
				require.Equal(t, one.Output(i).Bytes(), two.Output(i).Bytes(), "output %d", i)
			}
			allocs := testing.AllocsPerRun(2, func() {
				if err := two.Invoke(); err != nil {
					t.Fatal(err)
				}
			})
			require.Zero(t, allocs, "allocations per Invoke with 2 threads")
		})
	}
}

// BenchmarkThreads times Invoke of the larger models on 1 and 2 threads:
// ns/op is the mean, median-ms and min-ms the median and fastest Invoke
// (the machine is shared; the median is less disturbed than the mean).
// EDGELITE_OPTIMES=1 also prints the time per operator type.
func BenchmarkThreads(b *testing.B) {
	for _, name := range append(thModels, "pose_landmark_heavy") {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(b *testing.B) {
				var prof *fastOpTimer
				var opts []interpreter.Option
				if os.Getenv("EDGELITE_OPTIMES") != "" {
					prof = &fastOpTimer{total: map[string]time.Duration{}}
					opts = append(opts, interpreter.WithProfiler(prof))
				}
				it := gcModel(b, name, threads, opts...)
				require.NoError(b, it.Invoke())
				var times []time.Duration
				b.ResetTimer()
				for b.Loop() {
					t0 := time.Now()
					if err := it.Invoke(); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(t0))
				}
				b.StopTimer()
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2])/1e6, "median-ms")
				b.ReportMetric(float64(times[0])/1e6, "min-ms")
				if prof != nil {
					prof.print(fmt.Sprintf("%s threads=%d", name, threads), b.N+1)
				}
			})
		}
	}
}
