//go:build !purego

#include "textflag.h"

// Elementwise loops (ew.go): n is a positive multiple of 8; the Go side
// runs the remainder. Each result is clamped as max(lo, v) then min(hi, v),
// which keep a NaN v.

// CLAMP clamps Y0 to [Y14, Y15].
#define CLAMP VMAXPS Y0, Y14, Y0; VMINPS Y0, Y15, Y0

// BINLOOP runs out[i] = clamp(a[i] OP b[i]) over DI, SI, DX with AX
// elements left.
#define BINLOOP(label, OP) \
label: \
	VMOVUPS (SI), Y0; \
	OP (DX), Y0, Y0; \
	CLAMP; \
	VMOVUPS Y0, (DI); \
	ADDQ $32, SI; \
	ADDQ $32, DX; \
	ADDQ $32, DI; \
	SUBQ $8, AX; \
	JNZ label; \
	VZEROUPPER; \
	RET

// func binAVX2(op int, out, a, b *float32, n int, lo, hi float32)
TEXT ·binAVX2(SB), NOSPLIT, $0-48
	MOVQ out+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ n+32(FP), AX
	VBROADCASTSS lo+40(FP), Y14
	VBROADCASTSS hi+44(FP), Y15
	MOVQ op+0(FP), CX
	CMPQ CX, $1
	JEQ binsub
	JGT binmul
	BINLOOP(binaddloop, VADDPS)
binsub:
	// a - b: VSUBPS's memory operand is the subtrahend.
	BINLOOP(binsubloop, VSUBPS)
binmul:
	BINLOOP(binmulloop, VMULPS)

// SCALARLOOP runs out[i] = clamp(OP) with a[i] loaded into Y0 and the
// scalar in Y13.
#define SCALARLOOP(label, OPS) \
label: \
	VMOVUPS (SI), Y0; \
	OPS; \
	CLAMP; \
	VMOVUPS Y0, (DI); \
	ADDQ $32, SI; \
	ADDQ $32, DI; \
	SUBQ $8, AX; \
	JNZ label; \
	VZEROUPPER; \
	RET

#define SADD VADDPS Y13, Y0, Y0
#define SSUB VSUBPS Y13, Y0, Y0
#define SMUL VMULPS Y13, Y0, Y0
#define SRSUB VSUBPS Y0, Y13, Y0

// func binScalarAVX2(op int, out, a *float32, s float32, n int, lo, hi float32)
// op 0: a+s, 1: a-s, 2: a*s, 3: s-a.
TEXT ·binScalarAVX2(SB), NOSPLIT, $0-48
	MOVQ out+8(FP), DI
	MOVQ a+16(FP), SI
	VBROADCASTSS s+24(FP), Y13
	MOVQ n+32(FP), AX
	VBROADCASTSS lo+40(FP), Y14
	VBROADCASTSS hi+44(FP), Y15
	MOVQ op+0(FP), CX
	CMPQ CX, $1
	JEQ bssub
	JGT bsmul
	SCALARLOOP(bsaddloop, SADD)
bssub:
	SCALARLOOP(bssubloop, SSUB)
bsmul:
	CMPQ CX, $3
	JEQ bsrsub
	SCALARLOOP(bsmulloop, SMUL)
bsrsub:
	SCALARLOOP(bsrsubloop, SRSUB)

// func clampAVX2(out, x *float32, n int, lo, hi float32)
TEXT ·clampAVX2(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), AX
	VBROADCASTSS lo+24(FP), Y14
	VBROADCASTSS hi+28(FP), Y15
	SCALARLOOP(clamploop, NOP)

// func hardSwishAVX2(out, x *float32, n int)
// v * min(6, max(0, v+3)) / 6, each operation rounded as the Go loop's.
TEXT ·hardSwishAVX2(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), AX
	MOVL $0x40400000, CX // 3
	MOVQ CX, X12
	VBROADCASTSS X12, Y12
	MOVL $0x40c00000, CX // 6
	MOVQ CX, X15
	VBROADCASTSS X15, Y15
	VXORPS Y14, Y14, Y14
hsloop:
	VMOVUPS (SI), Y0
	VADDPS Y12, Y0, Y1
	VMAXPS Y1, Y14, Y1
	VMINPS Y1, Y15, Y1
	VMULPS Y1, Y0, Y0
	VDIVPS Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ hsloop
	VZEROUPPER
	RET

// func maxAccAVX2(acc, x *float32, n int)
// acc = acc < x ? x : acc: VMAXPS returns its second source (acc) unless
// x > acc, so a NaN in x is skipped and one in acc stays.
TEXT ·maxAccAVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), AX
maxloop:
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMAXPS Y0, Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ maxloop
	VZEROUPPER
	RET

