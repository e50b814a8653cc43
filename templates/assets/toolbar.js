// Reading aids, part 2 (deferred). Part 1, inline in base.html's <head>, has already applied
// the saved settings as classes on <html> before the first paint and left window.gxsiteReading
// (the settings, clean() and apply()). Here the toolbar's buttons, the shortcuts, the crosshair,
// the caption bar and speech are wired. Nothing here changes the layout at load: the toolbar's
// size is fixed in the HTML and CSS, and what this script adds (the crosshair, the caption bar)
// is position: fixed. The status line speaks only when the reader has just done something.
(function () {
  "use strict";
  var R = window.gxsiteReading;
  var tools = document.getElementById("tools");
  if (!R || !tools) {
    return;
  }
  var root = document.documentElement;
  var ZOOMS = [1, 1.25, 1.5, 1.75, 2];
  var SCALES = [1, 1.15, 1.3, 1.5, 1.75, 2];
  var RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
  var SCHEMES = ["", "yb", "wb", "bu"];
  var SCHEME_NAMES = {"": "默认配色", yb: "黑底黄字", wb: "白底黑字", bu: "蓝底白字"};
  var s = R.state;
  var status = tools.querySelector(".tools-status");
  var help = document.getElementById("tools-help");

  function $(tool, value) {
    var sel = 'button[data-ra="' + tool + '"]' + (value === undefined ? "" : '[data-value="' + value + '"]');
    return tools.querySelector(sel);
  }
  function all(selector) {
    return Array.prototype.slice.call(tools.querySelectorAll(selector));
  }

  function save() {
    try {
      window.localStorage.setItem(R.key, JSON.stringify(s));
    } catch (e) { /* storage off (private mode): the settings hold for this page only */ }
  }

  function say(message) {
    // Emptied first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function pct(x) {
    return Math.round(x * 100) + "%";
  }

  // Buttons mirror the settings; only colours and texts in fixed boxes change.
  function refresh() {
    $("open").setAttribute("aria-expanded", String(s.open));
    all('button[data-ra="scheme"]').forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === s.scheme));
    });
    all('button[data-ra="cursor"]').forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === s.cursor));
    });
    ["crosshair", "caption", "plain", "point"].forEach(function (k) {
      $(k).setAttribute("aria-pressed", String(s[k]));
    });
    $("read").setAttribute("aria-pressed", String(reading !== null));
    $("zoom-in").setAttribute("aria-disabled", String(s.zoom === ZOOMS[ZOOMS.length - 1]));
    $("zoom-out").setAttribute("aria-disabled", String(s.zoom === ZOOMS[0]));
    $("larger").setAttribute("aria-disabled", String(s.scale === SCALES[SCALES.length - 1]));
    $("smaller").setAttribute("aria-disabled", String(s.scale === SCALES[0]));
    $("slower").setAttribute("aria-disabled", String(!canSpeak || s.rate === RATES[0]));
    $("faster").setAttribute("aria-disabled", String(!canSpeak || s.rate === RATES[RATES.length - 1]));
    if (!canSpeak) {
      all("button[data-speech]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    }
    tools.querySelector('[data-ra-value="zoom"]').textContent = pct(s.zoom);
    tools.querySelector('[data-ra-value="rate"]').textContent = "语速 " + s.rate + " 倍";
    var helpOpen = help.classList.contains("open");
    $("help").setAttribute("aria-expanded", String(helpOpen));
  }

  function commit(message) {
    R.apply(s);
    save();
    refresh();
    overlays();
    if (message) {
      say(message);
    }
  }

  // Steps through a list; at either end it says so rather than doing nothing silently.
  function step(key, list, by, name, format) {
    var i = list.indexOf(s[key]);
    var next = by === 0 ? list.indexOf(1) : Math.min(list.length - 1, Math.max(0, i + by));
    if (by !== 0 && next === i) {
      say(by > 0 ? "已是最大" + name + "。" : "已是最小" + name + "。");
      return;
    }
    s[key] = list[next];
    commit(name + "：" + format(s[key]));
  }

  function toggle(key, on, off) {
    s[key] = !s[key];
    commit(s[key] ? on : off);
  }

  // ---- crosshair and caption bar (position: fixed, aria-hidden: for the eye only) ---------
  var lineX = null, lineY = null, bar = null, pointed = null;

  function overlay(className) {
    var el = document.createElement("div");
    el.className = "ra-overlay " + className;
    el.setAttribute("aria-hidden", "true");
    document.body.appendChild(el);
    return el;
  }

  function overlays() {
    if (s.crosshair && !lineX) {
      lineX = overlay("ra-line ra-line-x");
      lineY = overlay("ra-line ra-line-y");
    }
    if (s.caption && !bar) {
      bar = overlay("ra-caption-bar");
    }
    if (bar && s.caption) {
      bar.textContent = pointed ? textOf(pointed) : "大字幕：指向或用键盘选中内容，这里用大字显示。";
    }
  }

  var READABLE = "a, button, summary, label, h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, caption, " +
                 "figcaption, blockquote, pre, img, input, select, textarea, [aria-label]";

  // What the pointer or focus is on, as a reader would name it: a link's or button's name, an
  // image's text alternative, a field's label, else the text of the nearest paragraph-like block.
  function textOf(el) {
    var target = el.closest ? el.closest(READABLE) : null;
    if (!target) {
      return "";
    }
    var text = "";
    if (target.tagName === "IMG") {
      text = target.getAttribute("alt") || "";
    } else if (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      var label = target.labels && target.labels[0];
      text = (label ? label.innerText : "") + " " + (target.getAttribute("aria-label") || target.placeholder || "");
    } else {
      text = target.getAttribute("aria-label") || target.innerText || target.textContent || "";
    }
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 160 ? text.slice(0, 160) + "…" : text;
  }

  function ours(el) {
    return !el || !el.closest || el.closest(".ra-overlay");
  }

  function pointAt(el, byFocus) {
    if (ours(el)) {
      return;
    }
    pointed = el;
    if (bar && s.caption) {
      bar.textContent = textOf(el);
    }
    if (s.point) {
      pointSpeak(el);
    }
    if (byFocus && s.caption) {
      keepClear(el);
    }
  }

  // The caption bar must not cover the focused element (scroll-padding does it where supported).
  function keepClear(el) {
    var box = el.getBoundingClientRect();
    var limit = window.innerHeight - (bar ? bar.offsetHeight : 0) - 8;
    if (box.bottom > limit && box.top > 0) {
      window.scrollBy(0, box.bottom - limit);
    }
  }

  // Pointing follows real pointer movement (mousemove), not mouseover: a page scrolled by the
  // keyboard slides other elements under a resting pointer, and focus must keep the word then.
  var hovered = null;
  document.addEventListener("mousemove", function (event) {
    if (lineX && s.crosshair) {
      lineX.style.transform = "translateY(" + (event.clientY - 1) + "px)";
      lineY.style.transform = "translateX(" + (event.clientX - 1) + "px)";
      lineX.classList.add("ra-seen");
      lineY.classList.add("ra-seen");
    }
    if (event.target !== hovered) {
      hovered = event.target;
      pointAt(hovered, false);
    }
  }, {passive: true});
  document.addEventListener("focusin", function (event) {
    pointAt(event.target, true);
    if (!tools.contains(event.target)) {
      lastPlace = event.target;
    }
  });
  document.addEventListener("click", function (event) {
    if (!tools.contains(event.target) && !ours(event.target)) {
      lastPlace = event.target;
    }
  });

  // ---- speech: 指读 (what is pointed at) and 连读 (the main text from here on) ----------------
  var synth = window.speechSynthesis;
  var canSpeak = !!(synth && typeof window.SpeechSynthesisUtterance === "function");
  var reading = null;        // {blocks, index} while 连读 runs
  var pointTimer = 0, lastPlace = null, lastSpoken = "";

  function voice() {
    var voices = synth.getVoices ? synth.getVoices() : [];
    return voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0] ||
           voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
  }

  function chunks(text) {
    // Short utterances: some engines stop a long one after about 15 seconds.
    var parts = text.match(/[^。！？；!?;，,\n]+[。！？；!?;，,]*/g) || [];
    var out = [], current = "";
    parts.forEach(function (part) {
      if ((current + part).length > 120 && current) {
        out.push(current);
        current = "";
      }
      current += part.replace(/\s+/g, " ");
    });
    if (current.trim()) {
      out.push(current);
    }
    return out;
  }

  function utter(text, onend) {
    var u = new window.SpeechSynthesisUtterance(text);
    var v = voice();
    u.lang = "zh-CN";
    u.rate = s.rate;
    if (v) {
      u.voice = v;
    }
    if (onend) {
      u.onend = onend;
    }
    synth.speak(u);
  }

  function cantSpeak() {
    say("您的浏览器不支持朗读功能。可使用手机或电脑自带的读屏软件收听本页。");
  }

  function pointSpeak(el) {
    window.clearTimeout(pointTimer);
    // Debounced: the pointer crossing the page does not start a word at every element.
    pointTimer = window.setTimeout(function () {
      var text = textOf(el);
      if (!text || text === lastSpoken || reading) {
        return;
      }
      lastSpoken = text;
      synth.cancel();
      chunks(text).forEach(function (part) { utter(part); });
    }, 350);
  }

  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, caption, th, td, figcaption, blockquote, pre";

  // The main text as blocks (the innermost ones, so that nothing is read twice), in page order.
  function blocks() {
    var main = document.querySelector("main");
    if (!main) {
      return [];
    }
    return Array.prototype.slice.call(main.querySelectorAll(BLOCKS)).filter(function (el) {
      return !el.querySelector(BLOCKS) && el.getClientRects().length && (el.innerText || "").trim();
    });
  }

  function startAt(list) {
    var place = lastPlace;
    if (!place || !document.contains(place)) {
      return 0;
    }
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (b === place || b.contains(place) || place.contains(b) ||
          (place.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        return i;
      }
    }
    return 0;
  }

  function mark(el) {
    var old = document.querySelector(".ra-reading");
    if (old) {
      old.classList.remove("ra-reading");
    }
    if (el) {
      el.classList.add("ra-reading");
      if (el.scrollIntoView) {
        el.scrollIntoView({block: "nearest"});
      }
    }
  }

  function readNext() {
    if (!reading) {
      return;
    }
    var el = reading.blocks[reading.index];
    if (!el) {
      stopSpeaking("");
      return;
    }
    mark(el);
    var token = reading;
    var parts = chunks(el.innerText || el.textContent || "");
    parts.forEach(function (part, i) {
      utter(part, i === parts.length - 1 ? function () {
        if (reading === token) {
          reading.index += 1;
          readNext();
        }
      } : null);
    });
    if (!parts.length) {
      reading.index += 1;
      readNext();
    }
  }

  function read() {
    if (!canSpeak) {
      cantSpeak();
      return;
    }
    if (reading) {
      stopSpeaking("已停止朗读。");
      return;
    }
    var list = blocks();
    if (!list.length) {
      say("本页没有可朗读的正文。");
      return;
    }
    synth.cancel();
    reading = {blocks: list, index: startAt(list)};
    refresh();
    say("连读：从选中处起朗读正文，按 Esc 停止。");
    readNext();
  }

  function stopSpeaking(message) {
    window.clearTimeout(pointTimer);
    reading = null;
    lastSpoken = "";
    mark(null);
    if (canSpeak) {
      synth.cancel();
    }
    refresh();
    if (message) {
      say(message);
    }
  }

  window.addEventListener("pagehide", function () {
    if (canSpeak) {
      synth.cancel();
    }
  });

  // ---- the buttons and the keys -----------------------------------------------------------
  function showHelp(open) {
    help.classList.toggle("open", open);
    if (open && !s.open) {
      s.open = true;
      commit("");
    }
    refresh();
  }

  var actions = {
    "open": function () {
      s.open = !s.open;
      if (!s.open) {
        help.classList.remove("open");
      }
      commit("");
    },
    "zoom-in": function () { step("zoom", ZOOMS, 1, "页面缩放", pct); },
    "zoom-out": function () { step("zoom", ZOOMS, -1, "页面缩放", pct); },
    "larger": function () { step("scale", SCALES, 1, "字号", pct); },
    "smaller": function () { step("scale", SCALES, -1, "字号", pct); },
    "reset-text": function () { step("scale", SCALES, 0, "字号", pct); },
    "scheme": function (value) {
      s.scheme = value === undefined ? SCHEMES[(SCHEMES.indexOf(s.scheme) + 1) % SCHEMES.length] : value;
      commit("配色：" + SCHEME_NAMES[s.scheme]);
    },
    "cursor": function (value) {
      var next = value === undefined ? {"": "black", black: "white", white: ""}[s.cursor] : value;
      s.cursor = next === s.cursor ? "" : next;
      commit({"": "已关闭大鼠标。", black: "已开启黑色大鼠标。", white: "已开启白色大鼠标。"}[s.cursor]);
    },
    "crosshair": function () { toggle("crosshair", "已开启十字线。", "已关闭十字线。"); },
    "caption": function () { toggle("caption", "已开启大字幕。", "已关闭大字幕。"); },
    "plain": function () { toggle("plain", "已切换为纯文本。", "已恢复原来的版式。"); },
    "point": function () {
      if (!canSpeak) {
        cantSpeak();
        return;
      }
      toggle("point", "已开启指读：指向或选中的内容将被朗读。", "已关闭指读。");
      if (!s.point) {
        stopSpeaking("");
      }
    },
    "read": read,
    "slower": function () { if (canSpeak) { step("rate", RATES, -1, "语速", function (r) { return r + " 倍"; }); } else { cantSpeak(); } },
    "faster": function () { if (canSpeak) { step("rate", RATES, 1, "语速", function (r) { return r + " 倍"; }); } else { cantSpeak(); } },
    "stop": function () { if (canSpeak) { stopSpeaking("已停止朗读。"); } else { cantSpeak(); } },
    "reset": function () {
      stopSpeaking("");
      try {
        window.localStorage.removeItem(R.key);
      } catch (e) { /* nothing kept */ }
      var open = s.open;
      s = R.state = R.clean({});
      s.open = open;          // the tools stay open on this page; the next page starts closed
      R.apply(s);
      refresh();
      overlays();
      say("已全部恢复默认设置。");
    },
    "help": function () { showHelp(!help.classList.contains("open")); }
  };

  tools.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-ra]") : null;
    if (!button) {
      return;
    }
    var value = button.getAttribute("data-value");
    actions[button.getAttribute("data-ra")](value === null ? undefined : value);
  });

  // Alt+Shift+key: not taken by the browsers' or screen readers' own keys (Chrome's Alt+Shift+
  // T/I/B/A are left alone). event.code, so that the keyboard layout and Shift do not matter.
  var KEYS = {
    KeyG: "open", Equal: "zoom-in", NumpadAdd: "zoom-in", Minus: "zoom-out", NumpadSubtract: "zoom-out",
    BracketRight: "larger", BracketLeft: "smaller", KeyP: "scheme", KeyM: "cursor", KeyX: "crosshair",
    KeyC: "caption", KeyW: "plain", KeyD: "point", KeyL: "read", Comma: "slower", Period: "faster",
    KeyS: "stop", KeyR: "reset", KeyH: "help"
  };

  function typing(el) {
    return el && (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
      (el.tagName === "INPUT" && !/^(button|submit|reset|checkbox|radio|range|color|file|image)$/.test(el.type)));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      var wasOpen = help.classList.contains("open");
      if (wasOpen) {
        showHelp(false);
        if (help.contains(document.activeElement) || document.activeElement === document.body) {
          $("help").focus();
        }
      }
      var closing = !wasOpen && s.open && tools.contains(document.activeElement) &&
                    document.activeElement !== $("open");
      if (closing) {          // Esc inside the tools closes them and returns to their button
        $("open").focus();
        actions.open();
      }
      if (reading || (canSpeak && synth.speaking)) {
        stopSpeaking("已停止朗读。");
      }
      return;
    }
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var tool = KEYS[event.code];
    if (!tool) {
      return;
    }
    event.preventDefault();
    if (tool === "help") {
      showHelp(true);
      $("help").focus();
    } else {
      actions[tool]();
    }
    if (tool === "open" && s.open) {
      $("open").focus();
    }
  });

  refresh();
  overlays();
})();
