package kernels

import "github.com/edgelite/edgelite/interpreter/core"

// Splitting the row- and element-range fast paths (fast_*.go) over the
// interpreter's worker pool. Each kernel keeps one task value (a field, so
// that handing &field to the pool allocates nothing); Eval fills in the
// tensors' slices, runs the parts and clears them. Ranges do not change
// the arithmetic, so results are the same for any number of threads.

// thMinWork is the smallest work (multiply-adds, window taps or element
// visits) worth waking the pool for: about 10µs of one core, where the
// wake-up's few µs are repaid.
const thMinWork = 1 << 17

// thPartsPerWorker lets a worker that is ahead (the other core busy with
// another process) take more of the parts.
const thPartsPerWorker = 4

// thAlign keeps element-range boundaries on whole cache lines of float32.
const thAlign = 16

// thSplit is the range [0, total) cut into parts.
type thSplit struct {
	total, parts, align int
}

// bounds returns part's range.
func (s *thSplit) bounds(part int) (int, int) {
	if s.align <= 1 {
		return part * s.total / s.parts, (part + 1) * s.total / s.parts
	}
	units := (s.total + s.align - 1) / s.align
	r0 := part * units / s.parts * s.align
	r1 := min((part+1)*units/s.parts*s.align, s.total)
	return min(r0, s.total), r1
}

// thPlan returns the pool and the split of total rows (or elements when
// align > 1) for work units of work, or a nil pool when the work should
// stay on the caller.
func thPlan(n *core.Node, total, work, align int) (core.Pool, thSplit) {
	if work < thMinWork || total < 2 {
		return nil, thSplit{}
	}
	p := core.EnvPool(n.Env)
	if p == nil {
		return nil, thSplit{}
	}
	units := total
	if align > 1 {
		units = (total + align - 1) / align
	}
	parts := min(units, thPartsPerWorker*p.Workers())
	if parts < 2 {
		return nil, thSplit{}
	}
	return p, thSplit{total: total, parts: parts, align: align}
}

// dwTask is DEPTHWISE_CONV_2D's fast paths as a core.Task: a part is a
// range of output rows.
type dwTask struct {
	k          *depthwiseConv2DKernel
	xf, ff, bf []float32
	yf         []float32
	xi, fi, yi []int8
	bi         []int32
	thSplit
}

// Run implements core.Task.
func (t *dwTask) Run(part, _ int) {
	r0, r1 := t.bounds(part)
	if t.yf != nil {
		t.k.dwFloatRows(t.xf, t.ff, t.bf, t.yf, r0, r1)
		return
	}
	t.k.dwInt8Rows(t.xi, t.fi, t.yi, t.bi, r0, r1)
}

