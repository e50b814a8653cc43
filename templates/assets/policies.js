// 政策文件库 filters (templates/policies.html). Loaded in <head> without defer: the class set on
// <html> here shows the filter form from the first paint (site.css hides it otherwise), so the
// page does not move when the script wires it up. Without JavaScript the form stays hidden and
// the page lists every policy, grouped. The choice is kept in the URL query (?org=…&year=…),
// so a filtered view can be linked to and survives a reload.
(function () {
  "use strict";
  document.documentElement.classList.add("js-policies");

  var KEYS = ["org", "year", "validity", "topic", "category"];

  // A filtered link (?org=…): the same choice as a style sheet, so that rows that do not match are
  // never laid out, rather than laid out and then hidden when the page has been read. Replaced by
  // the rows' own `hidden` once the script has them. (The title/文号 text is applied then only.)
  var early = null;
  (function () {
    var params = new URLSearchParams(window.location.search), match = "[data-policy]";
    KEYS.forEach(function (key) {
      var value = params.get(key);
      if (value) {
        match += "[data-" + key + "=\"" + value.replace(/["\\\n\r\f]/g, "") + "\"]";
      }
    });
    if (match === "[data-policy]") {
      return;
    }
    early = document.createElement("style");
    // Two rules: a browser without :has() drops only the second (groups then go a moment later).
    early.textContent = "[data-policy]:not(" + match + ") { display: none; }\n" +
      "[data-year-group]:not(:has(" + match + ")), [data-category-group]:not(:has(" + match + ")) { display: none; }";
    document.head.appendChild(early);
  })();

  // 文号 are typed with whatever brackets the keyboard has: 〔2026〕, [2026], (2026), 【2026】…
  function normalize(text) {
    return (text || "").toLowerCase().replace(/[\s〔〕［］\[\]（）()【】]/g, "");
  }

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    var form = document.getElementById("policy-filters");
    var status = document.getElementById("policy-count");
    if (!form || !status) {
      return;
    }
    var selects = {};
    KEYS.forEach(function (key) { selects[key] = form.elements[key]; });
    var text = form.elements.q;
    var rows = Array.prototype.map.call(document.querySelectorAll("[data-policy]"), function (el) {
      var title = el.querySelector(".p-title"), docNo = el.querySelector(".p-docno");
      return { el: el, text: normalize((title ? title.textContent : "") + " " + (docNo ? docNo.textContent : "")) };
    });
    var years = document.querySelectorAll("[data-year-group]");
    var categories = document.querySelectorAll("[data-category-group]");
    var announce = null;

    function chosen() {
      var out = {};
      KEYS.forEach(function (key) { out[key] = selects[key] ? selects[key].value : ""; });
      out.q = text ? text.value.trim() : "";
      return out;
    }

    function say(message) {
      // Only a real change reaches the status region, so a screen reader speaks only then.
      if (status.textContent !== message) {
        status.textContent = message;
      }
    }

    function apply(delaySpeech) {
      var want = chosen(), q = normalize(want.q), shown = 0;
      rows.forEach(function (row) {
        var ok = !q || row.text.indexOf(q) >= 0;
        for (var i = 0; ok && i < KEYS.length; i++) {
          var value = want[KEYS[i]];
          ok = !value || row.el.getAttribute("data-" + KEYS[i]) === value;
        }
        row.el.hidden = !ok;
        if (ok) {
          shown++;
        }
      });
      // A group without a matching row goes, heading and all.
      Array.prototype.forEach.call(years, function (group) {
        group.hidden = !group.querySelector("[data-policy]:not([hidden])");
      });
      Array.prototype.forEach.call(categories, function (group) {
        var count = group.querySelectorAll("[data-policy]:not([hidden])").length;
        group.hidden = count === 0;
        var label = group.querySelector("[data-group-count]");
        if (label) {
          label.textContent = String(count);
        }
      });
      var message = shown ? "共 " + shown + " 件" : "共 0 件，没有符合条件的政策文件，请调整筛选条件。";
      window.clearTimeout(announce);
      if (delaySpeech) {
        // While typing, speak the count once the reader pauses, not at every key.
        announce = window.setTimeout(function () { say(message); }, 400);
      } else {
        say(message);
      }
      return want;
    }

    function remember(want) {
      var params = new URLSearchParams();
      KEYS.concat(["q"]).forEach(function (key) {
        if (want[key]) {
          params.set(key, want[key]);
        }
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function update(delaySpeech) {
      remember(apply(delaySpeech));
    }

    // Restore the choice in the URL; a value the lists do not have (an old link) is ignored.
    var params = new URLSearchParams(window.location.search);
    KEYS.forEach(function (key) {
      var value = params.get(key), select = selects[key];
      if (value && select && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
    });
    if (text && params.get("q")) {
      text.value = params.get("q");
    }
    apply(false);
    if (early) {
      early.parentNode.removeChild(early);
    }

    KEYS.forEach(function (key) {
      if (selects[key]) {
        selects[key].addEventListener("change", function () { update(false); });
      }
    });
    if (text) {
      text.addEventListener("input", function () { update(true); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();   // Enter in the text box: the filter is already applied
      update(false);
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { update(false); }, 0);   // the form is reset after this event
    });
  });
})();
