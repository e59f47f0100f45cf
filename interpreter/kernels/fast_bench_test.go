package kernels_test

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/edgelite/edgelite/interpreter"
)

// fastBenchModels are the MediaPipe models the fast kernels are measured on.
var fastBenchModels = []string{"face_detection_short_range", "hand_landmark_lite", "pose_landmark_lite", "selfie_segmentation"}

// BenchmarkMediaPipeInvoke measures one Invoke per model on one thread.
// It reports the mean (ns/op) and the fastest run (min-ms).
// EDGELITE_OPTIMES=1 also prints the time spent per operator type.
func BenchmarkMediaPipeInvoke(b *testing.B) {
	for _, name := range fastBenchModels {
		b.Run(name, func(b *testing.B) {
			path := findModel(name)
			if path == "" {
				b.Skipf("model %s not found", name)
			}
			m, err := interpreter.LoadModelFile(path)
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			var opts []interpreter.Option
			var prof *fastOpTimer
			if os.Getenv("EDGELITE_OPTIMES") != "" {
				prof = &fastOpTimer{total: map[string]time.Duration{}}
				opts = append(opts, interpreter.WithProfiler(prof))
			}
			it, err := interpreter.New(m, append(opts, interpreter.WithNumThreads(1))...)
			if err != nil {
				b.Fatal(err)
			}
			defer it.Close()
			if err := it.AllocateTensors(); err != nil {
				b.Fatal(err)
			}
			if err := it.Invoke(); err != nil {
				b.Fatal(err)
			}
			// The machine is shared: the fastest Invoke is reported too
			// (min-ms), less disturbed by other load than the mean.
			best := time.Duration(1<<63 - 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if err := it.Invoke(); err != nil {
					b.Fatal(err)
				}
				best = min(best, time.Since(t0))
			}
			b.StopTimer()
			b.ReportMetric(float64(best)/1e6, "min-ms")
			if prof != nil {
				prof.print(name, b.N+1)
			}
		})
	}
}

type fastOpTimer struct {
	op    string
	start time.Time
	total map[string]time.Duration
}

func (p *fastOpTimer) BeginOp(_, _ int, op string) { p.op, p.start = op, time.Now() }
func (p *fastOpTimer) EndOp(_, _ int)              { p.total[p.op] += time.Since(p.start) }

func (p *fastOpTimer) print(model string, runs int) {
	var ops []string
	var sum time.Duration
	for op, d := range p.total {
		ops = append(ops, op)
		sum += d
	}
	sort.Slice(ops, func(i, j int) bool { return p.total[ops[i]] > p.total[ops[j]] })
	fmt.Printf("%s (%d runs, %v per run)\n", model, runs, sum/time.Duration(runs))
	for _, op := range ops {
		fmt.Printf("  %-24s %10v %5.1f%%\n", op, p.total[op]/time.Duration(runs), 100*float64(p.total[op])/float64(sum))
	}
}
