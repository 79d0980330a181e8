package pipeline

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/memory"
)

// countingBackend answers every item with the glossary's English and counts the items asked.
type countingBackend struct {
	mu    sync.Mutex
	asked []int64
}

func (b *countingBackend) Name() string  { return "counting" }
func (b *countingBackend) Model() string { return "m1" }
func (b *countingBackend) Capabilities() translate.Capabilities {
	return translate.Capabilities{Glossary: true}
}

func (b *countingBackend) Translate(_ context.Context, bt translate.Batch) (translate.BatchResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var res translate.BatchResult
	for _, it := range bt.Items {
		b.asked = append(b.asked, it.ID)
		text := fmt.Sprintf("English text of segment %d", it.ID)
		for _, h := range it.Hits {
			text += ", " + bt.Terms[h.Term].English
		}
		res.Translations = append(res.Translations, translate.Translation{ID: it.ID, Text: text + "."})
	}
	return res, nil
}

type oneMatcher struct{ m *glossary.Matcher }

func (g oneMatcher) Matcher(context.Context) (*glossary.Matcher, error) { return g.m, nil }

// A cache entry that breaks the glossary — left by a version that cached flagged answers — is
// not used: the segment goes to the backend, and the good answer replaces the entry.
func TestPipeline_CachedViolationIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, cache := storetest.New(db), NewCache(db.W, db.R, time.Now)
	text, err := translate.NewText("kyiv", "", "زار الوفد كييف أمس.\n")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateArticle(ctx, text.Title, text.Body, "kyiv.txt")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil || len(segs) != 1 {
		t.Fatalf("segments %+v, err %v; want one", segs, err)
	}
	term := glossary.Term{ID: 1, Arabic: "كييف", English: "Kyiv", Type: glossary.TypeName, Forbidden: []string{"Kiev"}}
	key := cacheKey("counting", "", "m1", segs[0].Source, []cacheTerm{newCacheTerm(term)})
	if err := cache.put(ctx, map[string]string{key: "The delegation visited Kiev yesterday."}); err != nil {
		t.Fatal(err)
	}

	b := &countingBackend{}
	p := &Pipeline{Stores: Stores{Articles: s, Memory: memory.New(db.W, db.R, time.Now), Cache: cache, Glossary: oneMatcher{glossary.NewMatcher([]glossary.Term{term})}}, Backend: b}
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
	cached, err := cache.get(ctx, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	if cached[key] != want {
		t.Errorf("cache holds %q, want the good answer %q", cached[key], want)
	}
}

func TestCacheKey(t *testing.T) {
	const url = "http://127.0.0.1:11434/v1"
	base := cacheKey("openai", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}})
	same := []string{
		cacheKey("openai", url, "m", "الضَّمانات الأمنيّة", []cacheTerm{{1, "a"}, {2, "b"}}), // harakat
		cacheKey("openai", url, "m", "الضمانات الأمنية ", []cacheTerm{{2, "b"}, {1, "a"}}),   // order, space
	}
	for i, k := range same {
		if k != base {
			t.Errorf("key %d differs from the base key", i)
		}
	}
	differ := []string{
		cacheKey("libretranslate", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}}),
		cacheKey("openai", "http://gpu:8000/v1", "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}}),
		cacheKey("openai", url, "m2", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}}),
		cacheKey("openai", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "c"}}),
		cacheKey("openai", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}}),
		cacheKey("openai", url, "m", "الضمانات", []cacheTerm{{1, "a"}, {2, "b"}}),
	}
	for i, k := range differ {
		if k == base {
			t.Errorf("key %d equals the base key", i)
		}
	}
}

func TestCacheTermDigestsTheWholeTerm(t *testing.T) {
	term := glossary.Term{ID: 3, Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm,
		Alternatives: []string{"security assurances"}, Forbidden: []string{"safety guarantees"}, Note: "as in the 2021 drafts"}
	base := newCacheTerm(term)
	if again := newCacheTerm(term); again != base {
		t.Fatalf("the same term digests differently: %v, %v", base, again)
	}
	for name, edit := range map[string]func(*glossary.Term){
		"English":        func(t *glossary.Term) { t.English = "security guarantee" },
		"Type":           func(t *glossary.Term) { t.Type = glossary.TypeName },
		"Alternatives":   func(t *glossary.Term) { t.Alternatives = append(t.Alternatives, "guarantees of security") },
		"Forbidden":      func(t *glossary.Term) { t.Forbidden = nil },
		"Note":           func(t *glossary.Term) { t.Note = "" },
		"DoNotTranslate": func(t *glossary.Term) { t.DoNotTranslate = true },
	} {
		edited := term
		edited.Alternatives = append([]string(nil), term.Alternatives...)
		edited.Forbidden = append([]string(nil), term.Forbidden...)
		edit(&edited)
		if got := newCacheTerm(edited); got == base || got.ID != term.ID {
			t.Errorf("editing %s: digest %v, want a new digest for the same id", name, got)
		}
	}
}
