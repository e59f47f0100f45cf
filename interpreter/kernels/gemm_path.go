package kernels

import (
	"math"
	"unsafe"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/gemm"
)

// This file is the fast path of CONV_2D and FULLY_CONNECTED: with constant
// weights (and bias), Prepare packs them once into kernel memory for the
// packed GEMM (package gemm), with the bias and activation (float32) or
// TFLite's requantization (int8, uint8) fused into its epilogue. Eval then
// runs the GEMM over the input rows (FULLY_CONNECTED, 1×1 stride-1
// convolutions) or over tiles of an im2col buffer (other convolutions),
// split across the interpreter's worker pool (core.EnvPool). The reference
// loops stay for everything else (non-constant weights, int16x8, hybrid)
// and as the tests' yardstick.
//
// uint8 runs through the int8 GEMM exactly: flipping the sign bit of data
// (x^0x80) maps it onto int8 with every zero point, and the clamp, moved by
// -128; the products of differences do not change.

// gcIm2colBytes bounds one worker's im2col tile.
const gcIm2colBytes = 128 << 10

// gcMinParallelMACs is the smallest product worth waking the pool for:
// below it (about 10µs of one core) the wake-up costs more than it saves.
const gcMinParallelMACs = 1 << 20

// gcMinMACs is a kernel's threshold: gcMinParallelMACs unless a test set
// its own.
func gcMinMACs(override int) int {
	if override > 0 {
		return override
	}
	return gcMinParallelMACs
}

// gcKey identifies the constant weights a kernel packed, so that a Prepare
// after a resize reuses them.
type gcKey struct {
	filter, bias *byte
	n, k, groups int
	workers      int
}

func gcKeyOf(filter, bias *core.Tensor, n, k, groups, workers int) gcKey {
	key := gcKey{n: n, k: k, groups: groups, workers: workers}
	if b := filter.Bytes(); len(b) > 0 {
		key.filter = &b[0]
	}
	if bias != nil {
		if b := bias.Bytes(); len(b) > 0 {
			key.bias = &b[0]
		}
	}
	return key
}

// gcWorkers is the worker count Prepare sizes per-worker scratch for.
func gcWorkers(n *core.Node) int {
	if p := core.EnvPool(n.Env); p != nil {
		return p.Workers()
	}
	return 1
}

// gcConstant reports whether t is absent or constant with its data bound.
func gcConstant(t *core.Tensor) bool {
	return t == nil || (t.IsConstant() && len(t.Bytes()) >= t.ByteSize())
}

// gcI8Params is the gemm quantization of a prepared quantized kernel for
// output channels [c0, c1), or false when the GEMM cannot reproduce the
// reference kernel (16-bit, NEON-quantize rounding, shifts outside TFLite's
// range, zero points outside the 8-bit range after the uint8 mapping).
func gcI8Params(p *qconvParams, bias *core.Tensor, c0, c1 int) (gemm.I8Params, bool) {
	var q gemm.I8Params
	if p.wide || p.bias64 || (p.inType != core.Int8 && p.inType != core.Uint8) {
		return q, false
	}
	switch p.rounding {
	case qconvRoundReference:
		q.Rounding = gemm.RoundReference
	case qconvRoundHalfUp:
		q.Rounding = gemm.RoundHalfUp
	default:
		return q, false
	}
	shift := 0
	if p.inType == core.Uint8 {
		shift = 128
	}
	q.InputZeroPoint = -p.inOffset - int32(shift)
	q.WeightZeroPoint = 0
	if p.usesFilterZeroPoint {
		q.WeightZeroPoint = -p.filterOff - int32(shift)
	}
	q.OutputZeroPoint = p.outOffset - int32(shift)
	q.Min, q.Max = p.actMin-int32(shift), p.actMax-int32(shift)
	if q.InputZeroPoint < -128 || q.InputZeroPoint > 127 || q.WeightZeroPoint < -128 || q.WeightZeroPoint > 127 {
		return q, false
	}
	if p.bias32 {
		if bias == nil {
			return q, false
		}
		q.Bias = bias.Int32s()
		if len(q.Bias) < c1 {
			return q, false
		}
		q.Bias = q.Bias[c0:c1]
	}
	q.Multiplier = p.mult[c0:c1]
	q.Shift = make([]int32, c1-c0)
	for i, s := range p.shift[c0:c1] {
		if s < -31 || s > 30 {
			return q, false
		}
		q.Shift[i] = int32(s)
	}
	return q, true
}

