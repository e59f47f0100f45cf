package main

import "fmt"

// amd64 row addressing: rows 0-3 from SI, rows 4-7 from BX = SI+4·lda, with
// R10 = lda and R11 = 3·lda in bytes (AVX-512: 8 rows). AVX2 kernels use
// rows 0-2 from SI and 3-5 from BX = SI+3·lda.
func rowAddr8(r, off int) string {
	base := "SI"
	if r >= 4 {
		base, r = "BX", r-4
	}
	return [...]string{
		fmt.Sprintf("%d(%s)", off, base),
		fmt.Sprintf("%d(%s)(R10*1)", off, base),
		fmt.Sprintf("%d(%s)(R10*2)", off, base),
		fmt.Sprintf("%d(%s)(R11*1)", off, base),
	}[r]
}

func rowAddr6(r, off int) string {
	base := "SI"
	if r >= 3 {
		base, r = "BX", r-3
	}
	return [...]string{
		fmt.Sprintf("%d(%s)", off, base),
		fmt.Sprintf("%d(%s)(R10*1)", off, base),
		fmt.Sprintf("%d(%s)(R10*2)", off, base),
	}[r]
}

// prologue loads the common arguments: A rows into SI/BX, lda, B into DI,
// C into DX with ldc in bytes in R8.
func prologue(a *asm, count string, elem int, rows int) {
	a.op("MOVQ %s, CX", count)
	a.op("MOVQ a+8(FP), SI")
	a.op("MOVQ lda+16(FP), R10")
	switch elem {
	case 4:
		a.op("SHLQ $2, R10")
	case 2:
		a.op("SHLQ $1, R10")
	}
	a.op("MOVQ b+24(FP), DI")
	a.op("MOVQ c+32(FP), DX")
	a.op("MOVQ ldc+40(FP), R8")
	a.op("SHLQ $2, R8")
	if rows == 8 {
		a.op("LEAQ (R10)(R10*2), R11")
		a.op("LEAQ (SI)(R10*4), BX")
	} else {
		a.op("LEAQ (R10)(R10*2), R11")
		a.op("LEAQ (SI)(R11*1), BX")
	}
}

func genAMD64(a *asm) {
	header(a, "amd64")
	for rows := 8; rows >= 1; rows-- {
		f32AVX512(a, rows)
	}
	for rows := 6; rows >= 1; rows-- {
		f32AVX2(a, rows)
	}
	for rows := 8; rows >= 1; rows-- {
		i8VNNI(a, rows)
	}
	i8AVX2(a)
	requantAVX2(a)
	xorRows(a)
}

