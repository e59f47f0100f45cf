package reference_test

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/delegates/reference"
	"github.com/edgelite/edgelite/interpreter"
)

// model returns a real model fetched under testdata/models, or skips.
func model(t *testing.T, name string) *interpreter.Model {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "models", name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not found (fetched by scripts/); skipping", path)
	}
	m, err := interpreter.LoadModelFile(path)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func runModel(t *testing.T, m *interpreter.Model, opts ...interpreter.Option) (*interpreter.Interpreter, [][]byte) {
	t.Helper()
	it, err := interpreter.New(m, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { it.Close() })
	require.NoError(t, it.AllocateTensors())
	r := rand.New(rand.NewPCG(7, 11))
	for _, in := range it.Inputs() {
		f := in.Float32s()
		require.NotNil(t, f, "float input expected")
		for i := range f {
			f[i] = r.Float32()*2 - 1
		}
	}
	require.NoError(t, it.Invoke())
	var outs [][]byte
	for _, o := range it.Outputs() {
		outs = append(outs, append([]byte(nil), o.Bytes()...))
	}
	return it, outs
}

// Real models give bit-identical outputs through the reference delegate:
// the same kernels compute every node, only the plan differs.
func TestRealModelsMatchTheCPU(t *testing.T) {
	for _, name := range []string{
		"mediapipe/pose_landmark_lite.tflite",
		"mediapipe/face_detection_short_range.tflite",
		"mediapipe/selfie_segmentation.tflite",
	} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			m := model(t, name)
			_, want := runModel(t, m)
			it, got := runModel(t, m, interpreter.WithDelegates(reference.New(reference.Options{})))
			p := it.Plan().Subgraphs[0]
			require.NotEmpty(t, p.Partitions)
			delegated := 0
			for _, part := range p.Partitions {
				delegated += len(part.Nodes)
			}
			t.Logf("%d of %d operators delegated in %d partitions", delegated, p.NumNodes, len(p.Partitions))
			require.Equal(t, len(want), len(got))
			for i := range want {
				assert.Equal(t, want[i], got[i], "output %d", i)
			}
			// The partitions' private tensors take arena space through the
			// delegate nodes' scratch, and Invoke allocates nothing.
			allocs := testing.AllocsPerRun(3, func() {
				if err := it.Invoke(); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
			assert.False(t, math.IsNaN(float64(it.Output(0).Float32s()[0])))
		})
	}
}
