package web

import (
	"fmt"
	"html/template"
	"strings"

	"ardoise/campaigns"
)

// tableView is a masked table of counts as a page prints it: a caption,
// column heads, one header cell per row, and optionally a column of row
// totals and a line of totals. Cells are already text ("s" when hidden).
type tableView struct {
	ID, Caption, RowHead, TotalHead, TotalLabel string
	Cols                                        []string
	Rows                                        []rowView
	Totals                                      *rowView
	// ExtraHead names a last column of amounts that follow the counts (hours).
	ExtraHead string
}

type rowView struct {
	Label, Total, Extra string
	Cells               []string
}

// maskedTable prints m with its row totals (headed totalHead; none when
// it is "") and, with colTotals, its line of column totals.
func maskedTable(id, caption, rowHead string, rows, cols []string, m campaigns.Masked, totalHead string, colTotals bool) tableView {
	t := tableView{ID: id, Caption: caption, RowHead: rowHead, Cols: cols, TotalHead: totalHead, TotalLabel: totalHead}
	for i := range m.Rows {
		r := rowView{Label: rows[i]}
		if totalHead != "" {
			r.Total = m.RowTotals[i].String()
		}
		for _, v := range m.Cells[i] {
			r.Cells = append(r.Cells, v.String())
		}
		t.Rows = append(t.Rows, r)
	}
	if colTotals && len(m.Rows) > 0 {
		r := rowView{Label: totalHead, Total: m.Total.String()}
		for _, v := range m.ColTotals {
			r.Cells = append(r.Cells, v.String())
		}
		t.Totals = &r
	}
	return t
}

// territoryChart draws a masked level table as an SVG bar chart: one line per
// row, one bar per level, its height in proportion to the largest shown
// count; a hidden count is a dashed outline marked "s". The table next to
// it says the same in numbers.
func territoryChart(id, title string, rows []string, m campaigns.Masked, hiddenText string) template.HTML {
	const labelW, barW, gap, lineH, barH, top = 90, 22, 6, 46, 30, 18
	maxCount := 1
	for _, row := range m.Cells {
		for _, v := range row {
			if v.Shown && v.Count > maxCount {
				maxCount = v.Count
			}
		}
	}
	w := labelW + len(m.Cols)*(barW+gap) + gap
	h := top + len(rows)*lineH + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg role="img" aria-labelledby="%s" width="%d" height="%d" viewBox="0 0 %d %d" class="chart" xmlns="http://www.w3.org/2000/svg">`, id, w, h, w, h)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, id, template.HTMLEscapeString(title+" — "+hiddenText))
	for j, c := range m.Cols {
		x := labelW + gap + j*(barW+gap)
		fmt.Fprintf(&b, `<text x="%d" y="12" font-size="11" text-anchor="middle">%s</text>`, x+barW/2, template.HTMLEscapeString(c))
	}
	for i, label := range rows {
		y := top + i*lineH
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12">%s</text>`, y+barH/2+4, template.HTMLEscapeString(label))
		for j, v := range m.Cells[i] {
			x := labelW + gap + j*(barW+gap)
			if !v.Shown {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#555" stroke-dasharray="3 2"/><text x="%d" y="%d" font-size="11" text-anchor="middle">%s</text>`,
					x, y, barW, barH, x+barW/2, y+barH/2+4, campaigns.Hidden)
				continue
			}
			bh := v.Count * barH / maxCount
			if v.Count > 0 && bh == 0 {
				bh = 1
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#1d4f91"/>`, x, y+barH-bh, barW, bh)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" text-anchor="middle">%d</text>`, x+barW/2, y+barH+11, v.Count)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}