// f32AVX512 is the rows×32 float32 kernel (rows ≤ 8; 8 is the main one,
// fewer the last tile of M): accumulators Z16-Z31 (row r in Z(16+2r),
// Z(17+2r)), B in Z0-Z3, each A value broadcast once into Z4-Z15.
func f32AVX512(a *asm, rows int) {
	name := fmt.Sprintf("f32Kernel%dx32AVX512", rows)
	l := func(s string) string { return fmt.Sprintf("f32x512r%d%s", rows, s) }
	a.line("")
	a.line("// func %s(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, lo, hi float32, accumulate int)", name)
	a.line("TEXT ·%s(SB), NOSPLIT, $0-72", name)
	prologue(a, "k+0(FP)", 4, 8)
	a.op("MOVQ bias+48(FP), R9")
	a.line("\t// The accumulators start at the bias, or at C for a later K block.")
	a.op("MOVQ accumulate+64(FP), AX")
	a.op("TESTQ AX, AX")
	a.op("JNZ %s", l("loadc"))
	a.op("VMOVUPS (R9), Z0")
	a.op("VMOVUPS 64(R9), Z1")
	for r := range rows {
		a.op("VMOVAPS Z0, Z%d", 16+2*r)
		a.op("VMOVAPS Z1, Z%d", 17+2*r)
	}
	a.op("JMP %s", l("start"))
	a.line(l("loadc:"))
	a.op("MOVQ DX, R12")
	for r := range rows {
		a.op("VMOVUPS (R12), Z%d", 16+2*r)
		a.op("VMOVUPS 64(R12), Z%d", 17+2*r)
		if r < rows-1 {
			a.op("ADDQ R8, R12")
		}
	}
	a.line(l("start:"))
	a.op("CMPQ CX, $2")
	a.op("JLT %s", l("tail"))
	a.line(l("loop2:"))
	for u := range 2 {
		a.op("VMOVUPS %d(DI), Z%d", 128*u, 2*u)
		a.op("VMOVUPS %d(DI), Z%d", 128*u+64, 2*u+1)
		for r := range rows {
			bc := 4 + (8*u+r)%12
			a.op("VBROADCASTSS %s, Z%d", rowAddr8(r, 4*u), bc)
			a.op("VFMADD231PS Z%d, Z%d, Z%d", 2*u, bc, 16+2*r)
			a.op("VFMADD231PS Z%d, Z%d, Z%d", 2*u+1, bc, 17+2*r)
		}
	}
	a.op("ADDQ $8, SI")
	a.op("ADDQ $8, BX")
	a.op("ADDQ $256, DI")
	a.op("SUBQ $2, CX")
	a.op("CMPQ CX, $2")
	a.op("JGE %s", l("loop2"))
	a.line(l("tail:"))
	a.op("TESTQ CX, CX")
	a.op("JZ %s", l("store"))
	a.op("VMOVUPS (DI), Z0")
	a.op("VMOVUPS 64(DI), Z1")
	for r := range rows {
		a.op("VBROADCASTSS %s, Z%d", rowAddr8(r, 0), 4+r)
		a.op("VFMADD231PS Z0, Z%d, Z%d", 4+r, 16+2*r)
		a.op("VFMADD231PS Z1, Z%d, Z%d", 4+r, 17+2*r)
	}
	a.line(l("store:"))
	a.op("VBROADCASTSS lo+56(FP), Z2")
	a.op("VBROADCASTSS hi+60(FP), Z3")
	for r := range rows {
		for h := range 2 {
			z := 16 + 2*r + h
			// The accumulator is the second source, which MAXPS and
			// MINPS return for NaN: NaN passes, as with std::max/min.
			a.op("VMAXPS Z%d, Z2, Z%d", z, z)
			a.op("VMINPS Z%d, Z3, Z%d", z, z)
			a.op("VMOVUPS Z%d, %d(DX)", z, 64*h)
		}
		if r < rows-1 {
			a.op("ADDQ R8, DX")
		}
	}
	a.op("VZEROUPPER")
	a.op("RET")
}