// gcWeightsI8 returns a filter's int8 data, flipped from uint8.
func gcWeightsI8(t *core.Tensor) []int8 {
	if t.Type() == core.Int8 {
		return t.Int8s()
	}
	u := t.Uint8s()
	w := make([]int8, len(u))
	for i, v := range u {
		w[i] = int8(v ^ 0x80)
	}
	return w
}

// gcInt8s views int8 or uint8 tensor data as int8.
func gcInt8s(b []byte) []int8 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*int8)(unsafe.Pointer(&b[0])), len(b))
}

// gcFlip flips the sign bit of every byte (uint8 ↔ int8 offset by 128).
func gcFlip(b []int8) {
	for i := range b {
		b[i] ^= -128
	}
}

// gcConv is CONV_2D's GEMM path. As a core.Task, one part is a tile of
// output pixels (rows of the product) of one group, and in the direct case
// a range of its output channels.
type gcConv struct {
	key gcKey

	batch, inH, inW, inCh, outH, outW, outCh int
	kh, kw, fic, groups, pg, kdim            int
	sh, sw, dh, dw, ph, pw                   int
	m                                        int  // output pixels
	direct                                   bool // 1×1, stride 1, no padding: A is the input
	u8                                       bool
	pad                                      int8 // im2col value outside the image (raw data)

	f32 []*gemm.F32Weights // per group
	i8  []*gemm.I8Weights

	workers                    int
	tileRows, rowTiles         int
	colParts, panels, colAlign int
	fs                         [][]float32 // per-worker GEMM scratch
	is                         [][]int32
	errs                       []error
	xf, yf, bf                 []float32 // the Eval in progress
	xi, yi, bi                 []int8
}

