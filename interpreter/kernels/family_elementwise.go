package kernels

// elementwiseOps registers the kernels of this family (see register.go).
var elementwiseOps = []builtinEntry{}