// f32AVX2 is the rows×16 float32 kernel (rows ≤ 6): accumulators Y4-Y15,
// B in Y0-Y1, broadcasts alternating in Y2-Y3.
func f32AVX2(a *asm, rows int) {
	name := fmt.Sprintf("f32Kernel%dx16AVX2", rows)
	l := func(s string) string { return fmt.Sprintf("f32x256r%d%s", rows, s) }
	a.line("")
	a.line("// func %s(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, lo, hi float32, accumulate int)", name)
	a.line("TEXT ·%s(SB), NOSPLIT, $0-72", name)
	prologue(a, "k+0(FP)", 4, 6)
	a.op("MOVQ bias+48(FP), R9")
	a.line("\t// The accumulators start at the bias, or at C for a later K block.")
	a.op("MOVQ accumulate+64(FP), AX")
	a.op("TESTQ AX, AX")
	a.op("JNZ %s", l("loadc"))
	a.op("VMOVUPS (R9), Y0")
	a.op("VMOVUPS 32(R9), Y1")
	for r := range rows {
		a.op("VMOVAPS Y0, Y%d", 4+2*r)
		a.op("VMOVAPS Y1, Y%d", 5+2*r)
	}
	a.op("JMP %s", l("loop"))
	a.line(l("loadc:"))
	a.op("MOVQ DX, R12")
	for r := range rows {
		a.op("VMOVUPS (R12), Y%d", 4+2*r)
		a.op("VMOVUPS 32(R12), Y%d", 5+2*r)
		if r < rows-1 {
			a.op("ADDQ R8, R12")
		}
	}
	a.line(l("loop:"))
	a.op("VMOVUPS (DI), Y0")
	a.op("VMOVUPS 32(DI), Y1")
	for r := range rows {
		b := 2 + r%2
		a.op("VBROADCASTSS %s, Y%d", rowAddr6(r, 0), b)
		a.op("VFMADD231PS Y0, Y%d, Y%d", b, 4+2*r)
		a.op("VFMADD231PS Y1, Y%d, Y%d", b, 5+2*r)
	}
	a.op("ADDQ $4, SI")
	a.op("ADDQ $4, BX")
	a.op("ADDQ $64, DI")
	a.op("DECQ CX")
	a.op("JNZ %s", l("loop"))
	a.op("VBROADCASTSS lo+56(FP), Y2")
	a.op("VBROADCASTSS hi+60(FP), Y3")
	for r := range rows {
		for h := range 2 {
			y := 4 + 2*r + h
			a.op("VMAXPS Y%d, Y2, Y%d", y, y)
			a.op("VMINPS Y%d, Y3, Y%d", y, y)
			a.op("VMOVUPS Y%d, %d(DX)", y, 32*h)
		}
		if r < rows-1 {
			a.op("ADDQ R8, DX")
		}
	}
	a.op("VZEROUPPER")
	a.op("RET")
}

