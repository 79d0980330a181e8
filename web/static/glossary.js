// Glossary behaviour. On the glossary page: failed htmx requests are reported instead of
// swapped in, and the add form resets after a success. On the article page: selecting Arabic
// in a source cell offers admins "Add to glossary", which posts the term to the JSON API and then
// refreshes the highlights without touching the reviewer's unsaved English.
(function () {
  "use strict";

  // Error display and the CSRF token come from app.js, loaded first.
  var csrfToken = window.Tarjama.csrfToken, showError = window.Tarjama.showError, clearError = window.Tarjama.clearError,
    errorText = window.Tarjama.errorText;

  function inGlossaryPage(elt) {
    return !!(elt && elt.closest && elt.closest(".glossary-page"));
  }

  // ---- Glossary page ----

  // app.js swaps 409 answers (segment conflicts come as rows); here a 409 is JSON {error},
  // so no error answer is swapped in: it goes to htmx:responseError and the error box.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (!inGlossaryPage(e.detail.elt) || e.detail.xhr.status < 400) { return; }
    e.detail.shouldSwap = false;
    e.detail.isError = true;
  });

  // A failed save of a row being edited is reported in that row, where the reviewer is
  // looking, not in the error box at the top of the page (off-screen for a row further
  // down). The listener captures, so it runs before app.js's, and stops the event there.
  document.addEventListener("htmx:responseError", function (e) {
    var form = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("tr.editing form.term-form");
    if (!form || !inGlossaryPage(form)) { return; }
    e.stopPropagation();
    showRowError(form, errorText(e.detail.xhr.status, e.detail.xhr.responseText));
  }, true);

  // fieldNames are the term form's fields, as the server names them in its messages.
  var fieldNames = ["arabic", "english", "type", "variants", "english_alternatives", "forbidden", "note", "do_not_translate"];

  // showRowError puts msg in the form, announced (role=alert), and ties it to the field it
  // names, which gets the focus; otherwise the focus stays where it is.
  function showRowError(form, msg) {
    var row = form.closest("tr");
    var box = form.querySelector(".row-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "row-error";
      box.setAttribute("role", "alert");
      box.id = (row && row.id ? row.id : "term") + "-error";
      form.insertBefore(box, form.querySelector(".form-actions"));
    }
    box.textContent = msg;
    form.querySelectorAll("[aria-invalid]").forEach(function (f) {
      f.removeAttribute("aria-invalid");
      f.removeAttribute("aria-describedby");
    });
    var named = null;
    fieldNames.forEach(function (name) {
      if (!named && (msg.indexOf(name + ": ") === 0 || msg.indexOf(": " + name + ": ") >= 0)) {
        named = form.querySelector('[name="' + name + '"]');
      }
    });
    if (named) {
      named.setAttribute("aria-invalid", "true");
      named.setAttribute("aria-describedby", box.id);
      named.focus();
    }
  }

  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail.elt;
    if (!inGlossaryPage(elt) || !e.detail.successful) { return; }
    clearError();
    if (elt.id !== "add-term") { return; }
    var ar = elt.querySelector('[name="arabic"]'), en = elt.querySelector('[name="english"]');
    var status = document.getElementById("glossary-status");
    if (status) { status.textContent = "Added " + ar.value.trim() + " → " + en.value.trim() + "."; }
    elt.reset();
    ar.focus();
  });

  // ---- Glossary page: term history and undoing imports ----

  // historyRowOf is the history row open under a term's row, or null.
  function historyRowOf(termRow) {
    var next = termRow && termRow.nextElementSibling;
    return next && next.classList.contains("term-history") ? next : null;
  }

  function closeHistory(historyRow) {
    var termRow = historyRow.previousElementSibling;
    historyRow.remove();
    var button = termRow && termRow.querySelector("button.history");
    if (button) {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  }

  // A term's History button opens its history under the row, and closes it when open.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var button = e.detail.elt;
    if (!button.matches || !button.matches("tr.term button.history")) { return; }
    var open = historyRowOf(button.closest("tr"));
    if (open) {
      e.preventDefault();
      closeHistory(open);
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var button = e.detail.elt;
    if (button.matches && button.matches("tr.term button.history")) {
      button.setAttribute("aria-expanded", "true");
    }
  });

  document.addEventListener("click", function (e) {
    var close = e.target.closest && e.target.closest(".term-history button.close-history");
    if (close) { closeHistory(close.closest("tr.term-history")); }
  });

  // A form that asks first (undoing an import) says what it will do and goes on only when
  // the user agrees.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && inGlossaryPage(form) && !window.confirm(question)) { e.preventDefault(); }
  });

  // ---- Article page: add the selected Arabic as a term ----

  var pop = null;     // the popover element, built on first use
  var state = "closed"; // closed | offer (just the button) | form | done
  var timer = 0;

  function sourceCellOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el && el.closest ? el.closest(".src") : null;
  }

  // selectedSource returns the selection when it lies inside one Arabic source cell.
  function selectedSource() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) { return null; }
    var cell = sourceCellOf(sel.anchorNode);
    if (!cell || cell !== sourceCellOf(sel.focusNode)) { return null; }
    var text = sel.toString().replace(/\s+/g, " ").trim();
    if (text === "" || text.length > 200) { return null; }
    return { cell: cell, text: text, rect: sel.getRangeAt(0).getBoundingClientRect() };
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }

  function buildPopover() {
    var offer = el("button", { type: "button", "class": "gl-offer", text: "Add to glossary" });
    var arabic = el("input", { name: "arabic", dir: "rtl", lang: "ar", "class": "ar", required: "", maxlength: "200", autocomplete: "off" });
    var english = el("input", { name: "english", lang: "en", required: "", maxlength: "300", autocomplete: "off" });
    var type = el("select", { name: "type" }, [
      el("option", { value: "term", text: "term" }),
      el("option", { value: "name", text: "name" })
    ]);
    var msg = el("p", { "class": "gl-msg", role: "status", "aria-live": "polite" });
    var submit = el("button", { type: "submit", "class": "primary gl-submit", text: "Add" });
    var cancel = el("button", { type: "button", "class": "gl-cancel", text: "Cancel" });
    var form = el("form", { "class": "gl-form", hidden: "" }, [
      el("label", { text: "Arabic" }, [arabic]),
      el("label", { text: "English" }, [english]),
      el("label", { text: "Type" }, [type]),
      msg,
      el("div", { "class": "gl-actions" }, [cancel, submit])
    ]);
    var p = el("div", { "class": "gl-pop", role: "dialog", "aria-label": "Add to glossary", hidden: "" }, [offer, form]);

    // Keep the selection (and focus) where it is when the offer is clicked.
    offer.addEventListener("mousedown", function (e) { e.preventDefault(); });
    offer.addEventListener("click", function () {
      offer.hidden = true;
      form.hidden = false;
      state = "form";
      english.focus();
    });
    cancel.addEventListener("click", hide);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (state === "done") { hide(); return; }
      addTerm({ arabic: arabic.value, english: english.value, type: type.value });
    });
    p.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); hide(); }
    });
    document.body.appendChild(p);
    p.parts = { offer: offer, form: form, arabic: arabic, english: english, type: type, msg: msg, submit: submit, cancel: cancel };
    return p;
  }

  function setMessage(text, kind) {
    var m = pop.parts.msg;
    m.textContent = text;
    m.className = "gl-msg" + (kind ? " " + kind : "");
  }

  function place(rect) {
    pop.hidden = false;
    var width = pop.offsetWidth;
    var left = Math.min(rect.right - width, document.documentElement.clientWidth - width - 8);
    pop.style.left = Math.max(8, left) + window.scrollX + "px";
    pop.style.top = rect.bottom + window.scrollY + 6 + "px";
  }

  function offer(s) {
    if (!pop) { pop = buildPopover(); }
    var parts = pop.parts;
    parts.offer.hidden = false;
    parts.form.hidden = true;
    parts.arabic.value = s.text;
    parts.english.value = "";
    parts.type.value = "term";
    parts.submit.textContent = "Add";
    parts.submit.disabled = false;
    parts.cancel.hidden = false;
    setMessage("", "");
    state = "offer";
    place(s.rect);
  }

  function hide() {
    if (!pop) { return; }
    pop.hidden = true;
    state = "closed";
  }

  function onSelection() {
    if (state === "form" || state === "done") { return; }
    if (pop && pop.contains(document.activeElement)) { return; }
    var s = selectedSource();
    if (s) { offer(s); } else { hide(); }
  }

  // Only admins may add terms (the server refuses anyone else), so only they are offered it;
  // layout.html marks the role on the body.
  function mayAddTerms() { return document.body.classList.contains("role-admin"); }

  document.addEventListener("selectionchange", function () {
    if (!document.querySelector(".src") || !mayAddTerms()) { return; }
    clearTimeout(timer);
    timer = setTimeout(onSelection, 150);
  });

  function addTerm(term) {
    var parts = pop.parts;
    parts.submit.disabled = true;
    setMessage("Adding…", "");
    fetch("/api/glossary", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(term)
    }).then(function (resp) {
      return resp.text().then(function (body) {
        var data = null;
        try { data = JSON.parse(body); } catch (_) { /* not JSON: reported below */ }
        return { status: resp.status, data: data };
      });
    }).then(function (r) {
      parts.submit.disabled = false;
      if (r.status === 201 && r.data) {
        state = "done";
        setMessage("Added " + r.data.arabic + " → " + r.data.english + ". Updating highlights…", "ok");
        parts.submit.textContent = "Close";
        parts.cancel.hidden = true;
        return refreshHighlights(r.data.id).then(function (n) {
          setMessage("Added " + r.data.arabic + " → " + r.data.english + " (" + n + " on this page).", "ok");
          parts.submit.focus();
        });
      }
      var msg = (r.data && r.data.error) || ("Request failed (" + r.status + ")");
      var ex = r.status === 409 && r.data && r.data.existing;
      if (ex) { msg = "Already in the glossary: " + ex.arabic + " → " + ex.english + " (term " + ex.id + ")."; }
      setMessage(msg, "error");
      return null;
    }).catch(function (err) {
      parts.submit.disabled = false;
      setMessage(err && err.message ? err.message : "Could not reach the Tarjama server.", "error");
      showError("Adding the term: " + (err && err.message ? err.message : err));
    });
  }

  // refreshHighlights re-reads this page and replaces only the Arabic source cells, so the
  // new term is highlighted everywhere while English being edited stays as it is.
  function refreshHighlights(termID) {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (resp) {
        if (!resp.ok) { throw new Error("reloading the highlights failed (" + resp.status + ")"); }
        return resp.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("form.seg").forEach(function (form) {
          var fresh = doc.getElementById(form.id);
          var cur = form.querySelector(".src"), next = fresh && fresh.querySelector(".src");
          if (cur && next) {
            cur.replaceWith(document.importNode(next, true));
          }
        });
        return document.querySelectorAll('.src mark.term[data-term="' + Number(termID) + '"]').length;
      });
  }
})();
