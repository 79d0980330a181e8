package qa

import (
	"testing"
)

func TestUntranslated(t *testing.T) {
	runCases(t, Untranslated, []checkCase{
		{"clean", "وقال مصدر لسبوتنيك إن المحادثات ستستأنف.", "A source told Sputnik the talks would resume.", nil},
		{"a name left", "وقال مصدر لسبوتنيك إن المحادثات ستستأنف.", "A source told سبوتنيك the talks would resume.",
			[]string{"Arabic left in the English: «سبوتنيك»"}},
		{"two words are one run", "وقال المحلل خالد الجابري إن التصعيد متوقع.", "Analyst خالد الجابري said escalation was expected.",
			[]string{"Arabic left in the English: «خالد الجابري»"}},
		{"two runs", "قال خالد إن سعيد غادر.", "خالد said that سعيد left.",
			[]string{"Arabic left in the English: «خالد»", "Arabic left in the English: «سعيد»"}},
		{"arabic digits", "قتل ١٧ شخصا.", "١٧ people were killed.",
			[]string{"Arabic digits left in the English: ١٧ (write 17)"}},
		{"the whole source echoed", "روسيا تؤكد وجود الاحترام المتبادل", "روسيا تؤكد وجود الاحترام المتبادل",
			[]string{"Arabic left in the English: «روسيا تؤكد وجود الاحترام المتبادل»"}},
	})
}

func TestUntranslatedKeptOnPurpose(t *testing.T) {
	src := "نشر موقع الحقيقة نت التقرير كاملا."
	dnt := []Term{{Arabic: "الحقيقة نت", English: "Al-Haqiqa Net", DoNotTranslate: true, Text: "الحقيقة نت", Source: [2]int{9, 19}}}
	tgt := "The Al-Haqiqa Net (الحقيقة نت) website published the full report."
	if fs := only(t, Untranslated, src, tgt, dnt); len(fs) != 0 {
		t.Errorf("a do-not-translate term kept in Arabic: got %v", fs)
	}
	dnt[0].DoNotTranslate = false
	fs := only(t, Untranslated, src, tgt, dnt)
	if len(fs) != 1 {
		t.Fatalf("an ordinary term left in Arabic: got %v", fs)
	}
	// Both places are marked: where the English kept it, and the words of the source.
	if fs[0].Target != [2]int{19, 29} || fs[0].Source != [2]int{9, 19} {
		t.Errorf("spans %v %v, want [9 19] [19 29]", fs[0].Source, fs[0].Target)
	}
}

func TestPunctuation(t *testing.T) {
	runCases(t, Punctuation, []checkCase{
		{"full stops", "وانتهت الجولة الثالثة دون نتائج.", "The third round ended without results.", nil},
		{"question", "هل نريد حربا أم لا؟", "Do we want war or not?", nil},
		{"ascii question mark in arabic", "هل نريد حربا أم لا?", "Do we want war or not?", nil},
		{"exclamation", "ودعت المنظمة إلى وقف إطلاق النار!", "The organization called for a ceasefire!", nil},
		{"english adds a full stop", "روسيا تؤكد وجود الاحترام المتبادل", "Russia affirms mutual respect.", nil},
		{"headline without a stop", "روسيا تؤكد وجود الاحترام المتبادل", "Russia affirms mutual respect", nil},
		{"stop outside and inside quotes", "وقال: “نحن مستعدون للحوار”.", "He said: \"We are ready for dialogue.\"", nil},
		{"doubled stop", "هو قال. .", "he said.", nil},
		{"ellipsis", "كانت المفاوضات شبيهة بالأعمال…", "The talks were businesslike...", nil},
		{"colon before a quotation", "وقال لافروف:", "Lavrov said:", nil},

		{"question lost", "هل نريد حربا أم لا؟", "Do we want war or not.",
			[]string{"the Arabic ends with a question mark; the English with a full stop"}},
		{"question added", "نريد السلام.", "Do we want peace?",
			[]string{"the Arabic ends with a full stop; the English with a question mark"}},
		{"exclamation lost", "ودعت المنظمة إلى وقف إطلاق النار!", "The organization called for a ceasefire.",
			[]string{"the Arabic ends with an exclamation mark; the English with a full stop"}},
		{"full stop dropped", "وتعقد القمة في ألمانيا الشهر المقبل.", "The summit is held in Germany next month",
			[]string{"the Arabic ends with a full stop; the English with no closing punctuation"}},
		{"arabic comma and semicolon", "قال الوزير، إن الحكومة؛ ستعلن خطتها.", "The minister said، the government؛ would announce its plan.",
			[]string{"Arabic punctuation ، in the English (use ,)", "Arabic punctuation ؛ in the English (use ;)"}},
		{"arabic percent", "تراجعت الليرة ٪١٥.", "The lira fell 15٪.",
			[]string{"Arabic punctuation ٪ in the English (use %)"}},
		{"arabic question mark", "هل نريد حربا؟", "Do we want war؟",
			[]string{"Arabic punctuation ؟ in the English (use ?)"}},
	})
}

