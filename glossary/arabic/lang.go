package arabic

import (
	"regexp"
	"strings"
)

// The languages Language folds three-letter codes to.
const (
	LangArabic  = "ar"
	LangEnglish = "en"
)

// languageTag is a language tag as files write it: a primary subtag of two or three letters
// and any further subtags, joined by hyphens (BCP 47) or underscores (ar_SA).
var languageTag = regexp.MustCompile(`^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$`)

// Language is the language a tag names, by its primary subtag in any case: LangArabic for
// ar, AR-eg, ara, ar-Arab-EG or ar_SA; LangEnglish for en, EN-us or eng; the primary subtag
// lower-cased for any other language (fr for fr-FR, arn for arn-CL, which is Mapudungun).
// ok is false when tag is not a language tag at all. The one reading of language codes for
// glossary columns, TBX language sets and TMX variants.
func Language(tag string) (lang string, ok bool) {
	m := languageTag.FindStringSubmatch(strings.ToLower(strings.TrimSpace(tag)))
	if m == nil {
		return "", false
	}
	switch m[1] {
	case "ar", "ara":
		return LangArabic, true
	case "en", "eng":
		return LangEnglish, true
	}
	return m[1], true
}
