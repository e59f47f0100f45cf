package schema

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/schema/internal/fbs"
	"github.com/edgelite/edgelite/schema/tflite"
)

func TestDescriptorUpToDate(t *testing.T) {
	src, err := os.ReadFile("schema.fbs")
	require.NoError(t, err)
	f, err := fbs.Parse(string(src))
	require.NoError(t, err)
	s, err := fbs.Resolve(f)
	require.NoError(t, err)
	want, err := fbs.GoDescriptor(s, "schema.fbs", "schema")
	require.NoError(t, err)
	got, err := os.ReadFile("descriptor_gen.go")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "descriptor_gen.go is stale; run go generate ./schema")
	assert.Equal(t, FileIdentifier, f.FileIdentifier)
	assert.Equal(t, FileExtension, f.FileExtension)
}

// TestDescriptorMatchesFlatc cross-checks our own reading of schema.fbs
// against flatc's: every field accessor flatc generated must appear in the
// descriptor with the same vtable slot, and vice versa.
func TestDescriptorMatchesFlatc(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("tflite", "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	// Every accessor starts with: o := flatbuffers.UOffsetT(rcv._tab.Offset(N)).
	re := regexp.MustCompile(`func \(rcv \*(\w+)\) \w+\([^)]*\)[^{]*\{\n\s*o := flatbuffers\.UOffsetT\(rcv\._tab\.Offset\((\d+)\)\)`)
	flatc := map[string]bool{}
	for _, p := range files {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			flatc[m[1]+"@"+m[2]] = true
		}
	}
	ours := map[string]bool{}
	for _, td := range descTables {
		for _, f := range td.fields {
			ours[td.name+"@"+strconv.Itoa(int(f.slot))] = true
		}
	}
	assert.Equal(t, flatc, ours)
}

func TestDescriptorUnionsMatchFlatc(t *testing.T) {
	check := func(t *testing.T, un int, names map[int]string) {
		u := &descUnions[un]
		for v, name := range names {
			if v == 0 {
				assert.Equal(t, "NONE", name)
				assert.Equal(t, -1, u.member(0))
				continue
			}
			m := u.member(uint8(v))
			require.GreaterOrEqual(t, m, 0, "%s value %d (%s) missing", u.name, v, name)
			assert.Equal(t, name, descTables[m].name, "%s value %d", u.name, v)
		}
		assert.Equal(t, -1, u.member(255))
	}
	conv := func(m any) map[int]string {
		out := map[int]string{}
		switch m := m.(type) {
		case map[tflite.BuiltinOptions]string:
			for k, v := range m {
				out[int(k)] = v
			}
		case map[tflite.BuiltinOptions2]string:
			for k, v := range m {
				out[int(k)] = v
			}
		case map[tflite.QuantizationDetails]string:
			for k, v := range m {
				out[int(k)] = v
			}
		case map[tflite.SparseIndexVector]string:
			for k, v := range m {
				out[int(k)] = v
			}
		}
		return out
	}
	check(t, unBuiltinOptions, conv(tflite.EnumNamesBuiltinOptions))
	check(t, unBuiltinOptions2, conv(tflite.EnumNamesBuiltinOptions2))
	check(t, unQuantizationDetails, conv(tflite.EnumNamesQuantizationDetails))
	check(t, unSparseIndexVector, conv(tflite.EnumNamesSparseIndexVector))
	assert.Len(t, tflite.EnumNamesBuiltinOptions, 127) // NONE + 126 option tables
	assert.Equal(t, tflite.BuiltinOperatorSTABLEHLO_CASE, tflite.BuiltinOperator(209))
	assert.Len(t, tflite.EnumNamesBuiltinOperator, 210)
	assert.Equal(t, tflite.TensorTypeFLOAT8_E5M2, tflite.TensorType(22))
}

func TestDescriptorParserRejects(t *testing.T) {
	for _, src := range []string{
		`table A { x: B; } root_type A;`,                        // unknown type
		`table A { x: int; }`,                                   // no root_type
		`struct S { v: [int]; } table A { s: S; } root_type A;`, // vector in struct
		`enum E : float { A } table T { e: E; } root_type T;`,   // bad underlying
		`table A { x: int } root_type A;`,                       // missing ';'
		`table A { x: int; /* unterminated } root_type A;`,
	} {
		f, err := fbs.Parse(src)
		if err == nil {
			_, err = fbs.Resolve(f)
		}
		assert.Error(t, err, "%s", src)
	}
	f, err := fbs.Parse(`namespace n; struct V { x: float; y: byte; z: [short:3]; } table T { v: V; vs: [V]; } root_type T;`)
	require.NoError(t, err)
	s, err := fbs.Resolve(f)
	require.NoError(t, err)
	assert.Equal(t, 12, s.Structs["V"].Size)
	tt := s.Table("T")
	require.NotNil(t, tt)
	assert.Equal(t, []fbs.Kind{fbs.Struct, fbs.VectorStruct}, []fbs.Kind{tt.Fields[0].Kind, tt.Fields[1].Kind})
}