// i8VNNI is the rows×32 int8 kernel (rows ≤ 8) over groups of 4 with a fused
// requantization: A is a+128 as uint8 (VPDPBUSD's unsigned operand), B
// int8; accumulators Z16-Z31. The epilogue is TFLite's
// MultiplyByQuantizedMultiplier in 64-bit lanes (even and odd columns
// apart), then the output zero point, clamp and a masked int8 store.
func i8VNNI(a *asm, rows int) {
	name := fmt.Sprintf("i8Kernel%dx32VNNI", rows)
	l := func(s string) string { return fmt.Sprintf("i8vnnir%d%s", rows, s) }
	a.line("")
	a.line("// func %s(groups int, a unsafe.Pointer, lda int, b *int8, c *int8, ldc int, q, rowTerm *int32, zp, lo, hi int32, colMask uint32, rows int)", name)
	a.line("TEXT ·%s(SB), NOSPLIT, $0-88", name)
	prologue(a, "groups+0(FP)", 1, 8)
	// ldc is in bytes for int8 C.
	a.op("SHRQ $2, R8")
	a.line("\t// The accumulators start at the column terms (bias and zero points).")
	a.op("MOVQ q+48(FP), AX")
	a.op("VMOVDQU32 (AX), Z0")
	a.op("VMOVDQU32 64(AX), Z1")
	for r := range rows {
		a.op("VMOVDQA32 Z0, Z%d", 16+2*r)
		a.op("VMOVDQA32 Z1, Z%d", 17+2*r)
	}
	a.line(l("loop:"))
	a.op("VMOVDQU32 (DI), Z0")
	a.op("VMOVDQU32 64(DI), Z1")
	for r := range rows {
		a.op("VPBROADCASTD %s, Z%d", rowAddr8(r, 0), 2+r)
	}
	for r := range rows {
		a.op("VPDPBUSD Z0, Z%d, Z%d", 2+r, 16+2*r)
		a.op("VPDPBUSD Z1, Z%d, Z%d", 2+r, 17+2*r)
	}
	a.op("ADDQ $4, SI")
	a.op("ADDQ $4, BX")
	a.op("ADDQ $128, DI")
	a.op("DECQ CX")
	a.op("JNZ %s", l("loop"))

	a.line("	// Requantize: Z14 = 2^30 per qword (the rounding nudge), Z15 the")
	a.line("	// output zero point, Z12-Z13 the clamp, K1 the odd lanes, K2-K3 the")
	a.line("	// columns to store of each half.")
	a.op("MOVQ q+48(FP), SI")
	a.op("MOVQ rowTerm+56(FP), R9")
	a.op("MOVQ $0x40000000, AX")
	a.op("VPBROADCASTQ AX, Z14")
	a.op("MOVL zp+64(FP), AX")
	a.op("VPBROADCASTD AX, Z15")
	a.op("MOVL lo+68(FP), AX")
	a.op("VPBROADCASTD AX, Z12")
	a.op("MOVL hi+72(FP), AX")
	a.op("VPBROADCASTD AX, Z13")
	a.op("MOVL $0xAAAA, AX")
	a.op("KMOVW AX, K1")
	a.op("MOVL colMask+76(FP), AX")
	a.op("KMOVD AX, K2")
	a.op("KSHIFTRD $16, K2, K3")
	const nr = 32
	for h := range 2 {
		a.op("MOVQ c+32(FP), DX")
		a.op("MOVQ rows+80(FP), R13")
		off := func(arr int) int { return arr*nr*4 + 64*h }
		a.op("VMOVDQU32 %d(SI), Z1", off(1))   // left
		a.op("VMOVDQU32 %d(SI), Z2", off(2))   // right
		a.op("VMOVDQU32 %d(SI), Z3", off(3))   // rounding mask
		a.op("VMOVDQU32 %d(SI), Z4", off(4))   // threshold
		a.op("VMOVDQU32 %d(SI), Z5", off(5))   // multiplier, even lanes
		a.op("VMOVDQU32 %d(SI), Z6", off(5)+4) // odd lanes' multipliers in even slots
		a.op("VMOVDQU32 %d(SI), Z0", off(6))   // negative-tie shift (31 or 32)
		for r := range rows {
			x := fmt.Sprintf("Z%d", 16+2*r+h)
			a.op("VPADDD.BCST %d(R9), %s, %s", 4*r, x, x)
			a.op("VPSLLVD Z1, %s, %s", x, x)
			// SaturatingRoundingDoublingHighMul: (x·q + 2^30) >> 31.
			a.op("VPMULDQ Z5, %s, Z7", x)
			a.op("VPSRLQ $32, %s, Z8", x)
			a.op("VPMULDQ Z6, Z8, Z8")
			a.op("VPADDQ Z14, Z7, Z7")
			a.op("VPADDQ Z14, Z8, Z8")
			a.op("VPSRAQ $31, Z7, Z7")
			a.op("VPSRAQ $31, Z8, Z8")
			a.op("VPSLLQ $32, Z8, Z8")
			a.op("VMOVDQA32 Z8, K1, Z7")
			// RoundingDivideByPOT: (h >> right) + (h&mask > thr + (h<0)),
			// the (h<0) term as h >>> neg (zero for neg = 32: half up).
			a.op("VPANDD Z3, Z7, Z9")
			a.op("VPSRLVD Z0, Z7, Z10")
			a.op("VPADDD Z10, Z4, Z10")
			a.op("VPSUBD Z9, Z10, Z10")
			a.op("VPSRAD $31, Z10, Z10")
			a.op("VPSRAVD Z2, Z7, Z7")
			a.op("VPSUBD Z10, Z7, Z7")
			a.op("VPADDD Z15, Z7, Z7")
			a.op("VPMAXSD Z12, Z7, Z7")
			a.op("VPMINSD Z13, Z7, Z7")
			a.op("VPMOVDB Z7, K%d, %d(DX)", 2+h, 16*h)
			if r < rows-1 {
				a.op("DECQ R13")
				a.op("JZ %s%d", l("half"), h)
				a.op("ADDQ R8, DX")
			}
		}
		a.line("%s%d:", l("half"), h)
	}
	a.op("VZEROUPPER")
	a.op("RET")
}

