package main

import "fmt"

// Instructions the Go arm64 assembler lacks, encoded by hand (Arm ARM).
func fmax4s(d, n, m int) string { return word(0x4E20F400, d, n, m) } // FMAX Vd.4S, Vn.4S, Vm.4S
func fmin4s(d, n, m int) string { return word(0x4EA0F400, d, n, m) } // FMIN Vd.4S, Vn.4S, Vm.4S
func sdot4s(d, n, m int) string { return word(0x4E809400, d, n, m) } // SDOT Vd.4S, Vn.16B, Vm.16B
func smlal(d, n, m int) string  { return word(0x0E608000, d, n, m) } // SMLAL Vd.4S, Vn.4H, Vm.4H
func smlal2(d, n, m int) string { return word(0x4E608000, d, n, m) } // SMLAL2 Vd.4S, Vn.8H, Vm.8H
func sxtl8h(d, n int) string    { return word(0x0F08A400, d, n, 0) } // SXTL Vd.8H, Vn.8B

func sshl4s(d, n, m int) string     { return word(0x4EA04400, d, n, m) } // SSHL Vd.4S, Vn.4S, Vm.4S
func sqrdmulh4s(d, n, m int) string { return word(0x6EA0B400, d, n, m) } // SQRDMULH Vd.4S, Vn.4S, Vm.4S
func sshr31(d, n int) string        { return word(0x4F210400, d, n, 0) } // SSHR Vd.4S, Vn.4S, #31
func sqadd4s(d, n, m int) string    { return word(0x4EA00C00, d, n, m) } // SQADD Vd.4S, Vn.4S, Vm.4S
func srshl4s(d, n, m int) string    { return word(0x4EA05400, d, n, m) } // SRSHL Vd.4S, Vn.4S, Vm.4S
func smax4s(d, n, m int) string     { return word(0x4EA06400, d, n, m) } // SMAX Vd.4S, Vn.4S, Vm.4S
func smin4s(d, n, m int) string     { return word(0x4EA06C00, d, n, m) } // SMIN Vd.4S, Vn.4S, Vm.4S
func sqxtn4h(d, n int) string       { return word(0x0E614800, d, n, 0) } // SQXTN Vd.4H, Vn.4S
func sqxtn2h(d, n int) string       { return word(0x4E614800, d, n, 0) } // SQXTN2 Vd.8H, Vn.4S
func sqxtn8b(d, n int) string       { return word(0x0E214800, d, n, 0) } // SQXTN Vd.8B, Vn.8H

func word(op uint32, d, n, m int) string {
	return fmt.Sprintf("WORD $0x%08X", op|uint32(m)<<16|uint32(n)<<5|uint32(d))
}

// armPrologue loads count into R0, B into R1, C into R2 with ldc in bytes
// in R3, and the 8 A row pointers into R4-R11 (lda scaled by elem bytes).
func armPrologue(a *asm, count string, elem int) {
	a.op("MOVD %s, R0", count)
	a.op("MOVD a+8(FP), R4")
	a.op("MOVD lda+16(FP), R13")
	switch elem {
	case 4:
		a.op("LSL $2, R13")
	case 2:
		a.op("LSL $1, R13")
	}
	for r := 5; r <= 11; r++ {
		a.op("ADD R13, R%d, R%d", r-1, r)
	}
	a.op("MOVD b+24(FP), R1")
	a.op("MOVD c+32(FP), R2")
	a.op("MOVD ldc+40(FP), R3")
	a.op("LSL $2, R3")
}

func genARM64(a *asm) {
	header(a, "arm64")
	for rows := 8; rows >= 1; rows-- {
		f32NEON(a, rows)
	}
	i8Dot(a)
	i8NEON(a)
	requantNEON(a)
}

