// Tarjama's page behaviour: CSRF header on every htmx write, visible errors, the conflict
// view (its Keep mine / Use theirs buttons are plain htmx posts), and the keyboard flow (Save or Ctrl+Enter saves and moves on; focus stays in a row a write swaps). No framework beyond htmx.
(function () {
  "use strict";

  var errorBox = function () { return document.getElementById("errors"); };

  // showError puts a message where the reviewer sees it; errors are never swallowed.
  function showError(msg) {
    var box = errorBox();
    if (!box) { return; }
    box.textContent = msg;
    box.hidden = false;
  }
  function clearError() {
    var box = errorBox();
    if (box) { box.hidden = true; box.textContent = ""; }
  }
  window.addEventListener("error", function (e) {
    showError("Script error: " + (e.message || e.error || "unknown") + (e.filename ? " (" + e.filename + ":" + e.lineno + ")" : ""));
  });
  window.addEventListener("unhandledrejection", function (e) {
    showError("Script error: " + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  var advanceFrom = null; // the segment whose save or approval should move focus on
  var advanceToReview = false; // after an approval, on to the next segment needing review
  var restore = null; // {id, sel}: what had focus in a row whose write is on its way

  // Shared with the page scripts loaded after this one (glossary.js).
  // errorText is what a failed request tells the reader: the server's JSON {error}, or the
  // status when the body is not that.
  function errorText(status, body) {
    try {
      var msg = JSON.parse(body).error;
      if (msg) { return msg; }
    } catch (_) { /* not JSON: fall back to the status */ }
    return "Request failed (" + status + ")";
  }

  window.Tarjama = { showError: showError, clearError: clearError, csrfToken: csrfToken, errorText: errorText };

  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  if (window.htmx) {
    // Swap 409 responses too: they carry the segment with both texts for the reviewer.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409", swap: true },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false }
    ];
  }

  // A 409 that is not a segment row (JSON {error}, e.g. editing an excluded segment) is an
  // error to show, not a conflict view to swap in.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr.status !== 409 || (xhr.getResponseHeader("Content-Type") || "").indexOf("application/json") !== 0) { return; }
    e.detail.shouldSwap = false;
    advanceFrom = null;
    showError(errorText(xhr.status, xhr.responseText));
  });

  document.addEventListener("htmx:responseError", function (e) {
    advanceFrom = null; // a failed write stays where it is
    restore = null;
    var xhr = e.detail.xhr;
    showError(errorText(xhr.status, xhr.responseText));
  });
  document.addEventListener("htmx:sendError", function () {
    showError("Could not reach the Tarjama server. Your text is still in the box; try again.");
  });

  function segmentForms() { return Array.prototype.slice.call(document.querySelectorAll("form.seg")); }

  function needsReview(f) {
    var st = f.getAttribute("data-status");
    return st !== "approved" && st !== "excluded";
  }

  function focusRow(f) {
    var ta = f.querySelector("textarea");
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
    f.scrollIntoView({ block: "center" });
  }

  // focusNext moves to the row after segment id among the visible ones; with review set, to
  // the next one still needing review (after it, then from the top), skipping approved and
  // excluded rows.
  function focusNext(id, review) {
    var forms = segmentForms().filter(function (f) { return f.offsetParent !== null || f.id === "seg-" + id; });
    var at = -1;
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].id === "seg-" + id) { at = i; break; }
    }
    if (at < 0) { return; }
    if (!review) {
      if (forms[at + 1]) { focusRow(forms[at + 1]); }
      return;
    }
    var order = forms.slice(at + 1).concat(forms.slice(0, at));
    for (var j = 0; j < order.length; j++) {
      if (needsReview(order[j])) { focusRow(order[j]); return; }
    }
  }

  // A write that swaps its row (Keep mine, Use theirs, Exclude, Include) would drop the focus
  // to the page body with the old row: note what had it, to give it back in the new row.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var row = e.detail.target;
    var a = document.activeElement;
    if (!row || !row.matches || !row.matches("form.seg") || !a || !row.contains(a)) { return; }
    var sel = "textarea";
    if (a.tagName === "BUTTON" && a.classList.length > 0) { sel = "button." + a.classList[0]; }
    restore = { id: row.getAttribute("data-id"), sel: sel };
  });

  document.addEventListener("htmx:afterSettle", function (e) {
    var el = e.detail.elt;
    if (!el || !el.classList || !el.classList.contains("seg")) { return; }
    if (e.detail.xhr && e.detail.xhr.status < 300) { clearError(); }
    var back = restore && el.id === "seg-" + restore.id ? restore : null;
    if (back) { restore = null; }
    if (advanceFrom && el.id === "seg-" + advanceFrom) {
      var id = advanceFrom, review = advanceToReview;
      advanceFrom = null;
      advanceToReview = false;
      if (el.classList.contains("conflict")) {
        el.querySelector("textarea").focus();
      } else if (el.classList.contains("qa-refused")) {
        // Approval refused over open errors: on to the first error's Ignore button.
        (el.querySelector(".qa-error button.qa-ignore") || el.querySelector("textarea")).focus();
      } else {
        focusNext(id, review);
      }
    } else if (back && (document.activeElement === document.body || document.activeElement === null)) {
      var t = el.querySelector(back.sel + ":not([disabled])") || el.querySelector("textarea");
      t.focus();
    }
  });

  // moveBy focuses the segment n rows away among the visible ones (filters hide some).
  function moveBy(form, n) {
    var forms = segmentForms().filter(function (f) { return f.offsetParent !== null; });
    var i = forms.indexOf(form) + n;
    if (i < 0 || i >= forms.length) { return; }
    var ta = forms[i].querySelector("textarea");
    ta.focus();
    forms[i].scrollIntoView({ block: "center" });
  }

  document.addEventListener("keydown", function (e) {
    var ta = e.target;
    if (!(ta instanceof HTMLTextAreaElement) || !ta.closest("form.seg")) { return; }
    var form = ta.closest("form.seg");
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (e.shiftKey) {
        form.querySelector("button.approve").click(); // approve-and-next, as a click does
      } else {
        advanceFrom = form.getAttribute("data-id");
        window.htmx.trigger(form, "submit");
      }
    } else if (e.altKey && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      moveBy(form, e.key === "ArrowDown" ? 1 : -1);
    }
  });

  // The buttons do what their keys do: Save moves on to the next segment, as Ctrl+Enter does;
  // Approve to the next segment needing review, as Ctrl+Shift+Enter does. Capture phase: this
  // runs before htmx sends the request.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("form.seg button.approve, form.seg button.save");
    if (!b || b.disabled) { return; }
    advanceFrom = b.closest("form.seg").getAttribute("data-id");
    advanceToReview = b.classList.contains("approve");
  }, true);

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.filter");
    if (!b) { return; }
    var list = document.getElementById("segments");
    list.setAttribute("data-filter", b.getAttribute("data-filter"));
    document.querySelectorAll("button.filter").forEach(function (x) {
      x.classList.toggle("active", x === b);
      x.setAttribute("aria-pressed", x === b ? "true" : "false");
    });
  });

  // "Use this" on a translation-memory match puts its English in the segment's box, unsaved:
  // the reviewer reads it there and saves it (Ctrl+Enter) or edits it first.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("form.seg button.tm-use");
    if (!b) { return; }
    var ta = b.closest("form.seg").querySelector("textarea");
    ta.value = b.getAttribute("data-theirs");
    fit(ta);
    ta.dispatchEvent(new Event("input", { bubbles: true })); // checked as if typed
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  });

  // Grow each editor to its text so source and target rows stay aligned.
  function fit(ta) {
    ta.style.height = "auto";
    ta.style.height = (ta.scrollHeight + 2) + "px";
    var bd = ta.parentNode.querySelector(".tgt-marks");
    if (bd) { bd.style.height = ta.offsetHeight + "px"; bd.style.width = ta.offsetWidth + "px"; }
  }
  document.addEventListener("input", function (e) {
    if (e.target instanceof HTMLTextAreaElement && e.target.closest("form.seg")) { fit(e.target); }
  });
  function fitAll(root) {
    (root || document).querySelectorAll("form.seg textarea").forEach(fit);
  }
  document.addEventListener("DOMContentLoaded", function () { fitAll(document); });
  document.addEventListener("htmx:load", function (e) { fitAll(e.detail.elt); });
})();

