package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/xliff"
)

// ExportReport says what an export coming back did to its article, unit by unit, with each
// segment numbered as people count, from 1.
type ExportReport struct {
	Updated     []UnitChange `json:"updated"`     // English or status taken from the file
	Unchanged   []UnitChange `json:"unchanged"`   // nothing new in the file
	Conflicting []UnitChange `json:"conflicting"` // changed in Tarjama after the export: left as it is
	Empty       []UnitChange `json:"empty"`       // no English in the file: left as it is
}

// UnitChange is one unit of a file coming back and its segment.
type UnitChange struct {
	Number  int              `json:"number"` // the segment's number, from 1
	Segment int64            `json:"segment"`
	Source  string           `json:"source"`
	Before  string           `json:"before"` // the English in Tarjama before the import
	After   string           `json:"after"`  // the English in the file
	Status  translate.Status `json:"status"` // the segment's status after the import
	Reason  string           `json:"reason,omitempty"`
}

// importExport brings a Tarjama XLIFF export back into its article inside tx. Each unit is
// compared with its segment as it is now:
//
//   - The same English, and a state that says no more than Tarjama's status: unchanged.
//   - The English exported, untouched in the other tool, while Tarjama has moved on since:
//     unchanged (Tarjama's newer text stays).
//   - Otherwise, if the segment changed in Tarjama after the export (its version moved), a
//     conflict: reported, not overwritten.
//   - Otherwise updated: the file's English (or, for the same English, its further state)
//     becomes a revision of kind "imported" by author, final or signed-off approved and any
//     other state edited (xliff.State.Status); an approval teaches the memory.
//
// A unit without English is left as it is; an excluded segment is a conflict when the file
// brings it English. A unit whose segment is not in the article is an error: the file was
// exported from another database.
func importExport(ctx context.Context, tx *sql.Tx, name string, p *Parsed, author string, q qaState, now string) (*ExportReport, translate.Article, error) {
	f := p.file
	a, err := articleHead(ctx, tx, f.Article)
	if errors.Is(err, translate.ErrNotFound) {
		return nil, a, translate.ErrNotFound.Errorf("%s is an export of article %d, which is not in this database", name, f.Article)
	}
	if err != nil {
		return nil, a, err
	}
	rep := &ExportReport{}
	for _, u := range f.Units {
		cur, err := getSegment(ctx, tx, u.Meta.Segment)
		if err != nil && !errors.Is(err, translate.ErrNotFound) {
			return nil, a, err
		}
		if err != nil || cur.ArticleID != f.Article {
			return nil, a, &xliff.Error{File: name, Line: u.Line, Element: u.Label(),
				Reason: fmt.Sprintf("segment %d is not in article %d; was the file exported from another database?", u.Meta.Segment, f.Article)}
		}
		target := strings.TrimSpace(u.Target)
		if len(target) > translate.MaxTargetBytes {
			return nil, a, &xliff.Error{File: name, Line: u.Line, Element: u.Label(), Reason: fmt.Sprintf("the target is over %d bytes", translate.MaxTargetBytes)}
		}
		uc := UnitChange{Number: cur.Index + 1, Segment: cur.ID, Source: cur.Source, Before: cur.Target, After: target, Status: cur.Status}
		moved := cur.Version != u.Meta.Version
		switch {
		case !sameText(cur.Source, u.Source):
			uc.Reason = "the Arabic in the file is not the segment's"
			rep.Conflicting = append(rep.Conflicting, uc)
		case target == "":
			rep.Empty = append(rep.Empty, uc)
		case target == cur.Target && !u.State.Raises(cur.Status),
			xliff.Fingerprint(target) == u.Meta.Target && moved:
			rep.Unchanged = append(rep.Unchanged, uc)
		case cur.Status == translate.StatusExcluded:
			uc.Reason = "the segment is excluded in Tarjama"
			rep.Conflicting = append(rep.Conflicting, uc)
		case moved:
			uc.Reason = fmt.Sprintf("changed in Tarjama after the export (version %d, now %d)", u.Meta.Version, cur.Version)
			rep.Conflicting = append(rep.Conflicting, uc)
		default:
			st := u.State.Status()
			c := change{target: target, status: st, origin: translate.OriginXLIFF, kind: "imported", recheck: true}
			if target == cur.Target {
				c.origin = cur.Origin // a state confirmed in the other tool: the words are still whoever's they were
			}
			if err := applyChange(ctx, tx, cur, c, q.check(cur.Source, target), author, now); err != nil {
				return nil, a, err
			}
			uc.Status = st
			rep.Updated = append(rep.Updated, uc)
		}
	}
	a, err = articleHead(ctx, tx, f.Article)
	return rep, a, err
}

// sameText compares two texts as XML may have carried them: white space runs alike.
func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}
