package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// reduceOp is the reduction a reduceKernel applies.
type reduceOp uint8

const (
	reduceMean reduceOp = iota
	reduceSum
	reduceProd
	reduceMax
	reduceMin
	reduceAny
	reduceAll
)

// reduceKernel implements MEAN, SUM, REDUCE_PROD, REDUCE_MAX and
// REDUCE_MIN for FLOAT32, INT32 and INT64, and REDUCE_ANY and REDUCE_ALL
// for BOOL, as TFLite's reduce.cc does. The
// axis input is an INT32 tensor of any shape; negative axes count from the
// end and repeats count once; keep_dims keeps reduced dimensions as 1. A
// rank-0 input gives a scalar whatever the axes. When the axis input is not
// constant the output is dynamic and sized in Eval. Reductions over no
// elements give the identity (0, 1, the lowest and the highest value); an
// empty MEAN gives NaN for FLOAT32 and 0 for integers, as TFLite fills it.
// Float sums accumulate in float32 in input order, like TFLite's reference;
// integer MEAN sums in int64 and divides truncating toward zero.
type reduceKernel struct {
	op       reduceOp
	keepDims bool
	dynamic  bool
	typ      core.TensorType
	inShape  []int
	// reduced marks the reduced input dimensions.
	reduced []bool
	// The input viewed as groups of adjacent dimensions that are all
	// reduced or all kept (size-1 dimensions dropped): gsize and gstride
	// (the group's stride in the output, 0 when reduced) for the outer
	// groups, walked by the odometer gidx; inner and innerReduced for the
	// last group, which Eval runs as a contiguous span.
	gsize        []int
	gred         []bool
	gstride      []int
	gidx         []int
	inner        int
	innerReduced bool
	axes         []int
	shape        []int
	outElems     int
	count        int
	acc          []int64
	ready        bool
	// Quantized (INT8, UINT8, INT16) parameters: see sp_reduce_quant.go.
	quant       bool
	inScale     float32
	outScale    float32
	inZP, outZP int32
	qmult       int32 // MEAN over height and width, REDUCE_PROD
	qshift      int
	rawAxes     []int
	mean4D      bool  // the 8-bit MEAN takes TFLite's height/width path
	meanBias    int32 // its zero-point bias
}

func newReduce(op reduceOp) core.KernelFactory {
	return func(n *core.Node) (core.Kernel, error) {
		var o tflite.ReducerOptions
		n.BuiltinOptions(tflite.BuiltinOptionsReducerOptions, &o)
		return &reduceKernel{op: op, keepDims: o.KeepDims()}, nil
	}
}

// Prepare implements core.Kernel.
func (k *reduceKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	axis, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	k.typ = in.Type()
	logical := k.op == reduceAny || k.op == reduceAll
	switch {
	case logical && k.typ != core.Bool:
		return n.Errorf("%s input is not supported (BOOL only)", k.typ)
	case logical:
	case k.typ == core.Float32, k.typ == core.Int32, k.typ == core.Int64:
	case k.typ == core.Int8 || k.typ == core.Uint8 || k.typ == core.Int16:
		if k.op == reduceProd {
			if err := k.qactPrepareProd(n, in, out); err != nil {
				return err
			}
		} else if err := k.spPrepareQuant(n, in, out); err != nil {
			return err
		}
	default:
		return n.Errorf("%s input is not supported", k.typ)
	}
	if out.Type() != k.typ {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), k.typ)
	}
	if axis.Type() != core.Int32 {
		return n.Errorf("axis is %s, want INT32", axis.Type())
	}
	rank := in.Rank()
	k.inShape = append(k.inShape[:0], in.Shape()...)
	k.reduced = make([]bool, rank)
	k.gsize = make([]int, 0, rank+1)
	k.gred = make([]bool, 0, rank+1)
	k.gstride = make([]int, rank+1)
	k.gidx = make([]int, rank+1)
	k.axes = make([]int, 0, axis.NumElements())
	k.shape = make([]int, 0, rank)
	if (k.op == reduceMean && k.typ != core.Float32) || k.quant {
		k.acc = make([]int64, numElements(k.inShape))
	}
	k.dynamic = !axis.IsConstant()
	if k.dynamic {
		out.SetDynamic()
	} else {
		if err := k.resolve(n); err != nil {
			return err
		}
		out.SetShape(k.shape)
		if k.quant && k.op == reduceProd {
			if err := k.qactProdScaling(n); err != nil {
				return err
			}
		}
	}
	k.ready = true
	return nil
}

