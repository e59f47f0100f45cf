package main

import (
	"sync"

	"github.com/edgelite/edgelite/schema/tflite"
)

// tfliteBuiltinNames lists the schema's builtin op names, to tell builtin
// ops from custom ones in an *interpreter.UnresolvedOpsError.
var tfliteBuiltinNames = sync.OnceValue(func() []string {
	names := make([]string, 0, len(tflite.EnumNamesBuiltinOperator))
	for _, n := range tflite.EnumNamesBuiltinOperator {
		names = append(names, n)
	}
	return names
})
