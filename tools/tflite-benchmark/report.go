package main

import (
	"encoding/json"
	"math"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/edgelite/edgelite/interpreter/profiling"
	"github.com/edgelite/edgelite/tools/internal/cliutil"
)

type statJSON struct {
	Count int64    `json:"count"`
	First int64    `json:"first_us"`
	Curr  int64    `json:"curr_us"`
	Min   int64    `json:"min_us"`
	Max   int64    `json:"max_us"`
	Avg   *float64 `json:"avg_us"` // null with no runs
	Std   int64    `json:"std_us"`
	// Median and Samples: the timed runs only (Samples holds at most the
	// first 65536 runs' latencies, in run order).
	Median  *float64 `json:"median_us,omitempty"`
	Samples []int64  `json:"samples_us,omitempty"`
}

// withSamples adds the median and the per-run latencies.
func (s statJSON) withSamples(xs []int64) statJSON {
	if len(xs) == 0 {
		return s
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	n := len(sorted)
	m := float64(sorted[n/2])
	if n%2 == 0 {
		m = float64(sorted[n/2-1]+sorted[n/2]) / 2
	}
	s.Median, s.Samples = &m, xs
	return s
}

func toStatJSON(s *profiling.Stat) statJSON {
	out := statJSON{Count: s.Count(), First: s.First(), Curr: s.Newest(), Min: s.Min(), Max: s.Max(), Std: s.Std()}
	if avg := s.Avg(); !math.IsNaN(avg) {
		out.Avg = &avg
	}
	return out
}

type inputJSON struct {
	Name  string `json:"name"`
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
	Bytes int    `json:"bytes"`
}

type memoryJSON struct {
	// As benchmark_model: growth of the peak RSS (VmHWM) from the start,
	// after initialization and at the end.
	InitDeltaMB    float64 `json:"init_delta_mb"`
	OverallDeltaMB float64 `json:"overall_delta_mb"`
	// PeakMB is the largest VmHWM sampled every
	// memory_footprint_check_interval_ms (with --report_peak_memory_footprint).
	PeakMB *float64 `json:"peak_mb,omitempty"`
	// ProcStatusKB are /proc/self/status's kB figures at the end
	// (VmHWM, VmRSS, RssAnon, RssFile, RssShmem, ...).
	ProcStatusKB map[string]int64 `json:"proc_status_kb,omitempty"`
	// Edgelite's own accounting of the interpreter's memory.
	ArenaBytes      int64 `json:"arena_bytes"`
	PersistentBytes int64 `json:"persistent_bytes"`
}

type reportJSON struct {
	Tool             string              `json:"tool"`
	Time             string              `json:"time"`
	GOOS             string              `json:"goos"`
	GOARCH           string              `json:"goarch"`
	NumCPU           int                 `json:"num_cpu"`
	Graph            string              `json:"graph"`
	Model            string              `json:"model"`
	ModelSizeMB      float64             `json:"model_size_mb"`
	BenchmarkName    string              `json:"benchmark_name,omitempty"`
	NumThreads       int                 `json:"num_threads"`
	Inputs           []inputJSON         `json:"inputs"`
	InitUS           int64               `json:"init_us"`
	FirstInferenceUS int64               `json:"first_inference_us"`
	WarmupAvgUS      *float64            `json:"warmup_avg_us"`
	InferenceAvgUS   *float64            `json:"inference_avg_us"`
	Warmup           statJSON            `json:"warmup"`
	Inference        statJSON            `json:"inference"`
	Memory           *memoryJSON         `json:"memory,omitempty"`
	InitProfile      []profiling.Profile `json:"init_profile,omitempty"`
	Profile          []profiling.Profile `json:"profile,omitempty"`
}

// writeJSON writes every figure of the benchmark to p.outputJSON.
func writeJSON(p *params, b *bench, r *results) error {
	rep := reportJSON{
		Tool: "edgelite tflite-benchmark", Time: time.Now().UTC().Format(time.RFC3339),
		GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, NumCPU: runtime.NumCPU(),
		Graph: p.graph, Model: r.modelName, ModelSizeMB: float64(r.modelSize) / 1e6,
		BenchmarkName: p.benchmarkName, NumThreads: b.it.NumThreads(),
		InitUS: r.startupUS, FirstInferenceUS: r.warmup.First(),
		Warmup: toStatJSON(&r.warmup), Inference: toStatJSON(&r.inference).withSamples(b.samples),
	}
	rep.WarmupAvgUS, rep.InferenceAvgUS = rep.Warmup.Avg, rep.Inference.Avg
	for _, t := range b.inputs {
		rep.Inputs = append(rep.Inputs, inputJSON{t.Name(), cliutil.DType(t.Type()), t.Shape(), len(t.Bytes())})
	}
	if r.memOK {
		m := &memoryJSON{InitDeltaMB: float64(r.initMemKB) / 1024, OverallDeltaMB: float64(r.overallMemKB) / 1024,
			ProcStatusKB: procStatusKB(), ArenaBytes: b.it.ArenaBytes(), PersistentBytes: b.it.PersistentBytes()}
		if r.peakMemMB > 0 {
			peak := r.peakMemMB
			m.PeakMB = &peak
		}
		rep.Memory = m
	}
	if r.initProf != nil {
		rep.InitProfile = r.initProf.Profiles()
	}
	if b.runProf != nil {
		rep.Profile = b.runProf.Profiles()
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(p.outputJSON, append(data, '\n'), 0o644)
}
