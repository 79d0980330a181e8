package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// The import pages (the glossary's, the memory's, an article's XLIFF coming back) share one
// flow: an upload is kept under a random token (keep, or stage to read and keep it) and
// previewed as a dry run; the preview's forms name the token (/…/import/:token) and ask to
// preview again or to import (staged, or kept where the form only confirms), and an import
// drops the upload. Nothing is written before the user has seen what will change.

// Bounds on the uploads kept between an import preview and its confirmation.
const (
	stashTTL      = 10 * time.Minute
	stashMaxItems = 16
	stashMaxBytes = 32 << 20
)

// The actions of a preview's forms.
const (
	actionPreview = "preview"
	actionImport  = "import"
)

// errImportExpired says that the upload a confirmation names is no longer kept.
var errImportExpired = httpError(http.StatusGone,
	"This import preview has expired (uploads are kept for 10 minutes) or the server restarted; upload the file again.")

// stagedImports holds one page's uploads waiting for confirmation.
type stagedImports struct{ stash *uploadStash }

func newStagedImports() stagedImports {
	return stagedImports{stash: newUploadStash(stashTTL, stashMaxItems, stashMaxBytes)}
}

// stage reads the multipart field "file", of at most limit bytes (what says what it should
// hold, for the message when it is missing), and keeps it: the token that names it, the
// file's name and its bytes.
func (si stagedImports) stage(s *Server, c *gin.Context, what string, limit int64) (token, name string, data []byte, err error) {
	if name, data, err = s.readFileUpload(c, what, limit); err != nil {
		return "", "", nil, err
	}
	token, err = si.keep(name, data)
	return token, name, data, err
}

// keep keeps an upload (the caller gives data up) and returns the token that names it.
func (si stagedImports) keep(name string, data []byte) (string, error) {
	return si.stash.put(name, data)
}

// kept is the upload token names; errImportExpired when it is gone.
func (si stagedImports) kept(token string) (*stashedUpload, error) {
	up, ok := si.stash.get(token)
	if !ok {
		return nil, errImportExpired
	}
	return up, nil
}

// staged is the kept upload that a confirmation's :token names and the action its form asks
// for, actionPreview or actionImport; errImportExpired when the upload is gone.
func (si stagedImports) staged(c *gin.Context) (token string, up *stashedUpload, action string, err error) {
	token = c.Param("token")
	if up, err = si.kept(token); err != nil {
		return token, nil, "", err
	}
	switch action = c.PostForm("action"); action {
	case actionPreview, actionImport:
		return token, up, action, nil
	}
	return token, nil, "", badRequest("action: %q is not one of preview, import", action)
}

// drop forgets an upload once it is imported.
func (si stagedImports) drop(token string) { si.stash.drop(token) }

// uploadStash keeps uploaded import files in memory between the preview and the
// confirmation, bounded in count, bytes and time; the oldest go first.
type uploadStash struct {
	mu       sync.Mutex
	ttl      time.Duration
	maxItems int
	maxBytes int
	bytes    int
	items    map[string]*stashedUpload
	now      func() time.Time
}

type stashedUpload struct {
	name    string
	data    []byte
	expires time.Time
}

func newUploadStash(ttl time.Duration, maxItems, maxBytes int) *uploadStash {
	return &uploadStash{ttl: ttl, maxItems: maxItems, maxBytes: maxBytes,
		items: make(map[string]*stashedUpload), now: time.Now}
}

// put keeps data (the caller gives it up) and returns the random token that names it.
func (u *uploadStash) put(name string, data []byte) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("stash upload: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.expireLocked()
	for len(u.items) > 0 && (len(u.items) >= u.maxItems || u.bytes+len(data) > u.maxBytes) {
		u.removeLocked(u.oldestLocked())
	}
	u.items[token] = &stashedUpload{name: name, data: data, expires: u.now().Add(u.ttl)}
	u.bytes += len(data)
	return token, nil
}

func (u *uploadStash) get(token string) (*stashedUpload, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.expireLocked()
	up, ok := u.items[token]
	return up, ok
}

func (u *uploadStash) drop(token string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.removeLocked(token)
}

func (u *uploadStash) expireLocked() {
	now := u.now()
	for k, up := range u.items {
		if now.After(up.expires) {
			u.removeLocked(k)
		}
	}
}

func (u *uploadStash) oldestLocked() string {
	var key string
	var at time.Time
	for k, up := range u.items {
		if key == "" || up.expires.Before(at) {
			key, at = k, up.expires
		}
	}
	return key
}

func (u *uploadStash) removeLocked(token string) {
	if up, ok := u.items[token]; ok {
		u.bytes -= len(up.data)
		delete(u.items, token)
	}
}
