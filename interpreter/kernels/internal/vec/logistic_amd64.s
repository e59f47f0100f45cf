//go:build !purego

#include "textflag.h"

// Constants of logisticAVX2, each repeated in 8 lanes: 1, -9, TFLite's
// upper cutoff, log2(e), ln(2) split in two (Cephes' expf), -110, Cephes'
// expf polynomial, the sign bit and the exponent bias.
DATA logistic<>+0(SB)/4, $0x3f800000
DATA logistic<>+4(SB)/4, $0x3f800000
DATA logistic<>+8(SB)/4, $0x3f800000
DATA logistic<>+12(SB)/4, $0x3f800000
DATA logistic<>+16(SB)/4, $0x3f800000
DATA logistic<>+20(SB)/4, $0x3f800000
DATA logistic<>+24(SB)/4, $0x3f800000
DATA logistic<>+28(SB)/4, $0x3f800000
DATA logistic<>+32(SB)/4, $0xc1100000
DATA logistic<>+36(SB)/4, $0xc1100000
DATA logistic<>+40(SB)/4, $0xc1100000
DATA logistic<>+44(SB)/4, $0xc1100000
DATA logistic<>+48(SB)/4, $0xc1100000
DATA logistic<>+52(SB)/4, $0xc1100000
DATA logistic<>+56(SB)/4, $0xc1100000
DATA logistic<>+60(SB)/4, $0xc1100000
DATA logistic<>+64(SB)/4, $0x4184f3cf
DATA logistic<>+68(SB)/4, $0x4184f3cf
DATA logistic<>+72(SB)/4, $0x4184f3cf
DATA logistic<>+76(SB)/4, $0x4184f3cf
DATA logistic<>+80(SB)/4, $0x4184f3cf
DATA logistic<>+84(SB)/4, $0x4184f3cf
DATA logistic<>+88(SB)/4, $0x4184f3cf
DATA logistic<>+92(SB)/4, $0x4184f3cf
DATA logistic<>+96(SB)/4, $0x3fb8aa3b
DATA logistic<>+100(SB)/4, $0x3fb8aa3b
DATA logistic<>+104(SB)/4, $0x3fb8aa3b
DATA logistic<>+108(SB)/4, $0x3fb8aa3b
DATA logistic<>+112(SB)/4, $0x3fb8aa3b
DATA logistic<>+116(SB)/4, $0x3fb8aa3b
DATA logistic<>+120(SB)/4, $0x3fb8aa3b
DATA logistic<>+124(SB)/4, $0x3fb8aa3b
DATA logistic<>+128(SB)/4, $0x3f318000
DATA logistic<>+132(SB)/4, $0x3f318000
DATA logistic<>+136(SB)/4, $0x3f318000
DATA logistic<>+140(SB)/4, $0x3f318000
DATA logistic<>+144(SB)/4, $0x3f318000
DATA logistic<>+148(SB)/4, $0x3f318000
DATA logistic<>+152(SB)/4, $0x3f318000
DATA logistic<>+156(SB)/4, $0x3f318000
DATA logistic<>+160(SB)/4, $0xb95e8083
DATA logistic<>+164(SB)/4, $0xb95e8083
DATA logistic<>+168(SB)/4, $0xb95e8083
DATA logistic<>+172(SB)/4, $0xb95e8083
DATA logistic<>+176(SB)/4, $0xb95e8083
DATA logistic<>+180(SB)/4, $0xb95e8083
DATA logistic<>+184(SB)/4, $0xb95e8083
DATA logistic<>+188(SB)/4, $0xb95e8083
DATA logistic<>+192(SB)/4, $0xc2dc0000
DATA logistic<>+196(SB)/4, $0xc2dc0000
DATA logistic<>+200(SB)/4, $0xc2dc0000
DATA logistic<>+204(SB)/4, $0xc2dc0000
DATA logistic<>+208(SB)/4, $0xc2dc0000
DATA logistic<>+212(SB)/4, $0xc2dc0000
DATA logistic<>+216(SB)/4, $0xc2dc0000
DATA logistic<>+220(SB)/4, $0xc2dc0000
DATA logistic<>+224(SB)/4, $0x39506967
DATA logistic<>+228(SB)/4, $0x39506967
DATA logistic<>+232(SB)/4, $0x39506967
DATA logistic<>+236(SB)/4, $0x39506967
DATA logistic<>+240(SB)/4, $0x39506967
DATA logistic<>+244(SB)/4, $0x39506967
DATA logistic<>+248(SB)/4, $0x39506967
DATA logistic<>+252(SB)/4, $0x39506967
DATA logistic<>+256(SB)/4, $0x3ab743ce
DATA logistic<>+260(SB)/4, $0x3ab743ce
DATA logistic<>+264(SB)/4, $0x3ab743ce
DATA logistic<>+268(SB)/4, $0x3ab743ce
DATA logistic<>+272(SB)/4, $0x3ab743ce
DATA logistic<>+276(SB)/4, $0x3ab743ce
DATA logistic<>+280(SB)/4, $0x3ab743ce
DATA logistic<>+284(SB)/4, $0x3ab743ce
DATA logistic<>+288(SB)/4, $0x3c088908
DATA logistic<>+292(SB)/4, $0x3c088908
DATA logistic<>+296(SB)/4, $0x3c088908
DATA logistic<>+300(SB)/4, $0x3c088908
DATA logistic<>+304(SB)/4, $0x3c088908
DATA logistic<>+308(SB)/4, $0x3c088908
DATA logistic<>+312(SB)/4, $0x3c088908
DATA logistic<>+316(SB)/4, $0x3c088908
DATA logistic<>+320(SB)/4, $0x3d2aa9c1
DATA logistic<>+324(SB)/4, $0x3d2aa9c1
DATA logistic<>+328(SB)/4, $0x3d2aa9c1
DATA logistic<>+332(SB)/4, $0x3d2aa9c1
DATA logistic<>+336(SB)/4, $0x3d2aa9c1
DATA logistic<>+340(SB)/4, $0x3d2aa9c1
DATA logistic<>+344(SB)/4, $0x3d2aa9c1
DATA logistic<>+348(SB)/4, $0x3d2aa9c1
DATA logistic<>+352(SB)/4, $0x3e2aaaaa
DATA logistic<>+356(SB)/4, $0x3e2aaaaa
DATA logistic<>+360(SB)/4, $0x3e2aaaaa
DATA logistic<>+364(SB)/4, $0x3e2aaaaa
DATA logistic<>+368(SB)/4, $0x3e2aaaaa
DATA logistic<>+372(SB)/4, $0x3e2aaaaa
DATA logistic<>+376(SB)/4, $0x3e2aaaaa
DATA logistic<>+380(SB)/4, $0x3e2aaaaa
DATA logistic<>+384(SB)/4, $0x3f000000
DATA logistic<>+388(SB)/4, $0x3f000000
DATA logistic<>+392(SB)/4, $0x3f000000
DATA logistic<>+396(SB)/4, $0x3f000000
DATA logistic<>+400(SB)/4, $0x3f000000
DATA logistic<>+404(SB)/4, $0x3f000000
DATA logistic<>+408(SB)/4, $0x3f000000
DATA logistic<>+412(SB)/4, $0x3f000000
DATA logistic<>+416(SB)/4, $0x80000000
DATA logistic<>+420(SB)/4, $0x80000000
DATA logistic<>+424(SB)/4, $0x80000000
DATA logistic<>+428(SB)/4, $0x80000000
DATA logistic<>+432(SB)/4, $0x80000000
DATA logistic<>+436(SB)/4, $0x80000000
DATA logistic<>+440(SB)/4, $0x80000000
DATA logistic<>+444(SB)/4, $0x80000000
DATA logistic<>+448(SB)/4, $0x0000007f
DATA logistic<>+452(SB)/4, $0x0000007f
DATA logistic<>+456(SB)/4, $0x0000007f
DATA logistic<>+460(SB)/4, $0x0000007f
DATA logistic<>+464(SB)/4, $0x0000007f
DATA logistic<>+468(SB)/4, $0x0000007f
DATA logistic<>+472(SB)/4, $0x0000007f
DATA logistic<>+476(SB)/4, $0x0000007f
GLOBL logistic<>(SB), RODATA|NOPTR, $480

