/* Explorer: optional conveniences. Everything works without this file.
   - Ticking a filter box submits the form at once.
   - After the reload, focus returns to the control the visitor used. */
(function () {
  "use strict";
  var form = document.getElementById("explorer-form");
  if (!form) {
    return;
  }
  var KEY = "uprhub-explorer-focus";

  document.querySelectorAll(".js-hide").forEach(function (el) {
    el.hidden = true;
  });
  document.querySelectorAll(".js-only").forEach(function (el) {
    el.hidden = false;
  });

  function submitFrom(control) {
    try {
      sessionStorage.setItem(KEY, control.name + "=" + control.value);
    } catch (e) {
      /* storage may be disabled: focus simply stays at the top */
    }
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    // Not the sort menu: keyboard users move through its options, each firing "change".
    if (target.type === "checkbox" && target.closest(".facet")) {
      submitFrom(target);
    }
  });

  var saved = null;
  try {
    saved = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch (e) {
    saved = null;
  }
  if (saved) {
    var parts = saved.split("=");
    var name = parts.shift();
    var value = parts.join("=");
    var controls = form.querySelectorAll("[name='" + CSS.escape(name) + "']");
    for (var i = 0; i < controls.length; i++) {
      if (controls[i].value === value) {
        var details = controls[i].closest("details");
        if (details) {
          details.open = true;
        }
        controls[i].focus();
        break;
      }
    }
  }
})();
