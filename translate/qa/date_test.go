package qa

import "testing"

func TestDate(t *testing.T) {
	runCases(t, Date, []checkCase{
		// Gregorian months in the three traditions, and the doubled form.
		{"levantine", "ونشرت الصحيفة التقرير في 9 آذار.", "The newspaper published the report on March 9.", nil},
		{"levantine two words", "يلتقي الرئيسان في 3 كانون الثاني المقبل.", "The two presidents meet on Jan. 3.", nil},
		{"levantine without the article", "صرح ريابكوف في 29 تشرين ثاني.", "Ryabkov said on Nov. 29.", nil},
		{"doubled form", "وفي الـ28 تشرين الثاني/نوفمبر، أفادت الوزارة.", "On Nov. 28, the ministry said.", nil},
		{"egyptian", "تنطلق الدراسة في 8 أكتوبر المقبل.", "Classes begin on October 8.", nil},
		{"egyptian march with company", "وقع الحادث في مارس الماضي.", "The accident happened last March.", nil},
		{"algerian", "جرت الانتخابات في 12 جوان وأعلنت النتائج في جويلية.", "The election was held on June 12 and the results announced in July.", nil},
		{"tunisian", "تعود الأزمة إلى شهر أوت الماضي، قبل أفريل وماي.", "The crisis goes back to last August, before April and May.", nil},
		{"maghrebi january february", "بين جانفي و فيفري", "between January and February", nil},
		{"moroccan", "تنظم الدورة في شتنبر وتختتم في دجنبر.", "The edition is held in September and closes in December.", nil},
		{"iraqi", "أقر البرلمان القانون في حزيران الماضي.", "Parliament passed the law last June.", nil},
		{"august with madda", "تعرض الحساب للاختراق في 14 آب 2023.", "The account was hacked on Aug. 14, 2023.", nil},
		{"abbreviation sept", "هجمات 11 أيلول/سبتمبر", "the Sept. 11 attacks", nil},
		// Hijri months and their English spellings.
		{"ramadan", "يبدأ شهر رمضان يوم الأحد.", "Ramadan begins on Sunday.", nil},
		{"dhu al-hijjah", "يصادف العيد العاشر من ذي الحجة.", "The feast falls on the 10th of Dhu al-Hijjah.", nil},
		{"dhul-hijjah", "تبدأ المناسك في الثامن من ذي الحجة.", "The rituals begin on the 8th of Dhul-Hijjah.", nil},
		{"zul hijjah", "تبدأ المناسك في الثامن من ذي الحجة.", "The rituals begin on 8 Zul Hijjah.", nil},
		{"rabi i", "ولد في 12 ربيع الأول.", "He was born on 12 Rabi' I.", nil},
		{"rabi al-awwal", "ولد في 12 ربيع الأول.", "He was born on 12 Rabi al-Awwal.", nil},
		{"jumada al-akhirah", "في منتصف جمادى الآخرة", "in mid-Jumada al-Akhirah", nil},
		{"jumada ii", "في منتصف جمادى الآخرة", "in mid-Jumada II", nil},
		{"muharram with a day", "أطلق سراح الرهائن في 7 محرم 1445 هـ.", "The hostages were freed on 7 Muharram 1445 AH.", nil},
		{"shaban apostrophe", "في منتصف شهر شعبان", "in mid-Sha'ban", nil},
		{"shawwal", "أول أيام العيد هو 1 شوال.", "The first day of the feast is 1 Shawwal.", nil},
		// Weekdays.
		{"thursday", "قال ريابكوف، اليوم الخميس، إن بلاده تواصل الحوار.", "Ryabkov said on Thursday that his country keeps talking.", nil},
		{"monday with yawm", "اجتمع الوزراء يوم الاثنين.", "The ministers met on Monday.", nil},
		{"weekday with a proclitic", "وصل الوفد والخميس غادر.", "The delegation arrived and left on Thursday.", nil},
		// Words that only look like dates: silent both ways.
		{"practised is not march", "أكد أنه مارس مهامه بشكل طبيعي.", "He said he carried out his duties normally.", nil},
		{"the two is not monday", "الاتفاق بين الاثنين لم يكتمل.", "The agreement between the two is not complete.", nil},
		{"rajab the first name", "التقى الوزير رجب طيب أردوغان.", "The minister met Recep Tayyip Erdogan.", nil},
		{"theresa may", "التقى الوزير تيريزا ماي في لندن.", "The minister met Theresa May in London.", nil},
		{"nissan the car maker", "أعلنت شركة نيسان عن سيارة جديدة.", "Nissan unveiled a new car.", nil},
		{"father is not august", "وهو أب لثلاثة أطفال.", "He is a father of three.", nil},
		{"eleven is not sunday", "قتل الأحد عشر راكبا.", "All eleven passengers were killed.", nil},
		{"may the verb", "قال: ليرحمنا الله.", "He said: May God have mercy on us.", nil},
		{"spring is not rabi", "في فصل الربيع", "in the spring", nil},
		{"zero is not safar", "نسبة النمو صفر تقريبا.", "Growth is close to zero.", nil},
		{"march as a name in english", "انطلقت المسيرة الكبرى.", "The Long March began.", nil},

		// Errors.
		{"wrong levantine month", "ونشرت الصحيفة التقرير في آذار.", "The newspaper published the report in April.",
			[]string{"the Arabic has آذار (March); the English has April"}},
		{"wrong weekday", "اجتمع الوزراء يوم الأربعاء في القاهرة.", "The ministers met in Cairo on Monday.",
			[]string{"the Arabic has الأربعاء (Wednesday); the English has Monday"}},
		{"wrong month in the doubled form", "وفي الـ28 تشرين الثاني/نوفمبر، أفادت الوزارة.", "On Dec. 28, the ministry said.",
			[]string{"the Arabic has تشرين الثاني (November); the English has Dec."}},
		{"wrong hijri month", "تبدأ الإجازة في الأول من شهر رمضان.", "The holiday begins on the first of Shawwal.",
			[]string{"the Arabic has رمضان (Ramadan); the English has Shawwal"}},
		{"wrong maghrebi month", "جرت الانتخابات يوم 12 جوان.", "The election was held on Jan. 12.",
			[]string{"the Arabic has جوان (June); the English has Jan."}},
		{"weekday dropped", "قال الوزير، الخميس، إن الحكومة ستعلن خطتها.", "The minister said the government would announce its plan.",
			[]string{"the Arabic has الخميس (Thursday), which the English lacks"}},
		{"weekday added", "قال الوزير إن الحكومة ستعلن خطتها.", "The minister said on Friday that the government would announce its plan.",
			[]string{"the English has Friday, which the Arabic lacks"}},
		{"ambiguous monday with commas", "وقال الوزير، الاثنين، إن الحكومة ستعلن خطتها.", "The minister said on Tuesday that the government would announce its plan.",
			[]string{"the Arabic has الاثنين (Monday); the English has Tuesday"}},
		{"ambiguous march with a day", "وقع الاتفاق في 3 مارس.", "The deal was signed on May 3.",
			[]string{"the Arabic has مارس (March); the English has May"}},
	})
}
