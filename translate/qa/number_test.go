package qa

import "testing"

func TestNumber(t *testing.T) {
	runCases(t, Number, []checkCase{
		// The false alarms of digit-string checks (issue 11, "Why"): all silent.
		{"arabic-indic digits", "قتل ١٧ شخصا في الهجوم.", "17 people were killed in the attack.", nil},
		{"extended arabic-indic digits", "قتل ۱۷ شخصا في الهجوم.", "17 people were killed in the attack.", nil},
		{"scale word thousand", "اتهمت موسكو بحشد 40 ألف جندي.", "Moscow was accused of massing 40,000 troops.", nil},
		{"arabic decimal separator", "نما الاقتصاد بنسبة ٢٫٧ في المئة.", "The economy grew 2.7 percent.", nil},
		{"arabic percent sign", "ارتفعت الأسعار ٣٠٪ خلال عام.", "Prices rose 30% in a year.", nil},
		{"wire style spells out one to nine", "أطلقت القوات 5 صواريخ على المدينة.", "Forces fired five missiles at the city.", nil},
		{"group of seven", "وتعقد قمة مجموعة السبع في ألمانيا.", "The G7 summit is held in Germany.", nil},
		// More ways to write the same value.
		{"arabic thousands separator", "سجلت ٣٬٤٥٠ إصابة جديدة.", "3,450 new infections were recorded.", nil},
		{"decimal comma", "يعاني 2,5 مليون طفل من سوء التغذية.", "2.5 million children suffer from malnutrition.", nil},
		{"scale in words and digits", "بلغ التبادل التجاري ٢٫٧ مليار دولار.", "Trade reached $2,700,000,000.", nil},
		{"bn suffix", "خصص البنك 2 مليار دولار.", "The bank allocated $2bn.", nil},
		{"m for million", "خصص البنك 5 ملايين دولار.", "The bank allocated $5m.", nil},
		{"m for metres", "قطع العداء 100 متر.", "The runner covered 100m.", nil},
		{"dot before three digits read both ways", "يعمل في الشركة 1.200 موظف.", "The company employs 1,200 people.", nil},
		{"compound with و", "بلغ عدد الزوار مليونا و300 ألف زائر.", "Visitors numbered 1.3 million.", nil},
		{"thousands and a rest", "نزح نحو 3 آلاف و500 شخص.", "About 3,500 people were displaced.", nil},
		{"a range is two numbers", "تتراوح العقوبة بين 3 و5 سنوات.", "The sentence ranges from three to five years.", nil},
		{"half a million", "فر نصف مليون شخص.", "Half a million people fled.", nil},
		{"half a million in digits", "فر نصف مليون شخص.", "500,000 people fled.", nil},
		{"dual thousand", "نشر الجيش ألفي جندي.", "The army deployed 2,000 soldiers.", nil},
		{"tens and units in words", "قتل خمسة وعشرون شخصا.", "25 people were killed.", nil},
		{"ordinal teen", "افتتحت الدورة الحادية عشرة للمعرض.", "The 11th edition of the fair opened.", nil},
		{"ordinal as a digit", "يقع المقر في الطابق الثالث.", "The headquarters is on the 3rd floor.", nil},
		{"ordinal century", "أهم معاهدة في القرن الحادي والعشرين.", "The most important treaty of the 21st century.", nil},
		{"hyphenated english number", "قتل 21 شخصا.", "Twenty-one people were killed.", nil},
		{"a million", "بلغت الصفقة مليون دولار.", "The deal was worth a million dollars.", nil},
		{"g20", "انعقدت قمة العشرين في روما.", "The G20 summit was held in Rome.", nil},
		{"codes compared by value", "سجلت إصابات بفيروس H5N1 تطبيقا للقرار 2231.", "H5N1 cases were recorded under Resolution 2231.", nil},
		{"decade", "شهدت البلاد حربا في التسعينيات.", "The country saw a war in the 1990s.", nil},
		{"percent in words is no hundred", "تراجعت البطالة إلى 7 في المئة.", "Unemployment fell to 7 percent.", nil},
		{"years and days", "وقع الاتفاق في 29 نوفمبر 2021.", "The deal was signed on Nov. 29, 2021.", nil},
		{"harakat around digits", "قُتِلَ ١٧ شَخْصًا.", "17 people were killed.", nil},

		// Errors.
		{"swapped digits", "قتل ١٧ شخصا في الهجوم.", "71 people were killed in the attack.",
			[]string{"the Arabic has 17 (١٧); the English has 71"}},
		{"scale slip", "بلغ التبادل التجاري 2.7 مليار دولار.", "Trade reached $2.7 million.",
			[]string{"the Arabic has 2.7 billion (2.7 مليار); the English has 2.7 million"}},
		{"thousand slip", "اتهمت موسكو بحشد 40 ألف جندي.", "Moscow was accused of massing 4,000 troops.",
			[]string{"the Arabic has 40,000 (40 ألف); the English has 4,000"}},
		{"spelled-out wrong", "أطلقت القوات ٦ صواريخ.", "Forces fired five missiles.",
			[]string{"the Arabic has 6 (٦); the English has five"}},
		{"arabic number word wrong", "قتل ثلاثة مدنيين في القصف.", "Four civilians were killed in the shelling.",
			[]string{"the Arabic has 3 (ثلاثة); the English has Four"}},
		{"number dropped", "اعتقلت الشرطة 14 شخصا.", "Police arrested several people.",
			[]string{"the Arabic has 14, which the English lacks"}},
		{"number added", "قال الوزير إن الخطة ستنفذ العام المقبل.", "The minister said the plan would be carried out in 2025.",
			[]string{"the English has 2025, which the Arabic lacks"}},
		{"one of two numbers wrong", "قتل 12 وأصيب 30.", "12 were killed and 13 wounded.",
			[]string{"the Arabic has 30; the English has 13"}},
		{"code number wrong", "سجلت إصابات بفيروس H5N1.", "H1N1 cases were recorded.",
			[]string{"the Arabic has 5; the English has 1"}},
	})
}

