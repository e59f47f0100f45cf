package schema

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxBufferSize is the largest buffer Verify accepts: FlatBuffers offsets
// are 32-bit, so nothing beyond this size is addressable.
const MaxBufferSize int64 = math.MaxUint32

// Default verification limits; see Limits.
const (
	DefaultMaxDepth     = 64
	DefaultMaxTables    = 1 << 20
	DefaultMaxExpansion = 4
)

// Limits bounds the work Verify does, and with it the work a later
// Model.UnPack does. FlatBuffers are DAGs: many offsets may point at one
// table or vector, so a small malicious file can describe an exponentially
// large tree. Every limit therefore counts each visit, not each distinct
// object. A zero or negative field selects the default.
type Limits struct {
	// MaxDepth is the deepest table nesting allowed; the root table is at
	// depth 1. Default DefaultMaxDepth (64). TFLite models nest at most 6
	// deep.
	MaxDepth int
	// MaxTables is the largest number of table visits allowed, counting
	// every reference (a table reached through k offsets counts k times).
	// Default DefaultMaxTables (1<<20), far above the few tables per tensor
	// and operator that real models use.
	MaxTables int
	// MaxExpansion bounds the total bytes of vector and string payload
	// reached, counting every reference, to MaxExpansion*len(buf) + 4096.
	// Without sharing the total never exceeds len(buf), so this only
	// rejects files that reuse large vectors many times (which UnPack
	// would copy each time). Default DefaultMaxExpansion (4).
	MaxExpansion int
}

// DefaultLimits returns the limits Verify uses.
func DefaultLimits() Limits {
	return Limits{MaxDepth: DefaultMaxDepth, MaxTables: DefaultMaxTables, MaxExpansion: DefaultMaxExpansion}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxTables <= 0 {
		l.MaxTables = d.MaxTables
	}
	if l.MaxExpansion <= 0 {
		l.MaxExpansion = d.MaxExpansion
	}
	return l
}

// VerifyError reports where and why a buffer failed verification.
type VerifyError struct {
	// Path locates the failing object from the root, in schema field names,
	// for example "Model.subgraphs[0].operators[12].inputs". Union values
	// carry their member table: "...builtin_options(ReshapeOptions)".
	Path string
	// Offset is the byte offset in the buffer where the problem was found.
	Offset int
	// Size is the length of the verified buffer.
	Size int
	// Reason says what is wrong.
	Reason string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s: %s (offset %d, size %d)", e.Path, e.Reason, e.Offset, e.Size)
}

// Verify checks that buf is a structurally valid TFLite model flatbuffer,
// using DefaultLimits. See VerifyWithLimits.
func Verify(buf []byte) error {
	return VerifyWithLimits(buf, DefaultLimits())
}

// VerifyWithLimits checks that buf is a structurally valid TFLite model
// flatbuffer: the "TFL3" file identifier is present, and every table,
// vtable, field, string, vector and union reachable from the root Model lies
// within buf, as described by schema.fbs (offsets non-zero and below 2^31,
// vtables of even size >= 4, strings NUL-terminated, union values present
// only with a type). When it returns nil, reading the model
// with the accessors of package tflite, including Model.UnPack, cannot index
// outside buf. It checks structure only: indices (tensor, buffer, opcode,
// subgraph numbers) and enum values are not range-checked, and union values
// of types unknown to this schema are skipped. It never panics; failures are
// reported as a *VerifyError.
func VerifyWithLimits(buf []byte, l Limits) error {
	v := &verifier{buf: buf, size: int64(len(buf)), lim: l.withDefaults()}
	v.maxBytes = math.MaxInt64
	if e := int64(v.lim.MaxExpansion); v.size == 0 || e <= (math.MaxInt64-4096)/v.size {
		v.maxBytes = e*v.size + 4096
	}
	root := &pathNode{name: descTables[descRoot].name, index: -1}
	if v.size > MaxBufferSize {
		return v.errf(root, 0, "buffer larger than %d bytes", MaxBufferSize)
	}
	if v.size < 8 {
		return v.errf(root, 0, "buffer of %d bytes is too small for a flatbuffer with a file identifier (need at least 8)", v.size)
	}
	if id := buf[4:8]; string(id) != descFileIdentifier {
		return v.errf(root, 4, "file identifier is %s, want %q", strconv.QuoteToASCII(string(id)), descFileIdentifier)
	}
	pos, err := v.offset(0, root)
	if err != nil {
		return err
	}
	return v.table(pos, descRoot, root, 1)
}

