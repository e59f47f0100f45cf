package schema

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/schema/tflite"
)

var updateFuzzCorpus = flag.Bool("update-fuzz-corpus", false, "rewrite the generated seed files in testdata/fuzz/FuzzVerify")

// realModels are models shipped in the shared model directory next to the
// repository; tests using them skip when they are absent.
var realModels = []string{
	"mediapipe/palm_detection_full.tflite",
	"mediapipe/palm_detection_lite.tflite",
	"mediapipe/pose_detection.tflite",
	"coral/mobilenet_v1_0.25_128_quant.tflite",
	"coral/mobilenet_v1_0.25_128_quant_edgetpu.tflite",
	"coral/ssd_mobilenet_v1_coco_quant_postprocess_head_layers.tflite",
	"coral/tf2_mobilenet_v2_1.0_224_ptq.tflite",
}

func readRealModel(t *testing.T, name string) []byte {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "models", filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("model %s not present; skipping", p)
	}
	require.NoError(t, err)
	return b
}

// unpackNoPanic unpacks a verified buffer, turning a panic into a test failure.
func unpackNoPanic(t testing.TB, buf []byte) (m *tflite.ModelT) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("UnPack panicked on a buffer that passed Verify: %v", r)
		}
	}()
	return tflite.GetRootAsModel(buf, 0).UnPack()
}

