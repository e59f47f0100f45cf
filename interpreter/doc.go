// Package interpreter loads TensorFlow Lite models and runs them on the CPU.
//
// A Model is a validated, zero-copy view of a .tflite flatbuffer: every
// offset, index, size, shape and quantization parameter is checked when it
// is loaded, so a malformed file gives a *ModelError naming the bad field,
// never a panic. An Interpreter holds the tensors, kernels and memory of one
// running instance of a Model:
//
//	m, err := interpreter.LoadModelFile("model.tflite")
//	it, err := interpreter.New(m, interpreter.WithNumThreads(2))
//	err = it.AllocateTensors()
//	copy(it.Input(0).Float32s(), pixels)
//	err = it.Invoke()
//	scores := it.Output(0).Float32s()
//
// AllocateTensors prepares every operator, then plans all intermediate
// tensors into one 64-byte-aligned arena with a greedy-by-size planner over
// tensor lifetimes (as TFLite's arena planner does), letting ops such as
// RESHAPE share their input's bytes. Invoke then only runs kernels and does
// not allocate. Variables keep their own persistent storage; tensors whose
// shape depends on data are sized while the graph runs.
//
// WithDelegates hands the parts of the graph that accelerators support to
// them: New groups each delegate's nodes into partitions that keep the graph
// acyclic and replaces each by one delegate node; Plan says what went where
// and why the rest stays on the CPU (see package delegates).
//
// A Model is safe for concurrent use; an Interpreter is not: use one per
// goroutine.
package interpreter
