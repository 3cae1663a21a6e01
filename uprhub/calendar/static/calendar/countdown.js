// Progressive enhancement of the server-rendered countdown: refresh it every minute.
// Units and plurals come from the browser's Intl API in the page's language, so no strings
// need translating here; without JavaScript the server's text stays.
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box || typeof Intl === "undefined" || !Intl.NumberFormat) return;
  var text = box.querySelector("[data-countdown-text]");
  var due = Date.parse(box.getAttribute("data-countdown"));
  var lang = document.documentElement.lang || box.getAttribute("data-lang") || "en";
  if (!text || isNaN(due)) return;

  function unit(value, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
    } catch (e) {
      return value + " " + name + (value === 1 ? "" : "s");
    }
  }

  function join(parts) {
    if (Intl.ListFormat) return new Intl.ListFormat(lang, { type: "conjunction" }).format(parts);
    return parts.join(", ");
  }

  function render() {
    var seconds = Math.max(0, Math.floor((due - Date.now()) / 1000));
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    if (days) text.textContent = join([unit(days, "day"), unit(hours, "hour")]);
    else if (hours) text.textContent = join([unit(hours, "hour"), unit(minutes, "minute")]);
    else text.textContent = unit(minutes, "minute");
  }

  render();
  window.setInterval(render, 60000);
})();