func TestVerifyRealModels(t *testing.T) {
	for _, name := range realModels {
		t.Run(filepath.Base(name), func(t *testing.T) {
			buf := readRealModel(t, name)
			require.NoError(t, Verify(buf))
			require.True(t, HasIdentifier(buf))

			root := tflite.GetRootAsModel(buf, 0)
			m := unpackNoPanic(t, buf)
			require.Len(t, m.Subgraphs, root.SubgraphsLength())
			require.NotEmpty(t, m.Subgraphs)
			require.Len(t, m.OperatorCodes, root.OperatorCodesLength())
			require.Len(t, m.Buffers, root.BuffersLength())
			for i, sg := range m.Subgraphs {
				var s tflite.SubGraph
				require.True(t, root.Subgraphs(&s, i))
				assert.Len(t, sg.Operators, s.OperatorsLength())
				assert.Len(t, sg.Tensors, s.TensorsLength())
				assert.NotEmpty(t, sg.Operators)
				for _, op := range sg.Operators {
					assert.Less(t, int(op.OpcodeIndex), len(m.OperatorCodes))
				}
			}

			// Re-serializing the unpacked model gives an equivalent model.
			out := Serialize(m)
			require.NoError(t, Verify(out))
			require.Equal(t, normalize(m), normalize(tflite.GetRootAsModel(out, 0).UnPack()))
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for name, m := range map[string]*tflite.ModelT{"minimal": minimalModel(), "rich": richModel()} {
		t.Run(name, func(t *testing.T) {
			buf := Serialize(m)
			require.True(t, HasIdentifier(buf))
			require.Equal(t, FileIdentifier, string(buf[4:8]))
			require.NoError(t, Verify(buf))
			got := unpackNoPanic(t, buf)
			require.Equal(t, normalize(m), normalize(got))
			// UnPack turns absent scalar vectors into empty ones, so the first
			// re-serialization may differ; from then on it is a fixed point.
			again := Serialize(got)
			require.True(t, bytes.Equal(again, Serialize(unpackNoPanic(t, again))), "UnPack+Serialize is not idempotent")
		})
	}
}

func TestSerializeAlignsBufferData(t *testing.T) {
	buf := Serialize(richModel())
	root := tflite.GetRootAsModel(buf, 0)
	for i := 0; i < root.BuffersLength(); i++ {
		var b tflite.Buffer
		require.True(t, root.Buffers(&b, i))
		if b.DataLength() == 0 {
			continue
		}
		tab := b.Table()
		start := int(tab.Vector(4)) // position of the first data byte
		assert.Zero(t, start%16, "buffer %d data at %d is not 16-byte aligned", i, start)
	}
}

// The Go builder shares a vtable between tables with equal field offsets
// without comparing their recorded inline sizes (found by FuzzVerify): here
// Buffer{offset} reuses the vtable of DimensionMetadata{dense_size}, so its
// 8-byte field at offset 4 lies past the recorded size of 8. Verify must
// accept such output, as the reference verifier does.
func TestSerializeSharedVtableInlineSize(t *testing.T) {
	m := minimalModel()
	m.Subgraphs[0].Tensors[0].Sparsity = &tflite.SparsityParametersT{
		DimMetadata: []*tflite.DimensionMetadataT{{DenseSize: 4}},
	}
	m.Buffers = append(m.Buffers, &tflite.BufferT{Offset: 1 << 32})
	buf := Serialize(m)

	root := tflite.GetRootAsModel(buf, 0)
	var b tflite.Buffer
	require.True(t, root.Buffers(&b, 1))
	tab := b.Table()
	vt := int(tab.Pos) - int(int32(u32At(buf, int(tab.Pos))))
	inlineSize := int(binary.LittleEndian.Uint16(buf[vt+2:]))
	require.Greater(t, int(tab.Offset(6))+8, inlineSize, "builder no longer shares the vtable; test is moot")

	require.NoError(t, Verify(buf))
	assert.Equal(t, uint64(1<<32), unpackNoPanic(t, buf).Buffers[1].Offset)
}

func TestFinish(t *testing.T) {
	b := flatbuffers.NewBuilder(0)
	desc := b.CreateString("hand built")
	tflite.ModelStart(b)
	tflite.ModelAddVersion(b, Version)
	tflite.ModelAddDescription(b, desc)
	Finish(b, tflite.ModelEnd(b))
	buf := b.FinishedBytes()
	require.NoError(t, Verify(buf))
	m := tflite.GetRootAsModel(buf, 0)
	assert.Equal(t, uint32(Version), m.Version())
	assert.Equal(t, "hand built", string(m.Description()))
}

func TestBuiltinCode(t *testing.T) {
	for _, op := range []tflite.BuiltinOperator{tflite.BuiltinOperatorADD, tflite.BuiltinOperatorBATCH_MATMUL,
		tflite.BuiltinOperatorPLACEHOLDER_FOR_GREATER_OP_CODES, tflite.BuiltinOperatorCUMSUM, tflite.BuiltinOperatorSTABLEHLO_CASE} {
		oc := &tflite.OperatorCodeT{}
		SetBuiltinCodeT(oc, op)
		assert.Equal(t, op, BuiltinCodeT(oc))
		assert.LessOrEqual(t, int(oc.DeprecatedBuiltinCode), 127)
		m := minimalModel()
		m.OperatorCodes[0] = oc
		root := tflite.GetRootAsModel(Serialize(m), 0)
		var c tflite.OperatorCode
		require.True(t, root.OperatorCodes(&c, 0))
		assert.Equal(t, op, BuiltinCode(&c))
	}
	// Old converters only wrote the byte field.
	assert.Equal(t, tflite.BuiltinOperatorCONV_2D, BuiltinCodeT(&tflite.OperatorCodeT{DeprecatedBuiltinCode: 3}))
	assert.Equal(t, "STABLEHLO_CASE", tflite.BuiltinOperatorSTABLEHLO_CASE.String())
}

// Helpers to locate objects inside a serialized model for targeted damage.

func u32At(buf []byte, pos int) int { return int(binary.LittleEndian.Uint32(buf[pos:])) }

func putU32(buf []byte, pos int, v uint32) { binary.LittleEndian.PutUint32(buf[pos:], v) }

// fieldPos returns the absolute position of the inline field at slot.
func fieldPos(t testing.TB, tab flatbuffers.Table, slot flatbuffers.VOffsetT) int {
	t.Helper()
	o := tab.Offset(slot)
	require.NotZero(t, o, "field at slot %d absent", slot)
	return int(tab.Pos) + int(o)
}

// refPos returns the position an offset field at slot points to.
func refPos(t testing.TB, buf []byte, tab flatbuffers.Table, slot flatbuffers.VOffsetT) int {
	p := fieldPos(t, tab, slot)
	return p + u32At(buf, p)
}

func subgraph(buf []byte, i int) *tflite.SubGraph {
	var s tflite.SubGraph
	tflite.GetRootAsModel(buf, 0).Subgraphs(&s, i)
	return &s
}

func operator(buf []byte, sg, i int) *tflite.Operator {
	var op tflite.Operator
	subgraph(buf, sg).Operators(&op, i)
	return &op
}

func tensor(buf []byte, sg, i int) *tflite.Tensor {
	var tn tflite.Tensor
	subgraph(buf, sg).Tensors(&tn, i)
	return &tn
}

// Vtable slots used below.
const (
	slotModelVersion     = 4
	slotModelDescription = 10
	slotTensorName       = 10
	slotOperatorInputs   = 6
	slotOperatorOptsType = 10
)

type damage struct {
	name   string
	mutate func(t testing.TB, buf []byte) []byte
	path   string // expected VerifyError.Path
	reason string // expected substring of VerifyError.Reason
}

// damages are targeted corruptions of richModel, each with the error Verify
// must report.
var damages = []damage{
	{
		name:   "bad identifier",
		mutate: func(_ testing.TB, b []byte) []byte { copy(b[4:], "ABCD"); return b },
		path:   "Model", reason: `file identifier is "ABCD", want "TFL3"`,
	},
	{
		name:   "too small",
		mutate: func(_ testing.TB, b []byte) []byte { return b[:7] },
		path:   "Model", reason: "too small",
	},
	{
		name: "root offset outside",
		mutate: func(_ testing.TB, b []byte) []byte {
			putU32(b, 0, uint32(len(b)))
			return b
		},
		path: "Model", reason: "points outside buffer",
	},
	{
		name: "vector overrun",
		mutate: func(t testing.TB, b []byte) []byte {
			putU32(b, refPos(t, b, operator(b, 0, 1).Table(), slotOperatorInputs), 4000000000)
			return b
		},
		path: "Model.subgraphs[0].operators[1].inputs", reason: "vector length 4000000000 overruns buffer",
	},
	{
		name: "vtable out of range",
		mutate: func(_ testing.TB, b []byte) []byte {
			putU32(b, int(tensor(b, 0, 2).Table().Pos), 0x7fff0000)
			return b
		},
		path: "Model.subgraphs[0].tensors[2]", reason: "Tensor vtable position",
	},
	{
		name: "offset outside",
		mutate: func(t testing.TB, b []byte) []byte {
			p := fieldPos(t, tensor(b, 0, 0).Table(), slotTensorName)
			putU32(b, p, uint32(len(b)))
			return b
		},
		path: "Model.subgraphs[0].tensors[0].name", reason: "points outside buffer",
	},
	{
		name: "zero offset",
		mutate: func(t testing.TB, b []byte) []byte {
			putU32(b, fieldPos(t, tensor(b, 1, 2).Table(), slotTensorName), 0)
			return b
		},
		path: "Model.subgraphs[1].tensors[2].name", reason: "offset is zero",
	},
	{
		name: "string without NUL",
		mutate: func(t testing.TB, b []byte) []byte {
			p := refPos(t, b, tflite.GetRootAsModel(b, 0).Table(), slotModelDescription)
			b[p+4+u32At(b, p)] = 'x'
			return b
		},
		path: "Model.description", reason: "not NUL-terminated",
	},
	{
		name: "string overrun",
		mutate: func(t testing.TB, b []byte) []byte {
			putU32(b, refPos(t, b, tflite.GetRootAsModel(b, 0).Table(), slotModelDescription), 0xfffffff0)
			return b
		},
		path: "Model.description", reason: "string length 4294967280 overruns buffer",
	},
	{
		name: "odd vtable size",
		mutate: func(_ testing.TB, b []byte) []byte {
			root := u32At(b, 0)
			vt := root - int(int32(u32At(b, root)))
			binary.LittleEndian.PutUint16(b[vt:], 7)
			return b
		},
		path: "Model", reason: "Model vtable size 7 is invalid",
	},
	{
		name: "field beyond buffer",
		mutate: func(_ testing.TB, b []byte) []byte {
			root := u32At(b, 0)
			vt := root - int(int32(u32At(b, root)))
			binary.LittleEndian.PutUint16(b[vt+slotModelDescription:], 0xfff0)
			return b
		},
		path: "Model.description", reason: "field of 4 bytes at table offset 65520 overruns buffer",
	},
	{
		name: "union value without type",
		mutate: func(t testing.TB, b []byte) []byte {
			b[fieldPos(t, operator(b, 0, 1).Table(), slotOperatorOptsType)] = 0
			return b
		},
		path: "Model.subgraphs[0].operators[1].builtin_options", reason: "builtin_options_type is NONE",
	},
	{
		name: "union member damaged",
		mutate: func(t testing.TB, b []byte) []byte {
			op := operator(b, 0, 1).Table()
			opts := refPos(t, b, op, 12) // builtin_options -> ReshapeOptions
			var ro tflite.ReshapeOptions
			ro.Init(b, flatbuffers.UOffsetT(opts))
			putU32(b, refPos(t, b, ro.Table(), 4), 1<<30)
			return b
		},
		path: "Model.subgraphs[0].operators[1].builtin_options(ReshapeOptions).new_shape", reason: "vector length 1073741824 overruns buffer",
	},
}

func TestVerifyMalformed(t *testing.T) {
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			buf := d.mutate(t, Serialize(richModel()))
			err := Verify(buf)
			require.Error(t, err)
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, d.path, ve.Path)
			assert.Contains(t, ve.Reason, d.reason)
			assert.Equal(t, len(buf), ve.Size)
			assert.True(t, strings.HasPrefix(err.Error(), d.path+": "), err.Error())
			t.Log(err)
		})
	}
}