// i8AVX2 is the 6×16 int8 kernel over pairs: A is int16, B int8 pairs
// sign-extended to int16; VPMADDWD sums each pair exactly into int32.
func i8AVX2(a *asm) {
	a.line("")
	a.line("// func i8Kernel6x16AVX2(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)")
	a.line("TEXT ·i8Kernel6x16AVX2(SB), NOSPLIT, $0-48")
	prologue(a, "groups+0(FP)", 2, 6)
	for y := 4; y < 16; y++ {
		a.op("VPXOR Y%d, Y%d, Y%d", y, y, y)
	}
	a.line("i8avx2loop:")
	a.op("VPMOVSXBW (DI), Y0")
	a.op("VPMOVSXBW 16(DI), Y1")
	for r := range 6 {
		a.op("VPBROADCASTD %s, Y2", rowAddr6(r, 0))
		a.op("VPMADDWD Y0, Y2, Y3")
		a.op("VPADDD Y3, Y%d, Y%d", 4+2*r, 4+2*r)
		a.op("VPMADDWD Y1, Y2, Y3")
		a.op("VPADDD Y3, Y%d, Y%d", 5+2*r, 5+2*r)
	}
	a.op("ADDQ $4, SI")
	a.op("ADDQ $4, BX")
	a.op("ADDQ $32, DI")
	a.op("DECQ CX")
	a.op("JNZ i8avx2loop")
	for r := range 6 {
		a.op("VMOVDQU Y%d, (DX)", 4+2*r)
		a.op("VMOVDQU Y%d, 32(DX)", 5+2*r)
		if r < 5 {
			a.op("ADDQ R8, DX")
		}
	}
	a.op("VZEROUPPER")
	a.op("RET")
}

// requantAVX2 requantizes a 16-column int32 tile (the AVX2 int8 kernel's)
// to int8, as the VNNI kernel's epilogue does (the negative-tie shifts read
// from memory: all 16 registers are taken) but without 64-bit arithmetic
// shifts: only the low 32 bits of (x·q + 2^30) >> 31 are kept, which a
// logical shift gives as well.
func requantAVX2(a *asm) {
	a.line("")
	a.line("// func requantAVX2(acc *int32, rows int, q, rowTerm *int32, zp, lo, hi int32, out *int8)")
	a.line("TEXT ·requantAVX2(SB), NOSPLIT, $0-56")
	a.op("MOVQ q+16(FP), SI")
	a.op("MOVQ $0x40000000, AX")
	a.op("MOVQ AX, X7")
	a.op("VPBROADCASTQ X7, Y7")
	a.op("MOVL zp+32(FP), AX")
	a.op("MOVL AX, X8")
	a.op("VPBROADCASTD X8, Y8")
	a.op("MOVL lo+36(FP), AX")
	a.op("MOVL AX, X9")
	a.op("VPBROADCASTD X9, Y9")
	a.op("MOVL hi+40(FP), AX")
	a.op("MOVL AX, X10")
	a.op("VPBROADCASTD X10, Y10")
	const nr = 16
	for h := range 2 {
		off := func(arr int) int { return arr*nr*4 + 32*h }
		a.op("VMOVDQU %d(SI), Y0", off(0))
		a.op("VMOVDQU %d(SI), Y1", off(1))
		a.op("VMOVDQU %d(SI), Y2", off(2))
		a.op("VMOVDQU %d(SI), Y3", off(3))
		a.op("VMOVDQU %d(SI), Y4", off(4))
		a.op("VMOVDQU %d(SI), Y5", off(5))
		a.op("VMOVDQU %d(SI), Y6", off(5)+4)
		a.op("MOVQ acc+0(FP), DI")
		a.op("MOVQ rows+8(FP), CX")
		a.op("MOVQ rowTerm+24(FP), R9")
		a.op("MOVQ out+48(FP), DX")
		a.line("rqavx2loop%d:", h)
		a.op("VMOVDQU %d(DI), Y11", 32*h)
		a.op("VPADDD Y0, Y11, Y11")
		a.op("VPBROADCASTD (R9), Y12")
		a.op("VPADDD Y12, Y11, Y11")
		a.op("VPSLLVD Y1, Y11, Y11")
		a.op("VPMULDQ Y5, Y11, Y12")
		a.op("VPSRLQ $32, Y11, Y13")
		a.op("VPMULDQ Y6, Y13, Y13")
		a.op("VPADDQ Y7, Y12, Y12")
		a.op("VPADDQ Y7, Y13, Y13")
		a.op("VPSRLQ $31, Y12, Y12")
		a.op("VPSLLQ $1, Y13, Y13")
		a.op("VPBLENDD $0xAA, Y13, Y12, Y12")
		a.op("VPAND Y3, Y12, Y14")
		a.op("VPSRLVD %d(SI), Y12, Y15", off(6))
		a.op("VPADDD Y15, Y4, Y15")
		a.op("VPSUBD Y14, Y15, Y15")
		a.op("VPSRAD $31, Y15, Y15")
		a.op("VPSRAVD Y2, Y12, Y12")
		a.op("VPSUBD Y15, Y12, Y12")
		a.op("VPADDD Y8, Y12, Y12")
		a.op("VPMAXSD Y9, Y12, Y12")
		a.op("VPMINSD Y10, Y12, Y12")
		a.line("	// Narrow the 8 int32 (already in int8 range) to 8 bytes.")
		a.op("VPACKSSDW Y12, Y12, Y12")
		a.op("VPACKSSWB Y12, Y12, Y12")
		a.op("VEXTRACTI128 $1, Y12, X13")
		a.op("VPUNPCKLDQ X13, X12, X12")
		a.op("MOVQ X12, %d(DX)", 8*h)
		a.op("ADDQ $64, DI")
		a.op("ADDQ $4, R9")
		a.op("ADDQ $16, DX")
		a.op("DECQ CX")
		a.op("JNZ rqavx2loop%d", h)
	}
	a.op("VZEROUPPER")
	a.op("RET")
}

