package schema

import (
	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/edgelite/edgelite/schema/tflite"
)

const (
	// FileIdentifier is the FlatBuffers file identifier of TFLite models,
	// stored in bytes 4..8 of every model file.
	FileIdentifier = "TFL3"
	// FileExtension is the conventional model file extension (no dot).
	FileExtension = "tflite"
	// Version is the schema version written to Model.version.
	Version = 3
)

// Finish finishes b with model as the root table and the "TFL3" file
// identifier. Use it instead of b.Finish when building a model by hand;
// b.FinishedBytes() then returns the model file.
func Finish(b *flatbuffers.Builder, model flatbuffers.UOffsetT) {
	b.FinishWithFileIdentifier(model, []byte(FileIdentifier))
}

// Serialize packs m into a new TFLite model file (with the "TFL3" file
// identifier). It does not modify m; in particular m.Version is written as
// is, so set it to Version for files other runtimes should load.
func Serialize(m *tflite.ModelT) []byte {
	b := flatbuffers.NewBuilder(1024)
	Finish(b, m.Pack(b))
	return b.FinishedBytes()
}

// HasIdentifier reports whether buf carries the "TFL3" file identifier. It
// is a cheap sniffing test, not a validity check; use Verify for that.
func HasIdentifier(buf []byte) bool {
	return len(buf) >= 8 && string(buf[4:8]) == FileIdentifier
}

// BuiltinCode returns the operator code of oc, reconciling the one-byte
// deprecated_builtin_code written by old converters with the int32
// builtin_code of newer ones (the larger of the two wins, as in the
// reference runtime).
func BuiltinCode(oc *tflite.OperatorCode) tflite.BuiltinOperator {
	return max(oc.BuiltinCode(), tflite.BuiltinOperator(oc.DeprecatedBuiltinCode()))
}

// BuiltinCodeT is BuiltinCode for the object API.
func BuiltinCodeT(oc *tflite.OperatorCodeT) tflite.BuiltinOperator {
	return max(oc.BuiltinCode, tflite.BuiltinOperator(oc.DeprecatedBuiltinCode))
}

// SetBuiltinCodeT sets both code fields of oc for op so that old and new
// readers agree: builtin_code = op, deprecated_builtin_code = min(op, 127).
func SetBuiltinCodeT(oc *tflite.OperatorCodeT, op tflite.BuiltinOperator) {
	oc.BuiltinCode = op
	oc.DeprecatedBuiltinCode = int8(min(op, tflite.BuiltinOperatorPLACEHOLDER_FOR_GREATER_OP_CODES))
}

// ReadModel verifies buf with DefaultLimits and returns its root Model for
// zero-copy access. The returned Model reads from buf; do not modify buf
// while using it.
func ReadModel(buf []byte) (*tflite.Model, error) {
	if err := Verify(buf); err != nil {
		return nil, err
	}
	return tflite.GetRootAsModel(buf, 0), nil
}

// UnpackModel verifies buf with DefaultLimits and unpacks it into a mutable
// ModelT. Byte vectors of the result (Buffer.Data, custom options) alias buf.
func UnpackModel(buf []byte) (*tflite.ModelT, error) {
	m, err := ReadModel(buf)
	if err != nil {
		return nil, err
	}
	return m.UnPack(), nil
}
