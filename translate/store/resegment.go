package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/translate"
)

// Changing the segmentation of an article: splitting a segment in two and merging one with
// the next. Both keep the article's text whole (joining the segments with their separators
// still gives the original text: the parts are cut and joined with the white space between
// them as the separator) and its history (every revision stays reachable, and each change is
// a revision itself), renumber the segments and paragraphs after it, and happen in one
// transaction under the version rule of every segment write. A run going on the article
// refuses them: it writes to segments by their ids and numbers.

// SplitTargets are the English of the two parts of a split, given by the caller; without
// them the first part keeps the segment's English and the second has none yet.
type SplitTargets struct {
	First, Second string
}

// SplitSegment cuts segment id (at the version shown) at code point at of its Arabic
// (translate.Cut) into two segments: the first keeps the segment's id, history and English
// (an approval, made for the whole sentence, falls back to edited), the second is new, without
// English; with targets, each part gets its English as an edited text. The parts of an
// excluded segment stay excluded. It returns both parts.
func (s *Store) SplitSegment(ctx context.Context, id int64, version, at int, targets *SplitTargets, author string) ([2]translate.Segment, error) {
	if version < 0 {
		return [2]translate.Segment{}, &VersionError{version}
	}
	if targets != nil {
		for _, t := range []*string{&targets.First, &targets.Second} {
			clean, _, err := translate.CleanTarget(*t)
			if err != nil {
				return [2]translate.Segment{}, err
			}
			*t = clean
		}
		targets.First, targets.Second = strings.TrimSpace(targets.First), strings.TrimSpace(targets.Second)
		if len(targets.First) > translate.MaxTargetBytes || len(targets.Second) > translate.MaxTargetBytes {
			return [2]translate.Segment{}, translate.ErrInvalid.Errorf("targets: over %d bytes", translate.MaxTargetBytes)
		}
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return [2]translate.Segment{}, err
	}
	tx, cur, err := s.beginChange(ctx, id, version, "")
	if err != nil {
		return [2]translate.Segment{}, err
	}
	defer tx.Rollback()
	if err := s.refuseResegmenting(ctx, tx, cur, "splitting #%d"); err != nil {
		return [2]translate.Segment{}, err
	}
	first, sep, second, err := translate.Cut(cur.Source, at)
	if err != nil {
		return [2]translate.Segment{}, err
	}
	a := cur
	a.Source, a.Sep = first, sep
	b := translate.Segment{ArticleID: cur.ArticleID, Index: cur.Index + 1, Paragraph: cur.Paragraph, Source: second, Sep: cur.Sep,
		Status: translate.StatusUntranslated}
	if translate.NewParagraph(sep) {
		b.Paragraph++
	}
	switch {
	case cur.Status == translate.StatusExcluded && targets != nil:
		return [2]translate.Segment{}, excludedError(cur)
	case cur.Status == translate.StatusExcluded:
		b.Status = translate.StatusExcluded
	case targets != nil:
		a.Target, b.Target = targets.First, targets.Second
		a.Status, a.Origin = partStatus(a.Target), translate.OriginHuman
		b.Status, b.Origin = partStatus(b.Target), translate.OriginHuman
	case cur.Status == translate.StatusApproved:
		a.Status = translate.StatusEdited
	}
	now := s.stamp()
	// Make room after the segment: the segments after it move one place on (and one
	// paragraph, when the cut starts one).
	if err := shiftSegments(ctx, tx, cur.ArticleID, cur.Index, 1, b.Paragraph-cur.Paragraph); err != nil {
		return [2]translate.Segment{}, err
	}
	fsA, fsB := q.check(a.Source, a.Target), q.check(b.Source, b.Target)
	if _, err := tx.ExecContext(ctx, `UPDATE segments SET source = ?, sep = ?, target = ?, status = ?, origin = ?, flags = ?,
		version = version + 1, updated_at = ? WHERE id = ?`, a.Source, a.Sep, a.Target, a.Status, a.Origin, joinFlags(GlossaryFlags(fsA)), now, a.ID); err != nil {
		return [2]translate.Segment{}, fmt.Errorf("splitting #%d: %w", cur.Number(), err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO segments (article_id, idx, paragraph, source, sep, target, status, origin, flags, version, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`, b.ArticleID, b.Index, b.Paragraph, b.Source, b.Sep, b.Target, b.Status, b.Origin,
		joinFlags(GlossaryFlags(fsB)), now)
	if err != nil {
		return [2]translate.Segment{}, fmt.Errorf("splitting #%d: %w", cur.Number(), err)
	}
	if b.ID, err = res.LastInsertId(); err != nil {
		return [2]translate.Segment{}, err
	}
	// The checks' counts of both parts, and the length the checks learn from approved pairs:
	// an approval of the whole sentence no longer counts.
	if err := writeChecked(ctx, tx, a.ID, a.Status, fsA); err != nil {
		return [2]translate.Segment{}, fmt.Errorf("splitting #%d: quality checks: %w", cur.Number(), err)
	}
	if err := writeChecked(ctx, tx, b.ID, b.Status, fsB); err != nil {
		return [2]translate.Segment{}, fmt.Errorf("splitting #%d: quality checks: %w", cur.Number(), err)
	}
	if err := learnLength(ctx, tx, cur, a.Status, a.Target); err != nil {
		return [2]translate.Segment{}, fmt.Errorf("splitting #%d: length: %w", cur.Number(), err)
	}
	note := fmt.Sprintf("split «%s» after «%s»", cur.Source, first)
	for _, r := range []translate.Revision{
		{SegmentID: a.ID, Kind: "split", Author: author, Before: cur.Target, After: a.Target, Backend: cur.Backend, Model: cur.Model, Note: note},
		{SegmentID: b.ID, Kind: "split", Author: author, Before: "", After: b.Target, Note: note},
	} {
		if err := addRevision(ctx, tx, r, now); err != nil {
			return [2]translate.Segment{}, err
		}
	}
	var out [2]translate.Segment
	for i, sid := range []int64{a.ID, b.ID} {
		if out[i], err = getSegment(ctx, tx, sid); err != nil {
			return [2]translate.Segment{}, err
		}
	}
	return out, tx.Commit()
}

// partStatus is the status of a part of a split given its English by the reviewer.
func partStatus(target string) translate.Status {
	if target == "" {
		return translate.StatusUntranslated
	}
	return translate.StatusEdited
}

// MergeSegment joins segment id with the one after it, each at the version shown: the
// Arabic with the separator between them, the English with a space. The merged segment keeps
// id; the next one's revisions move to it (marked with where they came from) and a "merge"
// revision records the join. An English joined from two parts is edited text (a reviewer put
// it together); without English the segment is untranslated. An excluded segment merges only
// with an excluded one.
func (s *Store) MergeSegment(ctx context.Context, id int64, version, nextVersion int, author string) (translate.Segment, error) {
	if version < 0 {
		return translate.Segment{}, &VersionError{version}
	}
	if nextVersion < 0 {
		return translate.Segment{}, &VersionError{nextVersion}
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, err
	}
	tx, cur, err := s.beginChange(ctx, id, version, "")
	if err != nil {
		return translate.Segment{}, err
	}
	defer tx.Rollback()
	next, err := scanSegment(tx.QueryRowContext(ctx, `SELECT `+segmentColumns+` FROM segments WHERE article_id = ? AND idx = ?`, cur.ArticleID, cur.Index+1))
	if errors.Is(err, sql.ErrNoRows) {
		return translate.Segment{}, translate.ErrInvalid.Errorf("#%d is the last segment: there is none after it to merge with", cur.Number())
	}
	if err != nil {
		return translate.Segment{}, err
	}
	if next.Version != nextVersion {
		return translate.Segment{}, conflict(ctx, tx, next, "")
	}
	if err := s.refuseResegmenting(ctx, tx, cur, "merging #%d"); err != nil {
		return translate.Segment{}, err
	}
	if (cur.Status == translate.StatusExcluded) != (next.Status == translate.StatusExcluded) {
		return translate.Segment{}, translate.ErrConflict.Errorf("#%d and #%d are not both excluded; include the excluded one before merging them", cur.Number(), next.Number())
	}
	merged := cur
	merged.Source, merged.Sep = cur.Source+cur.Sep+next.Source, next.Sep
	merged.Target = strings.TrimSpace(strings.Join(nonEmpty(cur.Target, next.Target), " "))
	switch {
	case cur.Status == translate.StatusExcluded:
		merged.Status = translate.StatusExcluded
	case merged.Target == "":
		merged.Status, merged.Origin = translate.StatusUntranslated, translate.OriginNone
	default:
		merged.Status, merged.Origin = translate.StatusEdited, translate.OriginHuman
	}
	if len(merged.Target) > translate.MaxTargetBytes {
		return translate.Segment{}, translate.ErrInvalid.Errorf("#%d and #%d together have over %d bytes of English", cur.Number(), next.Number(), translate.MaxTargetBytes)
	}
	now := s.stamp()
	// The next segment's history moves here before it goes; revisions an earlier merge moved
	// to it keep where they came from.
	if _, err := tx.ExecContext(ctx, `UPDATE revisions SET segment_id = ?, merged_from = CASE WHEN merged_from = 0 THEN ? ELSE merged_from END
		WHERE segment_id = ?`, cur.ID, next.ID, next.ID); err != nil {
		return translate.Segment{}, fmt.Errorf("merging #%d: %w", cur.Number(), err)
	}
	if err := learnLength(ctx, tx, next, translate.StatusUntranslated, ""); err != nil {
		return translate.Segment{}, fmt.Errorf("merging #%d: length: %w", cur.Number(), err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE id = ?`, next.ID); err != nil {
		return translate.Segment{}, fmt.Errorf("merging #%d: %w", cur.Number(), err)
	}
	if err := shiftSegments(ctx, tx, cur.ArticleID, next.Index, -1, cur.Paragraph-next.Paragraph); err != nil {
		return translate.Segment{}, err
	}
	fs := q.check(merged.Source, merged.Target)
	if _, err := tx.ExecContext(ctx, `UPDATE segments SET source = ?, sep = ?, target = ?, status = ?, origin = ?, flags = ?,
		version = version + 1, updated_at = ? WHERE id = ?`, merged.Source, merged.Sep, merged.Target, merged.Status, merged.Origin,
		joinFlags(GlossaryFlags(fs)), now, cur.ID); err != nil {
		return translate.Segment{}, fmt.Errorf("merging #%d: %w", cur.Number(), err)
	}
	// The checks' counts of the merged text, and the length the checks learn from approved
	// pairs: the approvals of the two parts no longer count.
	if err := writeChecked(ctx, tx, cur.ID, merged.Status, fs); err != nil {
		return translate.Segment{}, fmt.Errorf("merging #%d: quality checks: %w", cur.Number(), err)
	}
	if err := learnLength(ctx, tx, cur, merged.Status, merged.Target); err != nil {
		return translate.Segment{}, fmt.Errorf("merging #%d: length: %w", cur.Number(), err)
	}
	if err := addRevision(ctx, tx, translate.Revision{SegmentID: cur.ID, Kind: "merge", Author: author, Before: cur.Target, After: merged.Target,
		Backend: cur.Backend, Model: cur.Model, Note: fmt.Sprintf("merged «%s» with the next segment «%s»", cur.Source, next.Source)}, now); err != nil {
		return translate.Segment{}, err
	}
	out, err := getSegment(ctx, tx, cur.ID)
	if err != nil {
		return translate.Segment{}, err
	}
	return out, tx.Commit()
}

// nonEmpty is the texts that are not empty, in order.
func nonEmpty(texts ...string) []string {
	var out []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// refuseResegmenting refuses a split or merge (what, as "splitting #%d", formatted with cur's
// number) while a run is going on cur's article.
func (s *Store) refuseResegmenting(ctx context.Context, tx *sql.Tx, cur translate.Segment, what string) error {
	a, err := articleHead(ctx, tx, cur.ArticleID)
	if err != nil {
		return err
	}
	return refuseWhileRunning(ctx, tx, a, fmt.Sprintf(what, cur.Number()), s.stamp())
}

// shiftSegments moves the segments of an article after index after by places (±1) and by
// paragraphs, inside tx. (article_id, idx) is unique, so the rows go through negative
// indices first: no row ever takes a place another still holds.
func shiftSegments(ctx context.Context, tx *sql.Tx, articleID int64, after, places, paragraphs int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE segments SET idx = -1 - (idx + ?), paragraph = paragraph + ? WHERE article_id = ? AND idx > ?`,
		places, paragraphs, articleID, after); err != nil {
		return fmt.Errorf("renumbering the segments: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE segments SET idx = -1 - idx WHERE article_id = ? AND idx < 0`, articleID); err != nil {
		return fmt.Errorf("renumbering the segments: %w", err)
	}
	return nil
}
