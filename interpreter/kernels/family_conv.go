package kernels

// convOps registers the kernels of this family (see register.go).
var convOps = []builtinEntry{}

// convCustomOps registers the custom ops of the convolution family.
var convCustomOps = []customEntry{}
