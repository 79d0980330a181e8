package translate

import "strconv"

// Plural writes a count with its noun, singular for one and with an "s" otherwise
// ("1 segment", "3 segments", "0 segments"); every message that counts uses it, so none says
// "1 segments". noun must form its plural with "s".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
