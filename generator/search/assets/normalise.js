// The query side of the site's one normaliser (generator/search/normalise.py), for the
// search page: the same rules, with the build's tables (search/normalise.json).
(function () {
  "use strict";

  var T = null; // normalise.json
  var RUNS = /[0-9a-z]+|[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}々〆ヵヶ]+/gu;
  var VOWELS = "aiueo";

  function fold(text) {
    var t = text.normalize("NFKC").toLowerCase();
    t = t.normalize("NFD").replace(/([a-z])[\u0300-\u036f]+/g, "$1").normalize("NFC");
    var out = "";
    for (var c of t) {
      if (c >= "\u30a1" && c <= "\u30f6") c = String.fromCodePoint(c.codePointAt(0) - 0x60);
      out += T.itaiji[c] || c;
    }
    return out;
  }
  function isKana(c) { return (c >= "\u3041" && c <= "\u309f") || c === "ー"; }
  function isAscii(s) { return /^[\x00-\x7f]*$/.test(s); }

  function loose(kana) {
    var out = [];
    for (var c of kana) {
      c = T.small[c] || c;
      c = T.voiced[c] || c;
      if (c === "ー") {
        if (!out.length || !T.vowel[out[out.length - 1]]) continue;
        c = T.vowel[out[out.length - 1]];
      }
      var prev = out[out.length - 1];
      if (prev && T.vowel[prev] && T.long[T.vowel[prev]].indexOf(c) >= 0) continue;
      out.push(c);
    }
    return out.join("");
  }

  function kanaFromRomaji(word) {
    if (word.length < 2 || !/^[a-z]+$/.test(word)) return null;
    var out = "", i = 0, n = word.length;
    while (i < n) {
      var c = word[i], nxt = i + 1 < n ? word[i + 1] : "";
      if (c === "n" && (nxt === "" || (VOWELS.indexOf(nxt) < 0 && nxt !== "y"))) {
        out += "ん";
        var after = i + 2 < n ? word[i + 2] : "";
        i += nxt === "n" && (i + 2 >= n || (VOWELS + "y").indexOf(after) < 0) ? 2 : 1;
        continue;
      }
      if (c === "m" && nxt && "bmp".indexOf(nxt) >= 0) { out += "ん"; i += 1; continue; }
      if ((c === nxt && VOWELS.indexOf(c) < 0) || (c === "t" && word.slice(i + 1, i + 3) === "ch")) {
        out += "っ"; i += 1; continue;
      }
      var found = false;
      for (var size = 3; size >= 1; size--) {
        var kana = T.romaji[word.slice(i, i + size)];
        if (kana && (size > 1 || VOWELS.indexOf(c) >= 0)) { out += kana; i += size; found = true; break; }
      }
      if (!found) return null;
    }
    return out;
  }

  function bigrams(run) {
    var cs = Array.from(run);
    if (cs.length < 2) return cs.length ? [run] : [];
    var out = [];
    for (var i = 0; i < cs.length - 1; i++) out.push(cs[i] + cs[i + 1]);
    return out;
  }

  // normalise.py's covering_pairs(): the fewest overlapping pairs that cover a run.
  function coveringPairs(run) {
    var pairs = bigrams(run);
    if (pairs.length < 2) return pairs;
    var out = pairs.filter(function (p, i) { return i % 2 === 0; });
    if (pairs.length % 2 === 0) out.push(pairs[pairs.length - 1]);
    return out;
  }

  var longest = 0;
  function readByTable(run) {
    var cs = Array.from(run), out = "", i = 0;
    while (i < cs.length) {
      if (isKana(cs[i])) { out += cs[i]; i += 1; continue; }
      var hit = null;
      for (var size = Math.min(longest, cs.length - i); size > 1; size--) {
        hit = T.readings[cs.slice(i, i + size).join("")];
        if (hit) { out += hit; i += size; break; }
      }
      if (!hit) return null;
    }
    return out;
  }

  // normalise.py's kept_word(): no function words, no words of one or two letters or digits.
  function keptWord(word) {
    return word.length > 2 && T.skipped.indexOf(word) < 0;
  }

  function queryTerms(query) {
    var out = [];
    var runs = fold(query).match(RUNS) || [];
    runs.forEach(function (run) {
      if (isAscii(run)) {
        var kana = /^[a-z]+$/.test(run) ? kanaFromRomaji(run) : null;
        out.push.apply(out, kana ? coveringPairs(loose(kana)) : keptWord(run) ? [run] : []);
      } else if (Array.from(run).every(isKana)) {
        out.push.apply(out, coveringPairs(loose(run)));
      } else {
        var read = Array.from(run).length > 1 ? readByTable(run) : null;
        out.push.apply(out, read ? coveringPairs(loose(read)) : coveringPairs(run));
      }
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  // The word Pagefind indexes for a term (normalise.py's encode(): a class, then the term).
  function encode(term) {
    if (isAscii(term)) return "qx" + term;
    var cps = Array.from(term).map(function (c) { return c.codePointAt(0); });
    var width = cps.every(function (n) { return n < 36 * 36 * 36; }) ? 3 : 4;
    var cls = width === 3 ? (cps.length > 1 ? "qj" : "qu") : (cps.length > 1 ? "qk" : "qv");
    return cls + cps.map(function (n) { return n.toString(36).padStart(width, "0"); }).join("");
  }

  function pairs(two) { // ["abc", "xyz"]: a -> x, b -> y, c -> z (table.py's _as_strings)
    var map = {}, to = Array.from(two[1]);
    Array.from(two[0]).forEach(function (c, i) { map[c] = to[i]; });
    return map;
  }

  function setTable(table) {
    T = Object.assign({}, table, { itaiji: pairs(table.itaiji), small: pairs(table.small), voiced: pairs(table.voiced),
      vowel: pairs(table.vowel) });
    longest = 0;
    Object.keys(T.readings).forEach(function (k) { longest = Math.max(longest, Array.from(k).length); });
  }

  window.SiteNormaliser = { setTable: setTable, queryTerms: queryTerms, encode: encode };
})();