// prepareGEMM sets k.gemm to the GEMM path when it applies (constant
// weights and bias, float32, int8 or uint8), reusing weights packed by an
// earlier Prepare.
func (k *conv2DKernel) prepareGEMM(n *core.Node, in, filter, bias *core.Tensor) {
	old := k.gemm
	k.gemm = nil
	if k.reference || k.hybrid != nil || !gcConstant(filter) || !gcConstant(bias) {
		return
	}
	quant := k.q != nil
	if quant && (k.q.inType != core.Int8 && k.q.inType != core.Uint8) {
		return
	}
	workers := gcWorkers(n)
	if k.batch*k.h.out*k.w.out*k.outCh*k.h.filter*k.w.filter*k.filterInCh < gcMinMACs(k.minParallelMACs) {
		workers = 1
	}
	c := &gcConv{batch: k.batch, inH: k.h.in, inW: k.w.in, inCh: k.inCh, outH: k.h.out, outW: k.w.out, outCh: k.outCh,
		kh: k.h.filter, kw: k.w.filter, fic: k.filterInCh, groups: k.groups, pg: k.perGroup,
		sh: k.h.stride, sw: k.w.stride, dh: k.h.dilation, dw: k.w.dilation, ph: k.h.pad, pw: k.w.pad, workers: workers}
	c.kdim = c.kh * c.kw * c.fic
	c.m = c.batch * c.outH * c.outW
	if c.m == 0 || c.kdim == 0 || c.pg == 0 {
		return
	}
	c.key = gcKeyOf(filter, bias, c.outCh, c.kdim, c.groups, workers)
	if old != nil && old.key == c.key {
		c.f32, c.i8, c.fs, c.is = old.f32, old.i8, old.fs, old.is
	} else if !c.pack(k, filter, bias) {
		return
	}
	c.u8 = quant && k.q.inType == core.Uint8
	c.direct = !c.u8 && c.kh == 1 && c.kw == 1 && c.sh == 1 && c.sw == 1 && c.ph == 0 && c.pw == 0 &&
		c.outH == c.inH && c.outW == c.inW
	elem, mr := 4, 0
	if quant {
		elem = 1
		c.pad = int8(-k.q.inOffset) // the input zero point, raw (uint8 flipped later)
		mr, c.colAlign = c.i8[0].RowAlign(), c.i8[0].ColAlign()
	} else {
		mr, c.colAlign = c.f32[0].RowAlign(), c.f32[0].ColAlign()
	}
	// Tiles: two per worker when there are several, as many rows as the
	// im2col budget allows, whole register tiles.
	c.tileRows = c.m
	if workers > 1 {
		per := (c.m + 2*workers - 1) / (2 * workers)
		c.tileRows = (per + mr - 1) / mr * mr
	}
	if !c.direct {
		budget := max(gcIm2colBytes/(c.kdim*elem)/mr*mr, mr)
		c.tileRows = min(c.tileRows, budget)
	}
	c.tileRows = max(min(c.tileRows, c.m), 1)
	c.rowTiles = (c.m + c.tileRows - 1) / c.tileRows
	c.panels = (c.pg + c.colAlign - 1) / c.colAlign
	c.colParts = 1
	if c.direct && workers > 1 && c.groups*c.rowTiles < 2*workers {
		c.colParts = min(c.panels, (2*workers+c.groups*c.rowTiles-1)/(c.groups*c.rowTiles))
	}
	c.errs = make([]error, workers)
	if !c.direct {
		typ := core.Float32
		if quant {
			typ = core.Int8
		}
		n.Temporary(0, typ, []int{workers * c.tileRows * c.kdim})
	}
	k.gemm = c
}

// pack packs every group's weights and makes the per-worker scratch.
func (c *gcConv) pack(k *conv2DKernel, filter, bias *core.Tensor) bool {
	impl := gemm.Best()
	if k.q == nil {
		f := filter.Float32s()
		var b []float32
		if bias != nil {
			b = bias.Float32s()
		}
		if len(f) < c.outCh*c.kdim || (bias != nil && len(b) < c.outCh) {
			return false
		}
		c.f32 = make([]*gemm.F32Weights, c.groups)
		for g := range c.groups {
			var gb []float32
			if b != nil {
				gb = b[g*c.pg : (g+1)*c.pg]
			}
			w, err := gemm.PackF32(impl, f[g*c.pg*c.kdim:(g+1)*c.pg*c.kdim], c.pg, c.kdim, gb, k.lo, k.hi)
			if err != nil {
				return false
			}
			c.f32[g] = w
		}
		c.fs = make([][]float32, c.workers)
		for i := range c.fs {
			c.fs[i] = make([]float32, c.f32[0].ScratchLen())
		}
		return true
	}
	f := gcWeightsI8(filter)
	if len(f) < c.outCh*c.kdim {
		return false
	}
	c.i8 = make([]*gemm.I8Weights, c.groups)
	for g := range c.groups {
		q, ok := gcI8Params(k.q, bias, g*c.pg, (g+1)*c.pg)
		if !ok {
			return false
		}
		w, err := gemm.PackI8(impl, f[g*c.pg*c.kdim:(g+1)*c.pg*c.kdim], c.pg, c.kdim, q)
		if err != nil {
			return false
		}
		c.i8[g] = w
	}
	c.is = make([][]int32, c.workers)
	for i := range c.is {
		c.is[i] = make([]int32, c.i8[0].ScratchLen())
	}
	return true
}

