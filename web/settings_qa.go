package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// checkAbout says what each quality check catches, for the settings page.
var checkAbout = map[string]string{
	qa.Number:       "every number of the Arabic in the English with the same value (any digits, scale words, number words), and none added",
	qa.Date:         "months (all Arabic naming traditions, Hijri too) and weekdays agree",
	qa.Untranslated: "Arabic letters left in the English, unless kept on purpose as a do-not-translate term",
	qa.Punctuation:  "the sentence end agrees (question, exclamation); no Arabic comma or semicolon in the English",
	qa.Quotes:       "quotation marks balanced in the English",
	qa.Brackets:     "brackets balanced in the English",
	qa.Spacing:      "double spaces, leading or trailing space, a space before punctuation",
	qa.Repeat:       `a word doubled ("the the")`,
	qa.Length:       "the English far shorter or longer than the Arabic predicts",
	qa.Glossary:     "each glossary term's agreed English used, none of its forbidden renderings",
}

// qaSettingsView is the quality checks' part of the settings page: a row per check, and the
// length ratio, fixed or automatic (learned from the approved segments).
type qaSettingsView struct {
	Rules      []qaRuleView
	Fixed      bool   // the admin fixed the length ratio
	Ratio      string // the fixed ratio as the form shows it
	InForce    string // the ratio the length check uses now
	Learned    bool   // InForce was learned from the approved segments
	Pairs      int    // approved pairs learned from
	MinPairs   int    // pairs needed before the learned ratio is used
	Default    string // the ratio used until then
	SavedBy    string
	SavedAt    string
	Error      string
	Severities []qa.Severity
}

// qaRuleView is one check's row.
type qaRuleView struct {
	Name, About string
	Enabled     bool
	Severity    qa.Severity
}

func newQASettingsView(st store.QASettings) qaSettingsView {
	r, learned := st.Ratio()
	v := qaSettingsView{Fixed: st.Config.LengthRatio > 0, InForce: formatRatio(r), Learned: learned, Pairs: st.Learned.Pairs,
		MinPairs: qa.MinLearnPairs, Default: formatRatio(qa.DefaultLengthRatio), SavedBy: st.SavedBy, Severities: []qa.Severity{qa.Error, qa.Warning}}
	if v.Fixed {
		v.Ratio = formatRatio(st.Config.LengthRatio)
	}
	if !st.SavedAt.IsZero() {
		v.SavedAt = st.SavedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	for _, name := range qa.Names() {
		rule := st.Config.Rule(name)
		v.Rules = append(v.Rules, qaRuleView{Name: name, About: checkAbout[name], Enabled: rule.Enabled, Severity: rule.Severity})
	}
	return v
}

func formatRatio(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) }

// settingsQASave stores which checks run, their severities and the length ratio (admins), and
// counts every segment's open findings again under them (store.SaveQASettings).
func (s *Server) settingsQASave(c *gin.Context) error {
	ctx := c.Request.Context()
	cur, err := s.cfg.Articles.QASettings(ctx)
	if err != nil {
		return err
	}
	cfg := cur.Config // the tolerance and the minimum length are kept as they are
	cfg.Checks = map[string]qa.Rule{}
	for _, name := range qa.Names() {
		cfg.Checks[name] = qa.Rule{Enabled: c.PostForm("check."+name+".enabled") == "1", Severity: qa.Severity(c.PostForm("check." + name + ".severity"))}
	}
	cfg.LengthRatio = 0
	ratio := strings.TrimSpace(c.PostForm("length_ratio"))
	if c.PostForm("length_ratio_mode") == "fixed" {
		r, perr := strconv.ParseFloat(ratio, 64)
		if perr != nil || r <= 0 {
			return s.qaFormErr(c, cfg, fmt.Sprintf("length ratio: %q is not a number above 0 (English letters per Arabic letter, e.g. 1.2)", ratio))
		}
		cfg.LengthRatio = r
	}
	if _, err := s.cfg.Articles.SaveQASettings(ctx, cfg, reviewerName(c)); err != nil {
		if errors.Is(err, translate.ErrInvalid) {
			return s.qaFormErr(c, cfg, userMessage(err))
		}
		return err
	}
	redirectWithFlash(c, "/settings#quality", "Saved the quality checks; every segment's findings were counted again.")
	return nil
}

// qaFormErr shows the settings page again with the checks as the admin set them and why they
// were not saved.
func (s *Server) qaFormErr(c *gin.Context, typed qa.Config, msg string) error {
	v, err := s.settingsView(c.Request.Context())
	if err != nil {
		return err
	}
	for i := range v.QA.Rules {
		r := typed.Checks[v.QA.Rules[i].Name]
		v.QA.Rules[i].Enabled, v.QA.Rules[i].Severity = r.Enabled, r.Severity
	}
	v.QA.Fixed, v.QA.Ratio = c.PostForm("length_ratio_mode") == "fixed", strings.TrimSpace(c.PostForm("length_ratio"))
	v.QA.Error = msg
	c.Status(http.StatusBadRequest)
	s.render(c, "settings.html", pageData{Title: "Settings", Data: v})
	return nil
}
