package translate

import "strconv"

// Plural writes a count with its noun, singular for one and with an "s" otherwise
// ("1 segment", "3 segments", "0 segments"); every message that counts uses it, so none says
// "1 segments". noun must form its plural with "s".
//
// It is the English wording of Tarjama's messages, and it lives here, beside the run report
// (Report.String) that counts with it, because this is the lowest package whose messages
// count things: the export summaries (translate/export) and the CLI's messages sit above it
// and share the one rule.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
