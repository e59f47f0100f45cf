package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/edgelite/edgelite/interpreter"
)

// The drawing: every operator is a box, in execution order, filled top to
// bottom in columns (a newspaper layout keeps a 200-node model about as
// wide as it is tall); a tensor passed between operators is an edge; the
// boxes of one partition share their delegate's colour and an outline.
const (
	boxW, boxH     = 180, 24
	pitchX, pitchY = 250, 34
	margin         = 20
	headerH        = 30
)

// Pastel fills and darker strokes, one pair per delegate (cycled).
var (
	fills   = []string{"#a6cee3", "#fdbf6f", "#b2df8a", "#cab2d6", "#ffff99", "#8dd3c7"}
	strokes = []string{"#1f78b4", "#e66101", "#33a02c", "#6a3d9a", "#b15928", "#1b9e77"}
)

const cpuFill, cpuStroke, edgeGrey = "#eeeeee", "#888888", "#999999"

func esc(s string) string { return html.EscapeString(s) }

// rowsFor picks the column height for n boxes.
func rowsFor(n int) int {
	if n <= 12 {
		return max(n, 1)
	}
	return max(12, int(math.Ceil(math.Sqrt(float64(n)*3))))
}

type svgSub struct {
	plan  *SubgraphPlan
	order []int       // operators in execution order
	part  map[int]int // operator -> partition (absent: CPU)
	slot  map[int]int // operator -> position in order
	rows  int
	cols  int
	top   int
}

func (s *svgSub) xy(node int) (int, int) {
	k := s.slot[node]
	return margin + (k/s.rows)*pitchX, s.top + headerH + (k%s.rows)*pitchY
}

