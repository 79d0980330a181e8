package store

// CorpusChrF is the corpus-level chrF of (machine text, approved text) pairs, summed as
// Quality sums its sample: the external tests' expected figure.
func CorpusChrF(pairs ...[2]string) float64 {
	var st chrfStats
	for _, p := range pairs {
		st.add(p[0], p[1])
	}
	return st.score()
}
