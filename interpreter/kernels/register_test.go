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
	// The exact versions each op claims (see register.go and the family
	// files for what each version adds); a change here must be deliberate.
	assert.Equal(t, map[tflite.BuiltinOperator]string{
		tflite.BuiltinOperatorADD:                          "1-4",
		tflite.BuiltinOperatorAVERAGE_POOL_2D:              "1-3",
		tflite.BuiltinOperatorCONCATENATION:                "1-4",
		tflite.BuiltinOperatorCONV_2D:                      "1-6",
		tflite.BuiltinOperatorDEPTHWISE_CONV_2D:            "1-6",
		tflite.BuiltinOperatorDEPTH_TO_SPACE:               "1-2",
		tflite.BuiltinOperatorDEQUANTIZE:                   "1-3, 5",
		tflite.BuiltinOperatorFLOOR:                        "1",
		tflite.BuiltinOperatorFULLY_CONNECTED:              "1, 3-7, 9, 12",
		tflite.BuiltinOperatorL2_NORMALIZATION:             "1-2",
		tflite.BuiltinOperatorL2_POOL_2D:                   "1",
		tflite.BuiltinOperatorLOGISTIC:                     "1-3",
		tflite.BuiltinOperatorLSTM:                         "1, 3-4",
		tflite.BuiltinOperatorMAX_POOL_2D:                  "1-3",
		tflite.BuiltinOperatorMUL:                          "1-5",
		tflite.BuiltinOperatorRELU:                         "1-3",
		tflite.BuiltinOperatorRELU_N1_TO_1:                 "1",
		tflite.BuiltinOperatorRELU6:                        "1-3",
		tflite.BuiltinOperatorRESHAPE:                      "1",
		tflite.BuiltinOperatorRESIZE_BILINEAR:              "1-4",
		tflite.BuiltinOperatorSOFTMAX:                      "1-3",
		tflite.BuiltinOperatorSPACE_TO_DEPTH:               "1-2",
		tflite.BuiltinOperatorTANH:                         "1-3",
		tflite.BuiltinOperatorPAD:                          "1-4",
		tflite.BuiltinOperatorGATHER:                       "1-6",
		tflite.BuiltinOperatorBATCH_TO_SPACE_ND:            "1-3",
		tflite.BuiltinOperatorSPACE_TO_BATCH_ND:            "1-3",
		tflite.BuiltinOperatorTRANSPOSE:                    "1-6",
		tflite.BuiltinOperatorMEAN:                         "1-3",
		tflite.BuiltinOperatorSUB:                          "1-5",
		tflite.BuiltinOperatorDIV:                          "1-2",
		tflite.BuiltinOperatorSQUEEZE:                      "1",
		tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM: "1-3",
		tflite.BuiltinOperatorSTRIDED_SLICE:                "1-4, 6-8",
		tflite.BuiltinOperatorEXP:                          "1",
		tflite.BuiltinOperatorTOPK_V2:                      "1-3",
		tflite.BuiltinOperatorSPLIT:                        "1-4",
		tflite.BuiltinOperatorLOG_SOFTMAX:                  "1-2",
		tflite.BuiltinOperatorCAST:                         "1-5",
		tflite.BuiltinOperatorPRELU:                        "1",
		tflite.BuiltinOperatorMAXIMUM:                      "1-4",
		tflite.BuiltinOperatorARG_MAX:                      "1-3",
		tflite.BuiltinOperatorMINIMUM:                      "1-4",
		tflite.BuiltinOperatorLESS:                         "1-2",
		tflite.BuiltinOperatorNEG:                          "1",
		tflite.BuiltinOperatorPADV2:                        "1-4",
		tflite.BuiltinOperatorGREATER:                      "1-2",
		tflite.BuiltinOperatorGREATER_EQUAL:                "1-2",
		tflite.BuiltinOperatorLESS_EQUAL:                   "1-2",
		tflite.BuiltinOperatorSELECT:                       "1-4",
		tflite.BuiltinOperatorSLICE:                        "1-2, 4-6",
		tflite.BuiltinOperatorSIN:                          "1",
		tflite.BuiltinOperatorTRANSPOSE_CONV:               "1-4",
		tflite.BuiltinOperatorTILE:                         "1, 3",
		tflite.BuiltinOperatorEXPAND_DIMS:                  "1",
		tflite.BuiltinOperatorEQUAL:                        "1-2",
		tflite.BuiltinOperatorNOT_EQUAL:                    "1-2",
		tflite.BuiltinOperatorLOG:                          "1",
		tflite.BuiltinOperatorSUM:                          "1-2",
		tflite.BuiltinOperatorSQRT:                         "1",
		tflite.BuiltinOperatorRSQRT:                        "1-2",
		tflite.BuiltinOperatorSHAPE:                        "1",
		tflite.BuiltinOperatorPOW:                          "1",
		tflite.BuiltinOperatorARG_MIN:                      "1-3",
		tflite.BuiltinOperatorREDUCE_PROD:                  "1-2",
		tflite.BuiltinOperatorREDUCE_MAX:                   "1-3",
		tflite.BuiltinOperatorPACK:                         "1-4",
		tflite.BuiltinOperatorLOGICAL_OR:                   "1",
		tflite.BuiltinOperatorLOGICAL_AND:                  "1",
		tflite.BuiltinOperatorLOGICAL_NOT:                  "1",
		tflite.BuiltinOperatorUNPACK:                       "1-4",
		tflite.BuiltinOperatorREDUCE_MIN:                   "1-3",
		tflite.BuiltinOperatorREDUCE_ANY:                   "1",
		tflite.BuiltinOperatorSQUARE:                       "1",
		tflite.BuiltinOperatorZEROS_LIKE:                   "1",
		tflite.BuiltinOperatorFILL:                         "1-4",
		tflite.BuiltinOperatorRESIZE_NEAREST_NEIGHBOR:      "1-4",
		tflite.BuiltinOperatorLEAKY_RELU:                   "1-2",
		tflite.BuiltinOperatorSQUARED_DIFFERENCE:           "1-2",
		tflite.BuiltinOperatorMIRROR_PAD:                   "1-2",
		tflite.BuiltinOperatorABS:                          "1-5",
		tflite.BuiltinOperatorSPLIT_V:                      "1-2",
		tflite.BuiltinOperatorCEIL:                         "1",
		tflite.BuiltinOperatorGATHER_ND:                    "1, 3-4",
		tflite.BuiltinOperatorCOS:                          "1",
		tflite.BuiltinOperatorELU:                          "1",
		tflite.BuiltinOperatorQUANTIZE:                     "1-3",
		tflite.BuiltinOperatorROUND:                        "1",
		tflite.BuiltinOperatorHARD_SWISH:                   "1",
		tflite.BuiltinOperatorSELECT_V2:                    "1-2",
		tflite.BuiltinOperatorDENSIFY:                      "1",
		tflite.BuiltinOperatorBATCH_MATMUL:                 "1-4",
		tflite.BuiltinOperatorCUMSUM:                       "1",
		tflite.BuiltinOperatorBROADCAST_TO:                 "2-3",
		tflite.BuiltinOperatorREDUCE_ALL:                   "1",
		tflite.BuiltinOperatorGELU:                         "1-2",
		tflite.BuiltinOperatorRELU_0_TO_1:                  "1",
	}, r.Builtins())
	for _, c := range []struct {
		op      tflite.BuiltinOperator
		version int
		ok      bool
	}{
		{tflite.BuiltinOperatorADD, 1, true},
		{tflite.BuiltinOperatorADD, 2, true},
		{tflite.BuiltinOperatorADD, 5, false},
		{tflite.BuiltinOperatorADD, 4, true},
		{tflite.BuiltinOperatorSUB, 3, true},
		{tflite.BuiltinOperatorMUL, 5, true},
		{tflite.BuiltinOperatorMUL, 7, false},
		{tflite.BuiltinOperatorDEQUANTIZE, 4, false},
		{tflite.BuiltinOperatorFULLY_CONNECTED, 6, true},
		{tflite.BuiltinOperatorFULLY_CONNECTED, 8, false},
		{tflite.BuiltinOperatorCONV_2D, 1, true},
		{tflite.BuiltinOperatorCONV_2D, 7, false},
		{tflite.BuiltinOperatorCONV_2D, 6, true},
		{tflite.BuiltinOperatorTRANSPOSE_CONV, 2, true},
		{tflite.BuiltinOperatorTRANSPOSE_CONV, 5, false},
	} {
		_, err := r.Lookup(core.OpCode{Builtin: c.op, Version: c.version})
		assert.Equal(t, c.ok, err == nil, "%s v%d: %v", c.op, c.version, err)
	}
	// Each call is a fresh resolver.
	r.AddCustom("X", nil)
	assert.NotContains(t, kernels.Builtins().Customs(), "X")
}
