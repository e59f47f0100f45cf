//go:build !purego

#include "textflag.h"

// DWF32's loops (vec.go): for each pixel, for each block of 8 channels,
// for each filter row, the kw taps unrolled; products rounded before the
// add (VMULPS then VADDPS, no FMA) in the scalar loop's order.

// func dwK3AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32)
TEXT ·dwK3AVX2(SB), NOSPLIT, $0-88
	MOVQ c+40(FP), CX
	SHLQ $2, CX                 // pixel (and tap) stride in bytes
	LEAQ (CX)(CX*2), R10        // 3 pixels
	MOVQ rs+48(FP), R8
	SHLQ $2, R8                 // input row stride in bytes
	MOVQ $3, R9
	IMULQ CX, R9                // filter row stride in bytes
	VBROADCASTSS lo+80(FP), Y14
	VBROADCASTSS hi+84(FP), Y15
dwK3AVX2pix:
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ b+24(FP), BX
	MOVQ out+0(FP), DI
	MOVQ c8+32(FP), AX
dwK3AVX2blk:
	// One block of 8 channels: the sum starts at +0 as the scalar loop's.
	VXORPS Y0, Y0, Y0
	MOVQ SI, R11
	MOVQ DX, R12
	MOVQ kh+56(FP), R13
dwK3AVX2row:
	VMOVUPS (R11), Y1
	VMULPS (R12), Y1, Y1
	VADDPS Y1, Y0, Y0
	VMOVUPS (R11)(CX*1), Y2
	VMULPS (R12)(CX*1), Y2, Y2
	VADDPS Y2, Y0, Y0
	VMOVUPS (R11)(CX*2), Y3
	VMULPS (R12)(CX*2), Y3, Y3
	VADDPS Y3, Y0, Y0
	ADDQ R8, R11
	ADDQ R9, R12
	DECQ R13
	JNZ dwK3AVX2row
	VADDPS (BX), Y0, Y0
	// max(lo, v) and min(hi, v) return v when it is NaN.
	VMAXPS Y0, Y14, Y0
	VMINPS Y0, Y15, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, BX
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ dwK3AVX2blk
	// Next pixel.
	MOVQ xstep+64(FP), AX
	SHLQ $2, AX
	ADDQ AX, x+8(FP)
	ADDQ CX, out+0(FP)
	DECQ npix+72(FP)
	JNZ dwK3AVX2pix
	VZEROUPPER
	RET

// func dwK5AVX2(out, x, w, b *float32, c8, c, rs, kh, xstep, npix int, lo, hi float32)
TEXT ·dwK5AVX2(SB), NOSPLIT, $0-88
	MOVQ c+40(FP), CX
	SHLQ $2, CX                 // pixel (and tap) stride in bytes
	LEAQ (CX)(CX*2), R10        // 3 pixels
	MOVQ rs+48(FP), R8
	SHLQ $2, R8                 // input row stride in bytes
	MOVQ $5, R9
	IMULQ CX, R9                // filter row stride in bytes
	VBROADCASTSS lo+80(FP), Y14
	VBROADCASTSS hi+84(FP), Y15
dwK5AVX2pix:
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ b+24(FP), BX
	MOVQ out+0(FP), DI
	MOVQ c8+32(FP), AX
dwK5AVX2blk:
	// One block of 8 channels: the sum starts at +0 as the scalar loop's.
	VXORPS Y0, Y0, Y0
	MOVQ SI, R11
	MOVQ DX, R12
	MOVQ kh+56(FP), R13
dwK5AVX2row:
	VMOVUPS (R11), Y1
	VMULPS (R12), Y1, Y1
	VADDPS Y1, Y0, Y0
	VMOVUPS (R11)(CX*1), Y2
	VMULPS (R12)(CX*1), Y2, Y2
	VADDPS Y2, Y0, Y0
	VMOVUPS (R11)(CX*2), Y3
	VMULPS (R12)(CX*2), Y3, Y3
	VADDPS Y3, Y0, Y0
	VMOVUPS (R11)(R10*1), Y1
	VMULPS (R12)(R10*1), Y1, Y1
	VADDPS Y1, Y0, Y0
	VMOVUPS (R11)(CX*4), Y2
	VMULPS (R12)(CX*4), Y2, Y2
	VADDPS Y2, Y0, Y0
	ADDQ R8, R11
	ADDQ R9, R12
	DECQ R13
	JNZ dwK5AVX2row
	VADDPS (BX), Y0, Y0
	// max(lo, v) and min(hi, v) return v when it is NaN.
	VMAXPS Y0, Y14, Y0
	VMINPS Y0, Y15, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, BX
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ dwK5AVX2blk
	// Next pixel.
	MOVQ xstep+64(FP), AX
	SHLQ $2, AX
	ADDQ AX, x+8(FP)
	ADDQ CX, out+0(FP)
	DECQ npix+72(FP)
	JNZ dwK5AVX2pix
	VZEROUPPER
	RET