type verifier struct {
	buf      []byte
	size     int64
	lim      Limits
	tables   int
	bytes    int64
	maxBytes int64
}

// pathNode is one step of the path from the root to the object being
// verified; paths are only rendered when an error is reported.
type pathNode struct {
	parent *pathNode
	name   string // field name (table name for the root)
	index  int    // vector index, or -1
	member string // union member table name, or ""
}

func (p *pathNode) String() string {
	var nodes []*pathNode
	for n := p; n != nil; n = n.parent {
		nodes = append(nodes, n)
	}
	var b strings.Builder
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		if n.name != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(n.name)
		}
		if n.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(n.index))
			b.WriteByte(']')
		}
		if n.member != "" {
			b.WriteByte('(')
			b.WriteString(n.member)
			b.WriteByte(')')
		}
	}
	return b.String()
}

func (v *verifier) errf(p *pathNode, off int64, format string, args ...any) error {
	return &VerifyError{Path: p.String(), Offset: int(off), Size: int(v.size), Reason: fmt.Sprintf(format, args...)}
}

// in reports whether [off, off+n) lies within the buffer.
func (v *verifier) in(off, n int64) bool {
	return off >= 0 && n >= 0 && off <= v.size && n <= v.size-off
}

func (v *verifier) u16(off int64) int64 { return int64(binary.LittleEndian.Uint16(v.buf[off:])) }
func (v *verifier) u32(off int64) int64 { return int64(binary.LittleEndian.Uint32(v.buf[off:])) }

// offset reads the uoffset stored at off and returns the absolute position
// it points to. Like the reference verifier it rejects zero offsets, offsets
// of 2^31 or more, and targets outside the buffer.
func (v *verifier) offset(off int64, p *pathNode) (int64, error) {
	if !v.in(off, 4) {
		return 0, v.errf(p, off, "offset field overruns buffer")
	}
	o := v.u32(off)
	switch {
	case o == 0:
		return 0, v.errf(p, off, "offset is zero")
	case o > math.MaxInt32:
		return 0, v.errf(p, off, "offset %d is out of range", o)
	case !v.in(off+o, 1):
		return 0, v.errf(p, off, "offset %d points outside buffer (to %d)", o, off+o)
	}
	return off + o, nil
}

// charge accounts n bytes of vector or string payload.
func (v *verifier) charge(n int64, p *pathNode, off int64) error {
	v.bytes += n
	if v.bytes > v.maxBytes {
		return v.errf(p, off, "vector and string data reached exceeds limit of %d bytes (MaxExpansion %d); offsets are shared too often", v.maxBytes, v.lim.MaxExpansion)
	}
	return nil
}

// vector checks the vector at pos with elements of elemSize bytes and
// returns its length and the position of its first element.
func (v *verifier) vector(pos, elemSize int64, p *pathNode) (n, data int64, err error) {
	if !v.in(pos, 4) {
		return 0, 0, v.errf(p, pos, "vector length prefix overruns buffer")
	}
	n = v.u32(pos)
	data = pos + 4
	if !v.in(data, n*elemSize) { // n < 2^32 and elemSize < 2^32: no overflow
		return 0, 0, v.errf(p, pos, "vector length %d overruns buffer", n)
	}
	if err := v.charge(n*elemSize, p, pos); err != nil {
		return 0, 0, err
	}
	return n, data, nil
}

