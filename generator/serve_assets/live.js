// sitegen serve only (never published): reload this tab when the preview has been rebuilt,
// and show the problems of a failed rebuild in the page as well as in the terminal.
(function () {
  "use strict";
  var seen = null;
  var box = null;
  var ja = (document.documentElement.lang || "ja").indexOf("en") !== 0;

  function show(text) {
    if (!text) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("section");
      box.setAttribute("role", "alert");
      box.setAttribute("aria-label", ja ? "内容の問題" : "Content problems");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:10000;max-height:50vh;overflow:auto;" +
        "background:#fff;color:#000;border-top:4px solid #b00020;padding:1rem;font:1rem/1.5 sans-serif;" +
        "box-shadow:0 -2px 8px rgba(0,0,0,.3)";
      var title = document.createElement("h2");
      title.style.cssText = "margin:0 0 .5rem;font-size:1.25rem;color:#b00020";
      title.textContent = ja ? "更新できませんでした。直すと自動で表示が変わります。"
                             : "The preview could not be rebuilt. It updates by itself once fixed.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0;font:1rem/1.5 monospace";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }

  function poll() {
    fetch("/_sitegen/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen !== null && s.build !== seen) { location.reload(); return; }
        seen = s.build;
        show(s.error);
      })
      .catch(function () { /* the preview is restarting: try again */ })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