func TestVerifyErrorFormat(t *testing.T) {
	e := &VerifyError{Path: "Model.subgraphs[0].operators[12].inputs", Offset: 1234, Size: 5678, Reason: "vector length 4000000000 overruns buffer"}
	assert.Equal(t, "Model.subgraphs[0].operators[12].inputs: vector length 4000000000 overruns buffer (offset 1234, size 5678)", e.Error())
}

func TestVerifyNil(t *testing.T) {
	var ve *VerifyError
	require.ErrorAs(t, Verify(nil), &ve)
	assert.Contains(t, ve.Reason, "too small")
}

func TestVerifyTruncated(t *testing.T) {
	full := Serialize(richModel())
	for n := 0; n < len(full); n++ {
		buf := full[:n:n]
		if err := Verify(buf); err == nil {
			unpackNoPanic(t, buf)
		} else {
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
		}
	}
	// The root table and its vtable sit at the front, the first-built objects
	// (deepest strings and vectors) at the back: any real cut must fail.
	for _, n := range []int{8, 64, len(full) / 2, len(full) - 16} {
		assert.Error(t, Verify(full[:n]), "truncated to %d bytes", n)
	}
}

func TestVerifyUnknownUnionType(t *testing.T) {
	buf := Serialize(richModel())
	buf[fieldPos(t, operator(buf, 0, 1).Table(), slotOperatorOptsType)] = 250
	require.NoError(t, Verify(buf))
	m := unpackNoPanic(t, buf)
	assert.Nil(t, m.Subgraphs[0].Operators[1].BuiltinOptions)
	assert.NotNil(t, m.Subgraphs[0].Operators[0].BuiltinOptions)
}

