package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// MaxReasonRunes bounds the reason given for taking an approval back.
const MaxReasonRunes = 500

// Unapprove takes a segment's approval back: it is edited again, with the same text, and an
// "unapprove" revision records the reason (required). The memory forgets the pair this
// segment's approval taught it, so it no longer fills other segments; a pair another segment
// approved stays. Under the version rule of SaveTarget.
func (s *Store) Unapprove(ctx context.Context, id int64, version int, reason, author string) (translate.Segment, error) {
	reason, _, err := arabic.CleanField("reason", reason, arabic.StripBidi)
	if err != nil {
		return translate.Segment{}, translate.ErrInvalid.Errorf("%w", err)
	}
	reason = strings.Join(strings.Fields(reason), " ")
	switch {
	case version < 0:
		return translate.Segment{}, &VersionError{version}
	case reason == "":
		return translate.Segment{}, translate.ErrInvalid.Errorf("reason: required: say why the approval is taken back")
	case utf8.RuneCountInString(reason) > MaxReasonRunes:
		return translate.Segment{}, translate.ErrInvalid.Errorf("reason: longer than %d characters", MaxReasonRunes)
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, err
	}
	return s.change(ctx, q, id, version, "", func(cur translate.Segment) (change, error) {
		if cur.Status != translate.StatusApproved {
			return change{}, translate.ErrConflict.Errorf("#%d is not approved (it is %s): there is no approval to take back", cur.Number(), cur.Status)
		}
		return change{target: cur.Target, status: translate.StatusEdited, origin: cur.Origin, kind: "unapprove", note: reason,
			forget: true}, nil
	}, author)
}

// Restore brings back, as a new "restore" revision, the text an older revision of the
// segment wrote (its after; for a "theirs" revision the reviewer's text it set aside, its
// before), as an edited text under the version rule of SaveTarget. Restoring the text the
// segment has is no change.
func (s *Store) Restore(ctx context.Context, id, revisionID int64, version int, author string) (translate.Segment, error) {
	if version < 0 {
		return translate.Segment{}, &VersionError{version}
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, err
	}
	rev, err := s.revision(ctx, revisionID)
	if err != nil {
		return translate.Segment{}, err
	}
	if rev.SegmentID != id {
		return translate.Segment{}, translate.ErrInvalid.Errorf("revision: not in this segment's history")
	}
	text := RestoredText(rev)
	if strings.TrimSpace(text) == "" {
		return translate.Segment{}, translate.ErrInvalid.Errorf("revision: it has no English to bring back")
	}
	return s.change(ctx, q, id, version, text, func(cur translate.Segment) (change, error) {
		if cur.Status == translate.StatusExcluded {
			return change{}, excludedError(cur)
		}
		if cur.Target == text {
			return change{}, nil
		}
		return change{target: text, status: translate.StatusEdited, origin: translate.OriginHuman, kind: "restore",
			note: restoredNote(rev), recheck: true}, nil
	}, author)
}

// RestoredText is the text Restore brings back from rev: what it wrote, or for a "theirs"
// revision the reviewer's text it set aside.
func RestoredText(rev translate.Revision) string {
	if rev.Kind == "theirs" {
		return rev.Before
	}
	return rev.After
}

// restoredNote says which revision a restore brought back, in words: its kind, who and when.
func restoredNote(rev translate.Revision) string {
	who := rev.Author
	if who == "" {
		who = strings.TrimSpace(rev.Backend + " " + rev.Model)
	}
	if who == "" {
		who = "unknown"
	}
	return fmt.Sprintf("the text of the %s by %s of %s", rev.Kind, who, rev.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"))
}

// revision reads one revision.
func (s *Store) revision(ctx context.Context, id int64) (translate.Revision, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id)
	if err != nil {
		return translate.Revision{}, fmt.Errorf("revision: %w", err)
	}
	revs, err := scanRevisions(rows)
	if err == nil && len(revs) == 0 {
		err = translate.ErrNotFound.Errorf("revision not found (id %d)", id)
	}
	if err != nil {
		return translate.Revision{}, err
	}
	return revs[0], nil
}
