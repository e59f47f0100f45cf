package kernels

import (
	"encoding/binary"

	"github.com/edgelite/edgelite/interpreter/core"
)

// spSetFill prepares SPACE_TO_BATCH_ND's pad value for quantized types:
// the output's zero point, as TFLite's space_to_batch_nd.cc passes it.
func (k *batchSpaceKernel) spSetFill(n *core.Node, in, out *core.Tensor) error {
	k.spFillSet = false
	typ := in.Type()
	if typ != core.Int8 && typ != core.Uint8 && typ != core.Int16 {
		return nil
	}
	var zp int64
	if q := out.Quantization(); q.IsQuantized() {
		_, zp = q.Params(0)
	}
	lo, hi := intRange(typ)
	if zp < lo || zp > hi {
		return n.Errorf("output zero point %d out of the %s range", zp, typ)
	}
	if !k.toBatch || zp == 0 {
		return nil
	}
	if typ == core.Int16 {
		binary.LittleEndian.PutUint16(k.spFill[:], uint16(int16(zp)))
	} else {
		k.spFill[0] = byte(zp)
	}
	k.spFillSet = true
	return nil
}

// spFillElems writes the element value v (its little-endian bytes) over dst.
func spFillElems(dst, v []byte) {
	if len(v) == 1 {
		for i := range dst {
			dst[i] = v[0]
		}
		return
	}
	for i := 0; i+len(v) <= len(dst); i += len(v) {
		copy(dst[i:i+len(v)], v)
	}
}
