package qa

import (
	"slices"
	"unicode"
)

// naiveNumbersDiffer is the baseline the issue describes: the number check of tools built for
// European text, which compares the runs of ASCII digits of the two texts as strings.
func naiveNumbersDiffer(source, target string) bool {
	a, b := digitRuns(source), digitRuns(target)
	slices.Sort(a)
	slices.Sort(b)
	return !slices.Equal(a, b)
}

func digitRuns(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		digit := r < unicode.MaxASCII && unicode.IsDigit(r)
		switch {
		case digit && start < 0:
			start = i
		case !digit && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}
