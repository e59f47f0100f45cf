package kernels_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
)

const coralDir = "../../../shared/models/coral"

// TestCoralModelsMatchTFLiteBitExactly runs the quantized Coral models on
// the reference inputs and compares every output byte with what TFLite
// 2.14's builtin kernels computed (../shared/reference/coral), then checks
// that Invoke on them allocates nothing.
//
// tf2_mobilenet_v2_1.0_224_ptq is what pins the int8 rounding rules: its
// reference needs ruy's half-up requantization in CONV_2D, the NEON
// output stage in DEPTHWISE_CONV_2D and MEAN_OPT (see conv_quant.go and
// spMeanInt8); with the reference kernels' rounding 7 of its 1001 outputs
// differ by up to 9 after SOFTMAX.
func TestCoralModelsMatchTFLiteBitExactly(t *testing.T) {
	for _, name := range []string{
		"mobilenet_v1_0.25_128_quant",
		"tf2_mobilenet_v2_1.0_224_ptq",
		"ssd_mobilenet_v1_coco_quant_postprocess_head_layers",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(coralDir, name+".tflite")
			refDir := filepath.Join("../../../shared/reference/coral", name)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("model %s not found (../shared is read-only test data)", path)
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
				want, err := os.ReadFile(filepath.Join(refDir, out.File))
				require.NoError(t, err)
				got := it.Output(i).Bytes()
				require.Equal(t, out.Shape, it.Output(i).Shape(), "output %s", out.Name)
				require.Equal(t, len(want), len(got), "output %s", out.Name)
				differ := 0
				first := -1
				for j := range want {
					if want[j] != got[j] {
						differ++
						if first < 0 {
							first = j
						}
					}
				}
				require.Zero(t, differ, "output %s: %d of %d bytes differ from TFLite (first at byte %d)", out.Name, differ, len(want), first)
			}
			allocs := testing.AllocsPerRun(5, func() {
				if err := it.Invoke(); err != nil {
					t.Fatal(err)
				}
			})
			require.Zero(t, allocs, "allocations per Invoke")
		})
	}
}

// readBMP decodes a bottom-up 24-bit uncompressed BMP into RGB rows.
func readBMP(path string) (w, h int, rgb []byte, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, nil, err
	}
	if len(b) < 54 || string(b[:2]) != "BM" {
		return 0, 0, nil, fmt.Errorf("%s: not a BMP", path)
	}
	off := int(binary.LittleEndian.Uint32(b[10:]))
	w = int(int32(binary.LittleEndian.Uint32(b[18:])))
	h = int(int32(binary.LittleEndian.Uint32(b[22:])))
	if bpp := binary.LittleEndian.Uint16(b[28:]); bpp != 24 || w <= 0 || h <= 0 {
		return 0, 0, nil, fmt.Errorf("%s: only bottom-up 24-bit BMPs are supported", path)
	}
	stride := (3*w + 3) &^ 3
	if off+stride*h > len(b) {
		return 0, 0, nil, fmt.Errorf("%s: truncated", path)
	}
	rgb = make([]byte, 3*w*h)
	for y := 0; y < h; y++ {
		row := b[off+(h-1-y)*stride:]
		for x := 0; x < w; x++ {
			// BMP stores BGR.
			rgb[3*(y*w+x)+0] = row[3*x+2]
			rgb[3*(y*w+x)+1] = row[3*x+1]
			rgb[3*(y*w+x)+2] = row[3*x+0]
		}
	}
	return w, h, rgb, nil
}

// TestMobilenetClassifiesTheCat: Coral's cat.bmp, resized to 128x128, is class 286 (Egyptian cat) for
// mobilenet_v1_0.25_128_quant.
func TestMobilenetClassifiesTheCat(t *testing.T) {
	path := filepath.Join(coralDir, "mobilenet_v1_0.25_128_quant.tflite")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("model %s not found (../shared is read-only test data)", path)
	}
	w, h, rgb, err := readBMP(filepath.Join(coralDir, "cat.bmp"))
	require.NoError(t, err)
	m, err := interpreter.LoadModelFile(path)
	require.NoError(t, err)
	defer m.Close()
	it, err := interpreter.New(m)
	require.NoError(t, err)
	require.NoError(t, it.AllocateTensors())
	in := it.Input(0).Uint8s()
	// Downscale by area averaging (each output pixel is the mean of the
	// source area it covers), an antialiased resize like the PIL one
	// Coral's classification example uses.
	const size = 128
	for y := 0; y < size; y++ {
		y0, y1 := float64(y)*float64(h)/size, float64(y+1)*float64(h)/size
		for x := 0; x < size; x++ {
			x0, x1 := float64(x)*float64(w)/size, float64(x+1)*float64(w)/size
			var sum [3]float64
			var area float64
			for sy := int(y0); float64(sy) < y1; sy++ {
				wy := min(y1, float64(sy+1)) - max(y0, float64(sy))
				for sx := int(x0); float64(sx) < x1; sx++ {
					wx := min(x1, float64(sx+1)) - max(x0, float64(sx))
					for c := range sum {
						sum[c] += wy * wx * float64(rgb[3*(sy*w+sx)+c])
					}
					area += wy * wx
				}
			}
			for c := range sum {
				in[3*(y*size+x)+c] = uint8(sum[c]/area + 0.5)
			}
		}
	}
	require.NoError(t, it.Invoke())
	scores := it.Output(0).Uint8s()
	best := 0
	for i, s := range scores {
		if s > scores[best] {
			best = i
		}
	}
	require.Equal(t, 286, best, "top-1 class (score %d)", scores[best])
}
