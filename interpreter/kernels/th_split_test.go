package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/require"
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