// func addAccAVX2(acc, x *float32, n int)
TEXT ·addAccAVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), AX
addloop:
	VMOVUPS (DI), Y0
	VADDPS (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ addloop
	VZEROUPPER
	RET

// func bilinearAVX2(out, p00, p10, p01, p11 *float32, n int, ny, dy, nx, dx float32)
// ((p00*ny*nx + p10*dy*nx) + p01*ny*dx) + p11*dy*dx, rounded per operation
// in that order.
TEXT ·bilinearAVX2(SB), NOSPLIT, $0-64
	MOVQ out+0(FP), DI
	MOVQ p00+8(FP), SI
	MOVQ p10+16(FP), R8
	MOVQ p01+24(FP), R9
	MOVQ p11+32(FP), R10
	MOVQ n+40(FP), AX
	VBROADCASTSS ny+48(FP), Y12
	VBROADCASTSS dy+52(FP), Y13
	VBROADCASTSS nx+56(FP), Y14
	VBROADCASTSS dx+60(FP), Y15
biloop:
	VMULPS (SI), Y12, Y0
	VMULPS Y14, Y0, Y0
	VMULPS (R8), Y13, Y1
	VMULPS Y14, Y1, Y1
	VMULPS (R9), Y12, Y2
	VMULPS Y15, Y2, Y2
	VMULPS (R10), Y13, Y3
	VMULPS Y15, Y3, Y3
	VADDPS Y1, Y0, Y0
	VADDPS Y2, Y0, Y0
	VADDPS Y3, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ biloop
	VZEROUPPER
	RET

// func mulAddAccAVX2(acc, x, w *float32, n int)
// acc += x*w with the product rounded first (VMULPS then VADDPS).
TEXT ·mulAddAccAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ n+24(FP), AX
maloop:
	VMOVUPS (SI), Y1
	VMULPS (DX), Y1, Y1
	VADDPS (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ maloop
	VZEROUPPER
	RET

// func preluAVX2(out, x, alpha *float32, n int)
// x*alpha where x < 0, else x: the reference's x >= 0 test (a NaN x gives
// NaN either way).
TEXT ·preluAVX2(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ alpha+16(FP), DX
	MOVQ n+24(FP), AX
	VXORPS Y15, Y15, Y15
preloop:
	VMOVUPS (SI), Y0
	VMULPS (DX), Y0, Y1
	VCMPPS $1, Y15, Y0, Y3 // x < 0 (LT_OS)
	VBLENDVPS Y3, Y1, Y0, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ preloop
	VZEROUPPER
	RET

// func bilinearRowAVX2(out, r0, r1 *float32, tab *int32, npix, ch, ch8 int, ny, dy float32)
// BilinearF32 for channels [0, ch8) of npix output pixels ch apart: pixel
// j's input columns are at byte offsets tab[4j] and tab[4j+1] of rows r0
// and r1, its weights dx and 1-dx the float32s tab[4j+2] and tab[4j+3].
TEXT ·bilinearRowAVX2(SB), NOSPLIT, $0-64
	MOVQ out+0(FP), DI
	MOVQ tab+24(FP), BX
	MOVQ npix+32(FP), CX
	MOVQ ch+40(FP), R13
	SHLQ $2, R13
	VBROADCASTSS ny+56(FP), Y12
	VBROADCASTSS dy+60(FP), Y13
brpix:
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	VBROADCASTSS 8(BX), Y15
	VBROADCASTSS 12(BX), Y14
	MOVQ r0+8(FP), SI
	MOVQ r1+16(FP), R10
	LEAQ (SI)(R9*1), R11
	LEAQ (R10)(R9*1), R12
	ADDQ R8, SI
	ADDQ R8, R10
	MOVQ DI, DX
	MOVQ ch8+48(FP), AX
brloop:
	VMULPS (SI), Y12, Y0
	VMULPS Y14, Y0, Y0
	VMULPS (R10), Y13, Y1
	VMULPS Y14, Y1, Y1
	VMULPS (R11), Y12, Y2
	VMULPS Y15, Y2, Y2
	VMULPS (R12), Y13, Y3
	VMULPS Y15, Y3, Y3
	VADDPS Y1, Y0, Y0
	VADDPS Y2, Y0, Y0
	VADDPS Y3, Y0, Y0
	VMOVUPS Y0, (DX)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, DX
	SUBQ $8, AX
	JNZ brloop
	ADDQ R13, DI
	ADDQ $16, BX
	DECQ CX
	JNZ brpix
	VZEROUPPER
	RET
