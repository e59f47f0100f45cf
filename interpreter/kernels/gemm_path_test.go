package kernels_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
)

// gcBenchModels are the MediaPipe models timed by BenchmarkMediaPipe and
// run on two threads by TestThreadsMatchOneThread.
var gcBenchModels = []string{"face_detection_short_range", "hand_landmark_lite", "pose_landmark_lite"}

// gcModel makes an allocated interpreter for a MediaPipe model with
// threads threads (and opts) and a fixed byte pattern in its inputs, or
// skips.
func gcModel(tb testing.TB, name string, threads int, opts ...interpreter.Option) *interpreter.Interpreter {
	tb.Helper()
	path := findModel(name)
	if p := filepath.Join(coralDir, name+".tflite"); path == "" {
		if _, err := os.Stat(p); err == nil {
			path = p
		}
	}
	if path == "" {
		tb.Skipf("model %s.tflite not found (see REFERENCE.md)", name)
	}
	buf, err := os.ReadFile(path)
	require.NoError(tb, err)
	m, err := interpreter.LoadModel(buf)
	require.NoError(tb, err)
	it, err := interpreter.New(m, append(opts, interpreter.WithNumThreads(threads))...)
	require.NoError(tb, err)
	tb.Cleanup(func() { it.Close() })
	require.NoError(tb, it.AllocateTensors())
	for i := range it.Inputs() {
		in := it.Input(i)
		data := make([]byte, len(in.Bytes()))
		// Small float32 values: the bytes of each word below its top
		// byte vary, the top byte keeps the exponent moderate.
		for j := range data {
			data[j] = byte(j*37 + 11)
			if j%4 == 3 {
				data[j] = 0x3E + byte(j/4%2)*0x80
			}
		}
		require.NoError(tb, in.CopyFromBuffer(data))
	}
	return it
}

// TestThreadsMatchOneThread runs real models on one thread and on a pool of
// two: every output must be bit-identical (the work split never changes
// a sum's order), and Invoke on two threads allocates nothing.
func TestThreadsMatchOneThread(t *testing.T) {
	for _, name := range gcBenchModels {
		t.Run(name, func(t *testing.T) {
			one, two := gcModel(t, name, 1), gcModel(t, name, 2)
			require.NoError(t, one.Invoke())
			require.NoError(t, two.Invoke())
			require.Len(t, two.Outputs(), len(one.Outputs()))
			for i := range one.Outputs() {
				require.Equal(t, one.Output(i).Bytes(), two.Output(i).Bytes(), "output %d", i)
			}
			allocs := testing.AllocsPerRun(3, func() {
				if err := two.Invoke(); err != nil {
					t.Fatal(err)
				}
			})
			require.Zero(t, allocs, "allocations per Invoke with 2 threads")
		})
	}
}

// TestThreadPoolStopsOnClose checks that WithNumThreads(n) starts its
// workers once, in New, and Close stops them.
func TestThreadPoolStopsOnClose(t *testing.T) {
	path := findModel("face_detection_short_range")
	if path == "" {
		t.Skip("model face_detection_short_range.tflite not found")
	}
	buf, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := interpreter.LoadModel(buf)
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	it, err := interpreter.New(m, interpreter.WithNumThreads(4))
	require.NoError(t, err)
	require.Equal(t, before+3, runtime.NumGoroutine(), "helpers of a 4-worker pool")
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Invoke())
	require.NoError(t, it.Invoke())
	require.Equal(t, before+3, runtime.NumGoroutine(), "Invoke starts no goroutine")
	require.NoError(t, it.Close())
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	require.Equal(t, before, runtime.NumGoroutine(), "Close stops the workers")
}

// BenchmarkCoral times Invoke of the int8 and uint8 Coral CPU models on 1
// and 2 threads.
func BenchmarkCoral(b *testing.B) {
	for _, name := range []string{"tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v1_0.25_128_quant"} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(b *testing.B) {
				gcBenchInvoke(b, gcModel(b, name, threads))
			})
		}
	}
}

func gcBenchInvoke(b *testing.B, it *interpreter.Interpreter) {
	require.NoError(b, it.Invoke())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := it.Invoke(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkMediaPipe times Invoke of MediaPipe models on 1 and 2 threads.
func BenchmarkMediaPipe(b *testing.B) {
	for _, name := range gcBenchModels {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(b *testing.B) {
				gcBenchInvoke(b, gcModel(b, name, threads))
			})
		}
	}
}
