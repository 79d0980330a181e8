package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/translate"
)

// MaxBulk bounds the segments one bulk action (ApproveAll, a find and replace) takes.
const MaxBulk = 5000

// Versioned names a segment at the version a reviewer saw it.
type Versioned struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
}

// BulkItem is one segment of a bulk action's report, by its number.
type BulkItem struct {
	Number    int    `json:"number"` // the segment's #, from 1
	SegmentID int64  `json:"segment_id"`
	Version   int    `json:"version"`          // the segment's version after the action
	Reason    string `json:"reason,omitempty"` // why it was skipped, naming it (#N)
}

// BulkReport is what a bulk approval did, segment by segment in article order.
type BulkReport struct {
	Approved []BulkItem         `json:"approved"`
	Skipped  []BulkItem         `json:"skipped"`
	Progress translate.Progress `json:"progress"` // the article's, after the action
}

// ApproveAll approves the given segments of article articleID (the filtered rows of the page,
// at the versions it showed) in one transaction, each under the one rule of a single
// approval (approval; the same as Approve without new text) and each with its own revision.
// A segment that the rule refuses (no English, excluded, an open error of the quality checks
// that no reviewer has ignored: checkAndApply), that
// changed since the version given, or that is approved already is skipped with the reason;
// the others are approved whatever happens to those. Ids of other articles are skipped too.
func (s *Store) ApproveAll(ctx context.Context, articleID int64, segs []Versioned, author string) (BulkReport, error) {
	b, err := s.beginBulk(ctx, articleID, segs)
	if err != nil {
		return BulkReport{}, err
	}
	defer b.tx.Rollback()
	rep := BulkReport{Approved: []BulkItem{}, Skipped: b.foreign}
	for _, r := range b.segs {
		cur := r.cur
		item := BulkItem{Number: cur.Number(), SegmentID: cur.ID, Version: cur.Version}
		c, err := approval(cur, "")
		switch {
		case cur.Version != r.version:
			item.Reason = fmt.Sprintf("#%d changed since it was shown (now version %d); look at it again", cur.Number(), cur.Version)
		case err != nil && refusal(err):
			item.Reason = err.Error()
		case err != nil:
			return BulkReport{}, err
		case c.kind == "":
			item.Reason = fmt.Sprintf("#%d is approved already", cur.Number())
		}
		if item.Reason != "" {
			rep.Skipped = append(rep.Skipped, item)
			continue
		}
		switch err := checkAndApply(ctx, b.tx, b.q, cur, c, author, b.now); {
		case err != nil && refusal(err):
			item.Reason = err.Error() // an open error of the quality checks
			rep.Skipped = append(rep.Skipped, item)
			continue
		case err != nil:
			return BulkReport{}, err
		}
		item.Version++
		rep.Approved = append(rep.Approved, item)
	}
	if rep.Progress, err = b.finish(ctx); err != nil {
		return BulkReport{}, err
	}
	return rep, nil
}

// bulkWrite is the transaction of a bulk action on an article's segments: the quality checks'
// state, the segments it named (read inside it, in article order), and those it named that
// are no segment of the article, already reported as skipped.
type bulkWrite struct {
	tx      *sql.Tx
	q       qaState
	article translate.Article
	requested
	foreign []BulkItem
	now     string
}

// beginBulk opens the transaction of a bulk action on segs of article articleID; the caller
// rolls it back, or ends it with finish.
func (s *Store) beginBulk(ctx context.Context, articleID int64, segs []Versioned) (*bulkWrite, error) {
	if len(segs) > MaxBulk {
		return nil, translate.ErrInvalid.Errorf("segments: more than %d at once", MaxBulk)
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	b := &bulkWrite{tx: tx, q: q, now: s.stamp(), foreign: []BulkItem{}}
	if b.article, err = articleHead(ctx, tx, articleID); err == nil {
		b.requested, err = readRequested(ctx, tx, articleID, segs)
	}
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	for _, id := range b.others {
		b.foreign = append(b.foreign, BulkItem{SegmentID: id, Reason: fmt.Sprintf("not a segment of «%s»", b.article.Title)})
	}
	return b, nil
}

// finish commits a bulk action and returns the article's progress after it.
func (b *bulkWrite) finish(ctx context.Context) (translate.Progress, error) {
	a, err := articleHead(ctx, b.tx, b.article.ID)
	if err != nil {
		return translate.Progress{}, err
	}
	return a.Progress, b.tx.Commit()
}

// refusal reports whether err refuses a segment as it is (invalid or conflict), which a bulk
// action reports and goes past, rather than a failure that stops it.
func refusal(err error) bool {
	return errors.Is(err, translate.ErrInvalid) || errors.Is(err, translate.ErrConflict)
}

// requested is the segments a bulk action named, read inside its transaction.
type requested struct {
	segs   []requestedSegment
	others []int64 // ids that are no segment of the article
}

// requestedSegment is a segment as it is and the version a request named it at.
type requestedSegment struct {
	cur     translate.Segment
	version int
}

// readRequested reads the segments of segs (each id once) inside q, in article order, and
// lists the ids that are not the article's.
func readRequested(ctx context.Context, q sqlread.Queryer, articleID int64, segs []Versioned) (requested, error) {
	var out requested
	seen := make(map[int64]bool, len(segs))
	for _, v := range segs {
		if seen[v.ID] {
			continue
		}
		seen[v.ID] = true
		cur, err := getSegment(ctx, q, v.ID)
		switch {
		case errors.Is(err, translate.ErrNotFound) || err == nil && cur.ArticleID != articleID:
			out.others = append(out.others, v.ID)
			continue
		case err != nil:
			return requested{}, err
		}
		out.segs = append(out.segs, requestedSegment{cur, v.Version})
	}
	sort.Slice(out.segs, func(i, j int) bool { return out.segs[i].cur.Index < out.segs[j].cur.Index })
	return out, nil
}
