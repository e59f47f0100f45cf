package kernels

// spatialOps registers the kernels of this family (see register.go).
var spatialOps = []builtinEntry{}
