//go:build !purego

#include "textflag.h"

// TAP adds (x+inOff)*(w+fOff) for 8 channels to Y0, in int32 (wrapping
// as C's int32 arithmetic would).
#define TAP(xa, wa) \
	VPMOVSXBD xa, Y1; \
	VPADDD Y14, Y1, Y1; \
	VPMOVSXBD wa, Y2; \
	VPADDD Y15, Y2, Y2; \
	VPMULLD Y2, Y1, Y1; \
	VPADDD Y1, Y0, Y0

// func dwI8K3AVX2(acc *int32, x, w *int8, n8, cs, rs int, inOff, fOff int32)
TEXT ·dwI8K3AVX2(SB), NOSPLIT, $0-56
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ n8+24(FP), AX
	MOVQ cs+32(FP), CX
	MOVQ rs+40(FP), R8
	LEAQ (SI)(R8*1), R9
	LEAQ (R9)(R8*1), R8
	// SI, R9, R8: the window's three rows.
	LEAQ (CX)(CX*2), R10 // 3 taps
	LEAQ (CX)(CX*4), R11 // 5 taps
	LEAQ (R10)(CX*4), R12 // 7 taps
	MOVL inOff+48(FP), BX
	VMOVD BX, X14
	VPBROADCASTD X14, Y14
	MOVL fOff+52(FP), BX
	VMOVD BX, X15
	VPBROADCASTD X15, Y15
i8loop:
	VPXOR Y0, Y0, Y0
	TAP((SI), (DX))
	TAP((SI)(CX*1), (DX)(CX*1))
	TAP((SI)(CX*2), (DX)(CX*2))
	TAP((R9), (DX)(R10*1))
	TAP((R9)(CX*1), (DX)(CX*4))
	TAP((R9)(CX*2), (DX)(R11*1))
	TAP((R8), (DX)(R10*2))
	TAP((R8)(CX*1), (DX)(R12*1))
	TAP((R8)(CX*2), (DX)(CX*8))
	VMOVDQU Y0, (DI)
	ADDQ $8, SI
	ADDQ $8, R9
	ADDQ $8, R8
	ADDQ $8, DX
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ i8loop
	VZEROUPPER
	RET

// func requantI8AVX2(y *int8, acc, mult, left, right, right1, rmask *int32, n8 int, off, lo, hi int32)
// TFLite's vectorised MultiplyByQuantizedMultiplier (vqrdmulhq_s32 then a
// rounding right shift, half up), the output offset and the clamp, 8
// channels at a time. With a multiplier in [0, 2^31) the saturating
// rounding doubling high multiply is floor((a*b + 2^30) / 2^31), computed
// in 64-bit lanes; the rounding shift is (v >> r) + ((v >> (r-1)) & 1), 0
// for r = 0, which cannot overflow.
TEXT ·requantI8AVX2(SB), NOSPLIT, $0-76
	MOVQ y+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ mult+16(FP), DX
	MOVQ left+24(FP), R8
	MOVQ right+32(FP), R9
	MOVQ right1+40(FP), R10
	MOVQ rmask+48(FP), R11
	MOVQ n8+56(FP), AX
	MOVQ $0x40000000, BX
	VMOVQ BX, X13
	VPBROADCASTQ X13, Y13
	MOVL off+64(FP), BX
	VMOVD BX, X12
	VPBROADCASTD X12, Y12
	MOVL lo+68(FP), BX
	VMOVD BX, X11
	VPBROADCASTD X11, Y11
	MOVL hi+72(FP), BX
	VMOVD BX, X10
	VPBROADCASTD X10, Y10
rqloop:
	VMOVDQU (SI), Y0
	VPSLLVD (R8), Y0, Y0
	VMOVDQU (DX), Y2
	VPMULDQ Y2, Y0, Y3
	VPSRLQ $32, Y0, Y4
	VPSRLQ $32, Y2, Y5
	VPMULDQ Y5, Y4, Y4
	VPADDQ Y13, Y3, Y3
	VPADDQ Y13, Y4, Y4
	VPSRLQ $31, Y3, Y3
	VPSRLQ $31, Y4, Y4
	VPSLLQ $32, Y4, Y4
	VPBLENDD $0xaa, Y4, Y3, Y0
	VPSRAVD (R9), Y0, Y1
	VPSRAVD (R10), Y0, Y2
	VPAND (R11), Y2, Y2
	VPADDD Y2, Y1, Y0
	VPADDD Y12, Y0, Y0
	VPMAXSD Y11, Y0, Y0
	VPMINSD Y10, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKSSDW X1, X0, X0
	VPACKSSWB X0, X0, X0
	MOVQ X0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $8, DI
	SUBQ $8, AX
	JNZ rqloop
	VZEROUPPER
	RET
