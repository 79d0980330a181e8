package translate

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

func wantPiece(source, sep string, para int) Piece {
	return Piece{Source: source, Sep: sep, Paragraph: para}
}

func TestSplitRules(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Piece
	}{
		{"empty", "", nil},
		{"only white space", " \t\n\r\n\u00a0 \n", nil},
		{"one sentence without terminator", "روسيا", []Piece{wantPiece("روسيا", "", 0)}},
		{
			"full stop",
			"رغم تدهور العلاقات بين الطرفين إلى أدنى المستويات. وأكد أن بلاده مستعدة لمواصلة الحوار مع الغرب بشأن الاستقرار الاستراتيجي.",
			[]Piece{
				wantPiece("رغم تدهور العلاقات بين الطرفين إلى أدنى المستويات.", " ", 0),
				wantPiece("وأكد أن بلاده مستعدة لمواصلة الحوار مع الغرب بشأن الاستقرار الاستراتيجي.", "", 0),
			},
		},
		{
			"arabic question mark and exclamation",
			"هل نريد حربا أم لا؟ بالتأكيد لا! قبل اندلاع الصراع بشكل كبير. منذ أسبوع!",
			[]Piece{
				wantPiece("هل نريد حربا أم لا؟", " ", 0),
				wantPiece("بالتأكيد لا!", " ", 0),
				wantPiece("قبل اندلاع الصراع بشكل كبير.", " ", 0),
				wantPiece("منذ أسبوع!", "", 0),
			},
		},
		{
			"latin question mark and ellipsis character",
			"هل انتهى الأمر? ربما… لا أحد يعرف",
			[]Piece{wantPiece("هل انتهى الأمر?", " ", 0), wantPiece("ربما…", " ", 0), wantPiece("لا أحد يعرف", "", 0)},
		},
		{
			"runs of terminators",
			"هل نريد حربا؟! لا... بالتأكيد لا!!! انتهى?!",
			[]Piece{wantPiece("هل نريد حربا؟!", " ", 0), wantPiece("لا...", " ", 0), wantPiece("بالتأكيد لا!!!", " ", 0), wantPiece("انتهى?!", "", 0)},
		},
		{
			"arabic comma and semicolon do not end a sentence",
			"في خضم أزمة دبلوماسية وأمنية عاصفة، أكد وزير الخارجية في روسيا؛ سيرجي لافروف ، وجود علاقات قائمة.",
			[]Piece{wantPiece("في خضم أزمة دبلوماسية وأمنية عاصفة، أكد وزير الخارجية في روسيا؛ سيرجي لافروف ، وجود علاقات قائمة.", "", 0)},
		},
		{
			"closing curly quote after the full stop stays",
			"قائلا: “هل نريد حربا أم لا؟ بالتأكيد لا. لهذا قدمنا مقترحاتنا لعملية تفاوضية.” من الحشد العسكري",
			[]Piece{
				wantPiece("قائلا: “هل نريد حربا أم لا؟", " ", 0),
				wantPiece("بالتأكيد لا.", " ", 0),
				wantPiece("لهذا قدمنا مقترحاتنا لعملية تفاوضية.”", " ", 0),
				wantPiece("من الحشد العسكري", "", 0),
			},
		},
		{
			"guillemets, straight quotes, brackets after the terminator stay",
			"قال: «نحن مستعدون.» وأضاف: \"الكرة الآن في ملعب أميركا!\" ثم (صمت طويل.) وتابع؟» نعم.",
			[]Piece{
				wantPiece("قال: «نحن مستعدون.»", " ", 0),
				wantPiece("وأضاف: \"الكرة الآن في ملعب أميركا!\"", " ", 0),
				wantPiece("ثم (صمت طويل.) وتابع؟»", " ", 0),
				wantPiece("نعم.", "", 0),
			},
		},
		{
			"quote then terminator (seed style)",
			"ستنفجر “عاجلاً أم آجلاً”. من كييف",
			[]Piece{wantPiece("ستنفجر “عاجلاً أم آجلاً”.", " ", 0), wantPiece("من كييف", "", 0)},
		},
		{
			"reversed closing quote and nested closers",
			"تساهم في تعزيز أمن الناتو“.) وأضاف",
			[]Piece{wantPiece("تساهم في تعزيز أمن الناتو“.)", " ", 0), wantPiece("وأضاف", "", 0)},
		},
		{
			"agency abbreviation in parentheses",
			"موسكو (أ.ف.ب.) قال الكرملين اليوم. كييف (أ. ف. ب) أعلنت أوكرانيا. جنيف (أ ف ب) انتهت المحادثات.",
			[]Piece{
				wantPiece("موسكو (أ.ف.ب.) قال الكرملين اليوم.", " ", 0),
				wantPiece("كييف (أ. ف. ب) أعلنت أوكرانيا.", " ", 0),
				wantPiece("جنيف (أ ف ب) انتهت المحادثات.", "", 0),
			},
		},
		{
			"terminator inside brackets does not split",
			"لا يوجد سبب للجلوس على طاولة (المفاوضات. أو غيرها!) في الأيام المقبلة [انظر ص. 3. أعلاه] انتهى. تم.",
			[]Piece{
				wantPiece("لا يوجد سبب للجلوس على طاولة (المفاوضات. أو غيرها!) في الأيام المقبلة [انظر ص. 3. أعلاه] انتهى.", " ", 0),
				wantPiece("تم.", "", 0),
			},
		},
		{
			"nested brackets",
			"قال (وهو يبتسم (كعادته. دائما) ثم صمت. طويلا) كلاما. انتهى.",
			[]Piece{wantPiece("قال (وهو يبتسم (كعادته. دائما) ثم صمت. طويلا) كلاما.", " ", 0), wantPiece("انتهى.", "", 0)},
		},
		{
			"unclosed bracket protects nothing",
			"قال (نائب آخر لوزير الخارجية. وأكد أن بلاده مستعدة.",
			[]Piece{wantPiece("قال (نائب آخر لوزير الخارجية.", " ", 0), wantPiece("وأكد أن بلاده مستعدة.", "", 0)},
		},
		{
			"brackets do not reach across a line break",
			"قال (كذا.\nوأضاف.) تم. انتهى",
			[]Piece{wantPiece("قال (كذا.", "\n", 0), wantPiece("وأضاف.)", " ", 0), wantPiece("تم.", " ", 0), wantPiece("انتهى", "", 0)},
		},
		{
			"ornate parentheses in either order",
			"قال تعالى ﴿وقل ربي زدني علما. آمين﴾ ثم سكت. تم. ﴾نص. آخر﴿ انتهى.",
			[]Piece{
				wantPiece("قال تعالى ﴿وقل ربي زدني علما. آمين﴾ ثم سكت.", " ", 0),
				wantPiece("تم.", " ", 0),
				wantPiece("﴾نص. آخر﴿ انتهى.", "", 0),
			},
		},
		{
			"decimal numbers",
			"نما الاقتصاد 3.5 في المئة و٣٫٥ و٣.٥ في المئة. وقال 1.000.000 دولار.",
			[]Piece{wantPiece("نما الاقتصاد 3.5 في المئة و٣٫٥ و٣.٥ في المئة.", " ", 0), wantPiece("وقال 1.000.000 دولار.", "", 0)},
		},
		{
			"number at the end of a sentence",
			"انطلقت في 24 فبراير عام 2022. وقال بوتين.",
			[]Piece{wantPiece("انطلقت في 24 فبراير عام 2022.", " ", 0), wantPiece("وقال بوتين.", "", 0)},
		},
		{
			"dots between latin letters and one-letter abbreviations",
			"قال مسؤول في U.S. Department of State إن واشنطن (e.g. tarjama.net) مستعدة. وقال J. Smith كلاما. ثم غادر.",
			[]Piece{
				wantPiece("قال مسؤول في U.S. Department of State إن واشنطن (e.g. tarjama.net) مستعدة.", " ", 0),
				wantPiece("وقال J. Smith كلاما.", " ", 0),
				wantPiece("ثم غادر.", "", 0),
			},
		},
		{
			"latin titles",
			"التقى Mr. Blinken مع Dr. Lavrov أمس. وقال.",
			[]Piece{wantPiece("التقى Mr. Blinken مع Dr. Lavrov أمس.", " ", 0), wantPiece("وقال.", "", 0)},
		},
		{
			"abbreviation at the end of a sentence still ends it at the line end",
			"The talks were held in the U.S.\nثم غادر.",
			[]Piece{wantPiece("The talks were held in the U.S.", "\n", 0), wantPiece("ثم غادر.", "", 0)},
		},
		{
			"arabic one-letter abbreviations",
			"قال د. محمد و دُ. علي إن الموعد في القرن 5 ق.م. وأضاف أ.ف.ب أن الأمر انتهى. تم.",
			[]Piece{wantPiece("قال د. محمد و دُ. علي إن الموعد في القرن 5 ق.م. وأضاف أ.ف.ب أن الأمر انتهى.", " ", 0), wantPiece("تم.", "", 0)},
		},
		{
			"missing space after the full stop before an arabic letter",
			"قدّمت واشنطن ردا خطيا لموسكو.لكن روسيا اعتبرت؟وقال",
			[]Piece{wantPiece("قدّمت واشنطن ردا خطيا لموسكو.", "", 0), wantPiece("لكن روسيا اعتبرت؟", "", 0), wantPiece("وقال", "", 0)},
		},
		{
			"terminator glued to a comma or digit does not split",
			"قال؟، وأضاف.2 ثم",
			[]Piece{wantPiece("قال؟، وأضاف.2 ثم", "", 0)},
		},
		{
			"two dots are a pause, three are an ellipsis",
			"مجدداً.. مكالمة بين بلينكن ولافروف\nيمكنني أن أؤكد ما قلناه... كانت المفاوضات شبيهة. وانتهى..",
			[]Piece{
				wantPiece("مجدداً.. مكالمة بين بلينكن ولافروف", "\n", 0),
				wantPiece("يمكنني أن أؤكد ما قلناه...", " ", 0),
				wantPiece("كانت المفاوضات شبيهة.", " ", 0),
				wantPiece("وانتهى..", "", 0),
			},
		},
		{
			"punctuation-only stray stays with its sentence",
			"توفير الضمانات الأمنية لروسيا”. هو قال. .\n\nخطاً أحمر لأمن البلاد. . يشار",
			[]Piece{
				wantPiece("توفير الضمانات الأمنية لروسيا”.", " ", 0),
				wantPiece("هو قال. .", "\n\n", 0),
				wantPiece("خطاً أحمر لأمن البلاد. .", " ", 1),
				wantPiece("يشار", "", 1),
			},
		},
		{
			"a quote that opens the next sentence is not a stray",
			"انتهى. \"قال كذا\" ثم. (أ ف ب) موسكو",
			[]Piece{wantPiece("انتهى.", " ", 0), wantPiece("\"قال كذا\" ثم.", " ", 0), wantPiece("(أ ف ب) موسكو", "", 0)},
		},
		{
			"numbered list",
			"1. البند الأول من المقترحات.\n  ٢. البند الثاني\nالعدد 5. وقال",
			[]Piece{
				wantPiece("1. البند الأول من المقترحات.", "\n  ", 0),
				wantPiece("٢. البند الثاني", "\n", 0),
				wantPiece("العدد 5.", " ", 0),
				wantPiece("وقال", "", 0),
			},
		},
		{
			"single line break ends a sentence but keeps the paragraph",
			"مجلس التحرير: مجموعة صحفيين عرب\nالموقع قدم أوراق اعتماده\nالى نقابة الصحفيين العراقيين\n\nروسيا تؤكد وجود الاحترام المتبادل",
			[]Piece{
				wantPiece("مجلس التحرير: مجموعة صحفيين عرب", "\n", 0),
				wantPiece("الموقع قدم أوراق اعتماده", "\n", 0),
				wantPiece("الى نقابة الصحفيين العراقيين", "\n\n", 0),
				wantPiece("روسيا تؤكد وجود الاحترام المتبادل", "", 1),
			},
		},
		{
			"CRLF kept exactly",
			"نشر\r\nالأمصار\r\n\r\nفي خضم أزمة. أكد وزير.\r\n",
			[]Piece{
				wantPiece("نشر", "\r\n", 0),
				wantPiece("الأمصار", "\r\n\r\n", 0),
				wantPiece("في خضم أزمة.", " ", 1),
				wantPiece("أكد وزير.", "\r\n", 1),
			},
		},
		{
			"lone CR, U+2028 and U+2029",
			"سطر\rسطر\u2028سطر\u2029فقرة",
			[]Piece{wantPiece("سطر", "\r", 0), wantPiece("سطر", "\u2028", 0), wantPiece("سطر", "\u2029", 0), wantPiece("فقرة", "", 1)},
		},
		{
			"blank line holding spaces starts a paragraph; several blank lines count once",
			"روسيا\n \t\nأوكرانيا\n\n\n\nالناتو",
			[]Piece{wantPiece("روسيا", "\n \t\n", 0), wantPiece("أوكرانيا", "\n\n\n\n", 1), wantPiece("الناتو", "", 2)},
		},
		{
			"white space around sentences goes to Sep",
			"عنوان  \t\nنص أول.   نص ثان.  \n\n  ",
			[]Piece{wantPiece("عنوان", "  \t\n", 0), wantPiece("نص أول.", "   ", 0), wantPiece("نص ثان.", "  \n\n  ", 0)},
		},
		{
			"leading white space stays in the first Source",
			"\n\n  لا نريد قطع العلاقات.\nروسيا",
			[]Piece{wantPiece("\n\n  لا نريد قطع العلاقات.", "\n", 0), wantPiece("روسيا", "", 0)},
		},
		{
			"bidi marks after the terminator stay with the sentence",
			"انتهى.\u200f وقال.\u200e\u200f\nتم",
			[]Piece{wantPiece("انتهى.\u200f", " ", 0), wantPiece("وقال.\u200e\u200f", "\n", 0), wantPiece("تم", "", 0)},
		},
		{
			"sentence of punctuation only",
			"روسيا\n...\nأوكرانيا",
			[]Piece{wantPiece("روسيا", "\n", 0), wantPiece("...", "\n", 0), wantPiece("أوكرانيا", "", 0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got %s\nwant %s", tt.in, dumpPieces(got), dumpPieces(tt.want))
			}
			if j := Join(got); j != tt.in && !onlyWhiteSpace(tt.in) {
				t.Errorf("Join(Split(%q)) = %q", tt.in, j)
			}
			checkPieces(t, tt.in, got)
		})
	}
}

