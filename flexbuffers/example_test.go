package flexbuffers_test

import (
	"fmt"
	"log"

	"github.com/edgelite/edgelite/flexbuffers"
)

// Reading an operator's custom options, as a kernel would.
func ExampleRoot() {
	// Options as TFLite's converter writes them for a custom op.
	opts, err := flexbuffers.Marshal(map[string]any{
		"max_detections":    20,
		"nms_iou_threshold": float32(0.6),
		"use_regular_nms":   false,
	})
	if err != nil {
		log.Fatal(err)
	}

	root, err := flexbuffers.Root(opts)
	if err != nil {
		log.Fatal(err)
	}
	m, err := root.Map()
	if err != nil {
		log.Fatal(err)
	}
	maxDet, _ := m.Get("max_detections")
	iou, _ := m.Get("nms_iou_threshold")
	fmt.Println(maxDet.Int(), float32(iou.Float()))
	if _, ok := m.Get("detections_per_class"); !ok {
		fmt.Println("detections_per_class not set: use the default")
	}
	fmt.Println(root)
	// Output:
	// 20 0.6
	// detections_per_class not set: use the default
	// {"max_detections": 20, "nms_iou_threshold": 0.6, "use_regular_nms": false}
}

func ExampleMap_Get() {
	buf, _ := flexbuffers.Marshal(map[string]any{"name": "ssd", "classes": []int{1, 2, 3}})
	root, _ := flexbuffers.Root(buf)
	m, err := root.Map()
	if err != nil {
		log.Fatal(err)
	}
	name, ok := m.Get("name")
	fmt.Println(name.StringValue(), ok)
	classes, _ := m.Get("classes")
	v, err := classes.Vector()
	if err != nil {
		log.Fatal(err)
	}
	for i, c := range v.All() {
		fmt.Println(i, c.Int())
	}
	_, ok = m.Get("missing")
	fmt.Println(ok)
	// Output:
	// ssd true
	// 0 1
	// 1 2
	// 2 3
	// false
}

func ExampleBuilder() {
	var b flexbuffers.Builder
	b.StartMap()
	b.Key("scale")
	b.Float32(0.5)
	b.Key("shape")
	b.IntVector([]int64{1, 224, 224, 3})
	b.Key("labels")
	b.StartVector()
	b.String("cat")
	b.String("dog")
	b.EndVector()
	b.EndMap()
	buf, err := b.Finish()
	if err != nil {
		log.Fatal(err)
	}
	root, _ := flexbuffers.Root(buf)
	fmt.Println(len(buf), "bytes:", root)
	// Output:
	// 78 bytes: {"labels": ["cat", "dog"], "scale": 0.5, "shape": [1, 224, 224, 3]}
}

func ExampleMarshal() {
	buf, err := flexbuffers.Marshal([]any{1, "two", 3.5, nil, []byte{4}})
	if err != nil {
		log.Fatal(err)
	}
	root, _ := flexbuffers.Root(buf)
	v, err := root.ToAny()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%#v\n", v)
	// Output:
	// []interface {}{1, "two", 3.5, interface {}(nil), []uint8{0x4}}
}

func ExampleReference_ToAny() {
	root, _ := flexbuffers.Root([]byte{13, 4, 1}) // the integer 13
	v, err := root.ToAny()
	fmt.Printf("%T %v %v\n", v, v, err)
	// Output:
	// int64 13 <nil>
}
