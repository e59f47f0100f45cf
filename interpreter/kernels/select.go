package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// selectKernel implements SELECT and SELECT_V2 (select.cc): output[i] =
// condition[i] ? x[i] : y[i]. SELECT needs x and y of one shape and a
// condition of that shape, a scalar, or a vector over the first
// dimension; SELECT_V2 broadcasts all three (up to rank 5).
type selectKernel struct {
	v2    bool
	ready bool
	typ   core.TensorType
	size  int // element size of typ
	n     int // output elements
	nc    int // condition elements
	nx    int // x (and y for SELECT) elements
	ny    int
	// The plan: dims is the output shape left-padded to maxBroadcastRank
	// with the strides of condition, x and y (0 where broadcast).
	dims       [maxBroadcastRank]int
	sc, sx, sy [maxBroadcastRank]int
}

func newSelect(n *core.Node) (core.Kernel, error)   { return &selectKernel{}, nil }
func newSelectV2(n *core.Node) (core.Kernel, error) { return &selectKernel{v2: true}, nil }

// selectRankMax is the rank BroadcastSelect5DSlow takes.
const selectRankMax = 5

// Prepare implements core.Kernel.
func (k *selectKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 3, 3, 1); err != nil {
		return err
	}
	var ins [3]*core.Tensor
	for i := range ins {
		t, err := requireInput(n, i)
		if err != nil {
			return err
		}
		ins[i] = t
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	cond, x, y := ins[0], ins[1], ins[2]
	if cond.Type() != core.Bool {
		return n.Errorf("condition type %s, want BOOL", cond.Type())
	}
	typ := x.Type()
	if y.Type() != typ || out.Type() != typ {
		return n.Errorf("x, y and output types differ: %s, %s, %s", typ, y.Type(), out.Type())
	}
	switch typ {
	case core.Bool, core.Uint8, core.Int8, core.Int16, core.Int32, core.Int64, core.Float32, core.Uint32:
	default:
		return n.Errorf("%s inputs are not supported", typ)
	}
	k.typ = typ
	k.size = typ.ElementSize()
	cs, xs, ys := cond.Shape(), x.Shape(), y.Shape()
	k.nc, k.nx, k.ny = numElements(cs), numElements(xs), numElements(ys)
	var outShape []int
	if !k.v2 {
		if !sameDims(xs, ys) {
			return n.Errorf("x %s and y %s must have the same shape", core.FormatShape(xs), core.FormatShape(ys))
		}
		outShape = append([]int(nil), xs...)
		switch {
		case sameDims(cs, xs):
			k.planSame(outShape)
		case len(cs) == 0:
			// A scalar condition picks a whole input.
			k.planFlat(outShape, 0)
		case len(cs) == 1 && len(xs) >= 1 && cs[0] == xs[0]:
			// One condition per slice along the first dimension.
			k.planFlat(outShape, 1)
		default:
			return n.Errorf("condition %s must be a scalar, match x %s, or be a vector over its first dimension", core.FormatShape(cs), core.FormatShape(xs))
		}
	} else {
		s, err := broadcastShape(cs, xs)
		if err == nil {
			s, err = broadcastShape(s, ys)
		}
		if err != nil {
			return n.Errorf("condition %s, x %s and y %s are not broadcastable", core.FormatShape(cs), core.FormatShape(xs), core.FormatShape(ys))
		}
		if len(s) > selectRankMax && !(sameDims(cs, xs) && sameDims(xs, ys)) {
			return n.Errorf("broadcasting to rank %d: TFLite's SELECT_V2 takes at most rank %d", len(s), selectRankMax)
		}
		if len(s) > maxBroadcastRank {
			return n.Errorf("rank %d is above %d", len(s), maxBroadcastRank)
		}
		outShape = s
		pad := maxBroadcastRank - len(s)
		for i := range k.dims {
			k.dims[i] = 1
		}
		copy(k.dims[pad:], s)
		stridesFor(&k.sc, cs)
		stridesFor(&k.sx, xs)
		stridesFor(&k.sy, ys)
	}
	k.n = numElements(outShape)
	out.SetShape(outShape)
	k.ready = true
	return nil
}

// planSame plans identical shapes as one flat row.
func (k *selectKernel) planSame(shape []int) {
	k.planFlat(shape, len(shape))
}

// planFlat plans a condition over the first lead dimensions of shape (0:
// a scalar), with x and y contiguous.
func (k *selectKernel) planFlat(shape []int, lead int) {
	outer := numElements(shape[:lead])
	inner := numElements(shape[lead:])
	for i := range k.dims {
		k.dims[i] = 1
		k.sc[i], k.sx[i], k.sy[i] = 0, 0, 0
	}
	k.dims[4], k.dims[5] = outer, inner
	k.sx[4], k.sy[4] = inner, inner
	k.sx[5], k.sy[5] = 1, 1
	if lead > 0 {
		k.sc[4] = 1
	}
}

// Eval implements core.Kernel.
func (k *selectKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	c := n.Inputs[0].Bytes()
	xb, yb, ob := n.Inputs[1].Bytes(), n.Inputs[2].Bytes(), n.Outputs[0].Bytes()
	if len(c) < k.nc || len(xb) < k.nx*k.size || len(yb) < k.ny*k.size || len(ob) < k.n*k.size {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if k.n == 0 {
		return nil
	}
	x, y, o := n.Inputs[1], n.Inputs[2], n.Outputs[0]
	switch k.typ {
	case core.Bool, core.Uint8, core.Int8:
		selectWalk(k, c, xb, yb, ob)
	case core.Int16:
		selectWalk(k, c, x.Int16s(), y.Int16s(), o.Int16s())
	case core.Int32:
		selectWalk(k, c, x.Int32s(), y.Int32s(), o.Int32s())
	case core.Uint32:
		selectWalk(k, c, x.Uint32s(), y.Uint32s(), o.Uint32s())
	case core.Float32:
		selectWalk(k, c, x.Float32s(), y.Float32s(), o.Float32s())
	case core.Int64:
		selectWalk(k, c, x.Int64s(), y.Int64s(), o.Int64s())
	default:
		return n.Errorf("kernel was not prepared")
	}
	return nil
}

// selectWalk picks each output element from x or y.
func selectWalk[T any](k *selectKernel, c []uint8, x, y, out []T) {
	d := &k.dims
	inner := d[5]
	sc, sx, sy := k.sc[5], k.sx[5], k.sy[5]
	o := 0
	for i0 := 0; i0 < d[0]; i0++ {
		c0, x0, y0 := i0*k.sc[0], i0*k.sx[0], i0*k.sy[0]
		for i1 := 0; i1 < d[1]; i1++ {
			c1, x1, y1 := c0+i1*k.sc[1], x0+i1*k.sx[1], y0+i1*k.sy[1]
			for i2 := 0; i2 < d[2]; i2++ {
				c2, x2, y2 := c1+i2*k.sc[2], x1+i2*k.sx[2], y1+i2*k.sy[2]
				for i3 := 0; i3 < d[3]; i3++ {
					c3, x3, y3 := c2+i3*k.sc[3], x2+i3*k.sx[3], y2+i3*k.sy[3]
					for i4 := 0; i4 < d[4]; i4++ {
						c4, x4, y4 := c3+i4*k.sc[4], x3+i4*k.sx[4], y3+i4*k.sy[4]
						row := out[o : o+inner]
						for i := range row {
							if c[c4+i*sc] != 0 {
								row[i] = x[x4+i*sx]
							} else {
								row[i] = y[y4+i*sy]
							}
						}
						o += inner
					}
				}
			}
		}
	}
}