func dumpPieces(ps []Piece) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n  {%q, %q, %d}", p.Source, p.Sep, p.Paragraph)
	}
	return b.String()
}

// TestSplitSeeds runs the five seed articles; the counts were checked by reading the files:
// every non-blank line is at least one piece, blank lines separate paragraphs.
func TestSplitSeeds(t *testing.T) {
	tests := []struct {
		file       string
		pieces     int
		paragraphs int
		first      string
		last       string
	}{
		// 17 non-blank lines, one blank line between each; lines 17, 23, 27 and 33 hold two
		// sentences ("هو قال. ." is one stray-punctuated sentence).
		{"000_238889dacad64ad0.txt", 21, 17,
			"لا نريد قطع العلاقات مع واشنطن ومستعدون للحوار – الحقيقة نت", "منذ أسبوع!"},
		// 22 non-blank lines in 18 paragraphs (the masthead is three lines, "نشر / الأمصار"
		// and the photo caption two); line 27 holds two sentences.
		{"001_a2baa5076355bc84.txt", 23, 18,
			"مجلس التحرير: مجموعة صحفيين عرب",
			"لكن روسيا اعتبرت أن الردود، التي لم يُكشف عنها علنا حتى اللحظة، لم تتعامل مع مخاوفها الأساسية غير أنها لم تستبعد مواصلة المحادثات."},
		// 19 paragraphs of one line; line 29 holds three sentences; the "مجدداً.." headline is one.
		{"002_ba857a0fd92058b0.txt", 21, 19,
			"مجدداً.. مكالمة بين بلينكن ولافروف حول أزمة أوكرانيا – الحقيقة نت",
			"ومن بين الموضوعات التي تتفق عليها المقترحات الغربية مع المقترحات الروسية ، موضوع السيطرة على الأسلحة القصيرة والمتوسطة المدى."},
		// 10 paragraphs of one line; line 9 holds three sentences (one "..") and line 11 two.
		{"003_f9f95256cfe3b13d.txt", 13, 10,
			"الرئيسية / عربي ودولي / موسكو: لا حاجة لجولة محادثات جديدة مع الدول الغربية",
			"ويعتبر الملف الأوكراني، بمثابة “الشوكة” في خاصرة الروس، الذين يشككون دوما في نوايا كييف، فيما تتخوف الأخيرة باستمرار من تكرارا تجربة ضم جزيرة القرم (عام 2014) واجتياح أراضيها، مكررة في الوقت عينه أن لها الحرية المطلقة بالانضمام للناتو، ما يشكل حساسية كبرى للكرملين."},
		// 16 lines without a blank line: one paragraph, one sentence a line.
		{"004_df9f9f41cc2d118e.txt", 16, 1,
			"موسكو: لا تفاوض حول الضمانات الأمنية قبل الاعتراف بالواقع الذي حددناه",
			"وقالت الوزارة في تصريحات لوكالة \"سبوتنيك\" إنّ \"واشنطن تحتفظ بقنوات اتصال متعددة لمناقشة القضايا الأمنية الحرجة مع موسكو في حالات الطوارئ لمنع الحسابات الخاطئة والحوادث العسكرية والتصعيد\"."},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "seeds", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			got := Split(text)
			if Join(got) != text {
				t.Fatal("Join(Split(seed)) differs from the seed")
			}
			checkPieces(t, text, got)
			if len(got) != tt.pieces {
				t.Errorf("got %d pieces, want %d:%s", len(got), tt.pieces, dumpPieces(got))
			}
			if n := got[len(got)-1].Paragraph + 1; n != tt.paragraphs {
				t.Errorf("got %d paragraphs, want %d", n, tt.paragraphs)
			}
			if got[0].Source != tt.first {
				t.Errorf("first piece %q, want %q", got[0].Source, tt.first)
			}
			if last := got[len(got)-1]; last.Source != tt.last || last.Sep != "" {
				t.Errorf("last piece %q + %q, want %q", last.Source, last.Sep, tt.last)
			}
		})
	}
}