func TestVerifyDepthLimit(t *testing.T) {
	buf := Serialize(richModel())
	require.NoError(t, VerifyWithLimits(buf, Limits{MaxDepth: 6}))
	err := VerifyWithLimits(buf, Limits{MaxDepth: 3})
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Model.subgraphs[0].tensors[0].quantization", ve.Path)
	assert.Contains(t, ve.Reason, "deeper than limit 3")
}

func TestVerifyTableLimit(t *testing.T) {
	buf := Serialize(richModel())
	var ve *VerifyError
	require.ErrorAs(t, VerifyWithLimits(buf, Limits{MaxTables: 10}), &ve)
	assert.Contains(t, ve.Reason, "more than 10 table visits")
}

// sharedModel builds a model whose n subgraphs are all one SubGraph whose
// m operators are all one Operator with an inputs vector of k elements: a
// few bytes describing n*m operators and n*m*k inputs.
func sharedModel(n, m, k int) []byte {
	b := flatbuffers.NewBuilder(0)
	var inputs flatbuffers.UOffsetT
	if k > 0 {
		tflite.OperatorStartInputsVector(b, k)
		for i := k - 1; i >= 0; i-- {
			b.PrependInt32(int32(i))
		}
		inputs = b.EndVector(k)
	}
	tflite.OperatorStart(b)
	if k > 0 {
		tflite.OperatorAddInputs(b, inputs)
	}
	op := tflite.OperatorEnd(b)
	tflite.SubGraphStartOperatorsVector(b, m)
	for i := 0; i < m; i++ {
		b.PrependUOffsetT(op)
	}
	ops := b.EndVector(m)
	tflite.SubGraphStart(b)
	tflite.SubGraphAddOperators(b, ops)
	sg := tflite.SubGraphEnd(b)
	tflite.ModelStartSubgraphsVector(b, n)
	for i := 0; i < n; i++ {
		b.PrependUOffsetT(sg)
	}
	sgs := b.EndVector(n)
	tflite.ModelStart(b)
	tflite.ModelAddVersion(b, Version)
	tflite.ModelAddSubgraphs(b, sgs)
	Finish(b, tflite.ModelEnd(b))
	return b.FinishedBytes()
}