func TestNumberSpans(t *testing.T) {
	// Spans count code points of the strings as given, harakat and all.
	fs := only(t, Number, "قُتِلَ ١٧ شخصا", "🙂 71 killed", nil)
	if len(fs) != 1 {
		t.Fatalf("got %v", fs)
	}
	if fs[0].Source != [2]int{7, 9} || fs[0].Target != [2]int{2, 4} {
		t.Errorf("spans %v %v, want [7 9] [2 4]", fs[0].Source, fs[0].Target)
	}
	// A number only in the source has no place in the target, and the other way round.
	fs = only(t, Number, "اعتقل 14 شخصا", "Several were arrested; 3 fled", nil)
	if len(fs) != 1 || fs[0].Source != [2]int{6, 8} || fs[0].Target != [2]int{23, 24} {
		t.Errorf("got %+v", fs)
	}
}

func TestNumberInsideTerm(t *testing.T) {
	// «ستارت 3» is the agreed "New START": the 3 belongs to the term, not to the sentence.
	src := "أرجأت روسيا المشاورات بشأن معاهدة ستارت 3."
	terms := []Term{{Arabic: "ستارت 3", English: "New START", Source: [2]int{34, 41}}}
	if fs := only(t, Number, src, "Russia postponed talks on the New START treaty.", terms); len(fs) != 0 {
		t.Errorf("got %v", fs)
	}
	if fs := only(t, Number, src, "Russia postponed talks on the New START treaty.", nil); len(fs) != 1 {
		t.Errorf("without the term the 3 is missing; got %v", fs)
	}
}

func TestParseDigits(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
		end  int // runes read
	}{
		{"1997", []float64{1997}, 4},
		{"40,000", []float64{40000}, 6},
		{"12,345,678", []float64{12345678}, 10},
		{"2,7", []float64{2.7}, 3},
		{"12,5 في", []float64{12.5}, 4},
		{"2.7", []float64{2.7}, 3},
		{"1.000", []float64{1, 1000}, 5},
		{"1.000.000", []float64{1e6}, 9},
		{"3,000.5", []float64{3000.5}, 7},
		{"3.000,5", []float64{3000.5}, 7},
		{"3٬000٫5", []float64{3000.5}, 7},
		{"3٬000", []float64{3000}, 5},
		{"2٫7", []float64{2.7}, 3},
		{"1,2,3", []float64{1}, 1},
		{"1.2.3", []float64{1}, 1},
		{"2014.", []float64{2014}, 4},
		{"10,30 و", []float64{10.3}, 5},
	} {
		rs := []rune(tc.in)
		end, n := parseDigits(rs, 0)
		if end != tc.end || n.n != len(tc.want) {
			t.Errorf("%q: end %d readings %v, want end %d readings %v", tc.in, end, n.vals[:n.n], tc.end, tc.want)
			continue
		}
		for i, v := range tc.want {
			if n.vals[i] != v {
				t.Errorf("%q: reading %d is %v, want %v", tc.in, i, n.vals[i], v)
			}
		}
	}
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{
		17: "17", 2014: "2014", 40000: "40,000", 2.7e9: "2.7 billion", 1.3e6: "1.3 million",
		12.5: "12.5", 1234567: "1,234,567", 4e12: "4 trillion",
	} {
		if got := formatValue(v); got != want {
			t.Errorf("formatValue(%v) = %q, want %q", v, got, want)
		}
	}
}
