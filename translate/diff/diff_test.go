package diff

import (
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	eq := func(s string) Op { return Op{Equal, s} }
	del := func(s string) Op { return Op{Delete, s} }
	ins := func(s string) Op { return Op{Insert, s} }
	tests := []struct {
		name string
		a, b string
		want []Op
	}{
		{"both empty", "", "", []Op{}},
		{"same", "Moscow is ready.", "Moscow is ready.", []Op{eq("Moscow is ready.")}},
		{"from nothing", "", "Moscow is ready.", []Op{ins("Moscow is ready.")}},
		{"to nothing", "Moscow is ready.", "", []Op{del("Moscow is ready.")}},
		{"one word replaced", "the cat sat", "the dog sat", []Op{eq("the "), del("cat"), ins("dog"), eq(" sat")}},
		{"word dropped", "the big cat sat", "the cat sat", []Op{eq("the "), del("big "), eq("cat sat")}},
		{"word added at the end", "Moscow is ready", "Moscow is ready now", []Op{eq("Moscow is ready"), ins(" now")}},
		{"punctuation only", "Moscow is ready.", "Moscow is ready!", []Op{eq("Moscow is ready"), del("."), ins("!")}},
		{"two words for one", "said Ryabkov", "said Sergei Ryabkov", []Op{eq("said "), ins("Sergei "), eq("Ryabkov")}},
		{"changed spacing", "a  b", "a b", []Op{eq("a"), del("  "), ins(" "), eq("b")}},
		{"leading space", " a", "a", []Op{del(" "), eq("a")}},
		{"replacement groups dels before ins", "security assurances were given", "security guarantees are given",
			[]Op{eq("security "), del("assurances were"), ins("guarantees are"), eq(" given")}},
		{"case matters", "Moscow", "moscow", []Op{del("Moscow"), ins("moscow")}},
		{"markup is text", "<b>x</b>", "<i>x</i>", []Op{eq("<"), del("b"), ins("i"), eq(">x</"), del("b"), ins("i"), eq(">")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Words(tt.a, tt.b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Words(%q, %q) =\n  %q\nwant\n  %q", tt.a, tt.b, got, tt.want)
			}
			checkDiffJoins(t, tt.a, tt.b, got)
		})
	}
}

// TestWords_Joins checks on awkward inputs that the diff always gives both texts back.
func TestWords_Joins(t *testing.T) {
	texts := []string{
		"", " ", "\n\t", "word", "Russia: Donetsk and Luhansk asked for our help",
		"Russia:  Donetsk\nand Luhansk requested our help!", "قال ريابكوف إن موسكو مستعدة",
		"a a a b a", "b a a a", "x\xffy z", "...!?", "  lead and trail  ",
	}
	for _, a := range texts {
		for _, b := range texts {
			checkDiffJoins(t, a, b, Words(a, b))
		}
	}
}

func TestWords_LongInputFallsBack(t *testing.T) {
	a := strings.Repeat("alpha ", 3000) + "end"
	b := strings.Repeat("beta ", 3000) + "end"
	got := Words(a, b)
	checkDiffJoins(t, a, b, got)
	if len(got) != 3 || got[0].Kind != Delete || got[1].Kind != Insert || got[2] != (Op{Equal, " end"}) {
		t.Errorf("long diff has %d ops, starting %q", len(got), got[0].Kind)
	}
}

func checkDiffJoins(t *testing.T, a, b string, ops []Op) {
	t.Helper()
	var ga, gb strings.Builder
	for i, op := range ops {
		if op.Text == "" {
			t.Errorf("diff(%q, %q): op %d is empty", a, b, i)
		}
		if i > 0 && ops[i-1].Kind == op.Kind {
			t.Errorf("diff(%q, %q): ops %d and %d are both %s", a, b, i-1, i, op.Kind)
		}
		switch op.Kind {
		case Equal:
			ga.WriteString(op.Text)
			gb.WriteString(op.Text)
		case Delete:
			ga.WriteString(op.Text)
		case Insert:
			gb.WriteString(op.Text)
		default:
			t.Errorf("diff(%q, %q): op %d has kind %q", a, b, i, op.Kind)
		}
	}
	if ga.String() != a || gb.String() != b {
		t.Errorf("diff(%q, %q) joins back to %q and %q", a, b, ga.String(), gb.String())
	}
}

func TestReadable(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       string // the ops rendered as [-del-]{+ins+}
	}{
		{"word for word", "reported on the talks", "reported about the talks", "reported [-on-] {+about+} the talks"},
		{"two words for one", "Ryabkov affirmed that Moscow", "Ryabkov stressed Moscow", "Ryabkov [-affirmed that-] {+stressed+} Moscow"},
		{"Arabic", "قال ريابكوف", "أكد ريابكوف", "[-قال-] {+أكد+} ريابكوف"},
		{"punctuation stays tight", "ready.", "ready!", "ready[-.-]{+!+}"},
		{"a word for a mark", "ready.", "ready now", "ready[-.-]{+ now+}"},
		{"insertion only", "said Ryabkov", "said Sergei Ryabkov", "said {+Sergei +}Ryabkov"},
		{"same", "Moscow", "Moscow", "Moscow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			for _, op := range Readable(Words(tt.a, tt.b)) {
				switch op.Kind {
				case Delete:
					b.WriteString("[-" + op.Text + "-]")
				case Insert:
					b.WriteString("{+" + op.Text + "+}")
				default:
					b.WriteString(op.Text)
				}
			}
			if got := b.String(); got != tt.want {
				t.Errorf("Readable(Words(%q, %q)) = %q, want %q", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