func TestVerifySharedOffsets(t *testing.T) {
	// Modest sharing is legal FlatBuffers and is accepted.
	small := sharedModel(3, 4, 5)
	require.NoError(t, Verify(small))
	m := unpackNoPanic(t, small)
	require.Len(t, m.Subgraphs, 3)
	assert.Len(t, m.Subgraphs[2].Operators, 4)
	assert.Equal(t, []int32{0, 1, 2, 3, 4}, m.Subgraphs[2].Operators[3].Inputs)

	// 1100*1100 operator visits from ~9 KB. With default limits the
	// re-read operators vectors trip MaxExpansion first; without that, the
	// table count stops it.
	bomb := sharedModel(1100, 1100, 0)
	var ve *VerifyError
	require.ErrorAs(t, Verify(bomb), &ve)
	t.Logf("%d-byte table bomb: %v", len(bomb), ve)
	require.ErrorAs(t, VerifyWithLimits(bomb, Limits{MaxExpansion: 1 << 20}), &ve)
	assert.Contains(t, ve.Reason, "more than 1048576 table visits")
	t.Logf("%d-byte table bomb, expansion unlimited: %v", len(bomb), ve)

	// A 400 KB inputs vector reached 100 times.
	wide := sharedModel(1, 100, 100000)
	require.ErrorAs(t, Verify(wide), &ve)
	assert.Contains(t, ve.Reason, "MaxExpansion")
	assert.NoError(t, VerifyWithLimits(wide, Limits{MaxExpansion: 200}))
}

