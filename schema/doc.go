// Package schema holds Edgelite's definition of the TensorFlow Lite model
// file format and the tools to read untrusted model bytes safely.
//
// The format is described by schema.fbs (FlatBuffers schema, file
// identifier "TFL3", root table Model). From it are generated:
//
//   - package github.com/edgelite/edgelite/schema/tflite: flatc's Go code,
//     with both the zero-copy accessors (tflite.GetRootAsModel) and the
//     object API (tflite.ModelT, Pack, UnPack) for building and editing
//     models;
//   - descriptor_gen.go: a compact description of every table's fields,
//     used by Verify.
//
// FlatBuffers' Go accessors trust their input and panic on malformed
// buffers. Call Verify (or VerifyWithLimits) on any bytes that did not come
// from this process before using tflite.GetRootAsModel or UnPack: when
// Verify returns nil, every accessor reachable from the root, and
// Model.UnPack, stays within the buffer. ReadModel and UnpackModel do both
// steps. Verify checks structure only; indices between objects (tensor,
// buffer, opcode and subgraph numbers) are the reader's to range-check.
//
// To write a model, build a *tflite.ModelT and call Serialize, or pack it
// yourself and call Finish to add the "TFL3" file identifier.
//
// # Regenerating
//
// After editing schema.fbs run
//
//	go generate ./schema
//
// which needs flatc (version 2.0.8 was used for the checked-in code) on
// PATH. It runs `flatc --go --gen-object-api`, post-processes and gofmts the
// output into tflite/, and rewrites descriptor_gen.go, all through the
// internal/fbsgen command.
package schema

//go:generate go run ./internal/fbsgen -schema schema.fbs -go-out tflite -desc-out descriptor_gen.go
