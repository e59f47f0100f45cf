package kernels_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/schema/tflite"
)

func TestBuiltinsVersions(t *testing.T) {
	r := kernels.Builtins()
	assert.Equal(t, map[tflite.BuiltinOperator]string{
		tflite.BuiltinOperatorADD:             "1, 4",
		tflite.BuiltinOperatorSUB:             "1, 3-4",
		tflite.BuiltinOperatorMUL:             "1, 5",
		tflite.BuiltinOperatorRESHAPE:         "1",
		tflite.BuiltinOperatorDEQUANTIZE:      "1-3, 5",
		tflite.BuiltinOperatorQUANTIZE:        "1-3",
		tflite.BuiltinOperatorCONCATENATION:   "1-4",
		tflite.BuiltinOperatorFULLY_CONNECTED: "1, 5-6",
		// conv family
		tflite.BuiltinOperatorCONV_2D:           "1, 6",
		tflite.BuiltinOperatorDEPTHWISE_CONV_2D: "1-2",
		tflite.BuiltinOperatorTRANSPOSE_CONV:    "1, 3-4",
		// spatial family
		tflite.BuiltinOperatorPAD:                     "1, 4",
		tflite.BuiltinOperatorPADV2:                   "1, 4",
		tflite.BuiltinOperatorMIRROR_PAD:              "1",
		tflite.BuiltinOperatorMAX_POOL_2D:             "1",
		tflite.BuiltinOperatorAVERAGE_POOL_2D:         "1",
		tflite.BuiltinOperatorL2_POOL_2D:              "1",
		tflite.BuiltinOperatorRESIZE_BILINEAR:         "1, 3",
		tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR: "1, 3",
		tflite.BuiltinOperatorMEAN:                    "1",
		tflite.BuiltinOperatorSUM:                     "1",
		tflite.BuiltinOperatorREDUCE_PROD:             "1",
		tflite.BuiltinOperatorREDUCE_MAX:              "1",
		tflite.BuiltinOperatorREDUCE_MIN:              "1",
		tflite.BuiltinOperatorREDUCE_ANY:              "1",
		tflite.BuiltinOperatorREDUCE_ALL:              "1",
		tflite.BuiltinOperatorDEPTH_TO_SPACE:          "1",
		tflite.BuiltinOperatorSPACE_TO_DEPTH:          "1",
		tflite.BuiltinOperatorSPACE_TO_BATCH_ND:       "1, 3",
		tflite.BuiltinOperatorBATCH_TO_SPACE_ND:       "1, 3",
	}, r.Builtins())
	for _, c := range []struct {
		op      tflite.BuiltinOperator
		version int
		ok      bool
	}{
		{tflite.BuiltinOperatorADD, 1, true},
		{tflite.BuiltinOperatorADD, 2, false},
		{tflite.BuiltinOperatorADD, 4, true},
		{tflite.BuiltinOperatorSUB, 3, true},
		{tflite.BuiltinOperatorMUL, 5, true},
		{tflite.BuiltinOperatorMUL, 7, false},
		{tflite.BuiltinOperatorDEQUANTIZE, 4, false},
		{tflite.BuiltinOperatorFULLY_CONNECTED, 6, true},
		{tflite.BuiltinOperatorFULLY_CONNECTED, 7, false},
		{tflite.BuiltinOperatorCONV_2D, 1, true},
		{tflite.BuiltinOperatorCONV_2D, 2, false},
		{tflite.BuiltinOperatorCONV_2D, 6, true},
		{tflite.BuiltinOperatorTRANSPOSE_CONV, 2, false},
	} {
		_, err := r.Lookup(core.OpCode{Builtin: c.op, Version: c.version})
		assert.Equal(t, c.ok, err == nil, "%s v%d: %v", c.op, c.version, err)
	}
	// Each call is a fresh resolver.
	r.AddCustom("X", nil)
	assert.NotContains(t, kernels.Builtins().Customs(), "X")
}