func TestPunctuationSpans(t *testing.T) {
	fs := only(t, Punctuation, "هل نريد حربا؟", "Do we want war.", nil)
	if len(fs) != 1 || fs[0].Source != [2]int{12, 13} || fs[0].Target != [2]int{14, 15} {
		t.Errorf("got %+v", fs)
	}
	fs = only(t, Punctuation, "القمة في ألمانيا.", "The summit is in Germany", nil)
	if len(fs) != 1 || fs[0].Target != [2]int{23, 24} {
		t.Errorf("a missing stop marks the last character: got %+v", fs)
	}
}

func TestQuotes(t *testing.T) {
	runCases(t, Quotes, []checkCase{
		{"straight", "وقال: \"لا نريد قطع العلاقات\".", "He said: \"We do not want to cut ties.\"", nil},
		{"curly", "وقال: «نحن مستعدون للحوار».", "He said: “We are ready for dialogue.”", nil},
		{"nested", "قال: \"إنه 'الخط الأحمر'\".", "He said: “It is the ‘red line.’”", nil},
		{"apostrophes", "قالت روسيا", "Russia’s and NATO's positions", nil},
		{"mixed closing", "قال: \"لا\".", "He said: “No.\"", nil},
		{"quotation runs on into the next sentence", "وقال لافروف: \"يمكنني أن أؤكد ما قلناه.", "Lavrov said: \"I can confirm what we said.", nil},
		{"quotation ends here", "كانت المفاوضات شبيهة بالأعمال\".", "The talks were businesslike.\"", nil},

		{"unclosed straight", "وقال: \"لا نريد قطع العلاقات\".", "He said: \"We do not want to cut ties.",
			[]string{"the English opens a quotation with \" and never closes it"}},
		{"unclosed curly", "وقال: «نحن مستعدون للحوار».", "He said: “We are ready for dialogue.",
			[]string{"the English opens a quotation with “ and never closes it"}},
		{"stray closing", "وقال إنهم مستعدون للحوار.", "He said they were ready for dialogue.”",
			[]string{"the English closes a quotation with ” that was never opened"}},
		{"single never closed", "قال إنه الخط الأحمر.", "He called it the ‘red line.",
			[]string{"the English opens a quotation with ‘ and never closes it"}},
	})
}

func TestBrackets(t *testing.T) {
	runCases(t, Brackets, []checkCase{
		{"balanced", "وتخشى كييف تكرار ضم القرم (عام 2014).", "Kyiv fears a repeat of the annexation of Crimea (in 2014).", nil},
		{"nested", "من كييف (أ ف ب)", "From Kyiv (AFP [Agence France-Presse])", nil},
		{"parenthesis over two sentences", "وقال (في بيان. ", "He said (in a statement.", nil},

		{"unclosed", "وتخشى كييف تكرار ضم القرم (عام 2014).", "Kyiv fears a repeat of the annexation of Crimea (in 2014.",
			[]string{"the English opens a bracket ( and never closes it"}},
		{"stray closing", "وتخشى كييف تكرار ضم القرم عام 2014.", "Kyiv fears a repeat of the annexation of Crimea in 2014).",
			[]string{"the English closes a bracket ) that was never opened"}},
		{"mismatched", "في جنيف وبروكسل (بمشاركة الطرفين) حتى نهاية الأسبوع.", "In Geneva and Brussels (with both sides] until the end of the week.",
			[]string{"the English opens a bracket with ( and closes it with ]"}},
	})
}

func TestSpacing(t *testing.T) {
	runCases(t, Spacing, []checkCase{
		{"clean", "قال", "He said: \"Yes, 0.5 percent ... no.\"", nil},
		{"leading", "قال", " He said.", []string{"the English starts with a space"}},
		{"trailing", "قال", "He said. ", []string{"the English ends with a space"}},
		{"double", "قال", "He  said.", []string{"a double space"}},
		{"before a comma", "قال", "He said , then left.", []string{"a space before ,"}},
		{"before a full stop", "قال", "He said .", []string{"a space before ."}},
		{"before a closing quote", "قال", "He said “yes ”.", []string{"a space before ”"}},
		{"only blank", "قال", "   ", nil},
	})
}

