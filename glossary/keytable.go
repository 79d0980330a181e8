package glossary

import "slices"

// keyTable maps (key, parent node) to an int32, where a key is a run of normalized runes: the
// matcher's trie edges and name-variant edges. It is an open-addressing hash table whose keys
// live in one shared rune arena, so building it allocates no string per key and looking a
// word of the text up needs neither a string nor its UTF-8 bytes, only the runes the
// normalizer has already produced. A bit set in front of it (two bits of one word per key, at
// least eight bits per key, small enough to stay in cache) answers most lookups of words that
// are not there, which are most words of a text, without touching the table.
type keyTable struct {
	slots []kslot
	bits  []uint64
	n     int
}

type kslot struct {
	hash   uint32 // the high half of the key's hash, with the low bit set; 0: empty
	parent int32
	off    uint32 // arena[off] is the key's length, its runes follow
	val    int32
}

// hashKey mixes the parent node and the runes of key (FNV-1a over runes, then a finalizer so
// that all bits of the result are well spread: the low bits pick the slot and the bit, the
// high bits are kept to skip most key comparisons).
func hashKey(key []rune, parent int32) uint64 {
	h := uint64(0xcbf29ce484222325) ^ uint64(uint32(parent))*0x9E3779B97F4A7C15
	for _, r := range key {
		h = (h ^ uint64(r)) * 0x100000001b3
	}
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return h
}

// init empties the table and sizes it for capacity keys.
func (t *keyTable) init(capacity int) {
	size := 16
	for size < 2*capacity {
		size <<= 1
	}
	t.slots = make([]kslot, size)
	t.bits = make([]uint64, size/16) // 4 bits per slot, 8 per key at the fullest
	t.n = 0
}

// find returns the slot of (key, parent), or the empty slot where it belongs.
func (t *keyTable) find(arena, key []rune, parent int32, h uint64) *kslot {
	mask := uint64(len(t.slots) - 1)
	tag := uint32(h>>32) | 1
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.hash == 0 {
			return sl
		}
		if sl.hash == tag && sl.parent == parent && int(arena[sl.off]) == len(key) &&
			slices.Equal(arena[sl.off+1:int(sl.off)+1+len(key)], key) {
			return sl
		}
	}
}

// bit returns where the bit set stands for hash h: two bits of one word, so that a lookup
// reads one cache line and only one key in twenty or so that is not there passes.
func (t *keyTable) bit(h uint64) (word int, mask uint64) {
	return int((h >> 40) & uint64(len(t.bits)-1)), 1<<((h>>34)&63) | 1<<((h>>28)&63)
}

// get returns the value stored for (key, parent).
func (t *keyTable) get(arena, key []rune, parent int32) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	h := hashKey(key, parent)
	if w, b := t.bit(h); t.bits[w]&b != b {
		return 0, false
	}
	sl := t.find(arena, key, parent, h)
	return sl.val, sl.hash != 0
}

// add returns the value of (key, parent) if it is there (found), else stores val for it,
// copying the key into the arena. It returns the arena, which may have grown.
func (t *keyTable) add(arena, key []rune, parent, val int32) (_ []rune, got int32, found bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow(arena)
	}
	h := hashKey(key, parent)
	sl := t.find(arena, key, parent, h)
	if sl.hash != 0 {
		return arena, sl.val, true
	}
	*sl = kslot{hash: uint32(h>>32) | 1, parent: parent, off: uint32(len(arena)), val: val}
	arena = append(arena, rune(len(key)))
	arena = append(arena, key...)
	t.n++
	w, b := t.bit(h)
	t.bits[w] |= b
	return arena, val, false
}

// set stores val for (key, parent), which must be in the table.
func (t *keyTable) set(arena, key []rune, parent, val int32) {
	t.find(arena, key, parent, hashKey(key, parent)).val = val
}

func (t *keyTable) grow(arena []rune) {
	old := t.slots
	t.init(max(2*t.n, 8))
	for _, sl := range old {
		if sl.hash == 0 {
			continue
		}
		key := arena[sl.off+1 : sl.off+1+uint32(arena[sl.off])]
		h := hashKey(key, sl.parent)
		*t.find(arena, key, sl.parent, h) = sl
		t.n++
		w, b := t.bit(h)
		t.bits[w] |= b
	}
}
