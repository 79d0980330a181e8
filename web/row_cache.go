package web

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"reflect"
	"sync"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
)

// rowCache keeps the article page's rendered rows, so a page shown again builds and renders
// only the rows that changed: a row costs the glossary match of its Arabic, the quality
// checks of its English, and html/template's reflective calls (BenchmarkArticlePage200),
// and a long article is shown again after every save, by every reviewer.
//
// A row of the page is a function of its rowInput and of two things every row shares: the
// glossary matcher (the marks in the Arabic, the checks' terms) and the quality checker. The
// cache holds the rows of one such pair, its generation: when the glossary, the checks'
// settings or what they learned changes, both are new objects and the cache starts again.
// Within a generation a row is found by a digest of its rowInput, read field by field by
// reflection (viewDigest), so a field added to it counts at once. Two generations of size
// bound the memory: when the newer one is full it becomes the older one, and rows found in
// the older one move back into the newer.
type rowCache struct {
	mu       sync.Mutex
	gen      rowGen
	cur, old map[rowKey]rowEntry
	size     int // bytes of rows in cur
	limit    int // bytes a generation holds at most
	seeds    [2]maphash.Seed
}

// rowInput is everything a row of the article page is made of beside its rowGen: the
// segment as stored, whether it starts a paragraph, and the findings reviewers ignored on it.
// Whatever else a row comes to show must come in here, or the cache would keep showing the
// row without it (TestRowCache_PageFollowsEveryChange).
type rowInput struct {
	Segment      translate.Segment
	NewParagraph bool
	Ignored      []string // keys of the ignored findings, sorted
}

// rowGen is what every row of a page is made with: the cache's generation.
type rowGen struct {
	matcher *glossary.Matcher
	checker *qa.Checker
}

// rowEntry is a rendered row and its open findings per check, for the page's summary.
type rowEntry struct {
	html   string
	checks []checkSummary
}

// rowKey names a rendered row: the segment's id and the digest of its rowInput.
type rowKey struct {
	id     int64
	digest [2]uint64
}

func newRowCache(limit int) *rowCache {
	return &rowCache{cur: map[rowKey]rowEntry{}, limit: limit, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// use makes gen the cache's generation, dropping the rows of another one.
func (c *rowCache) use(gen rowGen) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		c.gen, c.cur, c.old, c.size = gen, map[rowKey]rowEntry{}, nil, 0
	}
}

// key is the key of the row of in, or false when in cannot be digested; buf is reused.
func (c *rowCache) key(in *rowInput, buf []byte) (rowKey, []byte, bool) {
	buf, ok := viewDigest(buf[:0], reflect.ValueOf(in).Elem())
	if !ok {
		return rowKey{}, buf, false
	}
	return rowKey{id: in.Segment.ID, digest: [2]uint64{maphash.Bytes(c.seeds[0], buf), maphash.Bytes(c.seeds[1], buf)}}, buf, true
}

// get is the row of k made in generation gen, if the cache has it.
func (c *rowCache) get(gen rowGen, k rowKey) (rowEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return rowEntry{}, false
	}
	if e, ok := c.cur[k]; ok {
		return e, true
	}
	e, ok := c.old[k]
	if ok {
		c.putLocked(k, e)
	}
	return e, ok
}

// put keeps the row of k made in generation gen, unless the cache has moved on to another.
func (c *rowCache) put(gen rowGen, k rowKey, e rowEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.putLocked(k, e)
	}
}

func (c *rowCache) putLocked(k rowKey, e rowEntry) {
	if _, ok := c.cur[k]; ok {
		return
	}
	if c.size+len(e.html) > c.limit {
		c.old, c.cur, c.size = c.cur, map[rowKey]rowEntry{}, 0
	}
	c.cur[k] = e
	c.size += len(e.html)
}

var timeType = reflect.TypeFor[time.Time]()

// viewDigest appends to buf an encoding of v that two values share only when they are equal
// field by field (a pointer by what it points to, a time by its instant and zone): each
// string with its length, each slice with its length, each interface with its type. It
// reports false for what it cannot read that way (maps, funcs, channels).
func viewDigest(buf []byte, v reflect.Value) ([]byte, bool) {
	switch v.Kind() {
	case reflect.String:
		buf = binary.AppendUvarint(buf, uint64(v.Len()))
		return append(buf, v.String()...), true
	case reflect.Bool:
		if v.Bool() {
			return append(buf, 1), true
		}
		return append(buf, 0), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(buf, v.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(buf, v.Uint()), true
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(v.Float())), true
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(buf, 0xff), true // told apart from empty: a miss at worst
		}
		buf = binary.AppendUvarint(buf, uint64(v.Len()))
		for i := range v.Len() {
			var ok bool
			if buf, ok = viewDigest(buf, v.Index(i)); !ok {
				return buf, false
			}
		}
		return buf, true
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(buf, 0), true
		}
		buf = append(buf, 1)
		if v.Kind() == reflect.Interface {
			buf = append(buf, v.Elem().Type().String()...)
		}
		return viewDigest(buf, v.Elem())
	case reflect.Struct:
		if v.Type() == timeType && v.CanInterface() {
			t := v.Interface().(time.Time)
			buf = binary.AppendVarint(buf, t.UnixNano())
			return append(buf, t.Location().String()...), true
		}
		for i := range v.NumField() {
			var ok bool
			if buf, ok = viewDigest(buf, v.Field(i)); !ok {
				return buf, false
			}
		}
		return buf, true
	}
	return buf, false
}
