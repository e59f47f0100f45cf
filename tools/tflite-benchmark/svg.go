package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strings"

	"github.com/edgelite/edgelite/interpreter/profiling"
)

// palette colours node types, slowest type first (colour-blind-safe
// Okabe-Ito colours, then greys).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"}

func typeColor(i int) string {
	if i < len(palette) {
		return palette[i]
	}
	return fmt.Sprintf("#%02x%02x%02x", 90+i*13%120, 90+i*29%120, 90+i*47%120)
}

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// writeSVG draws the op profile: for each subgraph a bar per node type
// (average ms per run, slowest first) and a bar per node in run order,
// coloured by type. Each bar has a <title> (a tooltip in browsers) with
// its figures.
func writeSVG(path, model string, profiles []profiling.Profile, inferenceAvgUS float64) error {
	const (
		width   = 1100
		labelW  = 330
		barMaxW = 560
		rowH    = 18
		barH    = 13
	)
	var body strings.Builder
	y := 60
	for _, p := range profiles {
		if p.Delegate || len(p.Rows) == 0 {
			continue
		}
		colors := map[string]string{}
		for i, t := range p.Types {
			colors[t.Type] = typeColor(i)
		}
		heading := "Primary graph"
		if p.Subgraph > 0 {
			heading = fmt.Sprintf("Subgraph %d", p.Subgraph)
		}
		fmt.Fprintf(&body, `<text class="h2" x="10" y="%d">%s: time per node type (avg ms per run, %d runs, total %.3f ms)</text>`+"\n", y, heading, p.Runs, p.TotalAvgMS)
		y += 12
		maxType := 0.0
		for _, t := range p.Types {
			maxType = max(maxType, t.AvgMS)
		}
		for _, t := range p.Types {
			w := 1.0
			if maxType > 0 {
				w = max(t.AvgMS/maxType*barMaxW, 1)
			}
			fmt.Fprintf(&body, `<g class="type"><title>%s: %d nodes, %.3f ms per run (%.1f%%)</title>`, esc(t.Type), t.Count, t.AvgMS, t.Percent)
			fmt.Fprintf(&body, `<text class="label" x="%d" y="%d" text-anchor="end">%s (%d)</text>`, labelW, y+barH-2, esc(t.Type), t.Count)
			fmt.Fprintf(&body, `<rect class="type-bar" data-type="%s" x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, esc(t.Type), labelW+8, y, w, barH, colors[t.Type])
			fmt.Fprintf(&body, `<text class="value" x="%.1f" y="%d">%.3f ms  %.1f%%</text></g>`+"\n", float64(labelW+12)+w, y+barH-2, t.AvgMS, t.Percent)
			y += rowH
		}
		y += 28
		fmt.Fprintf(&body, `<text class="h2" x="10" y="%d">%s: time per node, in run order (avg ms per run)</text>`+"\n", y, heading)
		y += 12
		maxNode := 0.0
		for _, r := range p.Rows {
			maxNode = max(maxNode, r.AvgMS)
		}
		for _, r := range p.Rows {
			w := 1.0
			if maxNode > 0 {
				w = max(r.AvgMS/maxNode*barMaxW, 1)
			}
			label := fmt.Sprintf("%d %s %s", r.Node, r.Type, r.Name)
			fmt.Fprintf(&body, `<g class="node"><title>node %d %s %s: first %.3f ms, avg %.3f ms (%.1f%%), outputs %.1f KB</title>`, r.Node, esc(r.Type), esc(r.Name), r.FirstMS, r.AvgMS, r.Percent, r.MemKB)
			fmt.Fprintf(&body, `<text class="label small" x="%d" y="%d" text-anchor="end">%s</text>`, labelW, y+barH-3, esc(clip(label, 52)))
			fmt.Fprintf(&body, `<rect class="node-bar" data-type="%s" data-node="%d" x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, esc(r.Type), r.Node, labelW+8, y, w, barH, colors[r.Type])
			fmt.Fprintf(&body, `<text class="value small" x="%.1f" y="%d">%.3f</text></g>`+"\n", float64(labelW+12)+w, y+barH-3, r.AvgMS)
			y += rowH
		}
		y += 28
	}
	height := y + 10
	var out strings.Builder
	fmt.Fprintf(&out, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`+"\n", width, height, width, height)
	out.WriteString(`<style>.h1{font-size:18px;font-weight:bold}.h2{font-size:14px;font-weight:bold}.label{font-size:12px}.value{font-size:11px;fill:#333}.small{font-size:10px}</style>` + "\n")
	fmt.Fprintf(&out, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	fmt.Fprintf(&out, `<text class="h1" x="10" y="26">Edgelite op profile: %s</text>`+"\n", esc(model))
	fmt.Fprintf(&out, `<text class="value" x="10" y="44">Inference (avg): %s us per run (timed runs, profiler on)</text>`+"\n", fmtG(inferenceAvgUS))
	out.WriteString(body.String())
	out.WriteString("</svg>\n")
	return os.WriteFile(path, []byte(out.String()), 0o644)
}
