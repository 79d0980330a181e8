package web

import (
	"fmt"
	"math"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// statsResponse is the JSON of GET /api/stats.
type statsResponse struct {
	Quality []store.QualityRow `json:"quality"`
}

func (s *Server) apiStats(c *gin.Context) error {
	rows, err := s.cfg.Articles.Quality(c.Request.Context())
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []store.QualityRow{}
	}
	c.JSON(http.StatusOK, statsResponse{Quality: rows})
	return nil
}

func (s *Server) statsShow(c *gin.Context) error {
	rows, err := s.cfg.Articles.Quality(c.Request.Context())
	if err != nil {
		return err
	}
	hter := newBarChart("Word edit rate (HTER) — lower is better", rows, hterScale(rows), "%.3f",
		func(r store.QualityRow) float64 { return r.HTER })
	chrf := newBarChart("chrF (0–100) — higher is better", rows, 100, "%.1f",
		func(r store.QualityRow) float64 { return r.ChrF })
	s.render(c, "stats.html", pageData{Title: "Quality by backend", Data: statsView{Rows: rows, HTER: hter, ChrF: chrf, Checks: foundChecks(rows)}})
	return nil
}

// statsView is what stats.html renders: the quality figures per backend, as a table and as
// two charts, and the quality checks' findings per backend and check.
type statsView struct {
	Rows       []store.QualityRow
	HTER, ChrF barChart
	Checks     []string // the checks with findings in some row, in the checks' order
}

// foundChecks are the checks that found something in the machine output of some row.
func foundChecks(rows []store.QualityRow) []string {
	var out []string
	for _, name := range qa.Names() {
		for _, r := range rows {
			if r.ByCheck[name] > 0 {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// barChart is a horizontal SVG bar chart laid out on the server: one labelled bar per backend.
type barChart struct {
	Title         string
	Width, Height int
	AxisX, AxisY  int // where the bars start, and where the axis line ends
	AxisEnd       int // x of the axis maximum
	AxisMax       string
	BarHeight     int
	Bars          []chartBar
}

// chartBar is one bar with its label and printed value, in SVG user units.
type chartBar struct {
	Label, Value        string
	Y, W, TextY, ValueX int
}

// Chart geometry, in SVG user units.
const (
	chartWidth   = 640
	chartLabelW  = 230 // room for "backend model" left of the bars
	chartBarArea = 330
	chartRow     = 26
	chartBarH    = 18
	chartTop     = 28
)

func newBarChart(title string, rows []store.QualityRow, scale float64, format string, value func(store.QualityRow) float64) barChart {
	ch := barChart{Title: title, Width: chartWidth, AxisX: chartLabelW, AxisEnd: chartLabelW + chartBarArea, BarHeight: chartBarH,
		Height: chartTop + len(rows)*chartRow + 22, AxisMax: fmt.Sprintf(format, scale)}
	ch.AxisY = chartTop + len(rows)*chartRow
	for i, r := range rows {
		v := value(r)
		w := 0
		if scale > 0 {
			w = int(math.Round(math.Min(v/scale, 1) * chartBarArea))
		}
		y := chartTop + i*chartRow
		ch.Bars = append(ch.Bars, chartBar{
			Label: truncateLabel(r.Label(), 32), Value: fmt.Sprintf(format, v),
			Y: y + (chartRow-chartBarH)/2, W: w, TextY: y + chartRow/2 + 5, ValueX: chartLabelW + w + 6,
		})
	}
	return ch
}

// hterScale is the right end of the HTER axis: 1 (every word edited), or beyond it, rounded up
// to the next half, when a backend needed more edits than the text has words.
func hterScale(rows []store.QualityRow) float64 {
	top := 1.0
	for _, r := range rows {
		top = math.Max(top, math.Ceil(r.HTER*2)/2)
	}
	return top
}

func truncateLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
