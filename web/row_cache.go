package web

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"reflect"
	"sync"
	"time"
)

// rowCache keeps the article page's rendered rows by everything a row is made of, so a page
// shown again renders only the rows that changed: html/template spends some twenty
// reflective calls on each row (BenchmarkArticlePage200), and a long article is shown again
// after every save, by every reviewer.
//
// A row is the "segment" template executed on a segmentView, which depends on nothing else
// (the template set is fixed for the server's life), so the key is a digest of the whole view:
// every field, whatever it is called, also one added later, read by reflection (viewDigest).
// A view with a field it cannot read (a map, a func) is never cached. The digest is 128 bits
// from two independently seeded hashes, beside the view's id. Two generations bound the
// memory: when the newer one is full, it becomes the older one, and rows found in the older
// one move back into the newer.
type rowCache struct {
	mu       sync.Mutex
	cur, old map[rowKey]string
	size     int // bytes of rows in cur
	limit    int // bytes a generation holds at most
	seeds    [2]maphash.Seed
}

// rowKey names a rendered row: the segment's id and the digest of its view.
type rowKey struct {
	id     int64
	digest [2]uint64
}

func newRowCache(limit int) *rowCache {
	return &rowCache{cur: map[rowKey]string{}, limit: limit, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// key is the key of the row of v, or false when v cannot be digested; buf is reused.
func (c *rowCache) key(v *segmentView, buf []byte) (rowKey, []byte, bool) {
	buf, ok := viewDigest(buf[:0], reflect.ValueOf(v).Elem())
	if !ok {
		return rowKey{}, buf, false
	}
	return rowKey{id: v.ID, digest: [2]uint64{maphash.Bytes(c.seeds[0], buf), maphash.Bytes(c.seeds[1], buf)}}, buf, true
}

func (c *rowCache) get(k rowKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if html, ok := c.cur[k]; ok {
		return html, true
	}
	html, ok := c.old[k]
	if ok {
		c.putLocked(k, html)
	}
	return html, ok
}

func (c *rowCache) put(k rowKey, html string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, html)
}

func (c *rowCache) putLocked(k rowKey, html string) {
	if _, ok := c.cur[k]; ok {
		return
	}
	if c.size+len(html) > c.limit {
		c.old, c.cur, c.size = c.cur, map[rowKey]string{}, 0
	}
	c.cur[k] = html
	c.size += len(html)
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
