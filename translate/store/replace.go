package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/translate"
)

// ReplaceChange is one segment a find and replace changes: its English before and after.
type ReplaceChange struct {
	Number    int              `json:"number"` // the segment's #, from 1
	SegmentID int64            `json:"segment_id"`
	Version   int              `json:"version"` // the version the change is based on
	Status    translate.Status `json:"status"`
	Before    string           `json:"before"`
	After     string           `json:"after"`
	Count     int              `json:"count"` // occurrences replaced
}

// ReplacePreview is what a find and replace would do to an article, nothing written: the
// changes, and the segments with an occurrence it leaves alone, with the reason.
type ReplacePreview struct {
	Changes []ReplaceChange `json:"changes"`
	Skipped []BulkItem      `json:"skipped"`
}

// ReplaceReport is what a find and replace did, by segment number: the segments changed, those
// changed by someone else since the preview (conflicts: left as they are, their new version
// given), and those left alone with the reason.
type ReplaceReport struct {
	Applied   []BulkItem         `json:"applied"`
	Conflicts []BulkItem         `json:"conflicts"`
	Skipped   []BulkItem         `json:"skipped"`
	Progress  translate.Progress `json:"progress"`
}

// replaceRefusal says why a find and replace leaves segment cur alone though its English has
// an occurrence, or "" when it may change it to after: excluded segments always, approved
// ones unless includeApproved, and a change that would leave no English or too much.
func replaceRefusal(cur translate.Segment, after string, includeApproved bool) string {
	switch {
	case cur.Status == translate.StatusExcluded:
		return fmt.Sprintf("#%d is excluded", cur.Number())
	case cur.Status == translate.StatusApproved && !includeApproved:
		return fmt.Sprintf("#%d is approved (include approved segments to change it)", cur.Number())
	case strings.TrimSpace(after) == "":
		return fmt.Sprintf("#%d would have no English left", cur.Number())
	case len(after) > translate.MaxTargetBytes:
		return fmt.Sprintf("#%d would be over %d bytes", cur.Number(), translate.MaxTargetBytes)
	}
	return ""
}

// PreviewReplace finds r in the English of article articleID's segments and says what
// Replace would change, segment by segment in order, with the version each change is based on.
func (s *Store) PreviewReplace(ctx context.Context, articleID int64, r translate.Replacement, includeApproved bool) (ReplacePreview, error) {
	if err := r.Validate(); err != nil {
		return ReplacePreview{}, err
	}
	if _, err := s.articleHead(ctx, articleID); err != nil {
		return ReplacePreview{}, err
	}
	segs, err := s.Segments(ctx, articleID)
	if err != nil {
		return ReplacePreview{}, err
	}
	out := ReplacePreview{Changes: []ReplaceChange{}, Skipped: []BulkItem{}}
	for _, g := range segs {
		after, n := r.Apply(g.Target)
		if n == 0 {
			continue
		}
		after = strings.TrimSpace(after)
		if why := replaceRefusal(g, after, includeApproved); why != "" {
			out.Skipped = append(out.Skipped, BulkItem{Number: g.Number(), SegmentID: g.ID, Version: g.Version, Reason: why})
			continue
		}
		out.Changes = append(out.Changes, ReplaceChange{Number: g.Number(), SegmentID: g.ID, Version: g.Version, Status: g.Status,
			Before: g.Target, After: after, Count: n})
	}
	return out, nil
}

// Replace applies r to the segments of article articleID a preview listed, each at the version
// the preview gave: in one transaction, one "replace" revision per segment changed. A segment
// changed since its version is a conflict, reported and left as it is; the others are changed
// whatever happens to it. An edited or machine segment becomes edited; an approved one (only
// with includeApproved) stays approved under the rule of an approval, and the memory learns
// its new English in place of the old.
func (s *Store) Replace(ctx context.Context, articleID int64, r translate.Replacement, includeApproved bool, segs []Versioned, author string) (ReplaceReport, error) {
	if err := r.Validate(); err != nil {
		return ReplaceReport{}, err
	}
	b, err := s.beginBulk(ctx, articleID, segs)
	if err != nil {
		return ReplaceReport{}, err
	}
	defer b.tx.Rollback()
	rep := ReplaceReport{Applied: []BulkItem{}, Conflicts: []BulkItem{}, Skipped: b.foreign}
	note := replaceNote(r)
	for _, req := range b.segs {
		cur := req.cur
		item := BulkItem{Number: cur.Number(), SegmentID: cur.ID, Version: cur.Version}
		if cur.Version != req.version {
			item.Reason = fmt.Sprintf("#%d was changed since the preview (now version %d); it is left as it is", cur.Number(), cur.Version)
			rep.Conflicts = append(rep.Conflicts, item)
			continue
		}
		after, n := r.Apply(cur.Target)
		after = strings.TrimSpace(after)
		item.Reason = replaceRefusal(cur, after, includeApproved)
		if n == 0 {
			item.Reason = fmt.Sprintf("#%d has no %q", cur.Number(), r.Find)
		}
		var c change
		if item.Reason == "" {
			c = change{target: after, status: translate.StatusEdited, origin: translate.OriginHuman, kind: "replace", note: note, recheck: true}
			if cur.Status == translate.StatusApproved {
				ac, err := approval(cur, after)
				if err != nil && !refusal(err) {
					return ReplaceReport{}, err
				}
				if err != nil {
					item.Reason = err.Error()
				}
				// The memory forgets the old English and learns the new.
				c.status, c.forget = ac.status, true
			}
		}
		if item.Reason != "" {
			rep.Skipped = append(rep.Skipped, item)
			continue
		}
		switch err := checkAndApply(ctx, b.tx, b.q, cur, c, author, b.now); {
		case err != nil && refusal(err):
			item.Reason = err.Error() // an approved segment whose new English has an open error
			rep.Skipped = append(rep.Skipped, item)
			continue
		case err != nil:
			return ReplaceReport{}, err
		}
		item.Version++
		rep.Applied = append(rep.Applied, item)
	}
	if rep.Progress, err = b.finish(ctx); err != nil {
		return ReplaceReport{}, err
	}
	return rep, nil
}

// replaceNote says in words what a find and replace replaced, for its revisions.
func replaceNote(r translate.Replacement) string {
	var opts []string
	if r.CaseSensitive {
		opts = append(opts, "case-sensitive")
	}
	if r.WholeWord {
		opts = append(opts, "whole words")
	}
	note := fmt.Sprintf("replaced %q with %q", r.Find, r.With)
	if len(opts) > 0 {
		note += " (" + strings.Join(opts, ", ") + ")"
	}
	return note
}
