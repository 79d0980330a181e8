package xliff

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/translate"
)

// What an export writes where: XLIFF 2.0 states and notes categories, 1.2 states and state
// qualifiers, and the name Tarjama gives itself.
const (
	toolID        = "tarjama"
	toolName      = "Tarjama"
	noteReview    = "tarjama-review"         // 2.0 note category of the review summary on the file
	noteFlag      = "tarjama-flag"           // 2.0 note category of a reviewer flag on a unit
	noteQA        = "tarjama-qa"             // 2.0 note category of an open finding of the quality checks
	fromQA        = "Tarjama quality checks" // 1.2 note author of an open finding
	metaCategory  = "tarjama"                // 2.0 metaGroup category; 1.2 extradata prefix
	state20Init   = "initial"
	state20Trans  = "translated"
	state20Final  = "final"
	state12Review = "needs-review-translation"
	state12Trans  = "translated"
	state12Final  = "final"
)

// unitState is how one segment is exported: whether it has English to send, and its state in
// each version. Machine, memory and draft English reads as "needs review" in other tools
// (2.0 initial with the target, 1.2 needs-review-translation with where it came from), a
// reviewer's edit as translated, an approved segment as final. Excluded segments are marked
// translate="no" and carry no English.
type unitState struct {
	target    string // "" when nothing is exported
	state20   string
	state12   string
	qualifier string // 1.2 state-qualifier
	approved  bool
	excluded  bool
}

func exportState(g translate.Segment) unitState {
	t := strings.TrimSpace(g.Target)
	switch {
	case g.Status == translate.StatusExcluded:
		return unitState{state20: state20Init, excluded: true}
	case t == "":
		return unitState{state20: state20Init}
	case g.Status == translate.StatusApproved:
		return unitState{target: t, state20: state20Final, state12: state12Final, approved: true}
	case g.Status == translate.StatusEdited:
		return unitState{target: t, state20: state20Trans, state12: state12Trans}
	}
	u := unitState{target: t, state20: state20Init, state12: state12Review, qualifier: "mt-suggestion"}
	switch g.Status {
	case translate.StatusTM:
		u.qualifier = "tm-suggestion"
	case translate.StatusDraft:
		u.qualifier = "leveraged-glossary" // the offline backend's glossary and memory pre-translation
	}
	return u
}

// meta is what the export records on a segment's unit (see Meta).
func meta(a translate.Article, g translate.Segment, target string) Meta {
	return Meta{Article: a.ID, Segment: g.ID, Version: g.Version, Target: Fingerprint(target)}
}

// paragraphs cuts an article's segments (in order) into its paragraphs.
func paragraphs(segs []translate.Segment) [][]translate.Segment {
	var out [][]translate.Segment
	for i, g := range segs {
		if i == 0 || g.Paragraph != segs[i-1].Paragraph {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], g)
	}
	return out
}

// unitName and groupName are the names people see in other tools, counted from 1.
func unitName(g translate.Segment) string { return "segment " + strconv.Itoa(g.Index+1) }
func groupName(i int) string              { return "paragraph " + strconv.Itoa(i+1) }
func groupID(i int) string                { return "p" + strconv.Itoa(i+1) }

type doc20 struct {
	XMLName xml.Name `xml:"urn:oasis:names:tc:xliff:document:2.0 xliff"`
	MDA     string   `xml:"xmlns:mda,attr"`
	Version string   `xml:"version,attr"`
	SrcLang string   `xml:"srcLang,attr"`
	TrgLang string   `xml:"trgLang,attr"`
	Space   string   `xml:"xml:space,attr"`
	File    file20   `xml:"file"`
}

type file20 struct {
	ID       string `xml:"id,attr"`
	Original string `xml:"original,attr,omitempty"`
	// CanResegment is "no": a tool that cut a unit into several segments, or joined units,
	// would break the way back into the article.
	CanResegment string    `xml:"canResegment,attr"`
	Meta         *metadata `xml:"mda:metadata"`
	Notes        *notes20  `xml:"notes"`
	Groups       []group20 `xml:"group"`
}

type group20 struct {
	ID    string   `xml:"id,attr"`
	Name  string   `xml:"name,attr"`
	Units []unit20 `xml:"unit"`
}