// Quality checks: each row's findings (the "qa" list the server renders, on load and after every
// check as the reviewer types) are marked in the Arabic, as focusable marks described by the
// finding, and on a backdrop behind the English editor; the row joins the "QA issues" filter
// while it has open findings. After an Ignore, focus moves on to the next open error's Ignore
// button, else to the row's Approve button.
(function () {
  "use strict";

  function span(li, name) {
    var v = li.getAttribute(name);
    if (!v) { return null; }
    var p = v.split(",");
    return [parseInt(p[0], 10), parseInt(p[1], 10)];
  }

  function unmark(root) {
    root.querySelectorAll("mark.qa-mark").forEach(function (m) {
      var parent = m.parentNode;
      while (m.firstChild) { parent.insertBefore(m.firstChild, m); }
      parent.removeChild(m);
      parent.normalize();
    });
  }

  // markRange wraps the code points [start, end) of root's text (hidden tooltip text left out)
  // in marks made by make, one per text node the range crosses; it returns the first.
  function markRange(root, start, end, make) {
    var nodes = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null), n;
    while ((n = walker.nextNode())) {
      if (!n.parentElement.closest(".tip-text")) { nodes.push(n); }
    }
    var pos = 0, first = null;
    nodes.forEach(function (node) {
      var cps = Array.from(node.data), a = Math.max(start, pos), b = Math.min(end, pos + cps.length);
      if (a < b) {
        var u = cps.slice(0, a - pos).join("").length, v = cps.slice(0, b - pos).join("").length;
        var mid = node.splitText(u);
        mid.splitText(v - u);
        var m = make();
        mid.parentNode.insertBefore(m, mid);
        m.appendChild(mid);
        if (!first) { first = m; }
      }
      pos += cps.length;
    });
    return first;
  }

  function newMark(li) {
    var m = document.createElement("mark");
    m.className = "qa-mark " + (li.classList.contains("qa-error") ? "qa-error" : "qa-warning") + (li.classList.contains("qa-ignored") ? " qa-ignored" : "");
    m.title = li.querySelector(".qa-msg").textContent;
    return m;
  }

  // syncBackdrop lays the backdrop exactly under the editor, with its text, so the marks wrap
  // where the editor's words do.
  function syncBackdrop(ta) {
    var bd = ta.parentNode.querySelector(".tgt-marks");
    if (!bd) { return null; }
    var cs = window.getComputedStyle(ta);
    ["fontFamily", "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing", "wordSpacing", "tabSize",
      "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
      "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "boxSizing"].forEach(function (k) { bd.style[k] = cs[k]; });
    bd.style.width = ta.offsetWidth + "px";
    bd.style.height = ta.offsetHeight + "px";
    bd.style.top = ta.offsetTop + "px";
    bd.style.left = ta.offsetLeft + "px";
    return bd;
  }

  // markRow marks a row's findings in its Arabic and behind its English, and files the row
  // under the "QA issues" filter while findings are open.
  function markRow(form) {
    var qa = form.querySelector(".qa"), src = form.querySelector(".src"), ta = form.querySelector("textarea");
    if (!qa || !src || !ta) { return; }
    unmark(src);
    var bd = syncBackdrop(ta);
    if (bd) { bd.textContent = ta.value; }
    qa.querySelectorAll("li.qa-finding").forEach(function (li) {
      var s = span(li, "data-src"), t = span(li, "data-tgt");
      if (s) {
        var m = markRange(src, s[0], s[1], function () {
          var x = newMark(li);
          x.setAttribute("data-finding", li.id);
          return x;
        });
        if (m) {
          m.tabIndex = 0;
          m.setAttribute("aria-describedby", li.id);
        }
      }
      if (t && bd) { markRange(bd, t[0], t[1], function () { return newMark(li); }); }
    });
    form.classList.toggle("qa-open", parseInt(qa.getAttribute("data-open"), 10) > 0);
    if (!qa.querySelector(".qa-refused-note")) { form.classList.remove("qa-refused"); }
  }

  function markAll(root) {
    if (root.matches && root.matches("form.seg")) { markRow(root); return; }
    var row = root.closest && root.closest("form.seg");
    if (row) { markRow(row); return; }
    (root.querySelectorAll ? root : document).querySelectorAll("form.seg").forEach(markRow);
  }

  // The English changed: the marks behind it are stale until the check answers.
  document.addEventListener("input", function (e) {
    var ta = e.target;
    if (!(ta instanceof HTMLTextAreaElement) || !ta.closest("form.seg")) { return; }
    var bd = syncBackdrop(ta);
    if (bd) { bd.textContent = ta.value; }
  });

  var ignoring = null; // the id of the findings list whose Ignore was pressed
  document.addEventListener("htmx:beforeRequest", function (e) {
    var b = e.detail.elt;
    if (b && b.matches && b.matches("button.qa-ignore")) { ignoring = b.closest(".qa").id; }
  });

  document.addEventListener("htmx:load", function (e) {
    var el = e.detail.elt;
    markAll(el);
    if (ignoring && el.id === ignoring) {
      ignoring = null;
      var row = el.closest("form.seg");
      var next = el.querySelector(".qa-error button.qa-ignore") || (row && row.querySelector("button.approve"));
      if (next && (document.activeElement === document.body || document.activeElement === null)) { next.focus(); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () { markAll(document); });
  // Rows the live translation progress puts in place are processed without a swap.
  window.Tarjama.markRow = markRow;
  window.addEventListener("resize", function () {
    document.querySelectorAll("form.seg textarea").forEach(syncBackdrop);
  });
})();

// Live translation progress: while a run is going the page follows its server-sent events,
// fills segments in as they arrive and lists failures. A row the reviewer is editing is never
// replaced under their hands; its next save meets the version check instead.
(function () {
  "use strict";
  function $(id) { return document.getElementById(id); }

  function follow(panel) {
    var id = panel.getAttribute("data-article");
    var es = new EventSource("/articles/" + id + "/events");
    var progress = $("progress"), bar = $("progress-bar"), text = $("progress-text"), summary = $("run-summary"), failures = $("failures");

    function show(ev) {
      progress.hidden = false;
      bar.max = Math.max(ev.total, 1);
      bar.value = ev.done;
      text.textContent = ev.done + "/" + ev.total + " segments" + (ev.failed ? ", " + ev.failed + " failed" : "") + (ev.flagged ? ", " + ev.flagged + " flagged" : "");
    }
    // counts puts the article's counts line from a segment or done event in place.
    function counts(ev) {
      var line = $("article-progress");
      if (!ev.progress_html || !line) { return; }
      var tpl = document.createElement("template");
      tpl.innerHTML = ev.progress_html.trim();
      if (tpl.content.firstElementChild) { line.replaceWith(tpl.content.firstElementChild); }
    }
    function busy(form) {
      var ta = form.querySelector("textarea");
      return ta && (document.activeElement === ta || ta.value !== ta.defaultValue);
    }
    function onSegment(ev) {
      if (ev.segment && !seenIDs[ev.segment.id]) { seenIDs[ev.segment.id] = true; seen++; }
      show(ev);
      counts(ev);
      var seg = ev.segment;
      if (seg && seg.status === "failed") {
        var li = document.createElement("li");
        li.textContent = "Segment " + (seg.index + 1) + ": " + (ev.reason || (seg.flags || []).join("; ") || "failed");
        failures.appendChild(li);
      }
      if (!seg || !ev.html) { return; }
      var row = $("seg-" + seg.id);
      if (!row || busy(row)) { return; }
      var tpl = document.createElement("template");
      tpl.innerHTML = ev.html.trim();
      var fresh = tpl.content.firstElementChild;
      if (row.classList.contains("para")) { fresh.classList.add("para"); }
      row.replaceWith(fresh);
      if (window.htmx) { window.htmx.process(fresh); }
      window.Tarjama.markRow(fresh);
    }
    // seen counts the distinct segments that arrived: after a reconnect the stream starts
    // again with the run's latest event, which may be a segment already seen.
    var seen = 0, seenIDs = {}, reloading = false, reconnecting = false;
    // refresh reloads the page when segment updates were missed (the run ended before this
    // page connected, or it fell behind), unless the reviewer has text they have not saved.
    function refresh() {
      if (reloading) { return; }
      var dirty = Array.prototype.some.call(document.querySelectorAll("form.seg"), busy);
      if (dirty) {
        summary.textContent += " Reload the page to see every segment (save your edit first).";
        return;
      }
      reloading = true;
      window.location.reload();
    }
    function finish(msg) {
      es.close();
      progress.hidden = true;
      var btn = $("translate");
      if (btn) { btn.disabled = false; }
      if (msg) { summary.textContent = msg; }
    }
    es.addEventListener("start", function (e) { show(JSON.parse(e.data)); });
    es.addEventListener("batch", function (e) { show(JSON.parse(e.data)); });
    es.addEventListener("segment", function (e) { onSegment(JSON.parse(e.data)); });
    es.addEventListener("retry", function (e) {
      var ev = JSON.parse(e.data);
      summary.textContent = "Retrying: " + (ev.reason || "the server asked to wait");
    });
    es.addEventListener("done", function (e) {
      var ev = JSON.parse(e.data), r = ev.report || {};
      counts(ev);
      finish((ev.summary || "") + (r.error ? " — " + r.error : ""));
      if (seen < (r.translated || 0) + (r.failed || 0)) { refresh(); }
    });
    es.addEventListener("end", function () { finish(""); });
    es.addEventListener("lagged", function () { es.close(); refresh(); });
    es.addEventListener("idle", function () { finish(""); if (seen === 0) { refresh(); } });
    // The server ends a long stream on purpose; the EventSource reconnects by itself and the
    // stream carries on. Segments that came in between are caught by the check at "done".
    // Only the end of that stream is expected: a failed reconnection is reported as usual.
    es.addEventListener("reconnect", function () { reconnecting = true; });
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) { return; }
      if (reconnecting) { reconnecting = false; return; }
      summary.textContent = "Lost the connection to the server; reload the page to see the latest state.";
      es.close();
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = $("translate-panel");
    if (panel && panel.getAttribute("data-running") === "1") { follow(panel); }
  });
})();