// func logisticAVX2(out, x *float32, n int)
// TFLite's reference Logistic: 1 above the upper cutoff, exp(x) below -9,
// else 1/(1+exp(-x)), with exp computed in float32 as Cephes' expf does
// (about 2e-7 relative error) and scaled by 2^k in two steps so that
// results below FLT_MIN round once into the subnormals, as a float32 of
// exp would.
TEXT ·logisticAVX2(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), AX
	VMOVUPS logistic<>+0(SB), Y15
	VMOVUPS logistic<>+32(SB), Y14
	VMOVUPS logistic<>+64(SB), Y13
	VMOVUPS logistic<>+96(SB), Y12
	VMOVUPS logistic<>+128(SB), Y11
	VMOVUPS logistic<>+160(SB), Y10
	VMOVUPS logistic<>+192(SB), Y9
logloop:
	VMOVUPS (SI), Y0
	// z = x below -9, else -x; at least -110 (a NaN stays).
	VXORPS logistic<>+416(SB), Y0, Y1
	VCMPPS $1, Y14, Y0, Y2 // x < -9
	VBLENDVPS Y2, Y0, Y1, Y1
	VMAXPS Y1, Y9, Y1
	// z = k*ln2 + r.
	VMULPS Y12, Y1, Y3
	VROUNDPS $0, Y3, Y3
	VMULPS Y11, Y3, Y4
	VSUBPS Y4, Y1, Y1
	VMULPS Y10, Y3, Y4
	VSUBPS Y4, Y1, Y1
	// exp(r) = ((((p0 r + p1) r + p2) r + p3) r + p4) r + p5) r^2 + r + 1.
	VMULPS logistic<>+224(SB), Y1, Y5
	VADDPS logistic<>+256(SB), Y5, Y5
	VMULPS Y1, Y5, Y5
	VADDPS logistic<>+288(SB), Y5, Y5
	VMULPS Y1, Y5, Y5
	VADDPS logistic<>+320(SB), Y5, Y5
	VMULPS Y1, Y5, Y5
	VADDPS logistic<>+352(SB), Y5, Y5
	VMULPS Y1, Y5, Y5
	VADDPS logistic<>+384(SB), Y5, Y5
	VMULPS Y1, Y1, Y6
	VMULPS Y6, Y5, Y5
	VADDPS Y1, Y5, Y5
	VADDPS Y15, Y5, Y5
	// Times 2^k1 * 2^k2, k1 = k>>1, k2 = k-k1, both normal powers.
	VCVTPS2DQ Y3, Y7
	VPSRAD $1, Y7, Y8
	VPSUBD Y8, Y7, Y7
	VPADDD logistic<>+448(SB), Y8, Y8
	VPSLLD $23, Y8, Y8
	VPADDD logistic<>+448(SB), Y7, Y7
	VPSLLD $23, Y7, Y7
	VMULPS Y8, Y5, Y5
	VMULPS Y7, Y5, Y5
	// 1/(1+e), or e itself below -9, or 1 above the cutoff.
	VADDPS Y15, Y5, Y6
	VDIVPS Y6, Y15, Y6
	VBLENDVPS Y2, Y5, Y6, Y6
	VCMPPS $0x0e, Y13, Y0, Y4 // x > cutoff
	VBLENDVPS Y4, Y15, Y6, Y6
	VMOVUPS Y6, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, AX
	JNZ logloop
	VZEROUPPER
	RET
