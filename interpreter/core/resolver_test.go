package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/flexbuffers"
	"github.com/edgelite/edgelite/schema/tflite"
)

func factory(tag string) KernelFactory {
	return func(n *Node) (Kernel, error) {
		return KernelFunc{EvalFunc: func(*Node) error { return nil }}, nil
	}
}

func TestOpsLookupByVersionRange(t *testing.T) {
	r := NewOps()
	r.AddBuiltin(tflite.BuiltinOperatorADD, 1, 3, factory("a"))
	r.AddCustom("MyOp", factory("c"))

	_, err := r.Lookup(OpCode{Builtin: tflite.BuiltinOperatorADD, Version: 2})
	assert.NoError(t, err)
	_, err = r.Lookup(OpCode{Builtin: tflite.BuiltinOperatorADD, Version: 4})
	require.Error(t, err)
	assert.Equal(t, "op ADD version 4 is not supported (supported: 1-3)", err.Error())
	_, err = r.Lookup(OpCode{Builtin: tflite.BuiltinOperatorCONV_2D, Version: 1})
	assert.EqualError(t, err, "op CONV_2D has no kernel in this build")
	_, err = r.Lookup(OpCode{Builtin: tflite.BuiltinOperatorCUSTOM, Custom: "MyOp", Version: 7})
	assert.NoError(t, err)
	_, err = r.Lookup(OpCode{Builtin: tflite.BuiltinOperatorCUSTOM, Custom: "Other", Version: 1})
	assert.EqualError(t, err, `custom op "Other" is not registered`)

	c := r.Clone()
	c.AddBuiltin(tflite.BuiltinOperatorADD, 4, 4, factory("b"))
	_, err = c.Lookup(OpCode{Builtin: tflite.BuiltinOperatorADD, Version: 4})
	assert.NoError(t, err)
	_, err = r.Lookup(OpCode{Builtin: tflite.BuiltinOperatorADD, Version: 4})
	assert.Error(t, err, "a clone is independent")
	assert.Equal(t, "1-3, 4", c.Builtins()[tflite.BuiltinOperatorADD])
	assert.Equal(t, []string{"MyOp"}, c.Customs())
}

func TestNodeBuiltinOptionsDefaultsWhenAbsent(t *testing.T) {
	n := &Node{}
	var o tflite.ReshapeOptions
	assert.False(t, n.BuiltinOptions(tflite.BuiltinOptionsReshapeOptions, &o))
	assert.Equal(t, 0, o.NewShapeLength())
	var c tflite.Conv2DOptions
	n.BuiltinOptions(tflite.BuiltinOptionsConv2DOptions, &c)
	assert.Equal(t, int32(1), c.DilationWFactor(), "schema default")
	assert.Equal(t, "BUILTIN_9999", BuiltinName(9999))
	assert.Equal(t, "CONV_2D", OpCode{Builtin: tflite.BuiltinOperatorCONV_2D}.Name())
}

func TestNodeCustomOptionsMap(t *testing.T) {
	buf, err := flexbuffers.Marshal(map[string]any{"max_detections": 10, "y_scale": 10.0})
	require.NoError(t, err)
	n := &Node{CustomOptions: buf}
	m, err := n.CustomOptionsMap()
	require.NoError(t, err)
	v, ok := m.Get("max_detections")
	require.True(t, ok)
	assert.Equal(t, int64(10), v.Int())
	_, err = (&Node{CustomOptions: []byte{1, 2}}).CustomOptionsMap()
	assert.Error(t, err)
}