type unit20 struct {
	ID        string    `xml:"id,attr"`
	Name      string    `xml:"name,attr"`
	Translate string    `xml:"translate,attr,omitempty"`
	Meta      *metadata `xml:"mda:metadata"`
	Notes     *notes20  `xml:"notes"`
	Segment   segment20 `xml:"segment"`
}

type segment20 struct {
	State    string  `xml:"state,attr"`
	SubState string  `xml:"subState,attr"` // tarjama:<status>, the finer state
	Source   string  `xml:"source"`
	Target   *string `xml:"target"`
}

// notes20 is a <notes> element; XLIFF wants at least one note in it, so it is left out (nil)
// when there are none.
type notes20 struct {
	Notes []note20 `xml:"note"`
}

type note20 struct {
	Category  string `xml:"category,attr,omitempty"`
	AppliesTo string `xml:"appliesTo,attr,omitempty"`
	Text      string `xml:",chardata"`
}

// metadata is the Metadata module's <mda:metadata> with one group of Tarjama's values.
type metadata struct {
	Group metaGroup `xml:"mda:metaGroup"`
}

type metaGroup struct {
	Category string      `xml:"category,attr"`
	Meta     []metaValue `xml:"mda:meta"`
}

type metaValue struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func (m Meta) module() *metadata {
	vals := []metaValue{
		{"article", strconv.FormatInt(m.Article, 10)},
		{"segment", strconv.FormatInt(m.Segment, 10)},
		{"version", strconv.Itoa(m.Version)},
	}
	if m.Target != "" {
		vals = append(vals, metaValue{"target", m.Target})
	}
	return &metadata{metaGroup{Category: metaCategory, Meta: vals}}
}

// Write writes the article as XLIFF 2.0 (ar → en): one group per paragraph and one unit per
// segment in segs (the article's segments in order), each recording the segment's version in
// the Metadata module so the file can come back (Read), with summary (the article's review
// state, for the reader) as the file's note, and reviewer flags and findings (by segment id:
// the open findings of the quality checks, as text) as the units' notes. See exportState for
// the states. encoding/xml escapes every text and attribute and replaces characters XML
// cannot carry.
func Write(w io.Writer, a translate.Article, segs []translate.Segment, summary string, findings map[int64][]string) error {
	doc := doc20{MDA: NamespaceMetadata, Version: "2.0", SrcLang: "ar", TrgLang: "en", Space: "preserve", File: file20{
		ID:           "article-" + strconv.FormatInt(a.ID, 10),
		Original:     a.SourceName,
		CanResegment: "no",
		Meta:         &metadata{metaGroup{Category: metaCategory, Meta: []metaValue{{"article", strconv.FormatInt(a.ID, 10)}}}},
		Notes:        &notes20{[]note20{{Category: noteReview, Text: summary}}},
	}}
	for i, para := range paragraphs(segs) {
		grp := group20{ID: groupID(i), Name: groupName(i)}
		for _, g := range para {
			st := exportState(g)
			u := unit20{ID: strconv.FormatInt(g.ID, 10), Name: unitName(g), Meta: meta(a, g, st.target).module(),
				Segment: segment20{State: st.state20, SubState: "tarjama:" + string(g.Status), Source: g.Source}}
			if st.excluded {
				u.Translate = "no"
			}
			if st.target != "" {
				t := st.target
				u.Segment.Target = &t
			}
			if len(g.Flags) > 0 || len(findings[g.ID]) > 0 {
				u.Notes = &notes20{}
				for _, f := range g.Flags {
					u.Notes.Notes = append(u.Notes.Notes, note20{Category: noteFlag, AppliesTo: "target", Text: f})
				}
				for _, f := range findings[g.ID] {
					u.Notes.Notes = append(u.Notes.Notes, note20{Category: noteQA, AppliesTo: "target", Text: f})
				}
			}
			grp.Units = append(grp.Units, u)
		}
		doc.File.Groups = append(doc.File.Groups, grp)
	}
	return encode(w, doc, "xliff 2.0 export")
}

type doc12 struct {
	XMLName xml.Name `xml:"urn:oasis:names:tc:xliff:document:1.2 xliff"`
	Version string   `xml:"version,attr"`
	File    file12   `xml:"file"`
}

