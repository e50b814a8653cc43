// Reading aids on every page (standard and 关怀版): text size, high contrast, read aloud.
// Loaded in <head> without defer so that the reader's saved size and contrast apply before
// the first paint; the toolbar itself is `hidden` in the HTML and shown here, so a browser
// without JavaScript shows the whole page and no dead buttons. Settings are kept in
// localStorage under one key and apply to every page of the site, in both versions.
(function () {
  "use strict";
  var KEY = "gxsite-reading";
  var SCALES = [1, 1.15, 1.3, 1.5, 1.75, 2];
  var root = document.documentElement;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return { scale: SCALES.indexOf(saved.scale) >= 0 ? saved.scale : 1, contrast: saved.contrast === true };
    } catch (e) {
      return { scale: 1, contrast: false };
    }
  }

  function save(settings) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (e) { /* storage off (private mode): the setting holds for this page only */ }
  }

  var settings = load();

  function apply() {
    // A percentage of the browser's own default size, so the reader's browser setting still counts.
    root.style.fontSize = settings.scale === 1 ? "" : Math.round(settings.scale * 100) + "%";
    if (settings.contrast) {
      root.classList.add("hc");
    } else {
      root.classList.remove("hc");
    }
  }
  apply();

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    var tools = document.getElementById("tools");
    if (!tools) {
      return;
    }
    var status = tools.querySelector(".tools-status");
    var buttons = {};
    Array.prototype.forEach.call(tools.querySelectorAll("button[data-tool]"), function (b) {
      buttons[b.getAttribute("data-tool")] = b;
    });

    function say(message) {
      // Emptied first so that the same message said twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function refresh() {
      var index = SCALES.indexOf(settings.scale);
      buttons.larger.setAttribute("aria-disabled", String(index === SCALES.length - 1));
      buttons.smaller.setAttribute("aria-disabled", String(index === 0));
      buttons.contrast.setAttribute("aria-pressed", String(settings.contrast));
    }

    function resize(step) {
      var index = SCALES.indexOf(settings.scale);
      var next = step === 0 ? 0 : Math.min(SCALES.length - 1, Math.max(0, index + step));
      if (step !== 0 && next === index) {
        say(step > 0 ? "已是最大字号。" : "已是最小字号。");
        return;
      }
      settings.scale = SCALES[next];
      save(settings);
      apply();
      refresh();
      say("字号：" + Math.round(settings.scale * 100) + "%");
    }

    // ---- read aloud (朗读) -----------------------------------------------------------
    var speaking = false;
    var synth = window.speechSynthesis;
    var canSpeak = !!(synth && typeof window.SpeechSynthesisUtterance === "function");

    function chunks(text) {
      // Short utterances: some engines stop a long one after about 15 seconds.
      var parts = text.match(/[^。！？；!?;，,\n]+[。！？；!?;，,]*/g) || [];
      var out = [];
      var current = "";
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

    function chineseVoice() {
      var voices = synth.getVoices ? synth.getVoices() : [];
      for (var i = 0; i < voices.length; i++) {
        if (/^zh[-_]CN/i.test(voices[i].lang)) {
          return voices[i];
        }
      }
      for (var j = 0; j < voices.length; j++) {
        if (/^zh/i.test(voices[j].lang)) {
          return voices[j];
        }
      }
      return null;
    }

    function stopSpeaking(message) {
      speaking = false;
      buttons.speak.textContent = "朗读";
      if (canSpeak) {
        synth.cancel();
      }
      if (message) {
        say(message);
      }
    }

    function speak() {
      if (!canSpeak) {
        say("您的浏览器不支持朗读功能。可使用手机或电脑自带的读屏软件收听本页。");
        return;
      }
      if (speaking) {
        stopSpeaking("已停止朗读。");
        return;
      }
      var main = document.querySelector("main");
      var parts = chunks(main ? (main.innerText || main.textContent || "") : "");
      if (!parts.length) {
        say("本页没有可朗读的正文。");
        return;
      }
      synth.cancel();
      var voice = chineseVoice();
      speaking = true;
      buttons.speak.textContent = "停止朗读";
      say("正在朗读正文，再按一次停止。");
      parts.forEach(function (text, i) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = "zh-CN";
        if (voice) {
          utterance.voice = voice;
        }
        if (i === parts.length - 1) {
          utterance.onend = function () { if (speaking) { stopSpeaking("朗读完毕。"); } };
        }
        utterance.onerror = function (event) {
          if (speaking && event.error !== "interrupted" && event.error !== "canceled") {
            stopSpeaking("朗读出错，请稍后再试。");
          }
        };
        synth.speak(utterance);
      });
    }

    window.addEventListener("pagehide", function () {
      if (speaking) {
        synth.cancel();
      }
    });

    tools.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-tool]") : null;
      if (!button) {
        return;
      }
      var tool = button.getAttribute("data-tool");
      if (tool === "larger") {
        resize(1);
      } else if (tool === "smaller") {
        resize(-1);
      } else if (tool === "reset") {
        resize(0);
      } else if (tool === "contrast") {
        settings.contrast = !settings.contrast;
        save(settings);
        apply();
        refresh();
        say(settings.contrast ? "已开启高对比度。" : "已关闭高对比度。");
      } else if (tool === "speak") {
        speak();
      }
    });

    // On a phone the five buttons fold behind one (CSS shows it below 641 px only), so that the
    // page's title and text start on the first screen. Made here: without JavaScript there are
    // no reading aids to fold.
    var group = tools.querySelector(".tools-buttons");
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "tools-toggle";
    toggle.textContent = "阅读辅助";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", group.id);
    group.parentNode.insertBefore(toggle, group);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      tools.classList.toggle("tools-open", open);
    });

    refresh();
    tools.hidden = false;
  });
})();