// writeSVG draws the plan of every subgraph of m.
func writeSVG(w io.Writer, m *interpreter.Model, r *PlanReport, title string) error {
	var subs []*svgSub
	width := 2*margin + boxW
	y := margin + 60 // title and legend
	for i := range r.Subgraphs {
		sp := &r.Subgraphs[i]
		s := &svgSub{plan: sp, part: map[int]int{}, slot: map[int]int{}}
		for _, st := range sp.Steps {
			if st.Partition < 0 {
				s.order = append(s.order, st.Node)
				continue
			}
			for _, n := range sp.Partitions[st.Partition].Nodes {
				s.order = append(s.order, n)
				s.part[n] = st.Partition
			}
		}
		for k, n := range s.order {
			s.slot[n] = k
		}
		s.rows = rowsFor(len(s.order))
		s.cols = max(1, (len(s.order)+s.rows-1)/s.rows)
		s.top = y
		y += headerH + s.rows*pitchY + margin
		width = max(width, 2*margin+(s.cols-1)*pitchX+boxW+60)
		subs = append(subs, s)
	}
	height := y

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p(`<svg xmlns="http://www.w3.org/2000/svg" class="delegation-plan" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`+"\n", width, height, width, height)
	p(`<title>%s</title>`+"\n", esc(title))
	p(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	p("<defs>\n")
	for i, c := range append(append([]string{}, strokes...), edgeGrey) {
		p(`<marker id="arrow%d" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="%s"/></marker>`+"\n", i, c)
	}
	p("</defs>\n")

	// Title and legend.
	p(`<text x="%d" y="%d" font-size="15" font-weight="bold">%s</text>`+"\n", margin, margin+8, esc(title))
	p(`<g class="legend" transform="translate(%d,%d)">`+"\n", margin, margin+26)
	lx := 0
	swatch := func(fill, stroke, label string) {
		p(`<rect x="%d" y="0" width="14" height="14" rx="3" fill="%s" stroke="%s"/>`, lx, fill, stroke)
		p(`<text x="%d" y="11">%s</text>`+"\n", lx+20, esc(label))
		lx += 30 + 7*len(label)
	}
	cpu := 0
	for _, s := range r.Subgraphs {
		cpu += len(s.CPUNodes)
	}
	for di, name := range r.Delegates {
		parts, nodes := 0, 0
		for _, s := range r.Subgraphs {
			for _, part := range s.Partitions {
				if part.DelegateIndex == di {
					parts++
					nodes += len(part.Nodes)
				}
			}
		}
		swatch(fills[di%len(fills)], strokes[di%len(strokes)], fmt.Sprintf("%s: %d operators in %d partitions", name, nodes, parts))
	}
	swatch(cpuFill, cpuStroke, fmt.Sprintf("CPU: %d operators", cpu))
	p("</g>\n")

	for _, s := range subs {
		sp := s.plan
		info := m.Subgraphs()[sp.Index]
		head := fmt.Sprintf("Subgraph %d %q: %d operators", sp.Index, sp.Name, sp.Operators)
		if !sp.Offered {
			head += " (not delegated: " + sp.Note + ")"
		}
		p(`<g class="subgraph" data-subgraph="%d">`+"\n", sp.Index)
		p(`<text x="%d" y="%d" font-size="13" font-weight="bold">%s</text>`+"\n", margin, s.top+18, esc(head))

		// Partition outlines, one rectangle per column the partition spans.
		for pi, part := range sp.Partitions {
			di := part.DelegateIndex
			p(`<g class="partition" data-subgraph="%d" data-partition="%d" data-delegate="%s" data-nodes="%s">`,
				sp.Index, pi, esc(part.Delegate), strings.Trim(fmt.Sprint(part.Nodes), "[]"))
			p(`<title>partition %d: %s, %d operators, delegate node %d</title>`, pi, esc(part.Delegate), len(part.Nodes), part.NodeIndex)
			for i := 0; i < len(part.Nodes); {
				col := s.slot[part.Nodes[i]] / s.rows
				j := i
				for j+1 < len(part.Nodes) && s.slot[part.Nodes[j+1]]/s.rows == col {
					j++
				}
				x0, y0 := s.xy(part.Nodes[i])
				_, y1 := s.xy(part.Nodes[j])
				p(`<rect x="%d" y="%d" width="%d" height="%d" rx="7" fill="%s" fill-opacity="0.35" stroke="%s" stroke-width="2"/>`,
					x0-5, y0-5, boxW+10, y1-y0+boxH+10, fills[di%len(fills)], strokes[di%len(strokes)])
				i = j + 1
			}
			p("</g>\n")
		}

		// Edges: every non-constant tensor an operator reads from another.
		producer := map[int]int{}
		for n, op := range info.Operators {
			for _, t := range op.Outputs {
				producer[t] = n
			}
		}
		p(`<g class="edges" fill="none">` + "\n")
		for _, c := range s.order {
			seen := map[int]bool{}
			for _, t := range info.Operators[c].Inputs {
				src, ok := producer[t]
				if t < 0 || !ok || seen[src] || info.Tensors[t].IsConstant() {
					continue
				}
				seen[src] = true
				colour, marker := edgeGrey, len(strokes)
				if pa, ok := s.part[src]; ok {
					if pc, ok := s.part[c]; ok && pa == pc {
						di := sp.Partitions[pa].DelegateIndex % len(strokes)
						colour, marker = strokes[di], di
					}
				}
				p(`<path class="edge" data-from="%d" data-to="%d" data-tensor="%d" d="%s" stroke="%s" stroke-width="1.2" stroke-opacity="0.8" marker-end="url(#arrow%d)"><title>tensor %d %s</title></path>`+"\n",
					src, c, t, s.edgePath(src, c), colour, marker, t, esc(info.Tensors[t].Name))
			}
		}
		p("</g>\n")

		// Boxes.
		why := map[int][]string{}
		for _, rf := range sp.Refusals {
			why[rf.Node] = append(why[rf.Node], fmt.Sprintf("refused by %s: %s", rf.Delegate, rf.Reason))
		}
		for _, n := range s.order {
			x, y := s.xy(n)
			op := sp.ops[n]
			fill, stroke, where, pi, del := cpuFill, cpuStroke, "CPU", -1, ""
			if pa, ok := s.part[n]; ok {
				part := sp.Partitions[pa]
				di := part.DelegateIndex
				fill, stroke, pi, del = fills[di%len(fills)], strokes[di%len(strokes)], pa, part.Delegate
				where = fmt.Sprintf("partition %d (%s)", pa, part.Delegate)
			}
			tip := append([]string{fmt.Sprintf("operator %d (%s): %s", n, op, where)}, why[n]...)
			p(`<g class="node" data-subgraph="%d" data-node="%d" data-op="%s" data-partition="%d" data-delegate="%s">`, sp.Index, n, esc(op), pi, esc(del))
			p(`<title>%s</title>`, esc(strings.Join(tip, "\n")))
			p(`<rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="%s" stroke="%s"/>`, x, y, boxW, boxH, fill, stroke)
			label := op
			if len(label) > 22 {
				label = label[:21] + "…"
			}
			p(`<text x="%d" y="%d">%s</text>`, x+6, y+16, esc(fmt.Sprintf("%d %s", n, label)))
			if pi >= 0 {
				p(`<text x="%d" y="%d" text-anchor="end" font-weight="bold" fill="%s">P%d</text>`, x+boxW-6, y+16, stroke, pi)
			}
			p("</g>\n")
		}
		p("</g>\n")
	}
	p("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// edgePath routes an edge: straight down to the next box of a column, a
// bulge in the gutter to a later box of the same column, and an S-curve
// to a box in a later column.
func (s *svgSub) edgePath(from, to int) string {
	x1, y1 := s.xy(from)
	x2, y2 := s.xy(to)
	kf, kt := s.slot[from], s.slot[to]
	switch {
	case kf/s.rows == kt/s.rows && kt == kf+1:
		return fmt.Sprintf("M%d,%d L%d,%d", x1+boxW/2, y1+boxH, x2+boxW/2, y2)
	case kf/s.rows == kt/s.rows:
		bulge := min(12+4*(kt-kf), pitchX-boxW-14)
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1+boxW, y1+boxH/2, x1+boxW+bulge, y1+boxH/2, x2+boxW+bulge, y2+boxH/2, x2+boxW, y2+boxH/2)
	default:
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1+boxW, y1+boxH/2, x1+boxW+50, y1+boxH/2, x2-50, y2+boxH/2, x2, y2+boxH/2)
	}
}
