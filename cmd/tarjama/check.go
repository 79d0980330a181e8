package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// errOpenErrors makes `tarjama check` exit 1 when an error-level finding is open: a script
// that publishes articles stops there.
var errOpenErrors = errors.New("open quality check errors")

// cmdCheck runs the quality checks: on the stored English of the articles named (exit 1 while
// an error is open, neither fixed nor ignored), or with --pairs on JSON lines from stdin.
func cmdCheck(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "check")
	asJSON := fs.Bool("json", false, `print JSON {"articles": [...]} instead of a list`)
	pairs := fs.Bool("pairs", false, `read JSON lines {"source", "target"} from stdin; write the JSON array of each one's findings on a line`)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *pairs && len(pos) > 0:
		return usageErrf("check: --pairs reads the pairs from stdin and takes no ARTICLE_ID")
	case *pairs && *asJSON:
		return usageErrf("check: --pairs always writes JSON; leave out --json")
	case !*pairs && len(pos) == 0:
		return usageErrf("check: name the ARTICLE_IDs to check, or give --pairs")
	}
	ids := make([]int64, len(pos))
	for i, p := range pos {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return usageErrf("check: %q is not an article id", p)
		}
		ids[i] = id
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	if *pairs {
		return checkPairs(ctx, e, a)
	}
	reports := make([]articleCheck, 0, len(ids))
	for _, id := range ids {
		r, err := checkArticle(ctx, a, id)
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Articles []articleCheck `json:"articles"`
		}{reports}); err != nil {
			return err
		}
	} else if err := writeChecks(e.stdout, reports); err != nil {
		return err
	}
	var open translate.Issues
	for _, r := range reports {
		open.Errors += r.Open.Errors
	}
	if open.Errors > 0 {
		return fmt.Errorf("%w: %s", errOpenErrors, translate.Plural(open.Errors, "error")+" to fix or ignore before publishing")
	}
	return nil
}

// articleCheck is what `check` reports on one article: the segments with findings.
type articleCheck struct {
	ID       int64            `json:"id"`
	Title    string           `json:"title"`
	Open     translate.Issues `json:"open"` // the findings neither fixed nor ignored
	Ignored  int              `json:"ignored"`
	Segments []segmentCheck   `json:"segments"`
}

// segmentCheck is one segment with its findings (ignored ones marked).
type segmentCheck struct {
	ID       int64           `json:"id"`
	Number   int             `json:"number"` // the segment's place in the article, from 1 as the page counts
	Source   string          `json:"source"`
	Target   string          `json:"target"`
	Status   string          `json:"status"`
	Findings []store.Finding `json:"findings"`
}

func checkArticle(ctx context.Context, a *app, id int64) (articleCheck, error) {
	art, err := a.articles.Article(ctx, id)
	if err != nil {
		return articleCheck{}, err
	}
	segs, err := a.articles.Segments(ctx, id)
	if err != nil {
		return articleCheck{}, err
	}
	found, err := a.articles.Findings(ctx, segs)
	if err != nil {
		return articleCheck{}, err
	}
	r := articleCheck{ID: art.ID, Title: art.Title, Segments: []segmentCheck{}}
	for _, g := range segs {
		fs := found[g.ID]
		if len(fs) == 0 {
			continue
		}
		for _, f := range fs {
			switch {
			case f.Ignored:
				r.Ignored++
			case f.Severity == qa.Error:
				r.Open.Errors++
			default:
				r.Open.Warnings++
			}
		}
		r.Segments = append(r.Segments, segmentCheck{ID: g.ID, Number: g.Index + 1, Source: g.Source, Target: g.Target, Status: string(g.Status), Findings: fs})
	}
	return r, nil
}

// writeChecks lists the findings per article and segment: "#N check severity: message", then
// the two texts with the finding's spans between ⟦ and ⟧.
func writeChecks(w io.Writer, reports []articleCheck) error {
	bw := bufio.NewWriter(w)
	for i, r := range reports {
		if i > 0 {
			bw.WriteString("\n")
		}
		fmt.Fprintf(bw, "article %d «%s»: %s, %s open", r.ID, r.Title, translate.Plural(r.Open.Errors, "error"), translate.Plural(r.Open.Warnings, "warning"))
		if r.Ignored > 0 {
			fmt.Fprintf(bw, ", %d ignored", r.Ignored)
		}
		bw.WriteString("\n")
		for _, g := range r.Segments {
			for _, f := range g.Findings {
				ignored := ""
				if f.Ignored {
					ignored = " (ignored)"
				}
				fmt.Fprintf(bw, "#%d %s %s%s: %s\n", g.Number, f.Check, f.Severity, ignored, f.Message)
				if f.Source[1] > f.Source[0] {
					fmt.Fprintf(bw, "    ar: %s\n", markSpan(g.Source, f.Source))
				}
				if f.Target[1] > f.Target[0] {
					fmt.Fprintf(bw, "    en: %s\n", markSpan(g.Target, f.Target))
				}
			}
		}
	}
	return bw.Flush()
}

// markSpan puts ⟦ ⟧ around the code points [s, e) of text; a span out of range marks nothing.
func markSpan(text string, sp [2]int) string {
	r := []rune(text)
	if sp[0] < 0 || sp[1] > len(r) || sp[0] >= sp[1] {
		return text
	}
	return string(r[:sp[0]]) + "⟦" + string(r[sp[0]:sp[1]]) + "⟧" + string(r[sp[1]:])
}

// maxPairLine bounds one line of --pairs input: an article's worth of source and target.
const maxPairLine = 2*translate.MaxArticleBytes + 1024

// checkPairs reads JSON lines {"source", "target"} from stdin and writes, for each, one line
// with the JSON array of its findings, as it goes. Blank lines are skipped; a line that is not
// such an object stops the command with an error naming its number.
func checkPairs(ctx context.Context, e *env, a *app) error {
	c, err := a.articles.Checker(ctx)
	if err != nil {
		return err
	}
	m, err := a.glossary.Matcher(ctx)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 0, 64<<10), maxPairLine)
	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var p struct {
			Source *string `json:"source"`
			Target *string `json:"target"`
		}
		if err := json.Unmarshal([]byte(text), &p); err != nil {
			out.Flush()
			return translate.ErrInvalid.Errorf(`line %d: not a JSON object {"source", "target"}: %w`, line, err)
		}
		if p.Source == nil || p.Target == nil {
			out.Flush()
			missing := "source"
			if p.Source != nil {
				missing = "target"
			}
			return translate.ErrInvalid.Errorf(`line %d: no %q (each line is a JSON object {"source", "target"})`, line, missing)
		}
		fs := c.Check(*p.Source, *p.Target, qa.Terms(m, *p.Source))
		if fs == nil {
			fs = []qa.Finding{}
		}
		if err := enc.Encode(fs); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		out.Flush()
		if errors.Is(err, bufio.ErrTooLong) {
			return translate.ErrInvalid.Errorf("line %d: longer than %d bytes", line+1, maxPairLine)
		}
		return fmt.Errorf("stdin: %w", err)
	}
	return out.Flush()
}
