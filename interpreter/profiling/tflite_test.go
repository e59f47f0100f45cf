package profiling

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// testdata/tflite_profile_palm_detection_lite.txt is real TensorFlow
// Lite's profile (2.12, the wasm build of @tensorflow/tfjs-tflite that the
// tflite-oracle runs, XNNPACK on): palm_detection_lite runs as one
// TfLiteXNNPackDelegate node, whose 119 internal operations XNNPACK
// reports as delegate events. It was made with the oracle, printing the
// runner's GetProfilingSummary() after its profiled run:
//
//	sed 's/      pr.runner.Infer();/&  process.stderr.write(pr.runner.GetProfilingSummary());/' \
//	  .cache/tflite-oracle/oracle.js > .cache/tflite-oracle/oracle_prof.js
//	node .cache/tflite-oracle/oracle_prof.js --runs 1 \
//	  ../shared/models/mediapipe/palm_detection_lite.tflite /tmp/out 2>profile.txt
//
// TestTFLiteProfileByteExact feeds the Summarizer the same events (the
// times read back from the tables, which are whole microseconds) and
// checks that WriteReport writes the same bytes.
func TestTFLiteProfileByteExact(t *testing.T) {
	want, err := os.ReadFile("testdata/tflite_profile_palm_detection_lite.txt")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`^\t *(\S+)\t *([0-9.]+)\t *([0-9.]+)\t *[0-9.]+%\t *[0-9.]+%\t *[0-9.]+\t *1\t(.+)$`)
	ms := func(s string) int64 { // "33.858" ms -> ns
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return int64(v*1000+0.5) * 1000
	}
	// The Run Order tables: the first is the primary graph's, the second
	// (after "Delegate internal: ") the delegate's.
	var events []Event
	var now int64
	table, delegate := "", false
	for _, line := range strings.Split(string(want), "\n") {
		switch {
		case line == "Delegate internal: ":
			delegate = true
		case strings.HasPrefix(line, "====="):
			table = line
		case strings.Contains(table, "Run Order") && row.MatchString(line):
			f := row.FindStringSubmatch(line)
			d := ms(f[2])
			if !delegate {
				// "[Identity_1, Identity]:232": node 232, named after its
				// outputs (which need an interpreter; see below).
				node, _ := strconv.Atoi(f[4][strings.LastIndex(f[4], ":")+1:])
				events = append(events, Event{Kind: KindOp, Node: node, Tag: f[1], Begin: now, End: now + d})
				continue
			}
			name := strings.TrimPrefix(f[4], "Delegate/")
			idx, _ := strconv.Atoi(name[strings.LastIndex(name, ":")+1:])
			events = append(events, Event{Kind: KindDelegateOp, Node: idx, Tag: name[:strings.LastIndex(name, ":")], Begin: now, End: now + d})
			now += d
		}
	}
	if len(events) != 120 {
		t.Fatalf("read %d events from the TFLite profile, want 1 + 119", len(events))
	}
	s := NewSummarizer(nil)
	s.ProcessRun(events)
	var b strings.Builder
	if err := s.WriteReport(&b, "profile", false); err != nil {
		t.Fatal(err)
	}
	// Without an interpreter the delegate node has no output names.
	wantText := strings.ReplaceAll(string(want), "[Identity_1, Identity]:232", "[]:232")
	got := b.String()
	if got != wantText {
		gl, wl := strings.Split(got, "\n"), strings.Split(wantText, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d differs:\n got %q\nwant %q", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}