// resolve reads the axes and computes the output shape, the output
// strides of the input dimensions and the number of reduced elements.
func (k *reduceKernel) resolve(n *core.Node) error {
	axes, ok := spatialInts(n.Inputs[1], k.axes)
	if !ok {
		return n.Errorf("axis input has no data")
	}
	rank := len(k.inShape)
	for d := range k.reduced {
		k.reduced[d] = false
	}
	if rank > 0 {
		for _, a := range axes {
			d := a
			if d < 0 {
				d += rank
			}
			if d < 0 || d >= rank {
				return n.Errorf("axis %d out of range for rank %d", a, rank)
			}
			k.reduced[d] = true
		}
	}
	k.shape = k.shape[:0]
	k.count = 1
	for d, v := range k.inShape {
		switch {
		case !k.reduced[d]:
			k.shape = append(k.shape, v)
		case k.keepDims:
			k.shape = append(k.shape, 1)
		}
		if k.reduced[d] {
			k.count *= v
		}
	}
	k.outElems = numElements(k.shape)
	k.group()
	if k.quant && k.op == reduceMean {
		k.spPrepareMean(n)
	}
	return nil
}

// group coalesces the input dimensions into runs of reduced and kept ones
// (size-1 dimensions change nothing and are skipped) and computes the
// output strides of the outer runs. It does not allocate.
func (k *reduceKernel) group() {
	k.gsize, k.gred = k.gsize[:0], k.gred[:0]
	for d, v := range k.inShape {
		if v == 1 {
			continue
		}
		if n := len(k.gsize); n > 0 && k.gred[n-1] == k.reduced[d] {
			k.gsize[n-1] *= v
			continue
		}
		k.gsize = append(k.gsize, v)
		k.gred = append(k.gred, k.reduced[d])
	}
	if len(k.gsize) == 0 {
		k.gsize = append(k.gsize, 1)
		k.gred = append(k.gred, false)
	}
	last := len(k.gsize) - 1
	k.inner, k.innerReduced = k.gsize[last], k.gred[last]
	k.gsize, k.gred = k.gsize[:last], k.gred[:last]
	k.gstride = k.gstride[:last]
	stride := k.inner
	if k.innerReduced {
		stride = 1
	}
	for g := last - 1; g >= 0; g-- {
		if k.gred[g] {
			k.gstride[g] = 0
			continue
		}
		k.gstride[g] = stride
		stride *= k.gsize[g]
	}
}