// f32NEON is the rows×8 float32 kernel (rows ≤ 8): accumulators V16-V31 (row r in
// V(16+2r), V(17+2r)), B in V0-V1, A rows broadcast into V2-V9.
func f32NEON(a *asm, rows int) {
	name := fmt.Sprintf("f32Kernel%dx8NEON", rows)
	l := func(s string) string { return fmt.Sprintf("f32neonr%d%s", rows, s) }
	a.line("")
	a.line("// func %s(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, lo, hi float32, accumulate int)", name)
	a.line("TEXT ·%s(SB), NOSPLIT, $0-72", name)
	armPrologue(a, "k+0(FP)", 4)
	a.op("MOVD bias+48(FP), R12")
	a.line("\t// The accumulators start at the bias, or at C for a later K block.")
	a.op("MOVD accumulate+64(FP), R14")
	a.op("CBNZ R14, %s", l("loadc"))
	a.op("VLD1 (R12), [V0.S4, V1.S4]")
	for r := range rows {
		a.op("VMOV V0.B16, V%d.B16", 16+2*r)
		a.op("VMOV V1.B16, V%d.B16", 17+2*r)
	}
	a.op("B %s", l("loop"))
	a.line(l("loadc:"))
	a.op("MOVD R2, R15")
	for r := range rows {
		a.op("VLD1 (R15), [V%d.S4, V%d.S4]", 16+2*r, 17+2*r)
		if r < rows-1 {
			a.op("ADD R3, R15, R15")
		}
	}
	a.line(l("loop:"))
	a.op("VLD1.P 32(R1), [V0.S4, V1.S4]")
	for r := range rows {
		a.op("VLD1R.P 4(R%d), [V%d.S4]", 4+r, 2+r)
	}
	for r := range rows {
		a.op("VFMLA V0.S4, V%d.S4, V%d.S4", 2+r, 16+2*r)
		a.op("VFMLA V1.S4, V%d.S4, V%d.S4", 2+r, 17+2*r)
	}
	a.op("SUBS $1, R0, R0")
	a.op("BNE %s", l("loop"))
	a.op("FMOVS lo+56(FP), F2")
	a.op("FMOVS hi+60(FP), F3")
	a.op("VDUP V2.S[0], V2.S4")
	a.op("VDUP V3.S[0], V3.S4")
	for r := range rows {
		for h := range 2 {
			v := 16 + 2*r + h
			a.op(fmax4s(v, v, 2))
			a.op(fmin4s(v, v, 3))
		}
		a.op("VST1 [V%d.S4, V%d.S4], (R2)", 16+2*r, 17+2*r)
		if r < rows-1 {
			a.op("ADD R3, R2, R2")
		}
	}
	a.op("RET")
}

// i8Dot is the 8×8 int8 kernel over groups of 4 with SDOT: B (8 columns ×
// 4 bytes) in V0-V1, each A row's group broadcast to all lanes.
func i8Dot(a *asm) {
	a.line("")
	a.line("// func i8Kernel8x8Dot(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)")
	a.line("TEXT ·i8Kernel8x8Dot(SB), NOSPLIT, $0-48")
	armPrologue(a, "groups+0(FP)", 1)
	for v := 16; v < 32; v++ {
		a.op("VEOR V%d.B16, V%d.B16, V%d.B16", v, v, v)
	}
	a.line("i8dotloop:")
	a.op("VLD1.P 32(R1), [V0.S4, V1.S4]")
	for r := range 8 {
		a.op("VLD1R.P 4(R%d), [V%d.S4]", 4+r, 2+r)
	}
	for r := range 8 {
		a.op(sdot4s(16+2*r, 0, 2+r))
		a.op(sdot4s(17+2*r, 1, 2+r))
	}
	a.op("SUBS $1, R0, R0")
	a.op("BNE i8dotloop")
	for r := range 8 {
		a.op("VST1 [V%d.S4, V%d.S4], (R2)", 16+2*r, 17+2*r)
		if r < 7 {
			a.op("ADD R3, R2, R2")
		}
	}
	a.op("RET")
}

// i8NEON is the 8×8 int8 kernel without SDOT, one k at a time: B's 8
// int8 columns widened to int16 in V0, each A row (int16) broadcast, and
// SMLAL/SMLAL2 widening multiply-accumulates into int32.
func i8NEON(a *asm) {
	a.line("")
	a.line("// func i8Kernel8x8NEON(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)")
	a.line("TEXT ·i8Kernel8x8NEON(SB), NOSPLIT, $0-48")
	armPrologue(a, "groups+0(FP)", 2)
	for v := 16; v < 32; v++ {
		a.op("VEOR V%d.B16, V%d.B16, V%d.B16", v, v, v)
	}
	a.line("i8neonloop:")
	a.op("VLD1.P 8(R1), [V0.B8]")
	a.op(sxtl8h(0, 0))
	for r := range 8 {
		a.op("VLD1R.P 2(R%d), [V%d.H8]", 4+r, 2+r)
	}
	for r := range 8 {
		a.op(smlal(16+2*r, 0, 2+r))
		a.op(smlal2(17+2*r, 0, 2+r))
	}
	a.op("SUBS $1, R0, R0")
	a.op("BNE i8neonloop")
	for r := range 8 {
		a.op("VST1 [V%d.S4, V%d.S4], (R2)", 16+2*r, 17+2*r)
		if r < 7 {
			a.op("ADD R3, R2, R2")
		}
	}
	a.op("RET")
}

