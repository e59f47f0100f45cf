// Package flexbuffers reads and writes Google's FlexBuffers, the schemaless
// binary format that TensorFlow Lite uses for custom operator options (for
// example the options map of TFLite_Detection_PostProcess) and in some
// metadata.
//
// # Reading
//
// [Root] opens a buffer and returns a [Reference] to its root value.
// A Reference is a small value that points into the buffer; reading it does
// not copy or allocate, except where a Go string has to be made.
// Buffers come from model files and are treated as untrusted: every offset,
// width and length is checked, and malformed input is reported as an error
// wrapping [ErrMalformed], never as a panic. Checks happen when a value is
// reached: [Root] checks the root, [Reference.Vector] and [Reference.Map]
// check one level of elements, so a Reference or Vector that was handed out
// can always be read without further errors.
//
//	root, err := flexbuffers.Root(op.CustomOptions)
//	m, err := root.Map()
//	v, ok := m.Get("max_detections")
//	n := v.Int()
//
// Scalar accessors convert between the numeric types the way the reference
// C++ implementation does (see [Reference.Int]). [Reference.ToAny] decodes a
// whole value into plain Go values, and [Reference.String] prints it as
// JSON-like text; both bound nesting depth and total work, so shared or
// cyclic offsets in hostile input cannot make them loop or blow up.
//
// # Writing
//
// [Builder] writes values with the smallest bit widths that hold them, like
// the reference implementation, and [Marshal] encodes Go maps, slices and
// scalars in one call.
//
// The format is described in the FlatBuffers documentation ("FlexBuffers"
// and "Internals") and by include/flatbuffers/flexbuffers.h upstream; this
// package is an independent implementation of that format.
package flexbuffers