// xorRows packs rows of int8 A for the VNNI kernels: a+128 as uint8 (the
// sign bit flipped), 64 bytes at a time with masked loads and stores for
// the ends of the rows. Bytes from k to kp are written but not zeroed: the
// packed B is zero there.
func xorRows(a *asm) {
	a.line("")
	a.line("// func xorRowsAVX512(dst, src unsafe.Pointer, rows, k, lda, kp int)")
	a.line("TEXT ·xorRowsAVX512(SB), NOSPLIT, $0-48")
	a.op("MOVQ dst+0(FP), DI")
	a.op("MOVQ src+8(FP), SI")
	a.op("MOVQ rows+16(FP), CX")
	a.op("MOVQ k+24(FP), R8")
	a.op("MOVQ lda+32(FP), R9")
	a.op("MOVQ kp+40(FP), R10")
	a.op("MOVQ $0x8080808080808080, AX")
	a.op("VPBROADCASTQ AX, Z1")
	a.op("MOVQ $64, R13")
	a.op("MOVQ $-1, R12")
	a.line("xorrowsrow:")
	a.op("XORQ BX, BX")
	a.line("xorrowschunk:")
	a.line("\t// K1: min(k-i, 64) bytes to load, K2: min(kp-i, 64) to store.")
	a.op("MOVQ R8, R11")
	a.op("SUBQ BX, R11")
	a.op("CMPQ R11, R13")
	a.op("CMOVQGT R13, R11")
	a.op("BZHIQ R11, R12, R11")
	a.op("KMOVQ R11, K1")
	a.op("MOVQ R10, R11")
	a.op("SUBQ BX, R11")
	a.op("CMPQ R11, R13")
	a.op("CMOVQGT R13, R11")
	a.op("BZHIQ R11, R12, R11")
	a.op("KMOVQ R11, K2")
	a.op("VMOVDQU8.Z (SI)(BX*1), K1, Z0")
	a.op("VPXORQ Z1, Z0, Z0")
	a.op("VMOVDQU8 Z0, K2, (DI)(BX*1)")
	a.op("ADDQ $64, BX")
	a.op("CMPQ BX, R10")
	a.op("JLT xorrowschunk")
	a.op("ADDQ R9, SI")
	a.op("ADDQ R10, DI")
	a.op("DECQ CX")
	a.op("JNZ xorrowsrow")
	a.op("VZEROUPPER")
	a.op("RET")
}
