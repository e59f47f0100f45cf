package kernels

import (
	"encoding/binary"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// transposeConvKernel implements TRANSPOSE_CONV for FLOAT32 as TFLite's
// reference TransposeConv does: inputs output_shape (INT32 [4]), weights
// [out_ch, kh, kw, in_ch], input [batch, h, w, in_ch] and an optional bias
// [out_ch] (version 3); every input element scatters its products into
// the output, whose padding is computed from the output size as for a
// convolution of the output (ComputePaddingHeightWidth, dilation 1); the
// bias is added afterwards and then the fused activation (version 4)
// clamps. A non-constant output_shape makes the output dynamic: it is
// sized in Eval.
type transposeConvKernel struct {
	opts tflite.TransposeConvOptionsT

	batch, inH, inW, inCh, outCh, kh, kw int
	outH, outW, padH, padW               int
	hasBias, dynamic                     bool
	lo, hi                               float32
	shape                                []int // output shape kept for ResizeOutput
	ready                                bool
	q                                    *qconvParams  // quantized input
	fast                                 tconvFastPath // float32 with constant weights
}

func newTransposeConv(n *core.Node) (core.Kernel, error) {
	var o tflite.TransposeConvOptions
	n.BuiltinOptions(tflite.BuiltinOptionsTransposeConvOptions, &o)
	k := &transposeConvKernel{shape: make([]int, 4)}
	o.UnPackTo(&k.opts)
	return k, nil
}

// Prepare implements core.Kernel.
func (k *transposeConvKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 3, 4, 1); err != nil {
		return err
	}
	shapeT, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	w, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	in, err := requireInput(n, 2)
	if err != nil {
		return err
	}
	bias := n.Input(3)
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if shapeT.Type() != core.Int32 {
		return n.Errorf("output shape is %s, not INT32", shapeT.Type())
	}
	if shapeT.Rank() != 1 || shapeT.Dim(0) != 4 {
		return n.Errorf("output shape input has shape %s; want [4]", core.FormatShape(shapeT.Shape()))
	}
	k.q = nil
	quantized := isQuantizedInt(in.Type())
	if !quantized {
		if err := convCheckFloat(n, "input", in); err != nil {
			return err
		}
		if err := convCheckFloat(n, "weights", w); err != nil {
			return err
		}
		if out.Type() != core.Float32 {
			return n.Errorf("%s output with FLOAT32 input is not supported", out.Type())
		}
		if bias != nil && bias.Type() != core.Float32 {
			return n.Errorf("%s bias with FLOAT32 input is not supported", bias.Type())
		}
	}
	if w.Sparsity() != nil {
		return n.Errorf("sparse weights are not supported yet")
	}
	if err := convCheckRank4(n, "input", in); err != nil {
		return err
	}
	if err := convCheckRank4(n, "weights", w); err != nil {
		return err
	}
	k.batch, k.inH, k.inW, k.inCh = in.Dim(0), in.Dim(1), in.Dim(2), in.Dim(3)
	k.outCh, k.kh, k.kw = w.Dim(0), w.Dim(1), w.Dim(2)
	if w.Dim(3) != k.inCh {
		return n.Errorf("weights have %d input channels, the input has %d", w.Dim(3), k.inCh)
	}
	if k.kh < 1 || k.kw < 1 {
		return n.Errorf("weights have shape %s; want a filter of at least 1x1", core.FormatShape(w.Shape()))
	}
	k.hasBias = bias != nil
	if k.hasBias && bias.NumElements() != k.outCh {
		return n.Errorf("bias has %d elements for %d output channels", bias.NumElements(), k.outCh)
	}
	o := &k.opts
	if o.StrideH < 1 || o.StrideW < 1 || o.StrideH > 1<<24 || o.StrideW > 1<<24 {
		return n.Errorf("strides %dx%d must be in [1, 2^24]", o.StrideH, o.StrideW)
	}
	if o.Padding != tflite.PaddingSAME && o.Padding != tflite.PaddingVALID {
		return n.Errorf("padding %s is not supported", o.Padding)
	}
	if int64(k.inH)*int64(o.StrideH)+int64(k.kh) > 1<<30 || int64(k.inW)*int64(o.StrideW)+int64(k.kw) > 1<<30 {
		return n.Errorf("strides %dx%d over input %s reach too far", o.StrideH, o.StrideW, core.FormatShape(in.Shape()))
	}
	k.lo, k.hi = convActivation(o.FusedActivationFunction)
	k.dynamic = !shapeT.IsConstant()
	if quantized {
		if k.dynamic {
			return n.Errorf("quantized TRANSPOSE_CONV with a non-constant output shape is not supported yet")
		}
		// Only the uint8 kernel subtracts the filter's zero point
		// (reference_ops::TransposeConv); the per-channel kernels ignore it.
		if k.q, err = qconvPrepare(n, in, w, bias, out, k.outCh, 0, o.FusedActivationFunction, in.Type() == core.Uint8); err != nil {
			return err
		}
		// Without a bias, TFLite's builtin 16x8 TRANSPOSE_CONV requantizes
		// with the 32-bit, double-rounding MultiplyByQuantizedMultiplier
		// instead of the int64 one (reduced 16-bit multiplier) it uses
		// with an int64 bias (measured against TFLite's builtin kernel,
		// q_tconv_int16_* cases: each rule makes the other kind of case
		// differ by 1 at near-ties).
		if bias == nil {
			k.q.wide = false
		}
		if err := k.readShape(n, shapeT); err != nil {
			return err
		}
		out.SetShape(k.shape)
		// The accumulators (TFLite's scratch buffer: int32, int64 for
		// 16x8; int64 here, wrapped to int32 where TFLite's would).
		n.Temporary(0, core.Int64, []int{numElements(k.shape)})
		k.ready = true
		return nil
	}
	if k.dynamic {
		out.SetDynamic()
	} else {
		if err := k.readShape(n, shapeT); err != nil {
			return err
		}
		out.SetShape(k.shape)
	}
	k.ready = true
	return nil
}