func TestRepeat(t *testing.T) {
	runCases(t, Repeat, []checkCase{
		{"clean", "قال", "The minister said the plan would work.", nil},
		{"had had", "كان الوزير قد تلقى تحذيرات.", "The minister had had warnings.", nil},
		{"that that", "قال إن ذلك القرار خاطئ.", "He said that that decision was wrong.", nil},
		{"hyphenated name", "قال بطرس بطرس غالي", "Boutros Boutros-Ghali said", nil},
		{"a name the arabic doubles too", "قال محمد محمد إن", "Mohamed Mohamed said", nil},
		{"across punctuation", "لا، لا", "No, no.", nil},
		{"numbers", "بين 20 و20", "between 20 20", nil},

		{"the the", "ذكرت تاس أن الاجتماع استمر.", "TASS reported that the the meeting lasted.",
			[]string{"\"the the\": a word doubled"}},
		{"case differs", "قال", "The the minister said.", []string{"\"The the\": a word doubled"}},
		{"in in", "انتهت الجولة في بيلاروسيا.", "The round in in Belarus ended.", []string{"\"in in\": a word doubled"}},
	})
}

func TestLength(t *testing.T) {
	src := "وقال المتحدث باسم الكرملين ديمتري بيسكوف في إفادة صحفية إن بوتين يفضل أن تناقش روسيا والغرب مخاوفهما بهدوء."
	good := "Kremlin spokesman Dmitry Peskov told a news briefing that Putin would prefer Russia and the West to discuss their concerns calmly."
	runCases(t, Length, []checkCase{
		{"in proportion", src, good, nil},
		{"short segment is not judged", "من كييف (أ ف ب)", "From Kyiv (AFP), where the correspondent of the agency reported at length on the talks.", nil},
		{"truncated", src, "Kremlin spokesman Dmitry Peskov said.",
			[]string{"the English is much shorter than the Arabic suggests: 32 letters for 89 Arabic letters (about 107 expected)"}},
		{"padded", src, good + " " + good,
			[]string{"the English is much longer than the Arabic suggests: 218 letters for 89 Arabic letters (about 107 expected)"}},
	})
}

func TestLengthLearnedRatio(t *testing.T) {
	src := "وقال المتحدث باسم الكرملين ديمتري بيسكوف في إفادة صحفية إن بوتين يفضل أن تناقش روسيا والغرب مخاوفهما بهدوء."
	tgt := "Kremlin spokesman Dmitry Peskov told a news briefing that Putin would like calm talks."
	check := func(cfg Config) int {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range c.Check(src, tgt, nil) {
			if f.Check == Length {
				n++
			}
		}
		return n
	}
	if n := check(Config{}); n != 0 {
		t.Fatalf("with the default ratio: %d findings", n)
	}
	// A team whose approved English runs at 2.5 letters per Arabic letter finds this one short;
	// an admin's fixed ratio wins over the learned one.
	if n := check(Config{}.WithLearnedRatio(2.5)); n != 1 {
		t.Errorf("with a learned ratio of 2.5: %d findings, want 1", n)
	}
	if n := check(Config{LengthRatio: 1.2}.WithLearnedRatio(2.5)); n != 0 {
		t.Errorf("the configured ratio must win: %d findings", n)
	}
}

func TestLengthStats(t *testing.T) {
	var s LengthStats
	long := "وقال المتحدث باسم الكرملين ديمتري بيسكوف في إفادة صحفية إن بوتين يفضل الحوار."
	for range MinLearnPairs - 1 {
		s.Add(long, "Kremlin spokesman Dmitry Peskov told a news briefing that Putin prefers dialogue.")
	}
	s.Add("من كييف", "From Kyiv") // too short to teach anything
	if _, ok := s.Ratio(); ok {
		t.Fatalf("a ratio from %d pairs", s.Pairs)
	}
	s.AddLetters(Letters(long), 2*Letters(long))
	r, ok := s.Ratio()
	if !ok || s.Pairs != MinLearnPairs {
		t.Fatalf("ratio %v, %v after %d pairs", r, ok, s.Pairs)
	}
	if r < 1.0 || r > 1.2 {
		t.Errorf("ratio %v, want about 1.1", r)
	}
	if Letters("قُتِلَ ١٧ شخصًا") != 9 || Letters("لا") != 2 || Letters("ﻻ") != 2 {
		t.Errorf("Letters: %d %d %d", Letters("قُتِلَ ١٧ شخصًا"), Letters("لا"), Letters("ﻻ"))
	}
}
