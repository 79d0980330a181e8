// Tarjama's page behaviour: CSRF header on every htmx write, visible errors, the conflict
// view, and the keyboard flow (Ctrl+Enter saves and moves on). No framework beyond htmx.
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

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr, msg = "Request failed (" + xhr.status + ")";
    try { msg = JSON.parse(xhr.responseText).error || msg; } catch (_) { /* not JSON: keep the status */ }
    showError(msg);
  });
  document.addEventListener("htmx:sendError", function () {
    showError("Could not reach the Tarjama server. Your text is still in the box; try again.");
  });

  var advanceFrom = null;

  function segmentForms() { return Array.prototype.slice.call(document.querySelectorAll("form.seg")); }

  function focusNext(id) {
    var forms = segmentForms();
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].id === "seg-" + id) {
        var next = forms[i + 1];
        if (next) {
          var ta = next.querySelector("textarea");
          ta.focus();
          ta.setSelectionRange(ta.value.length, ta.value.length);
          next.scrollIntoView({ block: "center" });
        }
        return;
      }
    }
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    var el = e.detail.elt;
    if (!el || !el.classList || !el.classList.contains("seg")) { return; }
    if (e.detail.xhr && e.detail.xhr.status < 300) { clearError(); }
    if (advanceFrom && el.id === "seg-" + advanceFrom) {
      var id = advanceFrom;
      advanceFrom = null;
      if (el.classList.contains("conflict")) {
        el.querySelector("textarea").focus();
      } else {
        focusNext(id);
      }
    }
  });

  document.addEventListener("keydown", function (e) {
    var ta = e.target;
    if (!(ta instanceof HTMLTextAreaElement) || !ta.closest("form.seg")) { return; }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      var form = ta.closest("form.seg");
      advanceFrom = form.getAttribute("data-id");
      window.htmx.trigger(form, "submit");
    }
  });

  // Grow each editor to its text so source and target rows stay aligned.
  function fit(ta) { ta.style.height = "auto"; ta.style.height = (ta.scrollHeight + 2) + "px"; }
  document.addEventListener("input", function (e) {
    if (e.target instanceof HTMLTextAreaElement && e.target.closest("form.seg")) { fit(e.target); }
  });
  function fitAll(root) {
    (root || document).querySelectorAll("form.seg textarea").forEach(fit);
  }
  document.addEventListener("DOMContentLoaded", function () { fitAll(document); });
  document.addEventListener("htmx:load", function (e) { fitAll(e.detail.elt); });

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.take-theirs");
    if (!b) { return; }
    var ta = b.closest("form.seg").querySelector("textarea");
    ta.value = b.getAttribute("data-theirs");
    fit(ta);
    ta.focus();
  });
})();
