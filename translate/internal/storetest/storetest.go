// Package storetest builds what the tests of the translate packages share: a review store
// wired to the glossary as the program wires it, and articles stored in it.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// New returns a review store over db that checks a reviewer's text against the glossary
// store over the same database, as the program does.
func New(db *migrations.DB) *store.Store {
	return store.New(db.W, db.R, time.Now, glossary.NewStore(db.W, db.R, time.Now))
}

// SampleText is a three-segment article: a headline, and a paragraph of two sentences.
const SampleText = "روسيا: دونيتسك ولوغانسك طلبا مساعدتنا\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات الأمنية ضرورية!\n"

// Sample stores SampleText and returns it with its segments.
func Sample(tb testing.TB, s *store.Store) (translate.Article, []translate.Segment) {
	tb.Helper()
	return Article(tb, s, "sample.txt", SampleText)
}

// Article stores text as an article from the file name, its title taken from its first
// line, and returns it with its segments.
func Article(tb testing.TB, s *store.Store, name, text string) (translate.Article, []translate.Segment) {
	tb.Helper()
	ctx := context.Background()
	t, err := translate.NewText(name, "", text)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := s.CreateArticle(ctx, t.Title, t.Body, name)
	if err != nil {
		tb.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return a, segs
}

// ReviewText has a title, a paragraph of two sentences, a boilerplate line and a last
// paragraph; the English typed in Reviewed is full of markup to test escaping.
const ReviewText = "عنوان المقال\n\nقال ريابكوف إن <موسكو> & \"الغرب\" مستعدان. وأضاف أن الضمانات الأمنية ضرورية!\n\nاقرأ أيضا: روابط\n\nوختم بأن الحوار مستمر.\n"

// ScriptTarget is the English Reviewed saves on segment 1: markup every export must escape.
const ScriptTarget = `He said <script>alert("x")</script> & 'Moscow' is ready.`

// Reviewed stores ReviewText with its segments in every state: 0 approved, 1 edited,
// 2 machine, 3 excluded, 4 untranslated.
func Reviewed(tb testing.TB, s *store.Store) (translate.Article, []translate.Segment) {
	tb.Helper()
	ctx := context.Background()
	a, segs := Article(tb, s, "article.txt", ReviewText)
	if len(segs) != 5 {
		tb.Fatalf("ReviewText split into %d segments, want 5: %+v", len(segs), segs)
	}
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[0].ID, Target: "The article's title", Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "fake"},
		{SegmentID: segs[1].ID, Target: "machine one", Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "fake"},
		{SegmentID: segs[2].ID, Target: "He added that security guarantees are essential!", Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "fake", Flags: []string{"glossary: check <this> & that"}},
	}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Approve(ctx, segs[0].ID, "", 2, "rev"); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SaveTarget(ctx, segs[1].ID, ScriptTarget, 2, "rev"); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SetExcluded(ctx, segs[3].ID, true, 1, "rev"); err != nil {
		tb.Fatal(err)
	}
	var err error
	if a, err = s.Article(ctx, a.ID); err != nil {
		tb.Fatal(err)
	}
	if segs, err = s.Segments(ctx, a.ID); err != nil {
		tb.Fatal(err)
	}
	return a, segs
}
