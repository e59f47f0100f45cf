// Package core holds the types shared by the interpreter, its kernels and its
// delegates: tensors and their element types, quantization parameters, the
// kernel API (Registration, Kernel, Node) and op resolution.
//
// Most programs use these types through the aliases in package interpreter;
// code that implements kernels or delegates imports core directly so that it
// does not depend on the interpreter's engine.
package core