// dwRunFloat runs dwFloatRows over all rows, split when big enough.
func (k *depthwiseConv2DKernel) dwRunFloat(n *core.Node, x, f, b, y []float32) {
	rows := k.batch * k.h.out
	pool, s := thPlan(n, rows, rows*k.w.out*k.outCh*k.h.filter*k.w.filter, 1)
	if pool == nil {
		k.dwFloatRows(x, f, b, y, 0, rows)
		return
	}
	k.th = dwTask{k: k, xf: x, ff: f, bf: b, yf: y, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = dwTask{}
}

// dwRunInt8 runs dwInt8Rows over all rows, split when big enough.
func (k *depthwiseConv2DKernel) dwRunInt8(n *core.Node, x, f, y []int8, b []int32) {
	rows := k.batch * k.h.out
	pool, s := thPlan(n, rows, rows*k.w.out*k.outCh*9, 1)
	if pool == nil {
		k.dwInt8Rows(x, f, y, b, 0, rows)
		return
	}
	k.th = dwTask{k: k, xi: x, fi: f, yi: y, bi: b, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = dwTask{}
}

// poolTask is float MAX_POOL_2D / AVERAGE_POOL_2D as a core.Task: a part
// is a range of output rows.
type poolTask struct {
	k        *poolKernel
	src, dst []float32
	thSplit
}

// Run implements core.Task.
func (t *poolTask) Run(part, _ int) {
	r0, r1 := t.bounds(part)
	t.k.poolF32Rows(t.src, t.dst, r0, r1)
}

// poolRunF32 is poolF32Rows over all rows, split when big enough; it
// reports false (having done nothing) for the kinds without a fast path.
func (k *poolKernel) poolRunF32(n *core.Node, src, dst []float32) bool {
	if k.kind != poolMax && k.kind != poolAverage {
		return false
	}
	rows := k.batches * k.outH
	pool, s := thPlan(n, rows, rows*k.outW*k.ch*k.filterH*k.filterW, 1)
	if pool == nil {
		return k.poolF32Rows(src, dst, 0, rows)
	}
	k.th = poolTask{k: k, src: src, dst: dst, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = poolTask{}
	return true
}

// resizeTask is float RESIZE_BILINEAR as a core.Task: a part is a range of
// output rows.
type resizeTask struct {
	k        *resizeKernel
	src, dst []float32
	thSplit
}

// Run implements core.Task.
func (t *resizeTask) Run(part, _ int) {
	r0, r1 := t.bounds(part)
	t.k.bilinearF32Rows(t.src, t.dst, r0, r1)
}

// bilinearRunF32 is bilinearF32Rows over all rows, split when big enough.
func (k *resizeKernel) bilinearRunF32(n *core.Node, src, dst []float32) {
	rows := k.batches * k.outH
	pool, s := thPlan(n, rows, rows*k.outW*k.ch*4, 1)
	if pool == nil {
		k.bilinearF32Rows(src, dst, 0, rows)
		return
	}
	k.th = resizeTask{k: k, src: src, dst: dst, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = resizeTask{}
}

// binTask is a float ADD/SUB/MUL fast path as a core.Task: a part is a
// range of output elements.
type binTask struct {
	k       *binaryKernel
	a, b, y []float32
	thSplit
}

// Run implements core.Task.
func (t *binTask) Run(part, _ int) {
	i0, i1 := t.bounds(part)
	binF32Range(t.k.op, t.k.fast, t.a, t.b, t.y, t.k.f32lo, t.k.f32hi, i0, i1)
}

// binRunF32 is binF32Range over all elements, split when big enough.
func (k *binaryKernel) binRunF32(n *core.Node, a, b, y []float32) {
	total := len(y)
	pool, s := thPlan(n, total, total*4, thAlign)
	if pool == nil {
		binF32Range(k.op, k.fast, a, b, y, k.f32lo, k.f32hi, 0, total)
		return
	}
	k.th = binTask{k: k, a: a, b: b, y: y, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = binTask{}
}

// preluTask is float PRELU's fast path as a core.Task: a part is a range
// of output elements.
type preluTask struct {
	x, alpha, y []float32
	thSplit
}

// Run implements core.Task.
func (t *preluTask) Run(part, _ int) {
	i0, i1 := t.bounds(part)
	preluF32Range(t.x, t.alpha, t.y, i0, i1)
}

// preluRunF32 is preluF32Range over all elements, split when big enough.
func (k *ewBinaryKernel) preluRunF32(n *core.Node, x, alpha, y []float32) {
	total := len(y)
	pool, s := thPlan(n, total, total*4, thAlign)
	if pool == nil {
		preluF32Range(x, alpha, y, 0, total)
		return
	}
	k.th = preluTask{x: x, alpha: alpha, y: y, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = preluTask{}
}

// unaryTask is a vectorised float unary op as a core.Task: a part is a
// range of elements.
type unaryTask struct {
	k    *unaryKernel
	x, y []float32
	thSplit
}

// Run implements core.Task.
func (t *unaryTask) Run(part, _ int) {
	i0, i1 := t.bounds(part)
	t.k.unaryF32Range(t.x, t.y, i0, i1)
}

// unaryRunF32 is unaryF32Range over all elements, split when big enough;
// it reports false (having done nothing) for ops without a vector form.
func (k *unaryKernel) unaryRunF32(n *core.Node, x, y []float32) bool {
	total := len(x)
	work := total * 4
	if k.op == uLogistic {
		work = total * 16 // a polynomial per element
	}
	pool, s := thPlan(n, total, work, thAlign)
	if pool == nil || !k.unaryF32Range(nil, nil, 0, 0) {
		return k.unaryF32Range(x, y, 0, total)
	}
	k.th = unaryTask{k: k, x: x, y: y, thSplit: s}
	pool.Run(s.parts, &k.th)
	k.th = unaryTask{}
	return true
}