// requantNEON requantizes an 8-column int32 tile of the int8 kernels to
// int8 the way TFLite's NEON kernels do, bit-exactly with the reference:
// SQRDMULH is SaturatingRoundingDoublingHighMul, and RoundingDivideByPOT is
// SRSHL (round half up) after subtracting 1 from negative values, for the
// columns whose rounding is half away from zero (RoundReference).
func requantNEON(a *asm) {
	a.line("")
	a.line("// func requantNEON(acc *int32, rows int, q, rowTerm *int32, zp, lo, hi int32, out *int8)")
	a.line("TEXT ·requantNEON(SB), NOSPLIT, $0-56")
	a.op("MOVD acc+0(FP), R0")
	a.op("MOVD rows+8(FP), R1")
	a.op("MOVD q+16(FP), R4")
	a.op("MOVD rowTerm+24(FP), R2")
	a.op("MOVD out+48(FP), R3")
	a.line("	// V0-V1 column terms, V2-V3 left shifts, V4-V5 multipliers, V6-V7")
	a.line("	// minus the right shifts; V8 zero point, V9-V10 the clamp.")
	a.op("VLD1.P 32(R4), [V0.S4, V1.S4]")
	a.op("VLD1.P 32(R4), [V2.S4, V3.S4]")
	a.op("VLD1.P 32(R4), [V6.S4, V7.S4]")
	a.op("ADD $64, R4, R4")
	a.op("VLD1.P 32(R4), [V4.S4, V5.S4]")
	a.op("VLD1 (R4), [V12.S4, V13.S4]")
	a.op("VEOR V11.B16, V11.B16, V11.B16")
	a.op("VSUB V6.S4, V11.S4, V6.S4")
	a.op("VSUB V7.S4, V11.S4, V7.S4")
	a.line("	// V12-V13: the negative-tie shifts minus 32, so -1 (sign bit set)")
	a.line("	// where negative values round half away from zero, else 0.")
	a.op("MOVW $32, R5")
	a.op("VDUP R5, V14.S4")
	a.op("VSUB V14.S4, V12.S4, V12.S4")
	a.op("VSUB V14.S4, V13.S4, V13.S4")
	a.op("MOVW zp+32(FP), R5")
	a.op("VDUP R5, V8.S4")
	a.op("MOVW lo+36(FP), R5")
	a.op("VDUP R5, V9.S4")
	a.op("MOVW hi+40(FP), R5")
	a.op("VDUP R5, V10.S4")
	a.line("rqneonloop:")
	a.op("VLD1.P 32(R0), [V16.S4, V17.S4]")
	a.op("VLD1R.P 4(R2), [V18.S4]")
	for h := range 2 {
		x := 16 + h
		a.op("VADD V%d.S4, V%d.S4, V%d.S4", h, x, x)
		a.op("VADD V18.S4, V%d.S4, V%d.S4", x, x)
		a.op(sshl4s(x, x, 2+h))
		a.op(sqrdmulh4s(x, x, 4+h))
		a.op("VAND V%d.B16, V%d.B16, V19.B16", 12+h, x)
		a.op(sshr31(19, 19))
		a.op(sqadd4s(x, x, 19))
		a.op(srshl4s(x, x, 6+h))
		a.op("VADD V8.S4, V%d.S4, V%d.S4", x, x)
		a.op(smax4s(x, x, 9))
		a.op(smin4s(x, x, 10))
	}
	a.op(sqxtn4h(20, 16))
	a.op(sqxtn2h(20, 17))
	a.op(sqxtn8b(20, 20))
	a.op("FMOVD F20, (R3)")
	a.op("ADD $8, R3, R3")
	a.op("SUBS $1, R1, R1")
	a.op("BNE rqneonloop")
	a.op("RET")
}