// TestSplitSeedSentences pins a few whole paragraphs of the seeds.
func TestSplitSeedSentences(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "seeds", "002_ba857a0fd92058b0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := Split(string(b))
	want := []Piece{
		wantPiece("من ناحية أخرى شدد بوتين على أنه لا يريد حربا تسببها أوكرانيا قائلا: “هل نريد حربا أم لا؟", " ", 14),
		wantPiece("بالتأكيد لا.", " ", 14),
		wantPiece("لهذا قدمنا مقترحاتنا لعملية تفاوضية”.", "\n\n", 14),
	}
	if len(got) < 17 || !reflect.DeepEqual(got[14:17], want) {
		t.Errorf("002 line 29:%s\nwant%s", dumpPieces(got[min(14, len(got)):min(17, len(got))]), dumpPieces(want))
	}

	b, err = os.ReadFile(filepath.Join("..", "seeds", "000_238889dacad64ad0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got = Split(string(b))
	want = []Piece{
		wantPiece("وكان ألكسندر جروشكو (نائب آخر لوزير الخارجية) ، قد أكد في وقت سابق أن روسيا لا تنوي قطع العلاقات مع واشنطن ، رغم تدهور العلاقات بين الطرفين إلى أدنى المستويات.", " ", 8),
		wantPiece("وأكد أن بلاده مستعدة لمواصلة الحوار مع الغرب بشأن الاستقرار الاستراتيجي.", "\n\n", 8),
		wantPiece("إضافة إلى ذلك ، ألقى باللوم في التصعيد على الغرب ، قائلاً إن بلاده سبق أن حذرت من أن مسألة انضمام أوكرانيا إلى الناتو هي بمثابة قنبلة موقوتة ستنفجر “عاجلاً أم آجلاً”.", "\n\n", 9),
		wantPiece("من كييف (أ ف ب)", "\n\n", 10),
	}
	if len(got) < 12 || !reflect.DeepEqual(got[8:12], want) {
		t.Errorf("000 lines 17-21:%s\nwant%s", dumpPieces(got[min(8, len(got)):min(12, len(got))]), dumpPieces(want))
	}
}

func TestJoin(t *testing.T) {
	if got := Join(nil); got != "" {
		t.Errorf("Join(nil) = %q", got)
	}
	ps := []Piece{wantPiece("روسيا:", " ", 0), wantPiece("دونيتسك ولوغانسك طلبا مساعدتنا", "\r\n\r\n", 0), wantPiece("تم.", "", 1)}
	if got, want := Join(ps), "روسيا: دونيتسك ولوغانسك طلبا مساعدتنا\r\n\r\nتم."; got != want {
		t.Errorf("Join = %q, want %q", got, want)
	}
}

// checkPieces asserts the invariants every Split result keeps.
func checkPieces(t *testing.T, text string, ps []Piece) {
	t.Helper()
	if onlyWhiteSpace(text) && ps != nil {
		t.Errorf("white-space text gave %d pieces, want nil", len(ps))
	}
	prevPara := 0
	for i, p := range ps {
		if p.Source == "" {
			t.Fatalf("piece %d: empty Source", i)
		}
		if r, _ := utf8.DecodeLastRuneInString(p.Source); unicode.IsSpace(r) {
			t.Errorf("piece %d: Source %q ends with white space", i, p.Source)
		}
		if r, _ := utf8.DecodeRuneInString(p.Source); i > 0 && unicode.IsSpace(r) {
			t.Errorf("piece %d: Source %q starts with white space", i, p.Source)
		}
		for _, r := range p.Sep {
			if !unicode.IsSpace(r) {
				t.Errorf("piece %d: Sep %q holds a non-space %U", i, p.Sep, r)
				break
			}
		}
		if i == 0 && p.Paragraph != 0 {
			t.Errorf("first piece in paragraph %d", p.Paragraph)
		}
		if p.Paragraph != prevPara && p.Paragraph != prevPara+1 {
			t.Errorf("piece %d: paragraph %d after %d", i, p.Paragraph, prevPara)
		}
		if i > 0 {
			wantNew := countLineBreaks(ps[i-1].Sep) >= 2
			if (p.Paragraph == prevPara+1) != wantNew {
				t.Errorf("piece %d: paragraph %d after %d, but Sep before is %q", i, p.Paragraph, prevPara, ps[i-1].Sep)
			}
		}
		if i < len(ps)-1 && p.Sep == "" {
			// only a terminator glued to an Arabic letter splits without white space
			r, _ := utf8.DecodeRuneInString(ps[i+1].Source)
			if !arabic.IsScriptLetter(r) {
				t.Errorf("piece %d: empty Sep before %q", i, ps[i+1].Source)
			}
		}
		prevPara = p.Paragraph
	}
}

// onlyWhiteSpace reports whether s is empty or only white space (the texts Split turns into nil).
// Invalid UTF-8 is not white space.
func onlyWhiteSpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func countLineBreaks(sep string) int {
	n := 0
	sep = strings.ReplaceAll(sep, "\r\n", "\n")
	for _, r := range sep {
		switch r {
		case '\n', '\r', '\u0085', '\u2028':
			n++
		case '\u2029':
			n += 2
		}
	}
	return n
}

func FuzzSplitRoundTrip(f *testing.F) {
	for _, s := range []string{
		"", " ", "\n", "\r\n\r\n", "a", ".", "..", "?!", "a. b", "a.b", "U.S. b", "3.5", "٣٫٥",
		"(أ ف ب).", "(a. b) c. d", "«قال.» نعم", "x\r\ny\r\n\r\nz", "  \n lead. x", "1. a\n2. b",
		"قال. . وأضاف", "مجدداً.. مكالمة", "a.\u200f b", "\xff. \xfe\n\xc3", "\r\r\n\n\u2029",
		"﴾a. b﴿ c. d", "((a.) b. c", "x.\u0085y",
	} {
		f.Add(s)
	}
	if files, _ := filepath.Glob(filepath.Join("..", "seeds", "*.txt")); len(files) > 0 {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps := Split(s)
		// Text of only white space gives nil, so it is the one text that does not come back.
		if got := Join(ps); got != s && !onlyWhiteSpace(s) {
			t.Fatalf("Join(Split(%q)) = %q", s, got)
		}
		checkPieces(t, s, ps)
		// Splitting a sentence again gives the sentence back.
		for i, p := range ps {
			again := Split(p.Source)
			if len(again) != 1 || again[0].Source != p.Source {
				t.Fatalf("piece %d %q splits again into%s", i, p.Source, dumpPieces(again))
			}
		}
	})
}
