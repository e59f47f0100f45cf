package flexbuffers

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ssdOptions is the custom_options vector (316 bytes, custom_options_format
// FLEXBUFFERS) of the TFLite_Detection_PostProcess operator in
// shared/models/coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers.tflite,
// written by TensorFlow's converter with the C++ FlexBuffers Builder. It was
// located by its key strings; the vector's uint32 length precedes it at file
// offset 14132. TestSSDOptionsInModel checks it against the model when the
// shared models are present.
var ssdOptions = []byte{
	0x64, 0x65, 0x74, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x73, 0x5f, 0x70, 0x65, 0x72, 0x5f, 0x63,
	0x6c, 0x61, 0x73, 0x73, 0x00, 0x5f, 0x73, 0x75, 0x70, 0x70, 0x6f, 0x72, 0x74, 0x5f, 0x6f, 0x75,
	0x74, 0x70, 0x75, 0x74, 0x5f, 0x74, 0x79, 0x70, 0x65, 0x5f, 0x66, 0x6c, 0x6f, 0x61, 0x74, 0x5f,
	0x69, 0x6e, 0x5f, 0x71, 0x75, 0x61, 0x6e, 0x74, 0x69, 0x7a, 0x65, 0x64, 0x5f, 0x6f, 0x70, 0x00,
	0x6d, 0x61, 0x78, 0x5f, 0x64, 0x65, 0x74, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x73, 0x00, 0x78,
	0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x75, 0x73, 0x65, 0x5f, 0x72, 0x65, 0x67, 0x75, 0x6c,
	0x61, 0x72, 0x5f, 0x6e, 0x6d, 0x73, 0x00, 0x6d, 0x61, 0x78, 0x5f, 0x63, 0x6c, 0x61, 0x73, 0x73,
	0x65, 0x73, 0x5f, 0x70, 0x65, 0x72, 0x5f, 0x64, 0x65, 0x74, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e,
	0x00, 0x79, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x5f, 0x6f, 0x75, 0x74, 0x70, 0x75, 0x74,
	0x5f, 0x71, 0x75, 0x61, 0x6e, 0x74, 0x69, 0x7a, 0x65, 0x64, 0x00, 0x6e, 0x6d, 0x73, 0x5f, 0x73,
	0x63, 0x6f, 0x72, 0x65, 0x5f, 0x74, 0x68, 0x72, 0x65, 0x73, 0x68, 0x6f, 0x6c, 0x64, 0x00, 0x6e,
	0x6d, 0x73, 0x5f, 0x69, 0x6f, 0x75, 0x5f, 0x74, 0x68, 0x72, 0x65, 0x73, 0x68, 0x6f, 0x6c, 0x64,
	0x00, 0x77, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x68, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65,
	0x00, 0x6e, 0x75, 0x6d, 0x5f, 0x63, 0x6c, 0x61, 0x73, 0x73, 0x65, 0x73, 0x00, 0x0d, 0x55, 0xca,
	0xe0, 0x18, 0x7b, 0xa3, 0x35, 0x4a, 0x15, 0x90, 0x27, 0x9a, 0x69, 0x00, 0x0e, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x40, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
	0x9a, 0x99, 0x19, 0x3f, 0x9a, 0x99, 0x99, 0x3e, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xa0, 0x40, 0x00, 0x00, 0x20, 0x41, 0x00, 0x00, 0x20, 0x41, 0x6a, 0x6a, 0x06, 0x0e,
	0x06, 0x06, 0x0e, 0x0e, 0x06, 0x6a, 0x0e, 0x0e, 0x0e, 0x41, 0x26, 0x01,
}

const ssdModel = "../../shared/models/coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers.tflite"

func TestSSDOptionsInModel(t *testing.T) {
	model, err := os.ReadFile(ssdModel)
	if os.IsNotExist(err) {
		t.Skip("shared model not present: " + ssdModel)
	}
	require.NoError(t, err)
	i := bytes.Index(model, ssdOptions)
	require.GreaterOrEqual(t, i, 4, "options bytes not found in the model")
	// A FlatBuffers [ubyte] vector: uint32 length, then the bytes.
	assert.Equal(t, uint32(len(ssdOptions)), binary.LittleEndian.Uint32(model[i-4:]))
}

func TestSSDOptions(t *testing.T) {
	root, err := Root(ssdOptions)
	require.NoError(t, err)
	require.Equal(t, TypeMap, root.Type())
	m, err := root.Map()
	require.NoError(t, err)

	// The stored keys, in the bytewise order the C++ Builder sorted them.
	var keys []string
	for k := range m.All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{
		"_output_quantized",
		"_support_output_type_float_in_quantized_op",
		"detections_per_class",
		"h_scale",
		"max_classes_per_detection",
		"max_detections",
		"nms_iou_threshold",
		"nms_score_threshold",
		"num_classes",
		"use_regular_nms",
		"w_scale",
		"x_scale",
		"y_scale",
	}, keys)

	get := func(k string) Reference {
		v, ok := m.Get(k)
		require.True(t, ok, k)
		return v
	}
	// The SSD defaults, except max_detections (20 rather than 10) and
	// nms_score_threshold (0.3 rather than 1e-8): this Coral model sets them.
	assert.Equal(t, TypeInt, get("max_detections").Type())
	assert.Equal(t, int64(20), get("max_detections").Int())
	assert.Equal(t, int64(1), get("max_classes_per_detection").Int())
	assert.Equal(t, int64(100), get("detections_per_class").Int())
	assert.Equal(t, int64(90), get("num_classes").Int())
	assert.Equal(t, TypeFloat, get("nms_iou_threshold").Type())
	assert.Equal(t, float64(float32(0.6)), get("nms_iou_threshold").Float())
	assert.Equal(t, float64(float32(0.3)), get("nms_score_threshold").Float())
	assert.Equal(t, 10.0, get("y_scale").Float())
	assert.Equal(t, 10.0, get("x_scale").Float())
	assert.Equal(t, 5.0, get("h_scale").Float())
	assert.Equal(t, 5.0, get("w_scale").Float())
	assert.Equal(t, TypeBool, get("use_regular_nms").Type())
	assert.False(t, get("use_regular_nms").Bool())
	assert.True(t, get("_output_quantized").Bool())
	assert.True(t, get("_support_output_type_float_in_quantized_op").Bool())
	_, ok := m.Get("max_detection")
	assert.False(t, ok)

	// Numeric conversions as a kernel reading the options would use them.
	assert.Equal(t, 20.0, get("max_detections").Float())
	assert.Equal(t, int64(0), get("nms_iou_threshold").Int())
	assert.Equal(t, int64(10), get("y_scale").Int())

	got, err := root.ToAny()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"_output_quantized":                          true,
		"_support_output_type_float_in_quantized_op": true,
		"detections_per_class":                       int64(100),
		"h_scale":                                    5.0,
		"max_classes_per_detection":                  int64(1),
		"max_detections":                             int64(20),
		"nms_iou_threshold":                          float64(float32(0.6)),
		"nms_score_threshold":                        float64(float32(0.3)),
		"num_classes":                                int64(90),
		"use_regular_nms":                            false,
		"w_scale":                                    5.0,
		"x_scale":                                    10.0,
		"y_scale":                                    10.0,
	}, got)

	assert.Equal(t, `{"_output_quantized": true, `+
		`"_support_output_type_float_in_quantized_op": true, "detections_per_class": 100, `+
		`"h_scale": 5.0, "max_classes_per_detection": 1, "max_detections": 20, `+
		`"nms_iou_threshold": 0.6, "nms_score_threshold": 0.3, "num_classes": 90, `+
		`"use_regular_nms": false, "w_scale": 5.0, "x_scale": 10.0, "y_scale": 10.0}`, root.String())
}

// TestSSDOptionsRebuild writes the same options with the Go Builder, in the
// order TFLite's converter adds them, and gets the converter's bytes back.
func TestSSDOptionsRebuild(t *testing.T) {
	var b Builder
	b.StartMap()
	for _, kv := range []struct {
		k string
		v any
	}{
		{"detections_per_class", int64(100)},
		{"_support_output_type_float_in_quantized_op", true},
		{"max_detections", int64(20)},
		{"x_scale", float32(10)},
		{"use_regular_nms", false},
		{"max_classes_per_detection", int64(1)},
		{"y_scale", float32(10)},
		{"_output_quantized", true},
		{"nms_score_threshold", float32(0.3)},
		{"nms_iou_threshold", float32(0.6)},
		{"w_scale", float32(5)},
		{"h_scale", float32(5)},
		{"num_classes", int64(90)},
	} {
		b.Key(kv.k)
		b.Add(kv.v)
	}
	b.EndMap()
	out, err := b.Finish()
	require.NoError(t, err)
	assert.Equal(t, ssdOptions, out)
}
