/* Deep zoom on item pages: OpenSeadragon over the item's IIIF level-0 services.

   - Tiles load relative to the page, so the viewer works wherever the site is served (another
     host, a folder, a mirror); the published ids stay in info.json for outside clients.
   - On touch screens one finger scrolls the page and two fingers zoom and pan (OpenSeadragon's
     cooperativeGestures); "拡大して見る" opens a full-screen view where one finger pans. Mouse
     and keyboard work as they always have (the wheel zooms; +, - and arrows).
   - The page shows the viewer's own first tile until the viewer draws; nothing is loaded twice.
   - The view is kept in the address (#xywh=…, see viewer-state.js) and can be shared as a link
     that also carries a IIIF Content State; such a link opens at the same view.
   The controls are ordinary buttons (keyboard and screen-reader friendly). */
(function () {
  "use strict";
  var section = document.querySelector("[data-viewer]");
  if (!section || typeof OpenSeadragon === "undefined" || !window.ViewerState) { return; }
  var VS = window.ViewerState;
  var images = JSON.parse(section.getAttribute("data-images"));
  var item = {
    manifest: section.getAttribute("data-manifest"),
    canvases: images.map(function (im) { return im.canvas; }),
    sizes: images.map(function (im) { return [im.info.width, im.info.height]; })
  };
  var ja = (document.documentElement.lang || "ja").indexOf("en") !== 0;
  var pageLabel = section.getAttribute("data-page-label");
  var stage = section.querySelector(".viewer__stage");
  var firstView = stage.querySelector(".viewer__first");
  var enter = stage.querySelector(".viewer__enter");
  var controls = section.querySelector(".viewer__controls");
  var status = section.querySelector("[data-status]");
  var notice = section.querySelector("[data-notice]");
  var share = section.querySelector(".viewer__share");
  var shareLink = section.querySelector("[data-share-link]");
  var cropNote = section.querySelector("[data-crop]");
  var thumbs = document.querySelectorAll(".viewer__thumbs a[data-page]");
  var touch = window.matchMedia && window.matchMedia("(any-pointer: coarse)").matches;
  var canvas = document.createElement("div");
  canvas.className = "viewer__canvas";
  stage.insertBefore(canvas, enter);

  var viewer = OpenSeadragon({
    element: canvas,
    showNavigationControl: false,   // our own large, labelled buttons instead
    visibilityRatio: 0.5,
    // The page already shows the image's smallest level; draw the level that fills the view
    // next, without the blurry levels between (fewer bytes and frames on a slow phone).
    immediateRender: true,
    // One finger scrolls the page past the viewer, two fingers zoom and pan (OpenSeadragon sets
    // touch-action: pan-x pan-y on its canvas); switched off in the full-screen view below.
    cooperativeGestures: true,
    gestureSettingsTouch: { pinchToZoom: true, dblClickToZoom: true, flickEnabled: true },
    gestureSettingsMouse: { dblClickToZoom: true, scrollToZoom: true },
    crossOriginPolicy: false,
    ajaxWithCredentials: false
  });
  section.osd = viewer;  // for tests
  var page = -1;
  var opening = { region: null, fromLink: true };  // what to show once the image is open
  // The view a link (or the address) opened at: the address stays as the link gave it until
  // the reader moves away from there.
  var linkedView = null;

  // Cooperative mode lets a plain mouse wheel scroll the page and zooms only with Ctrl; on this
  // site the wheel over the picture zooms it, as it always has. The wheel never reaches the
  // page from here; OpenSeadragon's own wheel zoom (throttled as usual) does the zooming.
  viewer.addHandler("canvas-scroll", function (event) {
    event.preventDefaultAction = true;
    var factor = Math.pow(viewer.zoomPerScroll, event.scroll);
    viewer.viewport.zoomBy(factor, viewer.viewport.pointFromPixel(event.position, true));
    viewer.viewport.applyConstraints();
  });
  stage.addEventListener("wheel", function (event) {
    if (event.target.closest(".openseadragon-canvas")) { event.preventDefault(); }
  }, { passive: false });
  // The hint OpenSeadragon shows when one finger drags over the picture, in the page's language.
  viewer.addHandler("canvas-cooperative-gesture", function (event) {
    if (event.gesture === "drag") {
      event.message = ja ? "2本の指で拡大・移動できます" : "Use two fingers to zoom and move the picture";
    }
  });

  // A tile source for image i: the content of its info.json, with the id (which the tiles'
  // addresses are built from) rewritten to the folder of this page's copy of the tiles.
  function tileSource(i) {
    var source = JSON.parse(JSON.stringify(images[i].info));
    delete source["@id"];
    source.id = new URL(images[i].service, window.location.href).href;
    return source;
  }

  function open(i, region, fromLink) {
    opening = { region: region || null, fromLink: !!fromLink };
    if (i === page && viewer.world.getItemCount()) {
      show();
      return;
    }
    page = i;
    viewer.open(tileSource(i));
    if (images.length > 1) {
      status.textContent = pageLabel.replace("%s", images[i].name).replace("%d", i + 1).replace("%d", images.length);
    }
    for (var t = 0; t < thumbs.length; t++) {
      if (t === i) { thumbs[t].setAttribute("aria-current", "true"); } else { thumbs[t].removeAttribute("aria-current"); }
    }
  }

  function show() {
    var tiled = viewer.world.getItemAt(0);
    var region = opening.region;
    if (!tiled) { return; }
    if (region) {
      viewer.viewport.fitBoundsWithConstraints(tiled.imageToViewportRectangle(region[0], region[1], region[2], region[3]), true);
      if (firstView) { firstView.hidden = true; }  // it shows the whole image, not this part
    } else {
      viewer.viewport.goHome(true);
    }
    if (opening.fromLink) {
      linkedView = VS.fragment(page, currentRegion());
    } else {
      linkedView = null;
      remember();
    }
  }

  viewer.addHandler("open", function () {
    controls.hidden = false;
    var helps = section.querySelectorAll(".viewer__help");
    for (var h = 0; h < helps.length; h++) {
      helps[h].hidden = helps[h].classList.contains("viewer__help--touch") && !touch;
    }
    if (touch) { enter.hidden = full(); }
    // The drawing surface is focusable so keys (+, -, arrows) zoom and pan; give it a name.
    var surface = canvas.querySelector(".openseadragon-canvas");
    if (surface) {
      surface.setAttribute("role", "img");
      surface.setAttribute("aria-label", images[page].alt);
      surface.setAttribute("aria-roledescription", ja ? "拡大できる画像" : "zoomable image");
    }
    show();
    var tiled = viewer.world.getItemAt(0);
    // The page's first picture is the first image's smallest level, drawn where the viewer
    // draws it: it gives way once the viewer shows the view sharp, or the reader moves it.
    if (firstView && !firstView.hidden) {
      if (page !== 0) {
        firstView.hidden = true;
      } else {
        tiled.addHandler("fully-loaded-change", function loaded(event) {
          if (event.fullyLoaded) {
            firstView.hidden = true;
            tiled.removeHandler("fully-loaded-change", loaded);
          }
        });
        viewer.addOnceHandler("animation-start", function () { firstView.hidden = true; });
      }
    }
    section.setAttribute("data-ready", "true");
  });
  viewer.addHandler("open-failed", function () {
    // Keep the first picture, if any: the reader still sees the item.
    canvas.hidden = true;
    notice.textContent = ja ? "拡大表示を読み込めませんでした。" : "The zoomable image could not be loaded.";
  });

  // --- the view in the address -----------------------------------------------------------
  function currentRegion() {
    var tiled = viewer.world.getItemAt(0);
    if (!tiled) { return null; }
    var home = viewer.viewport.getHomeZoom();
    var zoom = viewer.viewport.getZoom(true);
    var r = tiled.viewportToImageRectangle(viewer.viewport.getBounds(true));
    var clipped = VS.clip([r.x, r.y, r.width, r.height], item.sizes[page]);
    var whole = clipped && clipped[2] >= item.sizes[page][0] && clipped[3] >= item.sizes[page][1];
    return zoom <= home * 1.001 || whole ? null : clipped;
  }
  function remember() {
    var hash = VS.fragment(page, currentRegion());
    if (hash === linkedView) { return; }
    linkedView = null;
    var url = new URL(window.location.href);
    url.searchParams.delete("iiif-content");  // the address now says where the reader is
    url.hash = hash;
    window.history.replaceState(window.history.state, "", url.href.replace(/#$/, "").replace(/\?$/, ""));
  }
  viewer.addHandler("animation-finish", remember);

  function requested() {
    var params = new URLSearchParams(window.location.search);
    var value = params.get("iiif-content");
    if (value) {
      // A content state given as an address is understood only when it is this item's manifest
      // or one of its canvases: the page fetches nothing a link names.
      var wanted = null;
      try {
        wanted = VS.resolve(VS.decode(value), item);
      } catch (e) {
        wanted = null;
      }
      if (!wanted) {
        notice.textContent = ja ? "共有された表示範囲は、この資料のものではないか読み取れないため、全体を表示しています。"
          : "The shared view is not of this item or could not be read, so the whole image is shown.";
      }
      return wanted;
    }
    return VS.readFragment(window.location.hash, item.sizes);
  }
  window.addEventListener("hashchange", function () {
    var wanted = VS.readFragment(window.location.hash, item.sizes);
    open(wanted ? wanted.image : 0, wanted ? wanted.region : null, true);
  });

  // --- sharing ---------------------------------------------------------------------------
  function shareUrl(region) {
    var url = new URL(window.location.href);
    url.hash = "";
    url.search = "";
    url.searchParams.set("iiif-content", VS.encode(VS.contentState(item, page, region)));
    return url.href;
  }
  function say(text) {
    // Cleared first, so the same words are announced again on a second press.
    notice.textContent = "";
    window.setTimeout(function () { notice.textContent = text; }, 50);
  }
  function copied(ok) {
    if (ok) {
      say(ja ? "この部分へのリンクをコピーしました。" : "The link to this view was copied.");
    } else {
      shareLink.focus();
      shareLink.select();
      say(ja ? "リンクを選びました。コピーして送ってください。" : "The link is selected: copy it to share it.");
    }
  }
  function copy(link) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(function () { copied(true); }, function () { copied(false); });
    } else {
      copied(false);
    }
  }
  function shareView(button) {
    var region = currentRegion();
    var link = shareUrl(region);
    share.hidden = false;
    button.setAttribute("aria-expanded", "true");
    shareLink.value = link;
    var tiled = viewer.world.getItemAt(0);
    var image = region && tiled ? VS.crop(tiled.source, item.sizes[page], region) : null;
    cropNote.textContent = "";
    if (image) {
      var a = document.createElement("a");
      a.href = image.url;
      var size = "JPEG " + image.width + "×" + image.height + " px";
      a.textContent = cropNote.getAttribute("data-crop-text") + (ja ? "（" + size + "）" : " (" + size + ")");
      cropNote.appendChild(a);
    } else if (region) {
      cropNote.textContent = cropNote.getAttribute("data-crop-none");
    }
    // On phones, the system's share sheet where there is one; elsewhere, the clipboard.
    if (touch && navigator.share) {
      navigator.share({ title: document.title, url: link }).then(function () {
        say(ja ? "共有しました。" : "Shared.");
      }, function (error) {
        if (!error || error.name !== "AbortError") { copy(link); }
      });
    } else {
      copy(link);
    }
  }

  // --- controls --------------------------------------------------------------------------
  function zoom(factor) {
    viewer.viewport.zoomBy(factor);
    viewer.viewport.applyConstraints();
  }
  function full() {
    return document.fullscreenElement === section || section.classList.contains("viewer--full");
  }
  function fullChanged() {
    var on = full();
    controls.querySelector('[data-action="full-screen"]').setAttribute("aria-pressed", on ? "true" : "false");
    // In the full-screen view there is no page to scroll: one finger pans the picture.
    viewer.setCooperativeGestures(!on);
    if (touch) { enter.hidden = on; }
  }
  function setFull(on) {
    section.classList.toggle("viewer--full", on);
    fullChanged();
  }
  function toggleFull() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (section.classList.contains("viewer--full")) {
      setFull(false);
    } else if (section.requestFullscreen) {
      // Where the browser refuses real full screen (iPhone), fill the window instead.
      section.requestFullscreen().catch(function () { setFull(true); });
    } else {
      setFull(true);
    }
  }
  var actions = {
    "zoom-in": function () { zoom(1.6); },
    "zoom-out": function () { zoom(1 / 1.6); },
    "home": function () { viewer.viewport.goHome(); },
    "full-screen": toggleFull,
    "enter": function () {
      if (!full()) { toggleFull(); }
      controls.querySelector('[data-action="full-screen"]').focus();
    },
    "previous": function () { if (page > 0) { open(page - 1); } },
    "next": function () { if (page < images.length - 1) { open(page + 1); } },
    "share": shareView
  };
  // One key press = one clear zoom step, like the buttons (OpenSeadragon's own keys zoom only
  // while held, which is hard to control for many readers). Arrow keys stay OpenSeadragon's.
  var keys = { "+": "zoom-in", "=": "zoom-in", ";": "zoom-in", "-": "zoom-out", "_": "zoom-out", "0": "home" };
  canvas.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !keys[event.key]) { return; }
    event.preventDefault();
    event.stopPropagation();
    actions[keys[event.key]]();
  }, true);
  section.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (button && actions[button.getAttribute("data-action")]) {
      actions[button.getAttribute("data-action")](button);
    }
  });
  document.addEventListener("fullscreenchange", fullChanged);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && section.classList.contains("viewer--full")) { setFull(false); }
  });
  for (var i = 0; i < thumbs.length; i++) {
    thumbs[i].addEventListener("click", function (event) {
      event.preventDefault();
      open(parseInt(this.getAttribute("data-page"), 10));
      stage.scrollIntoView({ block: "nearest" });
    });
  }

  var wanted = requested();
  open(wanted ? wanted.image : 0, wanted ? wanted.region : null, true);
})();