// eval runs the prepared convolution.
func (c *gcConv) eval(n *core.Node) error {
	in, out := n.Inputs[0], n.Outputs[0]
	nx, ny := c.batch*c.inH*c.inW*c.inCh, c.m*c.outCh
	var nb int
	if !c.direct {
		if len(n.Temporaries) == 0 {
			return n.Errorf("im2col scratch is missing")
		}
		nb = c.workers * c.tileRows * c.kdim
	}
	if c.f32 != nil {
		c.xf, c.yf = in.Float32s(), out.Float32s()
		if !c.direct {
			c.bf = n.Temporaries[0].Float32s()
		}
		if len(c.xf) < nx || len(c.yf) < ny || len(c.bf) < nb {
			c.xf, c.yf, c.bf = nil, nil, nil
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	} else {
		c.xi, c.yi = gcInt8s(in.Bytes()), gcInt8s(out.Bytes())
		if !c.direct {
			c.bi = gcInt8s(n.Temporaries[0].Bytes())
		}
		if len(c.xi) < nx || len(c.yi) < ny || len(c.bi) < nb {
			c.xi, c.yi, c.bi = nil, nil, nil
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	}
	parts := c.groups * c.rowTiles * c.colParts
	clear(c.errs)
	pool := core.EnvPool(n.Env)
	if pool == nil || pool.Workers() > c.workers || parts == 1 {
		for p := range parts {
			c.Run(p, 0)
		}
	} else {
		pool.Run(parts, c)
	}
	c.xf, c.yf, c.bf, c.xi, c.yi, c.bi = nil, nil, nil, nil, nil, nil
	for _, err := range c.errs {
		if err != nil {
			return n.Errorf("%v", err)
		}
	}
	return nil
}

// Run implements core.Task: part's tile of output pixels, group and
// output channel range.
func (c *gcConv) Run(part, worker int) {
	g := part / (c.rowTiles * c.colParts)
	r := part % (c.rowTiles * c.colParts)
	t, cp := r/c.colParts, r%c.colParts
	m0 := t * c.tileRows
	m1 := min(m0+c.tileRows, c.m)
	n0 := cp * c.panels / c.colParts * c.colAlign
	n1 := min((cp+1)*c.panels/c.colParts*c.colAlign, c.pg)
	var err error
	switch {
	case c.direct && c.f32 != nil:
		err = c.f32[g].Run(c.yf[g*c.pg:], c.outCh, c.xf[g*c.fic:], c.inCh, m0, m1, n0, n1, c.fs[worker])
	case c.direct:
		err = c.i8[g].Run(c.yi[g*c.pg:], c.outCh, c.xi[g*c.fic:], c.inCh, m0, m1, n0, n1, c.is[worker])
	case c.f32 != nil:
		buf := c.bf[worker*c.tileRows*c.kdim:][:(m1-m0)*c.kdim]
		gcIm2col(c, buf, c.xf, g, m0, m1, 0)
		err = c.f32[g].Run(c.yf[m0*c.outCh+g*c.pg:], c.outCh, buf, c.kdim, 0, m1-m0, 0, c.pg, c.fs[worker])
	default:
		buf := c.bi[worker*c.tileRows*c.kdim:][:(m1-m0)*c.kdim]
		gcIm2col(c, buf, c.xi, g, m0, m1, c.pad)
		if c.u8 {
			gcFlip(buf)
		}
		y := c.yi[m0*c.outCh+g*c.pg:]
		err = c.i8[g].Run(y, c.outCh, buf, c.kdim, 0, m1-m0, 0, c.pg, c.is[worker])
		if c.u8 {
			for i := range m1 - m0 {
				gcFlip(y[i*c.outCh : i*c.outCh+c.pg])
			}
		}
	}
	if err != nil && c.errs[worker] == nil {
		c.errs[worker] = err
	}
}

// gcIm2col writes the receptive fields of output pixels [m0, m1) for group
// g as rows of dst (kh·kw·fic values in the filter's order), pad outside
// the image.
func gcIm2col[T float32 | int8](c *gcConv, dst, x []T, g, m0, m1 int, pad T) {
	hw := c.outH * c.outW
	kdim, fic, kwf := c.kdim, c.fic, c.kw*c.fic
	// With one group and no horizontal dilation a filter row's taps are
	// contiguous in the input.
	span := c.groups == 1 && c.dw == 1
	for p := m0; p < m1; p++ {
		b, rem := p/hw, p%hw
		oy, ox := rem/c.outW, rem%c.outW
		row := dst[(p-m0)*kdim:][:kdim]
		xb := x[b*c.inH*c.inW*c.inCh:]
		y0, x0 := oy*c.sh-c.ph, ox*c.sw-c.pw
		for fy := range c.kh {
			seg := row[fy*kwf : (fy+1)*kwf]
			iy := y0 + fy*c.dh
			if iy < 0 || iy >= c.inH {
				for i := range seg {
					seg[i] = pad
				}
				continue
			}
			xr := xb[iy*c.inW*c.inCh:]
			if span && x0 >= 0 && x0+c.kw <= c.inW {
				copy(seg, xr[x0*c.inCh:x0*c.inCh+kwf])
				continue
			}
			for fx := range c.kw {
				s := seg[fx*fic : (fx+1)*fic]
				ix := x0 + fx*c.dw
				if ix < 0 || ix >= c.inW {
					for i := range s {
						s[i] = pad
					}
					continue
				}
				copy(s, xr[ix*c.inCh+g*fic:])
			}
		}
	}
}

// gcFC is FULLY_CONNECTED's GEMM path: M = batch rows, N = units.
type gcFC struct {
	key                  gcKey
	batch, inSize, units int
	workers              int // 1: small enough to run on the caller
	u8                   bool
	f32                  *gemm.F32Parallel
	i8                   *gemm.I8Parallel
}

// prepareGEMM sets k.gemm to the GEMM path when it applies.
func (k *fullyConnectedKernel) prepareGEMM(n *core.Node, w, bias *core.Tensor) {
	old := k.gemm
	k.gemm = nil
	if k.reference || k.hybrid != nil || !gcConstant(w) || !gcConstant(bias) || k.batch == 0 {
		return
	}
	if k.q != nil && k.q.inType != core.Int8 && k.q.inType != core.Uint8 {
		return
	}
	workers := gcWorkers(n)
	if k.batch*k.units*k.inSize < gcMinMACs(k.minParallelMACs) {
		workers = 1
	}
	c := &gcFC{batch: k.batch, inSize: k.inSize, units: k.units, workers: workers}
	c.key = gcKeyOf(w, bias, k.units, k.inSize, 1, workers)
	if old != nil && old.key == c.key {
		c.f32, c.i8 = old.f32, old.i8
	} else {
		impl := gemm.Best()
		if k.q == nil {
			wf := w.Float32s()
			var b []float32
			if bias != nil {
				b = bias.Float32s()
			}
			pw, err := gemm.PackF32(impl, wf, k.units, k.inSize, b, k.lo, k.hi)
			if err != nil {
				return
			}
			c.f32 = gemm.NewF32Parallel(pw, workers)
		} else {
			q, ok := gcI8Params(k.q, bias, 0, k.units)
			if !ok {
				return
			}
			pw, err := gemm.PackI8(impl, gcWeightsI8(w), k.units, k.inSize, q)
			if err != nil {
				return
			}
			c.i8 = gemm.NewI8Parallel(pw, workers)
		}
	}
	c.u8 = k.q != nil && k.q.inType == core.Uint8
	if c.u8 {
		n.Temporary(0, core.Int8, []int{k.batch * k.inSize})
	}
	k.gemm = c
}

// eval runs the prepared fully connected layer.
func (c *gcFC) eval(n *core.Node) error {
	in, out := n.Inputs[0], n.Outputs[0]
	nx, ny := c.batch*c.inSize, c.batch*c.units
	pool := core.EnvPool(n.Env)
	if c.workers == 1 {
		pool = nil
	}
	var err error
	if c.f32 != nil {
		x, y := in.Float32s(), out.Float32s()
		if len(x) < nx || len(y) < ny {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		err = c.f32.Run(pool, y, c.units, x, c.inSize, c.batch)
	} else {
		x, y := gcInt8s(in.Bytes()), gcInt8s(out.Bytes())
		if len(x) < nx || len(y) < ny {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		if c.u8 {
			if len(n.Temporaries) == 0 {
				return n.Errorf("input scratch is missing")
			}
			buf := gcInt8s(n.Temporaries[0].Bytes())
			if len(buf) < nx {
				return n.Errorf("tensor storage does not match the prepared shapes")
			}
			copy(buf, x[:nx])
			gcFlip(buf[:nx])
			x = buf
		}
		err = c.i8.Run(pool, y, c.units, x, c.inSize, c.batch)
		if c.u8 {
			gcFlip(y[:ny])
		}
	}
	if err != nil {
		return n.Errorf("%v", err)
	}
	return nil
}

// gcBMM is FLOAT32 BATCH_MATMUL's GEMM path for a constant rhs without
// adj_x: each distinct rhs batch is packed once; every output batch is
// lhs[b] (M×K, row-major) times its rhs.
type gcBMM struct {
	key     gcKey
	m, k, n int
	rhsOf   []int // output batch → index into par
	par     []*gemm.F32Parallel
	workers int
}

// prepareGEMM sets k.gemm for a constant FLOAT32 rhs.
func (k *batchMatMulKernel) prepareGEMM(n *core.Node) {
	old := k.gemm
	k.gemm = nil
	rhs := n.Inputs[1]
	if k.reference || k.typ != core.Float32 || k.hybrid != nil || k.adjX || !gcConstant(rhs) ||
		k.m == 0 || k.k == 0 || k.n == 0 || len(k.lhsOff) == 0 {
		return
	}
	workers := gcWorkers(n)
	if len(k.lhsOff)*k.m*k.n*k.k < gcMinMACs(k.minParallelMACs) {
		workers = 1
	}
	c := &gcBMM{m: k.m, k: k.k, n: k.n, workers: workers, rhsOf: make([]int, len(k.rhsOff))}
	c.key = gcKeyOf(rhs, nil, k.n, k.k, len(k.rhsOff), workers)
	r := rhs.Float32s()
	slots := map[int]int{}
	var offs []int
	for b, off := range k.rhsOff {
		if off+k.k*k.n > len(r) {
			return
		}
		s, ok := slots[off]
		if !ok {
			s = len(offs)
			slots[off] = s
			offs = append(offs, off)
		}
		c.rhsOf[b] = s
	}
	if old != nil && old.key == c.key && len(old.par) == len(offs) {
		c.par = old.par
	} else {
		// PackF32 takes the weights as N×K: rhs [K, N] is transposed,
		// rhs [N, K] (adj_y) is already so.
		t := make([]float32, k.n*k.k)
		for _, off := range offs {
			src := r[off : off+k.k*k.n]
			if k.adjY {
				copy(t, src)
			} else {
				for p := range k.k {
					for j := range k.n {
						t[j*k.k+p] = src[p*k.n+j]
					}
				}
			}
			w, err := gemm.PackF32(gemm.Best(), t, k.n, k.k, nil, float32(math.Inf(-1)), float32(math.Inf(1)))
			if err != nil {
				return
			}
			c.par = append(c.par, gemm.NewF32Parallel(w, workers))
		}
	}
	k.gemm = c
}

// evalGEMM runs the prepared product.
func (k *batchMatMulKernel) evalGEMM(n *core.Node) error {
	c := k.gemm
	lhs, out := n.Inputs[0].Float32s(), n.Outputs[0].Float32s()
	if len(out) < len(c.rhsOf)*c.m*c.n || len(lhs) < n.Inputs[0].NumElements() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	pool := core.EnvPool(n.Env)
	if c.workers == 1 {
		pool = nil
	}
	for b, s := range c.rhsOf {
		if err := c.par[s].Run(pool, out[b*c.m*c.n:], c.n, lhs[k.lhsOff[b]:], c.k, c.m); err != nil {
			return n.Errorf("%v", err)
		}
	}
	return nil
}
