package glossary

import (
	"slices"
	"testing"
)

// TestRead_OtherToolsLayouts reads one fixture per layout that another tool writes, made from
// the tool's documentation, and checks every term, note, alternative and forbidden rendering
// that came in, and what was left out.
func TestRead_OtherToolsLayouts(t *testing.T) {
	tests := []struct {
		file    string // in testdata
		tool    string
		dialect string
		rows    []csvRow
		bad     []badRow
		ignored []string
	}{
		{
			file: "deepl_export.csv", tool: "DeepL glossary export (no header; term, term, source language, target language)",
			dialect: "DeepL export (term, term, language, language), no header, comma",
			rows: []csvRow{
				{1, tm("الضمانات الأمنية", "security guarantees", TypeTerm)},
				{2, tm("موسكو، واشنطن", "Moscow, Washington", TypeTerm)},
				{3, tm("سيرغي ريابكوف", "Sergei Ryabkov", TypeTerm)},
				{4, tm("كييف", "Kyiv", TypeTerm)},
			},
		},
		{
			file: "deepl_generator.csv", tool: "DeepL glossary generator export (a fifth column: relevance), CRLF",
			dialect: "DeepL export (term, term, language, language), no header, comma",
			rows: []csvRow{
				{1, tm("حلف شمال الأطلسي", "NATO", TypeTerm)},
				{2, tm("الاستقرار الاستراتيجي", "strategic stability", TypeTerm)},
				{3, tm("العملية العسكرية الخاصة", "special military operation", TypeTerm)},
			},
			ignored: []string{"column 5 (the DeepL glossary generator's relevance)"},
		},
		{
			file: "google_terms.csv", tool: "Google Cloud Translation equivalent term set (en,ar,pos,description)",
			dialect: "header english,arabic,type (part of speech),note, comma",
			rows: []csvRow{
				{2, withNote(tm("الضمانات الأمنية", "security guarantees", TypeTerm), "Russia's demand of NATO, December 2021")},
				{3, withNote(tm("سيرغي ريابكوف", "Sergei Ryabkov", TypeName), "Russian deputy foreign minister")},
				{4, tm("كييف", "Kyiv", TypeName)},
				{5, tm("الاستقرار الاستراتيجي", "strategic stability", TypeTerm)},
			},
		},
		{
			file: "google_terms_trilingual.csv", tool: "Google equivalent term set with a third language",
			dialect: "header english,arabic,type (part of speech),note, comma",
			rows: []csvRow{
				{2, withNote(tm("معاهدة ستارت الجديدة", "New START treaty", TypeTerm), "arms control treaty of 2010")},
				{3, tm("الكرملين", "Kremlin", TypeName)},
				{4, withNote(tm("عدم تجزئة الأمن", "indivisibility of security", TypeTerm), "OSCE principle")},
			},
			ignored: []string{`column "fr" (another language)`},
		},
		{
			file: "weblate.csv", tool: "Weblate CSV download (location,source,target,id,fuzzy,context,translator_comments,developer_comments)",
			dialect: "header arabic,english,note,note, comma",
			rows: []csvRow{
				{2, withNote(tm("الكرملين", "the Kremlin", TypeTerm), "seat of the Russian presidency")},
				{3, withNote(tm("دونيتسك", "Donetsk", TypeTerm), "region and city in eastern Ukraine")},
				{4, withNote(tm("لوغانسك", "Luhansk", TypeTerm), "Ukrainian transliteration\nnot Lugansk")},
			},
			ignored: []string{`column "location"`, `column "id"`, `column "fuzzy"`, `column "context"`},
		},
		{
			file: "matecat.csv", tool: "Matecat termbase (Forbidden,Domain,Subdomain,Definition,ar-SA,Notes,Example of use,en-US,Notes,Example of use)",
			dialect: "header forbidden flag,note,arabic,note,english,note, comma",
			rows: []csvRow{
				{2, withNote(tm("الضمانات الأمنية", "security guarantees", TypeTerm, nil, nil, []string{"security assurances"}),
					"Guarantees Russia asked of NATO in December 2021\nجمع\nalways plural")},
				{4, withNote(tm("كييف", "Kyiv", TypeTerm, nil, nil, []string{"Kiev", "Kiyev"}),
					"Capital of Ukraine\nhouse style since 2019\nKiev: Russian transliteration")},
				{7, tm("الكرملين", "the Kremlin", TypeTerm)},
			},
			ignored: []string{`column "Domain"`, `column "Subdomain"`, `column "Example of use"`, `column "Example of use"`},
		},
		{
			file: "omegat.tsv", tool: "OmegaT tab-separated glossary (a # first line, a third column for comments)",
			dialect: "three columns (Arabic, English, note), no header, tab (# comment line skipped)",
			rows: []csvRow{
				{2, withNote(tm("الكرملين", "the Kremlin", TypeTerm), "seat of the Russian presidency")},
				{3, tm("موسكو", "Moscow", TypeTerm)},
				{4, withNote(tm("ديمتري بيسكوف", "Dmitry Peskov", TypeTerm), "Kremlin spokesman")},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := readFixture(t, tt.file)
			if f.Dialect != tt.dialect {
				t.Errorf("%s: Dialect = %q, want %q", tt.tool, f.Dialect, tt.dialect)
			}
			checkRows(t, f, tt.rows)
			checkBad(t, f.Bad, tt.bad)
			if !slices.Equal(f.Ignored, tt.ignored) {
				t.Errorf("Ignored = %q, want %q", f.Ignored, tt.ignored)
			}
		})
	}
}
