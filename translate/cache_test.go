package translate

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tarjama/tarjama/glossary"
)

// countingBackend answers every item with the glossary's English and counts the items asked.
type countingBackend struct {
	mu    sync.Mutex
	asked []int64
}

func (b *countingBackend) Name() string               { return "counting" }
func (b *countingBackend) Model() string              { return "m1" }
func (b *countingBackend) Capabilities() Capabilities { return Capabilities{Glossary: true} }

func (b *countingBackend) Translate(_ context.Context, bt Batch) (BatchResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var res BatchResult
	for _, it := range bt.Items {
		b.asked = append(b.asked, it.ID)
		text := fmt.Sprintf("English text of segment %d", it.ID)
		for _, h := range it.Hits {
			text += ", " + bt.Terms[h.Term].English
		}
		res.Translations = append(res.Translations, Translation{ID: it.ID, Text: text + "."})
	}
	return res, nil
}

type oneMatcher struct{ m *glossary.Matcher }

func (g oneMatcher) Matcher(context.Context) (*glossary.Matcher, error) { return g.m, nil }

// A cache entry that breaks the glossary — left by a version that cached flagged answers — is
// not used: the segment goes to the backend, and the good answer replaces the entry.
func TestPipeline_CachedViolationIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	title, text, err := NewText("kyiv", "", "زار الوفد كييف أمس.\n")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateArticle(ctx, title, text, "kyiv.txt")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil || len(segs) != 1 {
		t.Fatalf("segments %+v, err %v; want one", segs, err)
	}
	term := glossary.Term{ID: 1, Arabic: "كييف", English: "Kyiv", Type: glossary.TypeName, Forbidden: []string{"Kiev"}}
	key := cacheKey("counting", "", "m1", segs[0].Source, []cacheTerm{newCacheTerm(term)})
	if err := s.cachePut(ctx, map[string]string{key: "The delegation visited Kiev yesterday."}); err != nil {
		t.Fatal(err)
	}

	b := &countingBackend{}
	p := &Pipeline{Store: s, Glossary: oneMatcher{glossary.NewMatcher([]glossary.Term{term})}, Backend: b}
	rep, err := p.Run(ctx, a.ID, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.asked) != 1 || b.asked[0] != segs[0].ID || rep.FromCache != 0 || rep.Flagged != 0 || rep.Translated != 1 {
		t.Fatalf("backend asked for %v, report %+v; want the segment asked again, nothing from the cache", b.asked, rep)
	}
	got, err := s.Segment(ctx, segs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("English text of segment %d, Kyiv.", segs[0].ID)
	if got.Target != want || len(got.Flags) != 0 || strings.Contains(got.Target, "Kiev") {
		t.Errorf("segment: %q flags %q; want %q", got.Target, got.Flags, want)
	}
	cached, err := s.cacheGet(ctx, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	if cached[key] != want {
		t.Errorf("cache holds %q, want the good answer %q", cached[key], want)
	}
}
