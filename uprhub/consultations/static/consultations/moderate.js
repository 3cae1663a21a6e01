// Keyboard shortcuts of the moderation pages. Every shortcut is a link or a button already on
// the page, named by its aria-keyshortcuts attribute (a approve, r needs redaction, x reject,
// j next item, k previous item): the key clicks it, so the page works the same without
// JavaScript. On the queue, j and k move the focus between items (Enter opens one).
// Keys typed into a text field, or with Ctrl/Alt/Meta, are left alone.
(function () {
  "use strict";

  function typing(element) {
    if (!element || !element.tagName) return false;
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || element.isContentEditable) return true;
    if (tag !== "input") return false;
    var type = (element.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset", "hidden"].indexOf(type) === -1;
  }

  function moveInQueue(step) {
    var items = Array.prototype.slice.call(document.querySelectorAll("a[data-queue-item]"));
    if (!items.length) return false;
    var at = items.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : items.length - 1) : at + step;
    if (next < 0 || next >= items.length) return true;
    items[next].focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (["a", "r", "x", "j", "k"].indexOf(key) === -1) return;
    var target = document.querySelector('[aria-keyshortcuts="' + key + '"]');
    if (target) {
      event.preventDefault();
      target.click();
      return;
    }
    if ((key === "j" || key === "k") && moveInQueue(key === "j" ? 1 : -1)) {
      event.preventDefault();
    }
  });
})();
