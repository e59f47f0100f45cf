package kernels_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/scripts/conformance/cases"
)

// conformanceDir holds the vectors scripts/conformance made with TFLite.
const conformanceDir = "testdata/conformance"

const regenerate = "go run ./scripts/conformance -oracle .cache/tflite-oracle -out interpreter/kernels/testdata/conformance"

// TestConformance runs every single-op case of scripts/conformance/cases
// through the interpreter with the inputs TFLite was given and compares
// the outputs with TFLite's: floats within the case's relative tolerance,
// everything else bit-exact.
func TestConformance(t *testing.T) {
	for _, c := range cases.All() {
		t.Run(c.Name, func(t *testing.T) { runConformanceCase(t, c) })
	}
}

// TestConformanceVectorsKnown fails on vector folders whose case is gone.
func TestConformanceVectorsKnown(t *testing.T) {
	known := map[string]bool{}
	for _, c := range cases.All() {
		known[c.Name] = true
	}
	entries, err := os.ReadDir(conformanceDir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.True(t, known[e.Name()], "vectors %s have no case in scripts/conformance/cases; regenerate with %s", e.Name(), regenerate)
	}
}

func runConformanceCase(t *testing.T, c *cases.Case) {
	dir := filepath.Join(conformanceDir, c.Name)
	raw, err := os.ReadFile(filepath.Join(dir, "case.json"))
	require.NoError(t, err, "no vectors for this case; regenerate with %s", regenerate)
	var rec cases.Record
	require.NoError(t, json.Unmarshal(raw, &rec))

	model, err := c.Model()
	require.NoError(t, err)
	sum := sha256.Sum256(model)
	require.Equal(t, rec.ModelSHA256, hex.EncodeToString(sum[:]),
		"the case builds a different model than the vectors were made from; regenerate with %s", regenerate)

	m, err := interpreter.LoadModel(model)
	require.NoError(t, err)
	it, err := interpreter.New(m)
	require.NoError(t, err)
	defer it.Close()
	require.NoError(t, it.AllocateTensors())
	require.Len(t, it.Inputs(), len(rec.Inputs))
	for i, in := range rec.Inputs {
		data, err := os.ReadFile(filepath.Join(dir, in.File))
		require.NoError(t, err)
		require.NoError(t, it.Input(i).CopyFromBuffer(data), "input %d", i)
	}
	require.NoError(t, it.Invoke())
	require.Len(t, it.Outputs(), len(rec.Outputs))
	for i, out := range rec.Outputs {
		want, err := os.ReadFile(filepath.Join(dir, out.File))
		require.NoError(t, err)
		got := it.Output(i)
		require.Equal(t, out.Shape, append([]int{}, got.Shape()...), "output %d shape", i)
		require.Len(t, got.Bytes(), len(want), "output %d size", i)
		if out.DType == "float32" {
			compareFloat32(t, i, got.Bytes(), want, rec.FloatTol)
		} else {
			compareExact(t, i, out.DType, got.Bytes(), want, rec.OffByOne)
		}
	}
}

func float32sOf(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// compareFloat32 checks max|got-want| <= tol*max(1, max|want|); NaN must
// match NaN and infinities must match exactly.
func compareFloat32(t *testing.T, output int, gotB, wantB []byte, tol float64) {
	t.Helper()
	got, want := float32sOf(gotB), float32sOf(wantB)
	maxRef := 0.0
	for _, w := range want {
		if !math.IsNaN(float64(w)) && !math.IsInf(float64(w), 0) {
			maxRef = max(maxRef, math.Abs(float64(w)))
		}
	}
	bound := tol * max(1, maxRef)
	worst, worstAt := 0.0, -1
	for i := range want {
		g, w := float64(got[i]), float64(want[i])
		switch {
		case math.IsNaN(w) || math.IsNaN(g):
			assert.True(t, math.IsNaN(w) && math.IsNaN(g), "output %d[%d]: got %v, want %v", output, i, g, w)
		case math.IsInf(w, 0) || math.IsInf(g, 0):
			assert.Equal(t, w, g, "output %d[%d]", output, i)
		default:
			if d := math.Abs(g - w); d > worst {
				worst, worstAt = d, i
			}
		}
	}
	if worst > 0 {
		t.Logf("output %d: max |diff| %g = %.2g of max(1, max|ref|)", output, worst, worst/max(1, maxRef))
	}
	if worst > bound {
		t.Errorf("output %d: max |diff| %g at [%d] (got %v, want %v) exceeds %g", output, worst, worstAt, got[worstAt], want[worstAt], bound)
	}
}

// intsOf decodes little-endian integers of a dtype the oracle writes.
func intsOf(dtype string, b []byte) ([]int64, error) {
	switch dtype {
	case "int8":
		out := make([]int64, len(b))
		for i, v := range b {
			out[i] = int64(int8(v))
		}
		return out, nil
	case "uint8", "bool":
		out := make([]int64, len(b))
		for i, v := range b {
			out[i] = int64(v)
		}
		return out, nil
	case "int16":
		out := make([]int64, len(b)/2)
		for i := range out {
			out[i] = int64(int16(binary.LittleEndian.Uint16(b[2*i:])))
		}
		return out, nil
	case "int32":
		out := make([]int64, len(b)/4)
		for i := range out {
			out[i] = int64(int32(binary.LittleEndian.Uint32(b[4*i:])))
		}
		return out, nil
	case "uint32":
		out := make([]int64, len(b)/4)
		for i := range out {
			out[i] = int64(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown dtype %q", dtype)
}

// compareExact requires integer outputs to be bit-exact, or within one
// unit where the case allows it (XNNPACK references; see the case's note).
func compareExact(t *testing.T, output int, dtype string, gotB, wantB []byte, offByOne bool) {
	t.Helper()
	got, err := intsOf(dtype, gotB)
	require.NoError(t, err)
	want, err := intsOf(dtype, wantB)
	require.NoError(t, err)
	bad, ones, first := 0, 0, -1
	for i := range want {
		d := got[i] - want[i]
		if d == 0 {
			continue
		}
		if offByOne && (d == 1 || d == -1) {
			ones++
			continue
		}
		if first < 0 {
			first = i
		}
		bad++
	}
	if ones > 0 {
		t.Logf("output %d: %d of %d %s elements differ by one unit from the XNNPACK reference (allowed for this case)", output, ones, len(want), dtype)
	}
	if bad > 0 {
		t.Errorf("output %d: %d of %d %s elements differ; first at [%d]: got %d, want %d", output, bad, len(want), dtype, first, got[first], want[first])
	}
}
