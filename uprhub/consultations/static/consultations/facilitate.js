/* Facilitator mode: testimony entered at an event is kept on this device and sent when
 * there is a connection.
 *
 * Each entry gets a client_id (crypto.randomUUID) and a receipt code made here
 * (crypto.getRandomValues; same alphabet and shape as uprhub/consultations/crypto.py), so the
 * person gets their code at once, even offline. Entries wait in localStorage and are sent one
 * at a time to the sync address; one is removed from the device only when the server answered
 * 200 with its client_id. The server stores a client_id once, so an entry sent again after a
 * lost answer is not stored twice. A 403 (signed out, session expired) keeps every entry and
 * asks to sign in again. Without this script the form posts normally.
 */
(function () {
  "use strict";

  var form = document.getElementById("facilitate-form");
  var status = document.getElementById("facilitate-status");
  if (!form || !status || !window.localStorage || !window.crypto || !window.fetch) {
    return; // the form posts to the server as it is
  }

  var ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  var CODE_LENGTH = 20;
  var RETRY_MS = 15000;
  var key = form.getAttribute("data-queue-key");
  var syncUrl = form.getAttribute("data-sync-url");
  var receipt = document.getElementById("offline-receipt");
  var signIn = document.getElementById("sign-in-again");
  var failedList = document.getElementById("failed-entries");
  var sendNow = document.getElementById("send-now");
  var sending = false;
  var signedOut = false;

  function newCode() {
    // Rejection sampling: 248 = 8 × 31, so every symbol is equally likely.
    var out = "";
    var bytes = new Uint8Array(64);
    while (out.length < CODE_LENGTH) {
      window.crypto.getRandomValues(bytes);
      for (var i = 0; i < bytes.length && out.length < CODE_LENGTH; i++) {
        if (bytes[i] < 248) {
          out += ALPHABET.charAt(bytes[i] % 31);
        }
      }
    }
    return out.match(/.{4}/g).join("-");
  }

  function newId() {
    if (window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function save(queue) {
    window.localStorage.setItem(key, JSON.stringify(queue));
  }

  function message(name, count) {
    return (status.getAttribute("data-" + name) || "").replace("%(count)s", String(count));
  }

  function show() {
    var queue = load();
    var waiting = queue.filter(function (entry) { return !entry.error; });
    var failed = queue.filter(function (entry) { return entry.error; });
    var text;
    if (signedOut && waiting.length) {
      text = message("sign-in", waiting.length);
    } else if (waiting.length === 1) {
      text = message("one", 1);
    } else if (waiting.length) {
      text = message("many", waiting.length);
    } else if (failed.length) {
      text = message("failed", failed.length);
    } else {
      text = message("none", 0);
    }
    if (status.textContent !== text) {
      status.textContent = text;
    }
    signIn.hidden = !(signedOut && waiting.length);
    sendNow.hidden = !waiting.length;
    failedList.hidden = !failed.length;
    failedList.textContent = "";
    if (failed.length) {
      var head = document.createElement("li");
      head.textContent = message("failed", failed.length);
      failedList.appendChild(head);
      failed.forEach(function (entry) {
        var item = document.createElement("li");
        item.textContent = entry.receipt_code + ": " + entry.error + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button-small";
        remove.textContent = message("remove", 0) + " " + entry.receipt_code;
        remove.addEventListener("click", function () {
          save(load().filter(function (other) { return other.client_id !== entry.client_id; }));
          show();
        });
        item.appendChild(remove);
        failedList.appendChild(item);
      });
    }
  }

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function sendOne(entry) {
    return window.fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(entry)
    }).then(function (response) {
      if (response.status === 200) {
        return response.json().then(function (answer) {
          return answer.client_id === entry.client_id ? "stored" : "retry";
        });
      }
      if (response.status === 400) {
        return response.json().then(function (answer) {
          return { refused: (answer.messages || []).join(" ") || "?" };
        }, function () { return { refused: "?" }; });
      }
      if (response.status === 403 || response.type === "opaqueredirect" ||
          (response.status >= 300 && response.status < 400)) {
        return "signed-out";
      }
      return "retry"; // 5xx, 429: try again later
    }, function () {
      return "retry"; // no connection
    });
  }

  function sync() {
    if (sending || navigator.onLine === false) {
      return;
    }
    var next = load().filter(function (entry) { return !entry.error; })[0];
    if (!next) {
      signedOut = false;
      show();
      return;
    }
    sending = true;
    sendOne(next).then(function (result) {
      sending = false;
      // Re-read: the form may have added entries meanwhile.
      var queue = load();
      if (result === "stored") {
        signedOut = false;
        save(queue.filter(function (entry) { return entry.client_id !== next.client_id; }));
        show();
        sync();
        return;
      }
      if (result && result.refused) {
        queue.forEach(function (entry) {
          if (entry.client_id === next.client_id) {
            entry.error = result.refused;
          }
        });
        save(queue);
        show();
        sync();
        return;
      }
      signedOut = result === "signed-out";
      show();
    });
  }

  function entryFrom(data) {
    var entry = {};
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        entry[name] = value;
      }
    });
    // Unticked boxes are not in FormData: every consent is false unless ticked.
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      entry[box.name] = box.checked;
    });
    entry.client_id = newId();
    entry.receipt_code = newCode();
    return entry;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = form.querySelector("[name=text]");
    if (!text.value.trim()) {
      status.textContent = message("empty", 0);
      text.focus();
      return;
    }
    var entry = entryFrom(new FormData(form));
    var queue = load();
    queue.push(entry);
    save(queue);
    form.reset();
    var code = document.createElement("strong");
    code.id = "offline-code";
    code.textContent = entry.receipt_code;
    receipt.textContent = message("kept", 0) + " ";
    receipt.appendChild(code);
    show();
    receipt.scrollIntoView();
    sync();
  });

  sendNow.addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.setInterval(sync, RETRY_MS);
  show();
  sync();
})();