// str checks the string at pos: length prefix, bytes and NUL terminator.
func (v *verifier) str(pos int64, p *pathNode) error {
	if !v.in(pos, 4) {
		return v.errf(p, pos, "string length prefix overruns buffer")
	}
	n := v.u32(pos)
	if !v.in(pos+4, n+1) {
		return v.errf(p, pos, "string length %d overruns buffer", n)
	}
	if v.buf[pos+4+n] != 0 {
		return v.errf(p, pos+4+n, "string of length %d is not NUL-terminated", n)
	}
	return v.charge(n, p, pos)
}

// table verifies the table of type ti at pos and everything it references.
func (v *verifier) table(pos int64, ti int, p *pathNode, depth int) error {
	if depth > v.lim.MaxDepth {
		return v.errf(p, pos, "table nesting deeper than limit %d", v.lim.MaxDepth)
	}
	v.tables++
	if v.tables > v.lim.MaxTables {
		return v.errf(p, pos, "more than %d table visits (MaxTables); offsets are shared too often or the model is too large", v.lim.MaxTables)
	}
	td := &descTables[ti]
	if !v.in(pos, 4) {
		return v.errf(p, pos, "%s table overruns buffer", td.name)
	}
	vt := pos - int64(int32(v.u32(pos)))
	if !v.in(vt, 4) {
		return v.errf(p, pos, "%s vtable position %d out of range", td.name, vt)
	}
	vtSize, tblSize := v.u16(vt), v.u16(vt+2)
	if vtSize < 4 || vtSize&1 != 0 {
		return v.errf(p, vt, "%s vtable size %d is invalid", td.name, vtSize)
	}
	if !v.in(vt, vtSize) {
		return v.errf(p, vt, "%s vtable of %d bytes overruns buffer", td.name, vtSize)
	}
	if tblSize < 4 {
		return v.errf(p, vt, "%s table inline size %d is too small", td.name, tblSize)
	}
	if !v.in(pos, tblSize) {
		// Builders always record a size that fits (a shared vtable's size
		// comes from a table built earlier, i.e. placed later in the buffer).
		return v.errf(p, pos, "%s table inline size %d overruns buffer", td.name, tblSize)
	}
	for i := range td.fields {
		f := &td.fields[i]
		if int64(f.slot) >= vtSize {
			break // fields are in slot order; the rest are absent
		}
		fo := v.u16(vt + int64(f.slot))
		if fo == 0 {
			continue
		}
		inline, isRef := int64(4), true
		if f.kind == kindScalar || f.kind == kindStruct || f.kind == kindUnionType {
			inline, isRef = int64(f.size), false
		}
		// The field must lie within the buffer. It is deliberately not
		// checked against tblSize: the Go and Python FlatBuffers builders
		// share vtables between tables whose field offsets match without
		// comparing the recorded inline size, so their (valid) output can
		// hold fields past it. The reference C++ verifier does not check it
		// either.
		if !v.in(pos+fo, inline) {
			fp := &pathNode{parent: p, name: f.name, index: -1}
			return v.errf(fp, pos+fo, "field of %d bytes at table offset %d overruns buffer", inline, fo)
		}
		if !isRef {
			continue // inline data: nothing more to check
		}
		fp := &pathNode{parent: p, name: f.name, index: -1}
		if err := v.field(pos, vt, vtSize, td, f, pos+fo, fp, depth); err != nil {
			return err
		}
	}
	return nil
}

