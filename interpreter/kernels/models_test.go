package kernels_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
)

// The 13 MediaPipe float models: 10 from the npm packages (fetched by
// scripts/fetch-models.sh into testdata/models/mediapipe) and 3 from
// ../shared/models/mediapipe. Their reference outputs were computed by real
// TensorFlow Lite (../shared/reference/mediapipe).
var mediapipeModels = []string{
	"face_detection_full_range", "face_detection_full_range_sparse", "face_detection_short_range",
	"hand_landmark_full", "hand_landmark_lite",
	"palm_detection_full", "palm_detection_lite", "pose_detection",
	"pose_landmark_full", "pose_landmark_heavy", "pose_landmark_lite",
	"selfie_segmentation", "selfie_segmentation_landscape",
}

// modelTolerance is the bound on max|diff| relative to max|reference| per
// output: 1e-4 (REFERENCE.md), except two outputs of the pose_landmark
// models, which TFLite's own builds do not agree on either; there
// REFERENCE.md's pose_landmark bound, 2e-3, applies:
//   - Identity_2 (segmentation logits, up to ~1400): TFLite's SIMD and
//     non-SIMD wasm builds differ by 8.4e-4 on pose_landmark_full; Edgelite
//     is 8.2e-4 from the non-SIMD build and 1.66e-3 from the SIMD build
//     that made the reference (measured with compare.js; see the closing
//     note of issue 3).
//   - Identity_1 (pose presence): one sigmoid of a logit near -17, a value
//     of ~5e-8, so the logit's absolute error is amplified ~17 times; the
//     two TFLite builds differ by 1.5e-4 of it.
func modelTolerance(model, output string) float64 {
	if strings.HasPrefix(model, "pose_landmark") && (output == "Identity_1" || output == "Identity_2") {
		return 2e-3
	}
	return 1e-4
}

func findModel(name string) string {
	for _, dir := range []string{"../../testdata/models/mediapipe", "../../../shared/models/mediapipe"} {
		p := filepath.Join(dir, name+".tflite")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

type refMeta struct {
	Inputs []struct {
		Name  string `json:"name"`
		Shape []int  `json:"shape"`
		File  string `json:"file"`
	} `json:"inputs"`
	Outputs []struct {
		Name  string `json:"name"`
		Shape []int  `json:"shape"`
		File  string `json:"file"`
	} `json:"outputs"`
}

// TestMediaPipeModelsMatchTFLite runs each real model on TFLite's reference
// inputs and compares every output.
func TestMediaPipeModelsMatchTFLite(t *testing.T) {
	for _, name := range mediapipeModels {
		t.Run(name, func(t *testing.T) {
			path := findModel(name)
			refDir := filepath.Join("../../../shared/reference/mediapipe", name)
			if path == "" {
				t.Skipf("model %s.tflite not found in testdata/models/mediapipe (run scripts/fetch-models.sh) or ../shared/models/mediapipe", name)
			}
			if _, err := os.Stat(filepath.Join(refDir, "meta.json")); err != nil {
				t.Skipf("reference %s not found", refDir)
			}
			raw, err := os.ReadFile(filepath.Join(refDir, "meta.json"))
			require.NoError(t, err)
			var meta refMeta
			require.NoError(t, json.Unmarshal(raw, &meta))

			m, err := interpreter.LoadModelFile(path)
			require.NoError(t, err)
			defer m.Close()
			it, err := interpreter.New(m)
			require.NoError(t, err)
			defer it.Close()
			require.NoError(t, it.AllocateTensors())
			require.Len(t, it.Inputs(), len(meta.Inputs))
			for i, in := range meta.Inputs {
				data, err := os.ReadFile(filepath.Join(refDir, in.File))
				require.NoError(t, err)
				require.NoError(t, it.Input(i).CopyFromBuffer(data), "input %d", i)
			}
			require.NoError(t, it.Invoke())
			require.Len(t, it.Outputs(), len(meta.Outputs))
			for i, out := range meta.Outputs {
				data, err := os.ReadFile(filepath.Join(refDir, out.File))
				require.NoError(t, err)
				got := it.Output(i)
				require.Equal(t, out.Name, got.Name())
				require.Equal(t, out.Shape, got.Shape(), "output %s", out.Name)
				ref := make([]float32, len(data)/4)
				for j := range ref {
					ref[j] = math.Float32frombits(uint32(data[4*j]) | uint32(data[4*j+1])<<8 | uint32(data[4*j+2])<<16 | uint32(data[4*j+3])<<24)
				}
				vals := got.Float32s()
				require.Len(t, vals, len(ref))
				var maxRef, maxDiff float64
				worst := 0
				for j := range ref {
					maxRef = max(maxRef, math.Abs(float64(ref[j])))
					if d := math.Abs(float64(vals[j]) - float64(ref[j])); d > maxDiff || math.IsNaN(d) {
						maxDiff, worst = d, j
					}
				}
				tol := modelTolerance(name, out.Name)
				rel := maxDiff / max(maxRef, 1e-30)
				t.Logf("%s: max|diff| %.3g, max|ref| %.3g, relative %.3g (bound %g)", out.Name, maxDiff, maxRef, rel, tol)
				require.LessOrEqual(t, rel, tol, "%s: element %d is %v, TFLite gives %v", out.Name, worst, vals[worst], ref[worst])
			}
		})
	}
}

type opCounter map[string]int

func (c opCounter) BeginOp(_, _ int, op string) { c[op]++ }
func (c opCounter) EndOp(_, _ int)              {}

// DEQUANTIZE of fp16 weights and DENSIFY of sparse weights run once, in
// AllocateTensors, never in Invoke.
func TestWeightDecodingIsFoldedInRealModels(t *testing.T) {
	path := findModel("face_detection_full_range_sparse")
	if path == "" {
		t.Skip("model face_detection_full_range_sparse.tflite not found in testdata/models/mediapipe (run scripts/fetch-models.sh)")
	}
	m, err := interpreter.LoadModelFile(path)
	require.NoError(t, err)
	defer m.Close()
	counts := opCounter{}
	it, err := interpreter.New(m, interpreter.WithProfiler(counts))
	require.NoError(t, err)
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Invoke())
	require.Zero(t, counts["DEQUANTIZE"])
	require.Zero(t, counts["DENSIFY"])
	require.NotZero(t, counts["CONV_2D"])
	require.Positive(t, it.PersistentBytes())
}
