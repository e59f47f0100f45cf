package main

import "fmt"

// Instructions the Go arm64 assembler lacks, encoded by hand (Arm ARM).
func fmax4s(d, n, m int) string { return word(0x4E20F400, d, n, m) } // FMAX Vd.4S, Vn.4S, Vm.4S
func fmin4s(d, n, m int) string { return word(0x4EA0F400, d, n, m) } // FMIN Vd.4S, Vn.4S, Vm.4S
func sdot4s(d, n, m int) string { return word(0x4E809400, d, n, m) } // SDOT Vd.4S, Vn.16B, Vm.16B
func smlal(d, n, m int) string  { return word(0x0E608000, d, n, m) } // SMLAL Vd.4S, Vn.4H, Vm.4H
func smlal2(d, n, m int) string { return word(0x4E608000, d, n, m) } // SMLAL2 Vd.4S, Vn.8H, Vm.8H
func sxtl8h(d, n int) string    { return word(0x0F08A400, d, n, 0) } // SXTL Vd.8H, Vn.8B

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
	f32NEON(a)
	i8Dot(a)
	i8NEON(a)
}

// f32NEON is the 8×8 float32 kernel: accumulators V16-V31 (row r in
// V(16+2r), V(17+2r)), B in V0-V1, A rows broadcast into V2-V9.
func f32NEON(a *asm) {
	a.line("")
	a.line("// func f32Kernel8x8NEON(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, lo, hi float32)")
	a.line("TEXT ·f32Kernel8x8NEON(SB), NOSPLIT, $0-64")
	armPrologue(a, "k+0(FP)", 4)
	a.op("MOVD bias+48(FP), R12")
	a.line("\t// The accumulators start at the bias.")
	a.op("VLD1 (R12), [V0.S4, V1.S4]")
	for r := range 8 {
		a.op("VMOV V0.B16, V%d.B16", 16+2*r)
		a.op("VMOV V1.B16, V%d.B16", 17+2*r)
	}
	a.line("f32neonloop:")
	a.op("VLD1.P 32(R1), [V0.S4, V1.S4]")
	for r := range 8 {
		a.op("VLD1R.P 4(R%d), [V%d.S4]", 4+r, 2+r)
	}
	for r := range 8 {
		a.op("VFMLA V0.S4, V%d.S4, V%d.S4", 2+r, 16+2*r)
		a.op("VFMLA V1.S4, V%d.S4, V%d.S4", 2+r, 17+2*r)
	}
	a.op("SUBS $1, R0, R0")
	a.op("BNE f32neonloop")
	a.op("FMOVS lo+56(FP), F2")
	a.op("FMOVS hi+60(FP), F3")
	a.op("VDUP V2.S[0], V2.S4")
	a.op("VDUP V3.S[0], V3.S4")
	for r := range 8 {
		for h := range 2 {
			v := 16 + 2*r + h
			a.op(fmax4s(v, v, 2))
			a.op(fmin4s(v, v, 3))
		}
		a.op("VST1 [V%d.S4, V%d.S4], (R2)", 16+2*r, 17+2*r)
		if r < 7 {
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