func TestVerifyOversized(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 4 GiB")
	}
	if os.Getenv("EDGELITE_BIG_TESTS") == "" {
		t.Skip("set EDGELITE_BIG_TESTS=1 to allocate a 4 GiB buffer")
	}
	size := int64(MaxBufferSize) + 1
	if int64(int(size)) != size {
		t.Skip("buffer size does not fit in int on this platform")
	}
	buf := make([]byte, int(size))
	var ve *VerifyError
	require.ErrorAs(t, Verify(buf), &ve)
	assert.Contains(t, ve.Reason, "larger than")
}

// fuzzSeeds returns the generated seed inputs for FuzzVerify by name.
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	rich := Serialize(richModel())
	minimal := Serialize(minimalModel())
	seeds["valid-minimal"] = minimal
	seeds["valid-rich"] = rich
	seeds["valid-shared"] = sharedModel(2, 3, 4)
	for _, n := range []int{9, 12, 24, len(minimal) - 1} {
		seeds[fmt.Sprintf("truncated-minimal-%d", n)] = minimal[:n]
	}
	for _, n := range []int{len(rich) / 4, len(rich) / 2, 3 * len(rich) / 4, len(rich) - 1} {
		seeds[fmt.Sprintf("truncated-rich-%d", n)] = rich[:n]
	}
	for i := range 12 {
		r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
		b := bytes.Clone(rich)
		flips := 1 + i%4
		for range flips {
			b[8+r.IntN(len(b)-8)] = byte(r.Uint32())
		}
		seeds[fmt.Sprintf("mutated-rich-%02d", i)] = b
	}
	for _, d := range damages {
		seeds["damaged-"+strings.ReplaceAll(d.name, " ", "-")] = d.mutate(t, Serialize(richModel()))
	}
	return seeds
}

// TestFuzzSeedCorpus keeps testdata/fuzz/FuzzVerify in sync with
// fuzzSeeds; run with -update-fuzz-corpus to rewrite the generated files.
// Files added by the fuzzer itself are left alone.
func TestFuzzSeedCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzVerify")
	for name, b := range fuzzSeeds(t) {
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		p := filepath.Join(dir, "seed-"+name)
		if *updateFuzzCorpus {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(p, []byte(want), 0o644))
			continue
		}
		got, err := os.ReadFile(p)
		require.NoError(t, err, "missing seed file; run go test ./schema -run TestFuzzSeedCorpus -update-fuzz-corpus")
		assert.Equal(t, want, string(got), "stale seed %s; run with -update-fuzz-corpus", p)
	}
}

// FuzzVerify checks the verifier's contract: any input that Verify accepts
// can be unpacked without panicking, and re-serializing it gives a buffer
// that verifies and is a fixed point of UnPack+Serialize.
func FuzzVerify(f *testing.F) {
	f.Add(Serialize(minimalModel()))
	f.Add(Serialize(richModel()))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := Verify(data); err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify returned %T, want *VerifyError: %v", err, err)
			}
			return
		}
		m := unpackNoPanic(t, data)
		out := func() []byte {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("Serialize panicked on an unpacked verified model: %v", r)
				}
			}()
			return Serialize(m)
		}()
		if err := Verify(out); err != nil {
			t.Fatalf("re-serialized model does not verify: %v", err)
		}
		if again := Serialize(unpackNoPanic(t, out)); !bytes.Equal(again, out) {
			t.Fatalf("UnPack+Serialize is not idempotent on a verified model")
		}
	})
}

func TestReadAndUnpackModel(t *testing.T) {
	buf := Serialize(richModel())
	m, err := ReadModel(buf)
	require.NoError(t, err)
	assert.Equal(t, 2, m.SubgraphsLength())
	mt, err := UnpackModel(buf)
	require.NoError(t, err)
	assert.Equal(t, "edgelite schema test model", mt.Description)

	buf[4] = 'X'
	_, err = ReadModel(buf)
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	_, err = UnpackModel(buf)
	require.ErrorAs(t, err, &ve)
}
