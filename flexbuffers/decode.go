package flexbuffers

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// walker bounds the work of one ToAny or String call. Offsets may be
// shared, so a buffer of n bytes can describe a value far larger than n
// (even a cycle); the budget keeps the work proportional to n.
type walker struct {
	budget int64
	size   int
}

func newWalker(size int) walker {
	return walker{budget: decodeBudgetPerByte*int64(size) + decodeBudgetBase, size: size}
}

func (w *walker) spend(units int) error {
	w.budget -= int64(units)
	if w.budget < 0 {
		return fmt.Errorf("flexbuffers: value in a %d-byte buffer expands beyond the decode budget: %w", w.size, ErrLimit)
	}
	return nil
}

func (w *walker) enter(depth int) error {
	if depth >= MaxDepth {
		return fmt.Errorf("flexbuffers: vectors and maps nest deeper than %d: %w", MaxDepth, ErrLimit)
	}
	return nil
}

// ToAny decodes the value into plain Go values: nil, bool, int64, uint64,
// float64, string (for strings and keys), []byte (a copy, for blobs), []any
// for every kind of vector and map[string]any for maps. It fails on
// malformed data, on nesting deeper than [MaxDepth], and when shared
// offsets would expand the result far beyond the buffer's size.
func (r Reference) ToAny() (any, error) {
	if r.b == nil {
		return nil, nil
	}
	d := decoder{walker: newWalker(len(r.b.data))}
	return d.decode(r, 0)
}

type decoder struct {
	walker
	// strs holds the Go strings made so far by (offset, length); keys shared
	// between maps then share one string and are paid for once.
	strs map[[2]int]string
}

func (d *decoder) str(r Reference) (string, error) {
	k := [2]int{r.off, r.n}
	if r.typ == TypeKey {
		k[1] = -1
	}
	if s, ok := d.strs[k]; ok {
		return s, nil
	}
	b := r.StringBytes()
	if err := d.spend(len(b)); err != nil {
		return "", err
	}
	s := string(b)
	if d.strs == nil {
		d.strs = make(map[[2]int]string)
	}
	d.strs[k] = s
	return s, nil
}

func (d *decoder) decode(r Reference, depth int) (any, error) {
	if err := d.spend(1); err != nil {
		return nil, err
	}
	switch r.typ {
	case TypeNull:
		return nil, nil
	case TypeBool:
		return r.Bool(), nil
	case TypeInt, TypeIndirectInt:
		return r.Int(), nil
	case TypeUInt, TypeIndirectUInt:
		return r.UInt(), nil
	case TypeFloat, TypeIndirectFloat:
		return r.Float(), nil
	case TypeKey, TypeString:
		return d.str(r)
	case TypeBlob:
		b := r.Blob()
		if err := d.spend(len(b)); err != nil {
			return nil, err
		}
		return bytes.Clone(b), nil
	}
	if err := d.enter(depth); err != nil {
		return nil, err
	}
	// Pay for the elements before checking or allocating for them.
	if err := d.spend(r.n); err != nil {
		return nil, err
	}
	if r.typ == TypeMap {
		m, err := r.Map()
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, m.Len())
		for i := 0; i < m.Len(); i++ {
			k, err := d.str(m.keys.At(i))
			if err != nil {
				return nil, err
			}
			v, err := d.decode(m.values.At(i), depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	}
	v, err := r.Vector()
	if err != nil {
		return nil, err
	}
	out := make([]any, v.Len())
	for i := range out {
		if out[i], err = d.decode(v.At(i), depth+1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// String formats the value as JSON-like text for debugging and inspection:
// maps as {"key": value, ...}, vectors as [a, b], strings, keys and blobs
// quoted (bytes that are not UTF-8 as \xNN), floats that are exact in
// float32 with float32 precision (so a stored 0.6f prints as 0.6), and
// NaN and infinities as NaN, Infinity and -Infinity. Damaged or
// over-limit parts end the text with "<error: ...>".
func (r Reference) String() string {
	size := 0
	if r.b != nil {
		size = len(r.b.data)
	}
	f := formatter{walker: newWalker(size)}
	out, err := f.format(nil, r, 0)
	if err != nil {
		out = append(out, "<error: "...)
		out = append(out, err.Error()...)
		out = append(out, '>')
	}
	return string(out)
}

type formatter struct {
	walker
}

func (f *formatter) format(dst []byte, r Reference, depth int) ([]byte, error) {
	if err := f.spend(1); err != nil {
		return dst, err
	}
	switch r.typ {
	case TypeNull:
		return append(dst, "null"...), nil
	case TypeBool:
		return strconv.AppendBool(dst, r.Bool()), nil
	case TypeInt, TypeIndirectInt:
		return strconv.AppendInt(dst, r.Int(), 10), nil
	case TypeUInt, TypeIndirectUInt:
		return strconv.AppendUint(dst, r.UInt(), 10), nil
	case TypeFloat, TypeIndirectFloat:
		return appendFloat(dst, r.Float()), nil
	case TypeKey, TypeString, TypeBlob:
		b := r.StringBytes()
		if r.typ == TypeBlob {
			b = r.Blob()
		}
		if err := f.spend(len(b)); err != nil {
			return dst, err
		}
		return appendQuoted(dst, b), nil
	}
	if err := f.enter(depth); err != nil {
		return dst, err
	}
	if err := f.spend(r.n); err != nil {
		return dst, err
	}
	if r.typ == TypeMap {
		m, err := r.Map()
		if err != nil {
			return dst, err
		}
		dst = append(dst, '{')
		for i := 0; i < m.Len(); i++ {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			k := m.keys.At(i).StringBytes()
			if err := f.spend(len(k)); err != nil {
				return dst, err
			}
			dst = appendQuoted(dst, k)
			dst = append(dst, ": "...)
			if dst, err = f.format(dst, m.values.At(i), depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	}
	v, err := r.Vector()
	if err != nil {
		return dst, err
	}
	dst = append(dst, '[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		if dst, err = f.format(dst, v.At(i), depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

func appendFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...)
	}
	bits := 64
	if float64(float32(v)) == v {
		bits = 32 // most floats in models are float32; print them short
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'g', -1, bits)
	// Keep floats recognisable as floats: "10" becomes "10.0".
	for _, c := range dst[start:] {
		if (c < '0' || c > '9') && c != '-' {
			return dst
		}
	}
	return append(dst, ".0"...)
}

const hexDigits = "0123456789abcdef"

// appendQuoted quotes b JSON-style; bytes that are not valid UTF-8 are
// written as \xNN so binary data stays readable.
func appendQuoted(dst, b []byte) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		} else {
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
