/* Deep zoom on item pages: OpenSeadragon over the item's IIIF level-0 services.
   The page already shows a large still image; this replaces it with the zoomable one and
   reveals the controls, which are ordinary buttons (keyboard and screen-reader friendly). */
(function () {
  "use strict";
  var section = document.querySelector("[data-viewer]");
  if (!section || typeof OpenSeadragon === "undefined") { return; }
  var sources = JSON.parse(section.getAttribute("data-sources"));
  var names = JSON.parse(section.getAttribute("data-names"));
  var pageLabel = section.getAttribute("data-page-label");
  var stage = section.querySelector(".viewer__stage");
  var still = section.querySelector(".viewer__still");
  var controls = section.querySelector(".viewer__controls");
  var status = section.querySelector("[data-status]");
  var thumbs = document.querySelectorAll(".viewer__thumbs a[data-page]");
  var canvas = document.createElement("div");
  canvas.className = "viewer__canvas";
  stage.appendChild(canvas);

  var viewer = OpenSeadragon({
    element: canvas,
    tileSources: sources,
    sequenceMode: sources.length > 1,
    showNavigationControl: false,   // our own large, labelled buttons instead
    showSequenceControl: false,
    preserveViewport: false,
    visibilityRatio: 0.5,
    gestureSettingsTouch: { pinchToZoom: true, dblClickToZoom: true, flickEnabled: true },
    gestureSettingsMouse: { dblClickToZoom: true, scrollToZoom: true },
    crossOriginPolicy: false,
    ajaxWithCredentials: false
  });
  var page = 0;
  section.osd = viewer;  // for tests and for the reading aids

  viewer.addHandler("open", function () {
    still.hidden = true;
    stage.classList.add("viewer__stage--live");
    controls.hidden = false;
    section.querySelector(".viewer__help").hidden = false;
    // The drawing surface is focusable so keys (+, -, arrows) zoom and pan; give it a name.
    var surface = canvas.querySelector(".openseadragon-canvas");
    if (surface) {
      surface.setAttribute("role", "img");
      surface.setAttribute("aria-label", still.getAttribute("alt"));
      surface.setAttribute("aria-roledescription", document.documentElement.lang === "ja" ? "拡大できる画像" : "zoomable image");
    }
    section.setAttribute("data-ready", "true");
  });
  viewer.addHandler("open-failed", function () {
    // Keep the still image: the reader still sees the item.
    canvas.hidden = true;
  });
  viewer.addHandler("page", function (event) {
    page = event.page;
    if (status && names.length > 1) {
      status.textContent = pageLabel.replace("%s", names[page]).replace("%d", page + 1).replace("%d", names.length);
    }
    for (var i = 0; i < thumbs.length; i++) {
      if (i === page) { thumbs[i].setAttribute("aria-current", "true"); } else { thumbs[i].removeAttribute("aria-current"); }
    }
  });

  function zoom(factor) {
    viewer.viewport.zoomBy(factor);
    viewer.viewport.applyConstraints();
  }
  var actions = {
    "zoom-in": function () { zoom(1.6); },
    "zoom-out": function () { zoom(1 / 1.6); },
    "home": function () { viewer.viewport.goHome(); },
    "full-screen": function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (section.classList.contains("viewer--full")) {
        setFull(false);
      } else if (section.requestFullscreen) {
        // Where the browser refuses real full screen, fill the window instead.
        section.requestFullscreen().catch(function () { setFull(true); });
      } else {
        setFull(true);
      }
    },
    "previous": function () { if (page > 0) { viewer.goToPage(page - 1); } },
    "next": function () { if (page < sources.length - 1) { viewer.goToPage(page + 1); } }
  };
  // One key press = one clear zoom step, like the buttons (OpenSeadragon's own keys zoom only
  // while held, which is hard to control for many readers). Arrow keys stay OpenSeadragon's.
  var keys = { "+": "zoom-in", "=": "zoom-in", ";": "zoom-in", "-": "zoom-out", "_": "zoom-out", "0": "home" };
  stage.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !keys[event.key]) { return; }
    event.preventDefault();
    event.stopPropagation();
    actions[keys[event.key]]();
  }, true);
  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (button && actions[button.getAttribute("data-action")]) {
      actions[button.getAttribute("data-action")](button);
    }
  });
  function pressed(on) {
    controls.querySelector('[data-action="full-screen"]').setAttribute("aria-pressed", on ? "true" : "false");
  }
  function setFull(on) {
    section.classList.toggle("viewer--full", on);
    pressed(on);
  }
  document.addEventListener("fullscreenchange", function () { pressed(document.fullscreenElement === section); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && section.classList.contains("viewer--full")) { setFull(false); }
  });
  for (var i = 0; i < thumbs.length; i++) {
    thumbs[i].addEventListener("click", function (event) {
      event.preventDefault();
      viewer.goToPage(parseInt(this.getAttribute("data-page"), 10));
      stage.scrollIntoView({ block: "nearest" });
    });
  }
})();
