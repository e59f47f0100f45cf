package core

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/edgelite/edgelite/schema/tflite"
)

// Every schema type has a name here that matches the schema's, so a type
// read from a model converts directly.
func TestTensorTypesMatchTheSchema(t *testing.T) {
	for v, name := range tflite.EnumNamesTensorType {
		typ := TensorType(v)
		assert.True(t, typ.Valid(), name)
		assert.Equal(t, name, typ.String())
	}
	assert.Len(t, typeNames, len(tflite.EnumNamesTensorType))
	assert.False(t, TensorType(23).Valid())
	assert.Equal(t, "TensorType(23)", TensorType(23).String())
}
