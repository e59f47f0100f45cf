package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// inputLayer is benchmark_model's InputLayerInfo: what the flags say
// about one input.
type inputLayer struct {
	name          string
	shape         []int // nil: keep the model's
	hasRange      bool
	low, high     int
	inputFilePath string
}

// parseInputLayers is benchmark_model's PopulateInputLayerInfo. With
// --input_layer the layers are the model's inputs in order; without it a
// value range or file may still name a model input (benchmark_model
// requires --input_layer for that).
func parseInputLayers(p *params, modelInputs []*interpreter.Tensor) ([]inputLayer, error) {
	names := splitNonEmpty(p.inputLayer, ",")
	shapes := splitNonEmpty(p.inputLayerShape, ":")
	if len(names) != len(shapes) {
		return nil, fmt.Errorf("The number of items in --input_layer_shape (%s, with %d items) must match the number of items in --input_layer (%s, with %d items). For example --input_layer=input1,input2 --input_layer_shape=1,224,224,4:1,20",
			p.inputLayerShape, len(shapes), p.inputLayer, len(names))
	}
	var layers []inputLayer
	for i, name := range names {
		l := inputLayer{name: name, shape: []int{}}
		for _, d := range splitNonEmpty(shapes[i], ",") {
			v, err := strconv.Atoi(strings.TrimSpace(d))
			if err != nil {
				return nil, fmt.Errorf("Incorrect size string specified: %s", shapes[i])
			}
			if v == -1 {
				return nil, fmt.Errorf("Any unknown sizes in the shapes (-1's) must be replaced with the size you want to benchmark with.")
			}
			if v < 0 {
				return nil, fmt.Errorf("Incorrect size string specified: %s", shapes[i])
			}
			l.shape = append(l.shape, v)
		}
		layers = append(layers, l)
	}
	if len(layers) > 0 && len(layers) != len(modelInputs) {
		return nil, fmt.Errorf("Inputs mismatch: Model inputs #:%d expected: %d", len(layers), len(modelInputs))
	}
	if len(layers) == 0 && (p.inputLayerValueRange != "" || p.inputLayerValueFiles != "") {
		// Name the model's inputs so ranges and files can refer to them.
		for _, t := range modelInputs {
			layers = append(layers, inputLayer{name: t.Name()})
		}
	}
	find := func(name string) (*inputLayer, error) {
		for i := range layers {
			if layers[i].name == name {
				return &layers[i], nil
			}
		}
		return nil, fmt.Errorf("Cannot find the corresponding input_layer name(%s) in --input_layer as %s", name, p.inputLayer)
	}
	for _, item := range splitNonEmpty(p.inputLayerValueRange, ":") {
		f := strings.Split(item, ",")
		if len(f) != 3 {
			return nil, fmt.Errorf("Wrong input value range item specified: %s", item)
		}
		l, err := find(f[0])
		if err != nil {
			return nil, err
		}
		low, err1 := strconv.Atoi(f[1])
		high, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || low > high {
			return nil, fmt.Errorf("Wrong low and high value of the input value range specified: %s", item)
		}
		l.hasRange, l.low, l.high = true, low, high
	}
	for _, item := range splitNonEmpty(p.inputLayerValueFiles, ",") {
		name, path, ok := strings.Cut(item, ":")
		if !ok || name == "" || path == "" {
			return nil, fmt.Errorf("Wrong input value file item specified: %s", item)
		}
		l, err := find(name)
		if err != nil {
			return nil, err
		}
		l.inputFilePath = path
	}
	return layers, nil
}

func splitNonEmpty(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// inputData makes one input's data: the file's bytes when given, else
// random values as benchmark_model's CreateRandomTensorData makes them.
// A nil result with no error means a string tensor set once.
func inputData(t *interpreter.Tensor, l *inputLayer) ([]byte, error) {
	if l != nil && l.inputFilePath != "" {
		if t.Type() == core.String {
			return nil, fmt.Errorf("reading string input %s from a file is not supported", t.Name())
		}
		b, err := os.ReadFile(l.inputFilePath)
		if err != nil {
			return nil, fmt.Errorf("Failed to read the input_layer_value_file: %s: %v", l.inputFilePath, unwrapPath(err))
		}
		if len(b) != len(t.Bytes()) {
			return nil, fmt.Errorf("The size of %s is %d bytes. It should be %d bytes.", l.inputFilePath, len(b), len(t.Bytes()))
		}
		return b, nil
	}
	if t.Type() == core.String {
		s := make([]string, t.NumElements())
		for k := range s {
			s[k] = "we're have some friends over saturday to hang out in the yard"
		}
		if err := t.SetStrings(s); err != nil {
			return nil, fmt.Errorf("Failed to populate tensor %s: %v", t.Name(), err)
		}
		return nil, nil
	}
	low, high, hasRange := 0, 0, false
	if l != nil && l.hasRange {
		low, high, hasRange = l.low, l.high, true
	}
	d, err := randomData(t.Type(), t.NumElements(), hasRange, low, high)
	if err != nil {
		return nil, fmt.Errorf("Don't know how to populate tensor %s of type %s", t.Name(), t.Type())
	}
	return d, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// randomData fills n elements of type t: floats uniform in [-0.5, 0.5),
// integers uniform in [low, high] with a range, else int8 [-127, 127],
// uint8 [0, 254], other integers [0, 99], bool {0, 1}.
func randomData(t core.TensorType, n int, hasRange bool, low, high int) ([]byte, error) {
	es := t.ElementSize()
	out := make([]byte, n*es)
	put := func(i int, bits uint64) {
		for k := range es {
			out[i*es+k] = byte(bits >> (8 * k))
		}
	}
	intIn := func(lo, hi int) uint64 {
		if hasRange {
			lo, hi = low, high
		}
		return uint64(int64(lo) + rand.Int64N(int64(hi)-int64(lo)+1))
	}
	for i := range n {
		switch t {
		case core.Float32:
			put(i, uint64(math.Float32bits(rand.Float32()-0.5)))
		case core.Float64:
			put(i, math.Float64bits(rand.Float64()-0.5))
		case core.Float16:
			put(i, uint64(core.Float32ToFloat16(rand.Float32()-0.5)))
		case core.Int8:
			put(i, intIn(-127, 127))
		case core.Uint8:
			put(i, intIn(0, 254))
		case core.Int16, core.Int32, core.Uint32, core.Int64:
			put(i, intIn(0, 99))
		case core.Bool:
			put(i, uint64(rand.IntN(2)))
		default:
			return nil, fmt.Errorf("unsupported type %s", t)
		}
	}
	return out, nil
}