type file12 struct {
	Original       string   `xml:"original,attr"`
	SourceLanguage string   `xml:"source-language,attr"`
	TargetLanguage string   `xml:"target-language,attr"`
	Datatype       string   `xml:"datatype,attr"`
	ToolID         string   `xml:"tool-id,attr"`
	Space          string   `xml:"xml:space,attr"`
	Header         header12 `xml:"header"`
	Body           body12   `xml:"body"`
}

type header12 struct {
	Tool  tool12   `xml:"tool"`
	Notes []note12 `xml:"note"`
}

type tool12 struct {
	ID   string `xml:"tool-id,attr"`
	Name string `xml:"tool-name,attr"`
}

type note12 struct {
	From      string `xml:"from,attr,omitempty"`
	Annotates string `xml:"annotates,attr,omitempty"`
	Text      string `xml:",chardata"`
}

type body12 struct {
	Groups []group12 `xml:"group"`
}

type group12 struct {
	ID      string   `xml:"id,attr"`
	Resname string   `xml:"resname,attr"`
	Units   []unit12 `xml:"trans-unit"`
}

type unit12 struct {
	ID        string    `xml:"id,attr"`
	Resname   string    `xml:"resname,attr"`
	Approved  string    `xml:"approved,attr,omitempty"`
	Translate string    `xml:"translate,attr,omitempty"`
	Extradata string    `xml:"extradata,attr"`
	Space     string    `xml:"xml:space,attr"`
	Source    string    `xml:"source"`
	Target    *target12 `xml:"target"`
	Notes     []note12  `xml:"note"`
}

type target12 struct {
	State     string `xml:"state,attr,omitempty"`
	Qualifier string `xml:"state-qualifier,attr,omitempty"`
	Text      string `xml:",chardata"`
}

// extradata writes m into 1.2's extradata attribute, the place the strict schema leaves a
// tool for data of its own on a <trans-unit>: "tarjama article=3 segment=12 version=4 target=…".
func (m Meta) extradata() string {
	s := fmt.Sprintf("%s article=%d segment=%d version=%d", metaCategory, m.Article, m.Segment, m.Version)
	if m.Target != "" {
		s += " target=" + m.Target
	}
	return s
}

// Write12 writes the article as XLIFF 1.2 (ar → en), which most CAT tools still prefer: one
// <group> per paragraph and one <trans-unit> per segment, its extradata recording the
// segment's version so the file can come back (Read); summary goes in a header note, and
// reviewer flags and findings (as for Write) in the units' notes. See exportState for the
// states.
func Write12(w io.Writer, a translate.Article, segs []translate.Segment, summary string, findings map[int64][]string) error {
	original := a.SourceName
	if original == "" {
		original = "article-" + strconv.FormatInt(a.ID, 10)
	}
	doc := doc12{Version: "1.2", File: file12{
		Original: original, SourceLanguage: "ar", TargetLanguage: "en", Datatype: "plaintext", ToolID: toolID, Space: "preserve",
		Header: header12{Tool: tool12{ID: toolID, Name: toolName}, Notes: []note12{{From: toolName, Annotates: "general", Text: summary}}},
	}}
	for i, para := range paragraphs(segs) {
		grp := group12{ID: groupID(i), Resname: groupName(i)}
		for _, g := range para {
			st := exportState(g)
			u := unit12{ID: strconv.FormatInt(g.ID, 10), Resname: unitName(g), Extradata: meta(a, g, st.target).extradata(),
				Space: "preserve", Source: g.Source}
			if st.excluded {
				u.Translate = "no"
			}
			if st.approved {
				u.Approved = "yes"
			}
			if st.target != "" {
				u.Target = &target12{State: st.state12, Qualifier: st.qualifier, Text: st.target}
			}
			for _, f := range g.Flags {
				u.Notes = append(u.Notes, note12{From: toolName, Annotates: "target", Text: f})
			}
			for _, f := range findings[g.ID] {
				u.Notes = append(u.Notes, note12{From: fromQA, Annotates: "target", Text: f})
			}
			grp.Units = append(grp.Units, u)
		}
		doc.File.Body.Groups = append(doc.File.Body.Groups, grp)
	}
	return encode(w, doc, "xliff 1.2 export")
}

func encode(w io.Writer, doc any, what string) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