// field verifies what the (inline, bounds-checked) field at fpos refers to.
func (v *verifier) field(tpos, vt, vtSize int64, td *tableDesc, f *fieldDesc, fpos int64, p *pathNode, depth int) error {
	switch f.kind {
	case kindScalar, kindStruct, kindUnionType:
		return nil
	case kindString:
		t, err := v.offset(fpos, p)
		if err != nil {
			return err
		}
		return v.str(t, p)
	case kindTable:
		t, err := v.offset(fpos, p)
		if err != nil {
			return err
		}
		return v.table(t, int(f.ref), p, depth+1)
	case kindUnion:
		ut := uint8(0)
		if ts := int64(f.slot) - 2; ts < vtSize {
			if to := v.u16(vt + ts); to != 0 {
				// The type field's own slot precedes this one and has been
				// checked already; re-check for robustness.
				if !v.in(tpos+to, 1) {
					return v.errf(p, tpos+to, "%s_type field overruns buffer", f.name)
				}
				ut = v.buf[tpos+to]
			}
		}
		t, err := v.offset(fpos, p)
		if err != nil {
			return err
		}
		u := &descUnions[f.ref]
		if ut == 0 {
			return v.errf(p, fpos, "%s union value present but %s_type is NONE", u.name, f.name)
		}
		m := u.member(ut)
		if m < 0 {
			return nil // a member this schema does not know; UnPack skips it too
		}
		p.member = descTables[m].name
		return v.table(t, m, p, depth+1)
	case kindVectorScalar, kindVectorStruct, kindVectorUnionType:
		t, err := v.offset(fpos, p)
		if err != nil {
			return err
		}
		size := int64(f.size)
		if f.kind == kindVectorUnionType {
			size = 1
		}
		_, _, err = v.vector(t, size, p)
		return err
	case kindVectorString, kindVectorTable:
		t, err := v.offset(fpos, p)
		if err != nil {
			return err
		}
		n, data, err := v.vector(t, 4, p)
		if err != nil {
			return err
		}
		for i := int64(0); i < n; i++ {
			ep := &pathNode{parent: p.parent, name: p.name, index: int(i)}
			e, err := v.offset(data+4*i, ep)
			if err != nil {
				return err
			}
			if f.kind == kindVectorString {
				err = v.str(e, ep)
			} else {
				err = v.table(e, int(f.ref), ep, depth+1)
			}
			if err != nil {
				return err
			}
		}
		return nil
	case kindVectorUnion:
		return v.unionVector(tpos, vt, vtSize, f, fpos, p, depth)
	}
	return v.errf(p, fpos, "internal error: unknown field kind %d in %s", f.kind, td.name)
}

// unionVector verifies a vector of unions and its parallel type vector.
func (v *verifier) unionVector(tpos, vt, vtSize int64, f *fieldDesc, fpos int64, p *pathNode, depth int) error {
	t, err := v.offset(fpos, p)
	if err != nil {
		return err
	}
	n, data, err := v.vector(t, 4, p)
	if err != nil {
		return err
	}
	var types, tn int64
	if ts := int64(f.slot) - 2; ts < vtSize {
		if to := v.u16(vt + ts); to != 0 {
			tp := &pathNode{parent: p.parent, name: p.name + "_type", index: -1}
			tt, err := v.offset(tpos+to, tp)
			if err != nil {
				return err
			}
			if tn, types, err = v.vector(tt, 1, tp); err != nil {
				return err
			}
		}
	}
	if n > 0 && tn != n {
		return v.errf(p, t, "union vector has %d values but %d types", n, tn)
	}
	u := &descUnions[f.ref]
	for i := int64(0); i < n; i++ {
		ep := &pathNode{parent: p.parent, name: p.name, index: int(i)}
		e, err := v.offset(data+4*i, ep)
		if err != nil {
			return err
		}
		ut := v.buf[types+i]
		if ut == 0 {
			return v.errf(ep, data+4*i, "%s union value present but type is NONE", u.name)
		}
		m := u.member(ut)
		if m < 0 {
			continue
		}
		ep.member = descTables[m].name
		if err := v.table(e, m, ep, depth+1); err != nil {
			return err
		}
	}
	return nil
}
