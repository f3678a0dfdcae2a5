/* A view of an item as an address: the region the reader looks at, kept in the page's URL
   (#xywh=x,y,w,h in image pixels, &image=n for the n-th image), and as a IIIF Content State
   1.0 (the iiif-content parameter: an Annotation targeting a region of a canvas of the item's
   manifest, content-state-encoded), so a shared link opens the same view here and in other
   Content-State-aware viewers. Also finds a published tile that shows a region (a level-0
   service has no other crops). Pure functions, no page access: window.ViewerState. */
(function () {
  "use strict";

  var CONTEXT = "http://iiif.io/api/presentation/3/context.json";

  // A region [x, y, w, h] in whole image pixels, inside an image of size [width, height]; null
  // when it is not a region of that image. Parts outside the image are cut off.
  function clip(region, size) {
    if (!region || region.length !== 4) { return null; }
    for (var i = 0; i < 4; i++) {
      if (typeof region[i] !== "number" || !isFinite(region[i])) { return null; }
    }
    var x = Math.max(0, Math.round(region[0])), y = Math.max(0, Math.round(region[1]));
    var right = Math.min(size[0], Math.round(region[0] + region[2]));
    var bottom = Math.min(size[1], Math.round(region[1] + region[3]));
    if (right - x < 1 || bottom - y < 1) { return null; }
    return [x, y, right - x, bottom - y];
  }

  // Media Fragments' xywh= value: "x,y,w,h", "pixel:x,y,w,h" or "percent:x,y,w,h".
  function parseXywh(value, size) {
    var m = /^(?:(pixel|percent):)?\s*([\d.]+),([\d.]+),([\d.]+),([\d.]+)$/.exec(String(value || "").trim());
    if (!m) { return null; }
    var n = [m[2], m[3], m[4], m[5]].map(Number);
    if (m[1] === "percent") {
      n = [n[0] * size[0] / 100, n[1] * size[1] / 100, n[2] * size[0] / 100, n[3] * size[1] / 100];
    }
    return clip(n, size);
  }

  // The page's own fragment: {image: index from 0, region: [x,y,w,h] or null}, or null.
  function readFragment(hash, sizes) {
    var params = {};
    String(hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) { params[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1)); }
    });
    if (!("xywh" in params) && !("image" in params)) { return null; }
    var image = 0;
    if ("image" in params) {
      image = parseInt(params.image, 10) - 1;
      if (!(image >= 0 && image < sizes.length)) { return null; }
    }
    var region = "xywh" in params ? parseXywh(params.xywh, sizes[image]) : null;
    if ("xywh" in params && !region) { return null; }
    return { image: image, region: region };
  }

  function fragment(image, region) {
    var parts = [];
    if (image > 0) { parts.push("image=" + (image + 1)); }
    if (region) { parts.push("xywh=" + region.join(",")); }
    return parts.length ? "#" + parts.join("&") : "";
  }

  // Content State 1.0, section 6: encodeURIComponent, then base64url without padding.
  function encode(state) {
    return btoa(encodeURIComponent(JSON.stringify(state)))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The value of an iiif-content parameter: a content-state-encoded JSON-LD (or, leniently,
  // plain JSON or base64url of UTF-8 JSON), or a plain URI. Throws on anything else.
  function decode(value) {
    value = String(value).trim();
    if (value.charAt(0) === "{") { return JSON.parse(value); }
    if (/^https?:\/\//i.test(value)) { return value; }
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) { throw new Error("not base64url"); }
    var b64 = value.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
    if (b64.length % 4 === 1) { throw new Error("not base64url"); }
    while (b64.length % 4) { b64 += "="; }
    var text = atob(b64);
    if (text.charAt(0) === "%") {
      text = decodeURIComponent(text);
    } else {
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    }
    text = text.trim();
    if (text.charAt(0) === "{" || text.charAt(0) === "[") { return JSON.parse(text); }
    if (/^https?:\/\//i.test(text)) { return text; }
    throw new Error("not a content state");
  }

  function idOf(resource) {
    if (typeof resource === "string") { return resource; }
    if (resource && typeof resource === "object") { return resource.id || resource["@id"] || null; }
    return null;
  }

  function first(value) { return Array.isArray(value) ? value[0] : value; }

  // What a decoded content state asks this page to show: {image, region} or null when it is
  // not about this item (another manifest or canvas, or a form this page cannot show).
  function resolve(state, item) {
    var target = state;
    if (state && typeof state === "object" && !Array.isArray(state) &&
        (state.type === "Annotation" || state["@type"] === "oa:Annotation") && "target" in state) {
      target = state.target;
    }
    target = first(target);
    var selector = null;
    if (target && typeof target === "object" && target.type === "SpecificResource") {
      var selectors = Array.isArray(target.selector) ? target.selector : [target.selector];
      for (var s = 0; s < selectors.length; s++) {
        var sel = selectors[s];
        if (sel && typeof sel === "object" && typeof sel.value === "string" && /^xywh=/.test(sel.value)) {
          selector = sel.value.slice(5);
          break;
        }
      }
      target = target.source;
    }
    var id = idOf(first(target));
    if (typeof id !== "string") { return null; }
    var hash = id.indexOf("#");
    var bare = hash >= 0 ? id.slice(0, hash) : id;
    if (hash >= 0 && selector === null) {
      var m = /(?:^|&)xywh=([^&]*)/.exec(id.slice(hash + 1));
      if (m) { selector = decodeURIComponent(m[1]); }
    }
    if (bare === item.manifest) { return { image: 0, region: null }; }
    var image = item.canvases.indexOf(bare);
    if (image < 0) { return null; }
    var region = selector === null ? null : parseXywh(selector, item.sizes[image]);
    if (selector !== null && !region) { return null; }
    return { image: image, region: region };
  }

  // The content state of a region (or a whole canvas when region is null).
  function contentState(item, image, region) {
    var canvas = { id: item.canvases[image], type: "Canvas", partOf: [{ id: item.manifest, type: "Manifest" }] };
    var target = canvas;
    if (region) {
      target = {
        type: "SpecificResource",
        source: canvas,
        selector: { type: "FragmentSelector", conformsTo: "http://www.w3.org/TR/media-frags/", value: "xywh=" + region.join(",") }
      };
    }
    return { "@context": CONTEXT, type: "Annotation", motivation: ["contentState"], target: target };
  }

  // A published image that shows the region: the smallest tile (of any level) that contains
  // it, provided the region is at least a quarter of that tile (else the image would mostly
  // show something else); a tile of the whole image gives way to full/max, the sharpest whole
  // image published. `source` is OpenSeadragon's tile source of the image: its documented
  // TileSource methods give the very tile addresses the viewer loads. `size` is the image's
  // size. Returns {url, width, height} or null.
  function crop(source, size, region) {
    var best = null;
    for (var level = source.minLevel; level <= source.maxLevel; level++) {
      var scale = source.getLevelScale(level);
      var regionW = source.getTileWidth(level) / scale, regionH = source.getTileHeight(level) / scale;
      var tx = Math.floor(region[0] / regionW), ty = Math.floor(region[1] / regionH);
      if (tx !== Math.floor((region[0] + region[2] - 1) / regionW) ||
          ty !== Math.floor((region[1] + region[3] - 1) / regionH)) { continue; }
      var n = source.getNumTiles(level);
      if (tx >= n.x || ty >= n.y) { continue; }
      var w = Math.min(regionW, size[0] - tx * regionW), h = Math.min(regionH, size[1] - ty * regionH);
      // Of two tiles over the same area, the sharper (higher level) one.
      if (!best || w * h <= best.area) { best = { level: level, x: tx, y: ty, w: w, h: h, area: w * h }; }
    }
    if (!best || region[2] * region[3] * 4 < best.area) { return null; }
    var id = source.id || source["@id"];
    if (best.w >= size[0] && best.h >= size[1] && id) {
      return { url: id + "/full/max/0/default.jpg", width: source.maxWidth || size[0], height: source.maxHeight || size[1] };
    }
    var url = source.getTileUrl(best.level, best.x, best.y);
    var parts = url.split("/");
    var dims = /^(\d+),(\d+)$/.exec(parts[parts.length - 3]);
    return { url: url, width: dims ? Number(dims[1]) : Math.round(best.w), height: dims ? Number(dims[2]) : Math.round(best.h) };
  }

  window.ViewerState = {
    clip: clip, parseXywh: parseXywh, readFragment: readFragment, fragment: fragment,
    encode: encode, decode: decode, resolve: resolve, contentState: contentState, crop: crop
  };
})();
