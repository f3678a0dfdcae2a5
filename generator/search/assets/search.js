// The search page (search/?q=…): the query is normalised by normalise.js (the build's rules
// and tables) into Pagefind's index words, then Pagefind answers through its documented API
// (pagefind.js: options, init, search, filters, each result's data). The index holds both
// languages' text; this page's language only chooses what a result shows (title, labels, link).
(function () {
  "use strict";

  var N = window.SiteNormaliser;
  var queryTerms = N.queryTerms, encode = N.encode;
  // ---- the page ----------------------------------------------------------------------------
  var script = document.currentScript;
  var root = new URL("../", script.src); // this file is <site>/search/search.js
  var page = document.querySelector(".search-page");
  if (!page) return;
  var form = page.querySelector(".search-form");
  var input = page.querySelector("#search-q");
  var status = page.querySelector("#search-status");
  var list = page.querySelector("#search-results");
  var empty = page.querySelector("#search-empty");
  var more = page.querySelector("#search-more");
  var filterBox = page.querySelector("#search-filters");
  var names = JSON.parse(page.getAttribute("data-filter-names"));
  var ORDER = ["kind", "type", "artist", "series", "period", "place", "rights"];
  var PAGE_SIZE = 10;
  var toggle = page.querySelector("#search-filters-toggle");
  var EN = document.documentElement.lang === "en";
  var pagefind = null, loading = null, seq = 0, results = [], shown = 0, warmWord = null;
  // The filters (their counts, and the labels of their values) are loaded when the reader
  // asks for them: for a large archive they weigh more than everything else a first query needs.
  var filtersOpen = false, filtersLoaded = null, labels = {};
  var chosen = {}; // filter -> list of values (keys, the same in both languages)

  function msg(name, q, n) {
    return page.getAttribute("data-msg-" + name).replace("{q}", q).replace("{n}", String(n));
  }

  function json(path) {
    return fetch(new URL(path, root)).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  // The ranking options come with the normaliser's table: sitegen search ranks by the same.
  function ready() {
    if (!loading) {
      loading = Promise.all([
        json("search/normalise.json"),
        import(new URL("pagefind/pagefind.js", root).href),
      ]).then(function (got) {
        N.setTable(got[0]);
        warmWord = got[0].warm;
        pagefind = got[1];
        // No web worker: its script would be a sixth of the first query's bytes, and searching
        // the index takes the main thread a few milliseconds.
        return pagefind.options({ ranking: got[0].ranking, noWorker: true }).then(function () { return pagefind.init(); });
      });
    }
    return loading;
  }

  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = Promise.all([pagefind.filters(), json("search/filters.json")]).then(function (got) {
        labels = got[1];
      });
    }
    return filtersLoaded;
  }

  function valueLabel(name, value) {
    var both = (labels[name] || {})[value];
    return both ? both[EN ? 1 : 0] || both[0] : value;
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    chosen = {};
    params.getAll("f").forEach(function (f) {
      var at = f.indexOf(":");
      if (at > 0) (chosen[f.slice(0, at)] = chosen[f.slice(0, at)] || []).push(f.slice(at + 1));
    });
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    Object.keys(chosen).forEach(function (k) { chosen[k].forEach(function (v) { params.append("f", k + ":" + v); }); });
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  function activeFilters() {
    var out = {};
    Object.keys(chosen).forEach(function (k) { if (chosen[k].length) out[k] = { any: chosen[k].slice() }; });
    return out;
  }

  function run() {
    var id = ++seq;
    var q = input.value.trim();
    writeAddress();
    if (!q) {
      list.textContent = ""; status.textContent = ""; empty.hidden = true; more.hidden = true; filterBox.hidden = true;
      toggle.hidden = true;
      return Promise.resolve();
    }
    if (Object.keys(activeFilters()).length) filtersOpen = true;
    return ready().then(function () {
      if (filtersOpen) return loadFilters(); // counts need them
    }).then(function () {
      var terms = queryTerms(q);
      if (!terms.length) return { results: [], filters: {} };
      return pagefind.search(terms.map(encode).join(" "), { filters: activeFilters() });
    }).then(function (found) {
      if (id !== seq) return null; // a newer query is on its way
      results = found.results; shown = 0; list.textContent = "";
      toggle.hidden = !results.length && !Object.keys(activeFilters()).length;
      toggle.setAttribute("aria-expanded", String(filtersOpen));
      if (filtersOpen) renderFilters(found.filters || {}); else filterBox.hidden = true;
      return showMore(id, false).then(function () {
        if (id !== seq) return;
        var filtered = Object.keys(activeFilters()).length > 0;
        if (results.length) {
          status.textContent = msg("count", q, results.length);
          empty.hidden = true;
        } else {
          status.textContent = msg(filtered ? "none-filtered" : "none", q, 0);
          empty.hidden = false;
        }
      });
    }).catch(function () {
      if (id === seq) status.textContent = msg("error", q, 0);
    });
  }

  // On English pages, text that is Japanese (a title not yet translated, 天保2年頃) says so,
  // so that a screen reader reads it in a Japanese voice.
  function markJapanese(el) {
    if (document.documentElement.lang !== "ja" && /[\u3040-\u30ff\u3400-\u9fff]/.test(el.textContent)) el.lang = "ja";
  }

  function showMore(id, focusFirst) {
    var next = results.slice(shown, shown + PAGE_SIZE);
    var first = null;
    // The first result's details first, alone (fetched with the others, it would wait for
    // them on a slow phone), then all the others at once; each is shown as soon as those
    // before it are shown.
    var chain = Promise.resolve(), rest = null;
    next.forEach(function (r, i) {
      chain = chain.then(function () {
        if (!i) return r.data();
        rest = rest || next.slice(1).map(function (other) { return other.data(); });
        return rest[i - 1];
      }).then(function (d) {
        if (id !== seq) return;
        var a = resultLink(d);
        var li = document.createElement("li");
        li.appendChild(a);
        list.appendChild(li);
        if (!first && focusFirst) a.focus(); // "more": the reader continues at the first new one
        first = first || a;
      });
    });
    return chain.then(function () {
      if (id !== seq) return;
      shown += next.length;
      more.hidden = shown >= results.length;
      more.textContent = msg("more", "", 0);
    });
  }

  // A result's page: the English twin (en/…) on the English search page.
  function resultLink(d) {
    var a = document.createElement("a");
    a.className = "search-result";
    a.href = new URL((EN ? "en/" : "") + d.url.replace(/^\//, ""), root).href;
    if (d.meta.thumb) {
      var img = document.createElement("img");
      img.src = new URL(d.meta.thumb, root).href;
      img.alt = "";
      img.loading = "lazy";
      img.className = "search-result__thumb";
      a.appendChild(img);
    }
    var text = document.createElement("span");
    text.className = "search-result__text";
    var title = document.createElement("span");
    title.className = "search-result__title";
    title.textContent = (EN && d.meta.title_en) || d.meta.title || d.url;
    markJapanese(title);
    text.appendChild(title);
    var facts = (EN ? [d.meta.kind_en, d.meta.artist_en, d.meta.date] : [d.meta.kind, d.meta.artist, d.meta.date])
      .filter(Boolean);
    if (facts.length) {
      var m = document.createElement("span");
      m.className = "search-result__meta";
      facts.forEach(function (fact, i) {
        var part = document.createElement("span");
        part.textContent = (i ? " · " : "") + fact;
        markJapanese(part);
        m.appendChild(part);
      });
      text.appendChild(m);
    }
    a.appendChild(text);
    return a;
  }

  function renderFilters(counts) {
    var focused = document.activeElement && document.activeElement.getAttribute("data-filter");
    filterBox.textContent = "";
    var any = false;
    ORDER.forEach(function (name) {
      var values = Object.assign({}, counts[name] || {});
      (chosen[name] || []).forEach(function (v) { if (!(v in values)) values[v] = 0; });
      var keys = Object.keys(values).filter(function (v) { return values[v] > 0 || (chosen[name] || []).indexOf(v) >= 0; });
      if (!keys.length) return;
      any = true;
      keys.sort(function (a, b) { return values[b] - values[a] || valueLabel(name, a).localeCompare(valueLabel(name, b)); });
      var set = document.createElement("fieldset");
      set.className = "search-filter";
      var legend = document.createElement("legend");
      legend.textContent = names[name] || name;
      set.appendChild(legend);
      keys.forEach(function (v) {
        var label = document.createElement("label");
        label.className = "search-filter__option";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.value = v;
        box.setAttribute("data-filter", name + ":" + v);
        box.checked = (chosen[name] || []).indexOf(v) >= 0;
        box.addEventListener("change", function () {
          var list = chosen[name] = chosen[name] || [];
          if (box.checked) list.push(v); else list.splice(list.indexOf(v), 1);
          run();
        });
        label.appendChild(box);
        var text = document.createElement("span");
        text.textContent = valueLabel(name, v) + " (" + values[v] + ")";
        markJapanese(text);
        label.appendChild(text);
        set.appendChild(label);
      });
      filterBox.appendChild(set);
    });
    if (Object.keys(activeFilters()).length) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "search-filter__clear";
      clear.setAttribute("data-filter", "clear");
      clear.textContent = msg("clear", "", 0);
      clear.addEventListener("click", function () { chosen = {}; run().then(function () { input.focus(); }); });
      filterBox.appendChild(clear);
      any = true;
    }
    filterBox.hidden = !any;
    if (focused) {
      var again = filterBox.querySelector('[data-filter="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  var timer = null, confirmed = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    if (input.value === confirmed) return; // the word an input method gave: searched already
    confirmed = null;
    timer = setTimeout(run, 50); // wait for the next keystroke, but not long
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  var adding = null; // "more" while the last "more" is still being shown: once is enough
  more.addEventListener("click", function () {
    if (!adding) adding = showMore(seq, true).then(function () { adding = null; }, function () { adding = null; });
  });
  toggle.addEventListener("click", function () {
    filtersOpen = !filtersOpen;
    toggle.setAttribute("aria-expanded", String(filtersOpen));
    if (filtersOpen) run(); else filterBox.hidden = true;
  });
  // Typing Japanese: an input method builds a word over several keystrokes (にほ → 日本) and
  // the box's text changes at each. Nothing is searched or announced until the reader
  // confirms the word (compositionend), then it is searched at once (a whole word: no
  // keystroke to wait for), once even where the browser sends an input event after it.
  function waitForComposition() {
    var composing = false;
    // A search still on its way for the text before the word is dropped: its answer would be
    // announced in the middle of the word.
    input.addEventListener("compositionstart", function () { composing = true; clearTimeout(timer); seq++; });
    input.addEventListener("compositionend", function () {
      composing = false;
      clearTimeout(timer);
      confirmed = input.value;
      run();
    });
    // Capture runs before the search's own input listener: it never sees a word in the making.
    input.addEventListener("input", function (e) {
      if (composing || e.isComposing) e.stopImmediatePropagation();
    }, true);
  }
  waitForComposition();

  // For the tests: the browser's normaliser, to compare with the build's.
  window.__siteSearch = {
    queryTerms: function (q) { return ready().then(function () { return queryTerms(q); }); },
    encode: encode,
  };

  // The browser compiles Pagefind's engine (WebAssembly) as a search first uses it, which
  // makes the first query by far the slowest on a slow phone. A page that opens empty makes
  // that first search itself, for a word of a page or few (the build's choice: one small
  // index piece), so that the reader's first query is as quick as the next.
  function warmUp() {
    if (warmWord && !seq) return pagefind.search(warmWord);
  }

  readAddress();
  if (input.value.trim()) run();
  else ready().then(warmUp).catch(function () {}); // while the reader types: the first answer comes sooner
})();
