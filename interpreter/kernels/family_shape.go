package kernels

// shapeOps registers the kernels of this family (see register.go).
var shapeOps = []builtinEntry{}