// readShape reads and checks the output shape and computes the padding.
func (k *transposeConvKernel) readShape(n *core.Node, shapeT *core.Tensor) error {
	v := shapeT.Int32s()
	if len(v) < 4 {
		return n.Errorf("output shape input has no data")
	}
	for i := range 4 {
		k.shape[i] = int(v[i])
	}
	if k.shape[0] != k.batch || k.shape[3] != k.outCh {
		return n.Errorf("output shape %s does not match batch %d and %d output channels", core.FormatShape(k.shape), k.batch, k.outCh)
	}
	if k.shape[1] < 0 || k.shape[2] < 0 || k.shape[1] > 1<<24 || k.shape[2] > 1<<24 {
		return n.Errorf("output shape %s has an invalid size", core.FormatShape(k.shape))
	}
	k.outH, k.outW = k.shape[1], k.shape[2]
	p := k.opts.Padding
	k.padH = convPadBefore(int(k.opts.StrideH), 1, k.outH, k.kh, convOutSize(p, k.outH, k.kh, int(k.opts.StrideH), 1))
	k.padW = convPadBefore(int(k.opts.StrideW), 1, k.outW, k.kw, convOutSize(p, k.outW, k.kw, int(k.opts.StrideW), 1))
	return nil
}

// Eval implements core.Kernel.
func (k *transposeConvKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.dynamic {
		if err := k.readShape(n, n.Inputs[0]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.shape); err != nil {
			return err
		}
	}
	if k.q != nil {
		return k.evalQuantized(n)
	}
	w, x, y := n.Inputs[1].Float32s(), n.Inputs[2].Float32s(), n.Outputs[0].Float32s()
	var b []float32
	if k.hasBias {
		b = n.Inputs[3].Float32s()
		if len(b) < k.outCh {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	}
	total := k.batch * k.outH * k.outW * k.outCh
	if len(x) < k.batch*k.inH*k.inW*k.inCh || len(w) < k.outCh*k.kh*k.kw*k.inCh || len(y) < total {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	y = y[:total]
	clear(y)
	done, err := k.fast.addInto(n.Inputs[1], x, w, y, k.batch, k.inH, k.inW, k.inCh, k.outH, k.outW, k.outCh, k.kh, k.kw,
		int(k.opts.StrideH), int(k.opts.StrideW), k.padH, k.padW)
	if err != nil {
		return n.Errorf("%v", err)
	}
	if !done {
		transposeConvScatter(x, w, y, k.batch, k.inH, k.inW, k.inCh, k.outH, k.outW, k.outCh, k.kh, k.kw,
			int(k.opts.StrideH), int(k.opts.StrideW), k.padH, k.padW)
	}
	if b != nil {
		for i := 0; i < len(y); i += k.outCh {
			row := y[i : i+k.outCh]
			for c := range row {
				row[c] += b[c]
			}
		}
	}
	for i, v := range y {
		y[i] = clamp(v, k.lo, k.hi)
	}
	return nil
}

// transposeConvScatter adds every input element's products with the
// weights [outCh, kh, kw, inCh] into y (NHWC), in the order of TFLite's
// reference loop (batch, in_y, in_x, in_channel, filter_y, filter_x,
// out_channel).
func transposeConvScatter(x, w, y []float32, batch, inH, inW, inCh, outH, outW, outCh, kh, kw, strideH, strideW, padH, padW int) {
	for bt := 0; bt < batch; bt++ {
		for iy := 0; iy < inH; iy++ {
			oy0 := iy*strideH - padH
			for ix := 0; ix < inW; ix++ {
				ox0 := ix*strideW - padW
				xs := x[((bt*inH+iy)*inW+ix)*inCh:][:inCh]
				for ic, v := range xs {
					for fy := 0; fy < kh; fy++ {
						oy := oy0 + fy
						if oy < 0 || oy >= outH {
							continue
						}
						for fx := 0; fx < kw; fx++ {
							ox := ox0 + fx
							if ox < 0 || ox >= outW {
								continue
							}
							ys := y[((bt*outH+oy)*outW+ox)*outCh:][:outCh]
							wi := (fy*kw+fx)*inCh + ic
							step := kh * kw * inCh
							for oc := range ys {
								// The conversion keeps Go from fusing a
								// multiply-add (see fully_connected.go).
								ys[oc] += float32(v * w[wi+oc*step])
							}
						}
					}
				}
			}
		}
	}
}

// transposeConvBiasKernel implements MediaPipe's custom op
// Convolution2DTransposeBias (mediapipe/util/tflite/operations/
// transpose_conv_bias.cc): inputs input [batch, h, w, in_ch], weights
// [out_ch, kh, kw, in_ch] and bias [out_ch], all FLOAT32. Its custom
// options are not a FlexBuffer but the raw bytes of TFLite's C struct
// TfLiteTransposeConvParams: int32 padding (1 SAME, 2 VALID), int32
// stride_width, int32 stride_height (little-endian; later fields, if any,
// are ignored as MediaPipe ignores them). The output size is
// stride*(in-1) + filter - p with p = max(0, filter - (in-1)%stride - 1)
// for SAME (0 otherwise), padded before by p/2; each output starts at the
// bias and accumulates the input's products in TFLite's scatter order.
type transposeConvBiasKernel struct {
	padding                              int32
	strideW, strideH                     int
	batch, inH, inW, inCh, outCh, kh, kw int
	outH, outW, padH, padW               int
	ready                                bool
	fast                                 tconvFastPath // constant weights
}

// TfLitePadding values of the C API.
const (
	convCPaddingSame  = 1
	convCPaddingValid = 2
)

func newTransposeConvBias(n *core.Node) (core.Kernel, error) {
	opts := n.CustomOptions
	if len(opts) < 12 {
		return nil, n.Errorf("custom options have %d bytes; want the 12-byte TfLiteTransposeConvParams (padding, stride_width, stride_height)", len(opts))
	}
	k := &transposeConvBiasKernel{
		padding: int32(binary.LittleEndian.Uint32(opts[0:])),
		strideW: int(int32(binary.LittleEndian.Uint32(opts[4:]))),
		strideH: int(int32(binary.LittleEndian.Uint32(opts[8:]))),
	}
	if k.padding != convCPaddingSame && k.padding != convCPaddingValid {
		return nil, n.Errorf("padding %d is neither SAME (1) nor VALID (2)", k.padding)
	}
	if k.strideW < 1 || k.strideH < 1 {
		return nil, n.Errorf("strides %dx%d must be at least 1", k.strideH, k.strideW)
	}
	return k, nil
}

// Prepare implements core.Kernel.
func (k *transposeConvBiasKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 3, 3, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	w, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	bias, err := requireInput(n, 2)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	for _, t := range []struct {
		what string
		t    *core.Tensor
	}{{"input", in}, {"weights", w}, {"bias", bias}, {"output", out}} {
		if t.t.Type() != core.Float32 {
			return n.Errorf("%s is %s; only FLOAT32 is supported", t.what, t.t.Type())
		}
	}
	if err := convCheckRank4(n, "input", in); err != nil {
		return err
	}
	if err := convCheckRank4(n, "weights", w); err != nil {
		return err
	}
	k.batch, k.inH, k.inW, k.inCh = in.Dim(0), in.Dim(1), in.Dim(2), in.Dim(3)
	k.outCh, k.kh, k.kw = w.Dim(0), w.Dim(1), w.Dim(2)
	if bias.Rank() != 1 || bias.Dim(0) != k.outCh {
		return n.Errorf("bias has shape %s for %d output channels", core.FormatShape(bias.Shape()), k.outCh)
	}
	if w.Dim(3) != k.inCh {
		return n.Errorf("weights have %d input channels, the input has %d", w.Dim(3), k.inCh)
	}
	if k.inH < 1 || k.inW < 1 || k.kh < 1 || k.kw < 1 {
		return n.Errorf("input %s and weights %s must have non-empty spatial sizes", core.FormatShape(in.Shape()), core.FormatShape(w.Shape()))
	}
	if int64(k.strideH)*int64(k.inH)+int64(k.kh) > 1<<30 || int64(k.strideW)*int64(k.inW)+int64(k.kw) > 1<<30 {
		return n.Errorf("output of strides %dx%d over input %s is too large", k.strideH, k.strideW, core.FormatShape(in.Shape()))
	}
	padH, padW := 0, 0
	if k.padding == convCPaddingSame {
		padH = max(0, k.kh-(k.inH-1)%k.strideH-1)
		padW = max(0, k.kw-(k.inW-1)%k.strideW-1)
	}
	k.outH = k.strideH*(k.inH-1) + k.kh - padH
	k.outW = k.strideW*(k.inW-1) + k.kw - padW
	k.padH, k.padW = padH/2, padW/2
	out.SetShape([]int{k.batch, k.outH, k.outW, k.outCh})
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *transposeConvBiasKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	x, w, b, y := n.Inputs[0].Float32s(), n.Inputs[1].Float32s(), n.Inputs[2].Float32s(), n.Outputs[0].Float32s()
	total := k.batch * k.outH * k.outW * k.outCh
	if len(x) < k.batch*k.inH*k.inW*k.inCh || len(w) < k.outCh*k.kh*k.kw*k.inCh || len(b) < k.outCh || len(y) < total {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	y = y[:total]
	for i := 0; i < total; i += k.outCh {
		copy(y[i:i+k.outCh], b[:k.outCh])
	}
	done, err := k.fast.addInto(n.Inputs[1], x, w, y, k.batch, k.inH, k.inW, k.inCh, k.outH, k.outW, k.outCh, k.kh, k.kw,
		k.strideH, k.strideW, k.padH, k.padW)
	if err != nil {
		return n.Errorf("%v", err)
	}
	if done {
		return nil
	}
	transposeConvScatter(x, w, y, k.batch, k.inH, k.inW, k.inCh, k.outH, k.outW, k.outCh, k.kh, k.kw,
		k.strideH, k.strideW, k.padH, k.padW)
	return nil
}
