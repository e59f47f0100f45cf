package kernels

import (
	"encoding/binary"

	"github.com/edgelite/edgelite/interpreter/core"
)

// spQuantFill sets the pad value of quantized PAD and PADV2 as TFLite's
// pad.cc does: without constant_values the output's zero point (which must
// fit the type); with them, their stored value, and their scale and zero
// point must equal the output's. The input is copied as stored. MIRROR_PAD
// copies input values only.
func (k *padKernel) spQuantFill(n *core.Node, typ core.TensorType, out *core.Tensor) error {
	if typ != core.Int8 && typ != core.Uint8 && typ != core.Int16 {
		return nil
	}
	if k.mirror {
		return nil
	}
	oq := out.Quantization()
	var oscale float32
	var ozp int64
	if oq.IsQuantized() {
		oscale, ozp = oq.Params(0)
	}
	if cv := n.Input(2); cv != nil {
		cq := cv.Quantization()
		var cscale float32
		var czp int64
		if cq.IsQuantized() {
			cscale, czp = cq.Params(0)
		}
		if cscale != oscale || czp != ozp {
			return n.Errorf("constant_values scale %g and zero point %d differ from the output's %g and %d", cscale, czp, oscale, ozp)
		}
		return nil
	}
	lo, hi := intRange(typ)
	if ozp < lo || ozp > hi {
		return n.Errorf("output zero point %d out of the %s range", ozp, typ)
	}
	if typ == core.Int16 {
		binary.LittleEndian.PutUint16(k.fill[:2], uint16(int16(ozp)))
	} else {
		k.fill[0] = byte(ozp)
	}
	return nil
}
