// Reading aids on every page (text size, high contrast, furigana), the phone tabs of
// lessons, read-aloud and print. Choices live in localStorage, shared by every page and
// both languages. Loaded twice (top of the page, and with the site scripts): runs once.
(function () {
  "use strict";
  if (window.__readingAids) { return; }
  window.__readingAids = true;

  var root = document.documentElement;
  var KEY = { size: "aids.textSize", contrast: "aids.contrast", furigana: "aids.furigana", phone: "lesson.phone" };
  var SIZES = 4;

  function load(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  function size() {
    var n = parseInt(load(KEY.size) || "0", 10);
    return n >= 0 && n < SIZES ? n : 0;
  }

  // Runs at once, before the page below the header is parsed: no flash of small text.
  function apply() {
    root.setAttribute("data-text-size", String(size()));
    root.setAttribute("data-contrast", load(KEY.contrast) === "high" ? "high" : "normal");
    root.setAttribute("data-furigana", load(KEY.furigana) === "off" ? "off" : "on");
  }
  apply();

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function showState() {
    each("[data-text-size]", function (b) {
      if (b.tagName === "BUTTON") { b.setAttribute("aria-pressed", String(b.getAttribute("data-text-size") === String(size()))); }
    });
    each("[data-aid=contrast]", function (b) { b.setAttribute("aria-pressed", String(root.getAttribute("data-contrast") === "high")); });
    each("[data-aid=furigana]", function (b) { b.setAttribute("aria-pressed", String(root.getAttribute("data-furigana") === "on")); });
  }

  function bindAids() {
    var toggle = document.querySelector("[data-aids-toggle]");
    var panel = document.getElementById("reading-aids-panel");
    if (!toggle || !panel) { return; }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      panel.hidden = !open;
    });
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.hasAttribute("data-text-size")) {
        save(KEY.size, button.getAttribute("data-text-size"));
      } else if (button.getAttribute("data-aid") === "contrast") {
        save(KEY.contrast, root.getAttribute("data-contrast") === "high" ? "normal" : "high");
      } else if (button.getAttribute("data-aid") === "furigana") {
        save(KEY.furigana, root.getAttribute("data-furigana") === "on" ? "off" : "on");
      }
      apply();
      showState();
    });
    showState();
  }

  // Phone tabs: the reader's phone (Android or iPhone) is chosen once for every lesson.
  function choosePhone(phone, remember) {
    each("[data-phone-tabs]", function (set) {
      var tabs = set.querySelectorAll("[role=tab]");
      var known = Array.prototype.some.call(tabs, function (t) { return t.getAttribute("data-phone") === phone; });
      var chosen = known ? phone : tabs.length && tabs[0].getAttribute("data-phone");
      Array.prototype.forEach.call(tabs, function (tab) {
        var on = tab.getAttribute("data-phone") === chosen;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
      });
    });
    if (remember) { save(KEY.phone, phone); }
  }

  function bindTabs() {
    var sets = document.querySelectorAll("[data-phone-tabs]");
    if (!sets.length) { return; }
    Array.prototype.forEach.call(sets, function (set) {
      var list = set.querySelector("[role=tablist]");
      var tabs = Array.prototype.slice.call(set.querySelectorAll("[role=tab]"));
      tabs.forEach(function (tab) {
        var panel = document.getElementById(tab.getAttribute("aria-controls"));
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
        tab.addEventListener("click", function () { choosePhone(tab.getAttribute("data-phone"), true); });
      });
      list.addEventListener("keydown", function (event) {
        var i = tabs.indexOf(document.activeElement);
        if (i < 0 || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) { return; }
        var next = tabs[(i + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
        choosePhone(next.getAttribute("data-phone"), true);
        next.focus();
        event.preventDefault();
      });
      list.hidden = false;
    });
    choosePhone(load(KEY.phone) || "", false);
  }

  // Read aloud, in the order of the page and with the browser's Japanese voice: the title,
  // what the reader will be able to do and what to bring, each step with its number, the
  // text between the steps, the chosen phone's steps, the tips, and the check questions
  // (an answer only once the reader has opened it).
  function spoken(el) {
    var copy = el.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("rt, rp"), function (r) { r.remove(); });
    Array.prototype.forEach.call(copy.querySelectorAll("details"), function (d) {
      var answer = d.open && d.querySelector("p");
      d.replaceWith(answer ? "答え。" + answer.textContent : "");
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function numberOf(li) {
    var list = li.parentElement, n = parseInt(list.getAttribute("start") || "1", 10);
    return n + Array.prototype.filter.call(list.children, function (c) { return c.tagName === "LI"; }).indexOf(li);
  }

  var SPOKEN = [".lesson h1", ".lesson-facts h2", ".lesson-facts li", ".lesson-body h2", ".lesson-body h3",
    ".lesson-body section > p", ".lesson-body .phone-panel > p", ".lesson-step",
    ".lesson-section--trouble li", ".lesson-section--check > ol > li"].join(", ");

  function readingParts() {
    var parts = [];
    each(SPOKEN, function (el) {
      if (el.closest("[hidden]")) { return; }
      if (el.matches(".lesson-step")) { parts.push("手順" + numberOf(el)); }
      else if (el.matches(".lesson-section--check > ol > li")) { parts.push("問題" + numberOf(el)); }
      var text = spoken(el);
      if (text) { parts.push(text); }
    });
    return parts;
  }

  function bindReadAloud() {
    var button = document.querySelector("[data-read-aloud]");
    if (!button || !window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") { return; }
    var speech = window.speechSynthesis;
    button.hidden = false;
    function label(speaking) {
      button.textContent = button.getAttribute(speaking ? "data-label-stop" : "data-label-start");
    }
    button.addEventListener("click", function () {
      if (speech.speaking || speech.pending) { speech.cancel(); label(false); return; }
      var parts = readingParts();
      var voice = speech.getVoices().filter(function (v) { return /^ja/i.test(v.lang); })[0];
      parts.forEach(function (text, i) {
        var u = new window.SpeechSynthesisUtterance(text);
        u.lang = "ja-JP";
        u.rate = 0.9;
        if (voice) { u.voice = voice; }
        if (i === parts.length - 1) { u.onend = function () { label(false); }; }
        speech.speak(u);
      });
      label(true);
    });
  }

  function bindPrint() {
    var button = document.querySelector("[data-print]");
    if (!button || typeof window.print !== "function") { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function start() { bindAids(); bindTabs(); bindReadAloud(); bindPrint(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // A choice made in another tab or window follows here too.
  window.addEventListener("storage", function () { apply(); showState(); });
})();