// Eval implements core.Kernel.
func (k *reduceKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.dynamic {
		if err := k.resolve(n); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.shape); err != nil {
			return err
		}
		if k.quant && k.op == reduceProd {
			if err := k.qactProdScaling(n); err != nil {
				return err
			}
		}
	}
	if k.quant && k.op == reduceProd {
		in, out := n.Inputs[0], n.Outputs[0]
		if k.typ == core.Int8 {
			return qactReduceProd(k, n, in.Int8s(), out.Int8s())
		}
		return qactReduceProd(k, n, in.Int16s(), out.Int16s())
	}
	in, out := n.Inputs[0], n.Outputs[0]
	inElems := numElements(k.inShape)
	switch k.typ {
	case core.Float32:
		src, dst := in.Float32s(), out.Float32s()
		if len(src) < inElems || len(dst) < k.outElems {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		reduceFloat(k, src[:inElems], dst[:k.outElems])
	case core.Int32:
		src, dst := in.Int32s(), out.Int32s()
		if len(src) < inElems || len(dst) < k.outElems {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		reduceInt(k, src[:inElems], dst[:k.outElems], math.MinInt32, math.MaxInt32)
	case core.Int64:
		src, dst := in.Int64s(), out.Int64s()
		if len(src) < inElems || len(dst) < k.outElems {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		reduceInt(k, src[:inElems], dst[:k.outElems], math.MinInt64, math.MaxInt64)
	case core.Bool:
		src, dst := in.Bytes(), out.Bytes()
		if len(src) < inElems || len(dst) < k.outElems {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		reduceBool(k, src[:inElems], dst[:k.outElems])
	case core.Int8:
		return spReduceQuant(k, n, in.Int8s(), out.Int8s(), inElems)
	case core.Uint8:
		return spReduceQuant(k, n, in.Uint8s(), out.Uint8s(), inElems)
	case core.Int16:
		return spReduceQuant(k, n, in.Int16s(), out.Int16s(), inElems)
	}
	return nil
}

// next advances the odometer over the outer groups by one step and returns
// the change of the output offset.
func (k *reduceKernel) next() int {
	delta := 0
	for g := len(k.gsize) - 1; g >= 0; g-- {
		k.gidx[g]++
		delta += k.gstride[g]
		if k.gidx[g] < k.gsize[g] {
			return delta
		}
		delta -= k.gstride[g] * k.gsize[g]
		k.gidx[g] = 0
	}
	return delta
}

func (k *reduceKernel) resetIndex() {
	for g := range k.gidx {
		k.gidx[g] = 0
	}
}

// outerWidth is how many output elements one inner span touches.
func (k *reduceKernel) outerWidth() int {
	if k.innerReduced {
		return 1
	}
	return k.inner
}

// reduceSpan folds one contiguous input span into dst: into dst[0] when the
// span is reduced, element by element otherwise. TFLite's reducers are
// in+current (SUM, MEAN), in*current, and in>current / in<current picks.
func reduceSpan[T float32 | int32 | int64](op reduceOp, dst, src []T, reduced bool) {
	if reduced {
		a := dst[0]
		switch op {
		case reduceMean, reduceSum:
			for _, v := range src {
				a = v + a
			}
		case reduceProd:
			for _, v := range src {
				a = v * a
			}
		case reduceMax:
			for _, v := range src {
				if v > a {
					a = v
				}
			}
		case reduceMin:
			for _, v := range src {
				if v < a {
					a = v
				}
			}
		}
		dst[0] = a
		return
	}
	dst = dst[:len(src)]
	switch op {
	case reduceMean, reduceSum:
		for j, v := range src {
			dst[j] = v + dst[j]
		}
	case reduceProd:
		for j, v := range src {
			dst[j] = v * dst[j]
		}
	case reduceMax:
		for j, v := range src {
			if v > dst[j] {
				dst[j] = v
			}
		}
	case reduceMin:
		for j, v := range src {
			if v < dst[j] {
				dst[j] = v
			}
		}
	}
}

// reduceWalk runs reduceSpan over every inner span of src.
func reduceWalk[T float32 | int32 | int64](k *reduceKernel, src, dst []T) {
	k.resetIndex()
	w := k.outerWidth()
	o := 0
	for i := 0; i < len(src); i += k.inner {
		reduceSpan(k.op, dst[o:o+w], src[i:i+k.inner], k.innerReduced)
		o += k.next()
	}
}

func reduceFloat(k *reduceKernel, src, dst []float32) {
	var init float32
	switch k.op {
	case reduceProd:
		init = 1
	case reduceMax:
		init = -math.MaxFloat32
	case reduceMin:
		init = math.MaxFloat32
	}
	if k.op == reduceMean && len(src) == 0 {
		init = float32(math.NaN())
	}
	for i := range dst {
		dst[i] = init
	}
	if len(src) == 0 {
		return
	}
	reduceWalk(k, src, dst)
	if k.op == reduceMean && k.count > 0 {
		div := float32(k.count)
		for i, v := range dst {
			dst[i] = v / div
		}
	}
}

func reduceInt[T int32 | int64](k *reduceKernel, src, dst []T, lowest, highest T) {
	var init T
	switch k.op {
	case reduceProd:
		init = 1
	case reduceMax:
		init = lowest
	case reduceMin:
		init = highest
	}
	for i := range dst {
		dst[i] = init
	}
	if len(src) == 0 {
		return
	}
	if k.op != reduceMean {
		reduceWalk(k, src, dst)
		return
	}
	// Integer MEAN sums in int64, as TFLite's temp_sum does.
	acc := k.acc[:len(dst)]
	for i := range acc {
		acc[i] = 0
	}
	k.resetIndex()
	w := k.outerWidth()
	o := 0
	for i := 0; i < len(src); i += k.inner {
		span, a := src[i:i+k.inner], acc[o:o+w]
		if k.innerReduced {
			for _, v := range span {
				a[0] += int64(v)
			}
		} else {
			for j, v := range span {
				a[j] += int64(v)
			}
		}
		o += k.next()
	}
	if k.count > 0 {
		for i, v := range acc {
			dst[i] = T(v / int64(k.count))
		}
	}
}

// reduceBool is REDUCE_ANY (init false, or) and REDUCE_ALL (init true,
// and) over bytes holding 0 or 1.
func reduceBool(k *reduceKernel, src, dst []byte) {
	var init byte
	if k.op == reduceAll {
		init = 1
	}
	for i := range dst {
		dst[i] = init
	}
	if len(src) == 0 {
		return
	}
	k.resetIndex()
	w := k.outerWidth()
	o := 0
	for i := 0; i < len(src); i += k.inner {
		span, d := src[i:i+k.inner], dst[o:o+w]
		for j, v := range span {
			if !k.innerReduced {
				d = dst[o+j : o+j+1]
			}
			if k.op == reduceAny {
				if v != 0 {
					d[0] = 1
				}
			} else if v == 0 {
				d[0] = 0
			}
		}
		o += k.next()
	}
}
