/* UPR Hub report editor: progressive enhancement of the plain forms on the report page.
 *
 * - Live word count as people type: an instant local estimate, then (debounced) the exact
 *   figure and the findings from POST /reports/<id>/count/, which runs the same validator as
 *   the export and the CLI.
 *   The local estimate follows the validator's rule (uprhub/reports/validator.py): a word is a
 *   run of non-space characters containing a letter or digit; each CJK character is a word;
 *   zero-width characters and soft hyphens are ignored. It only moves the last exact figure by
 *   the words typed since, so it stays within a word or two of the server's count.
 * - Autosave every 10 seconds and when focus leaves a paragraph, with the version the editor
 *   started from. A 409 answer means someone else saved: both texts are shown, nothing is lost.
 * - Without JavaScript every form still posts and the server answers with a page.
 */
(function () {
  "use strict";

  var AUTOSAVE_MS = 10000;
  var COUNT_DEBOUNCE_MS = 700;
  var IGNORED = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af";
  var TOKEN = new RegExp("[" + CJK + "]|[^\\s" + CJK + "]+", "gu");
  var WORDLIKE = /[\p{L}\p{N}]/u;

  function countWords(text) {
    if (!text) return 0;
    var tokens = text.replace(IGNORED, "").match(TOKEN) || [];
    var n = 0;
    for (var i = 0; i < tokens.length; i++) if (WORDLIKE.test(tokens[i])) n++;
    return n;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var status = document.getElementById("report-status");
  var counter = document.getElementById("word-count");
  if (!status || !counter) return;
  var countUrl = status.getAttribute("data-count-url");
  var exact = parseInt(counter.getAttribute("data-words"), 10) || 0;
  var limit = parseInt(counter.getAttribute("data-limit"), 10) || 0;
  var baseline = null; // words of the field being typed in when `exact` was computed
  var countTimer = null;
  // Translated by the page (json_script "editor-strings").
  var stringsNode = document.getElementById("editor-strings");
  var t = stringsNode ? JSON.parse(stringsNode.textContent) : {};

  function fieldWords(form) {
    var text = form.querySelector("textarea[name=text]");
    var notes = form.querySelector("textarea[name=footnotes]");
    return countWords(text ? text.value : "") + countWords(notes ? notes.value : "");
  }

  function showEstimate(form) {
    if (baseline === null) baseline = { form: form, words: fieldWords(form) };
    if (baseline.form !== form) return;
    var estimate = exact + fieldWords(form) - baseline.words;
    // Group digits the page's language's way, like the server's count ("14,783", "14 783").
    var lang = document.documentElement.lang || undefined;
    counter.textContent = "≈ " + estimate.toLocaleString(lang) + (limit ? " / " + limit.toLocaleString(lang) : "");
    counter.classList.toggle("is-over", limit > 0 && estimate > limit);
  }

  function renderFindings(findings) {
    var holder = document.getElementById("findings-all");
    if (!holder) return;
    holder.textContent = "";
    if (!findings.length) return;
    var list = el("ul", { class: "findings", id: "findings" });
    findings.forEach(function (f) {
      var item = el("li", { class: "finding finding-" + f.severity });
      item.appendChild(el("span", { class: "finding-label" }, f.label + ":"));
      item.appendChild(document.createTextNode(" " + (f.paragraph ? "¶ " + f.paragraph + " — " : "") + f.message));
      list.appendChild(item);
    });
    holder.appendChild(list);
  }

  function renderQuality(form, data) {
    var article = form.closest(".report-paragraph");
    var holder = form.querySelector("[data-quality]") || (article && article.querySelector("[data-quality]"));
    if (!holder) return;
    holder.textContent = "";
    if (!data.estimate) return;
    var unmet = (data.hints || []).some(function (h) { return !h.met; });
    var warn = unmet || data.estimate.category !== 5;
    var box = el("div", { class: "estimate finding " + (warn ? "finding-warning" : "finding-tip") });
    var p = el("p");
    if (data.estimate.category) {
      p.appendChild(el("strong", {}, (t.category || "Estimated action category %s").replace("%s", data.estimate.category)));
      p.appendChild(document.createTextNode(": "));
    }
    p.appendChild(document.createTextNode(data.estimate.reason));
    box.appendChild(p);
    if (data.hints) {
      var list = el("ul", { class: "smart-hints" });
      data.hints.forEach(function (h) {
        list.appendChild(el("li", {}, (h.met ? "✓ " : "✗ ") + h.label + ": " + h.message));
      });
      box.appendChild(list);
    }
    holder.appendChild(box);
  }

  function requestCount(form) {
    clearTimeout(countTimer);
    countTimer = setTimeout(function () {
      var body = new FormData();
      var text = form.querySelector("textarea[name=text]");
      var notes = form.querySelector("textarea[name=footnotes]");
      if (form.hasAttribute("data-paragraph")) body.append("paragraph", form.getAttribute("data-paragraph"));
      if (form.hasAttribute("data-section")) body.append("section", form.getAttribute("data-section"));
      body.append("text", text ? text.value : "");
      body.append("footnotes", notes ? notes.value : "");
      var sentWords = fieldWords(form);
      fetch(countUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          exact = data.words;
          limit = data.limit;
          baseline = { form: form, words: sentWords };
          counter.textContent = data.summary;
          counter.setAttribute("data-words", String(data.words));
          counter.classList.toggle("is-over", !!data.over);
          renderFindings(data.findings || []);
          renderQuality(form, data);
          if (fieldWords(form) !== sentWords) showEstimate(form);
        })
        .catch(function () { /* the local estimate stays */ });
    }, COUNT_DEBOUNCE_MS);
  }

  // --- autosave and conflicts ---------------------------------------------------------------

  function setStatus(form, text) {
    var node = form.querySelector("[data-save-status]");
    if (node) node.textContent = text;
  }

  function showConflict(form, data) {
    var box = form.querySelector("[data-conflict]");
    form.setAttribute("data-in-conflict", "1");
    box.hidden = false;
    box.className = "conflict";
    box.setAttribute("role", "alert");
    box.textContent = "";
    box.appendChild(el("p", {}, data.message));
    box.appendChild(el("p", {}, (t.theirs || "Their version") + (data.theirs.author ? " (" + data.theirs.author + ")" : "") + ":"));
    box.appendChild(el("blockquote", {}, data.theirs.removed ? "—" : data.theirs.text));
    box.appendChild(el("p", {}, (t.yours || "Your version") + ":"));
    box.appendChild(el("blockquote", {}, data.yours.text));
    var keep = el("button", { type: "button", class: "button button-small" }, t.keep || "Keep my version");
    var take = el("button", { type: "button", class: "button button-small button-secondary" }, t.take || "Use their version");
    keep.addEventListener("click", function () {
      form.querySelector("input[name=version]").value = data.theirs.version;
      clearConflict(form);
      save(form, false);
    });
    take.addEventListener("click", function () {
      form.querySelector("input[name=version]").value = data.theirs.version;
      form.querySelector("textarea[name=text]").value = data.theirs.text;
      var notes = form.querySelector("textarea[name=footnotes]");
      if (notes) notes.value = (data.theirs.footnotes || []).join("\n");
      form.removeAttribute("data-dirty");
      clearConflict(form);
      requestCount(form);
    });
    box.appendChild(keep);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(take);
    keep.focus();
  }

  function clearConflict(form) {
    var box = form.querySelector("[data-conflict]");
    form.removeAttribute("data-in-conflict");
    box.hidden = true;
    box.textContent = "";
  }

  function save(form, automatic) {
    if (form.hasAttribute("data-in-conflict") || form.hasAttribute("data-saving")) return Promise.resolve();
    var body = new FormData(form);
    if (automatic) body.append("autosave", "1");
    var sent = form.querySelector("textarea[name=text]").value;
    form.setAttribute("data-saving", "1");
    setStatus(form, t.saving || "Saving…");
    return fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" },
    })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, data: data }; }); })
      .then(function (res) {
        form.removeAttribute("data-saving");
        if (res.status === 200) {
          form.querySelector("input[name=version]").value = res.data.version;
          if (form.querySelector("textarea[name=text]").value === sent) form.removeAttribute("data-dirty");
          var time = new Date(res.data.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
          setStatus(form, res.data.message + " " + time);
        } else if (res.status === 409) {
          setStatus(form, "");
          showConflict(form, res.data);
        } else {
          setStatus(form, res.data.error || "");
        }
      })
      .catch(function () {
        form.removeAttribute("data-saving");
        setStatus(form, t.offline || "Not saved: no connection.");
      });
  }

  var forms = document.querySelectorAll("form.paragraph-form");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("input", function () {
      form.setAttribute("data-dirty", "1");
      showEstimate(form);
      requestCount(form);
    });
    form.addEventListener("focusout", function (event) {
      if (form.contains(event.relatedTarget)) return;
      if (form.hasAttribute("data-dirty")) save(form, true);
    });
    form.addEventListener("focusin", function () {
      if (!baseline || baseline.form !== form) baseline = { form: form, words: fieldWords(form) };
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form, false);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form.new-paragraph"), function (form) {
    form.addEventListener("focusin", function () {
      if (!baseline || baseline.form !== form) baseline = { form: form, words: fieldWords(form) };
    });
    form.addEventListener("input", function () {
      showEstimate(form);
      requestCount(form);
    });
  });

  setInterval(function () {
    Array.prototype.forEach.call(forms, function (form) {
      if (form.hasAttribute("data-dirty")) save(form, true);
    });
  }, AUTOSAVE_MS);

  window.addEventListener("beforeunload", function (event) {
    var unsaved = Array.prototype.some.call(forms, function (f) { return f.hasAttribute("data-dirty"); });
    if (unsaved) {
      Array.prototype.forEach.call(forms, function (f) { if (f.hasAttribute("data-dirty")) save(f, true); });
      event.preventDefault();
    }
  });
})();
