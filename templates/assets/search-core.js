/* gxsite search core: tokenizer, index reader and ranking. No DOM here, so node runs it in
 * the tests (tokenizer parity with gxsite/tokenize.py, ranking parity with whoosh).
 * Keep in step with gxsite/tokenize.py and gxsite/search_index.py. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.GxSearch = factory(); }
})(this, function () {
  "use strict";

  var RUN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9a-z]+)/g;

  function normalize(text) { return text.normalize("NFKC").toLowerCase(); }

  function runs(text) {
    var out = [], m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) { out.push(m[1] ? { cjk: m[1] } : { word: m[2] }); }
    return out;
  }

  function bigrams(s) {
    var out = [];
    for (var i = 0; i + 1 < s.length; i++) { out.push(s.charAt(i) + s.charAt(i + 1)); }
    return out;
  }

  /* Index tokens: for each Chinese run its characters then its bigrams, words whole, each
   * followed by its joint with the run before ("2023 55") when either of the two is a word. */
  function tokens(text) {
    var out = [], before = "", beforeWord = false;
    runs(normalize(text)).forEach(function (r) {
      if (r.cjk) {
        out.push.apply(out, r.cjk.split(""));
        out.push.apply(out, bigrams(r.cjk));
        if (beforeWord) { out.push(before + " " + r.cjk.charAt(0)); }
        before = r.cjk.charAt(r.cjk.length - 1); beforeWord = false;
      } else {
        out.push(r.word);
        if (before) { out.push(before + " " + r.word); }
        before = r.word; beforeWord = true;
      }
    });
    return out;
  }

  function unique(list) {
    var seen = {}, out = [];
    list.forEach(function (t) { if (!Object.prototype.hasOwnProperty.call(seen, t)) { seen[t] = 1; out.push(t); } });
    return out;
  }

  /* A reader's query: required terms (AND) and optional ones joining neighbouring runs:
   * the joint token when either run is a word, the bigram across a space between Chinese runs. */
  function query(text) {
    var required = [], optional = [], before = "", beforeWord = false, spaced = false;
    normalize(text).split(/\s+/).filter(Boolean).forEach(function (chunk) {
      runs(chunk).forEach(function (r) {
        if (r.cjk) {
          if (r.cjk.length === 1) { required.push(r.cjk); } else { required.push.apply(required, bigrams(r.cjk)); }
          if (beforeWord) { optional.push(before + " " + r.cjk.charAt(0)); }
          else if (before && spaced) { optional.push(before + r.cjk.charAt(0)); }
          before = r.cjk.charAt(r.cjk.length - 1); beforeWord = false;
        } else {
          required.push(r.word);
          if (before) { optional.push(before + " " + r.word); }
          before = r.word; beforeWord = true;
        }
        spaced = false;
      });
      spaced = true;
    });
    required = unique(required);
    optional = unique(optional).filter(function (t) { return required.indexOf(t) < 0; });
    return { required: required, optional: optional };
  }

  /* whoosh.util.numeric._length_byte_cache: field lengths are kept as one byte each. */
  var LENGTHS = (function () {
    var out = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 23, 25, 26, 28, 30, 32, 34, 36,
      38, 40, 42, 45, 47, 49, 52, 54, 57, 60, 63, 66, 69, 72, 75, 79, 82, 86, 89, 93, 97, 101, 106, 110,
      114, 119, 124, 129, 134, 139, 145, 150, 156, 162, 169, 175, 182, 189, 196, 203, 211, 219, 227, 235,
      244, 253, 262, 271, 281, 291, 302, 313, 324, 336, 348, 360, 373, 386, 399, 414, 428, 443, 459, 475,
      491, 508, 526, 544, 563, 583, 603, 623, 645, 667, 690, 714, 738, 763, 789, 816, 844, 873, 903, 933,
      965, 998, 1032, 1066, 1103, 1140, 1178, 1218, 1259, 1302, 1345, 1391, 1438, 1486, 1536, 1587, 1641,
      1696, 1753, 1811, 1872, 1935, 1999, 2066, 2135, 2207, 2280, 2356, 2435, 2516, 2600, 2687, 2777,
      2869, 2965, 3063, 3165, 3271, 3380, 3492, 3608, 3728, 3852, 3980, 4112, 4249, 4390, 4536, 4686,
      4842, 5002, 5168, 5340, 5517, 5700, 5889, 6084, 6286, 6494, 6709, 6932, 7161, 7398, 7643, 7897,
      8158, 8428, 8707, 8995, 9293, 9601, 9918, 10247, 10586, 10936, 11298, 11671, 12057, 12456, 12868,
      13294, 13733, 14187, 14656, 15141, 15641, 16159, 16693, 17244, 17814, 18403, 19011, 19640, 20289,
      20959, 21652, 22367, 23106, 23869, 24658, 25472, 26314, 27183, 28081, 29009, 29967, 30957, 31979,
      33035, 34126, 35254, 36418, 37620, 38863, 40146, 41472, 42841, 44256, 45717, 47227, 48786, 50397,
      52061, 53780, 55556, 57390, 59285, 61242, 63264, 65352, 67510, 69739, 72041, 74419, 76876, 79414,
      82035, 84743, 87541, 90430, 93416, 96499, 99684, 102975, 106374
    ];
    return out;
  })();

  function byteToLength(b) { return LENGTHS[b]; }

  function readVarint(bytes, pos) {
    var n = 0, shift = 0, b;
    do { b = bytes[pos.i++]; n += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
    return n;
  }

  /* Term dictionary of one shard: term -> {dfTitle, dfBody, count, start, end}. */
  function parseShard(buffer) {
    var bytes = new Uint8Array(buffer), pos = { i: 0 }, n = readVarint(bytes, pos), entries = [];
    var decoder = new TextDecoder("utf-8");
    for (var k = 0; k < n; k++) {
      var len = readVarint(bytes, pos);
      var term = decoder.decode(bytes.subarray(pos.i, pos.i + len));
      pos.i += len;
      entries.push({ term: term, dfTitle: readVarint(bytes, pos), dfBody: readVarint(bytes, pos),
                     count: readVarint(bytes, pos), size: readVarint(bytes, pos) });
    }
    var dict = {}, offset = pos.i;
    entries.forEach(function (e) { e.start = offset; offset += e.size; e.bytes = bytes; dict[e.term] = e; });
    return dict;
  }

  /* Postings of one term: [{doc, tfTitle, tfBody}], ascending doc. */
  function postings(entry) {
    var out = [], pos = { i: entry.start }, doc = 0;
    for (var k = 0; k < entry.count; k++) {
      doc += readVarint(entry.bytes, pos);
      var code = readVarint(entry.bytes, pos), tfTitle = code & 3;
      if (tfTitle === 3) { tfTitle = readVarint(entry.bytes, pos); }
      out.push({ doc: doc, tfTitle: tfTitle, tfBody: Math.floor(code / 4) });
    }
    return out;
  }

  function bm25(idf, tf, fl, avgfl, B, K1) {
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)));
  }

  /* fetcher(url, "json" | "bytes") -> Promise; urls are resolved against the manifest URL. */
  function Index(manifestUrl, fetcher) {
    this.manifestUrl = manifestUrl;
    this.fetcher = fetcher;
    this.shards = {};
    this.bundles = {};
  }

  Index.prototype.url = function (name) {
    var base = this.manifestUrl.replace(/[^\/]*$/, "");
    return base + name;
  };

  Index.prototype.manifest = function () {
    var self = this;
    if (!self.manifestReady) {
      self.manifestReady = self.fetcher(self.manifestUrl, "json").then(function (m) { self.m = m; return m; });
    }
    return self.manifestReady;
  };

  Index.prototype.load = function () {
    var self = this;
    if (self.ready) { return self.ready; }
    self.ready = self.manifest().then(function (m) {
      return self.fetcher(self.url("docs." + m.docs + ".bin"), "bytes");
    }).then(function (buffer) {
      self.table = new DataView(buffer);
      return self;
    });
    return self.ready;
  };

  Index.prototype.doc = function (n) {
    var o = n * 7, t = this.table;
    return { titleLen: byteToLength(t.getUint8(o)), bodyLen: byteToLength(t.getUint8(o + 1)),
             day: t.getUint16(o + 2, true), org: t.getUint16(o + 4, true), type: t.getUint8(o + 6) };
  };

  Index.prototype.year = function (n) {
    var epoch = Date.parse(this.m.epoch + "T00:00:00Z");
    return new Date(epoch + this.doc(n).day * 86400000).getUTCFullYear();
  };

  Index.prototype.shardFor = function (term) {
    var starts = this.m.shard_starts, lo = 0, hi = starts.length - 1;
    if (!starts.length || term < starts[0]) { return -1; }
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  };

  Index.prototype.entry = function (term) {
    var self = this, s = self.shardFor(term);
    if (s < 0) { return Promise.resolve(null); }
    if (!self.shards[s]) {
      var hash = self.m.shards.substr(s * 8, 8);
      self.shards[s] = self.fetcher(self.url("t." + hash + ".bin"), "bytes").then(parseShard);
    }
    return self.shards[s].then(function (dict) { return dict[term] || null; });
  };

  /* Ranked documents for a query: all required terms must match; optional ones add score.
   * Order: every required term in the title first, then the most optional (joining) terms
   * matched, so the phrase as typed ranks above its parts scattered, then BM25F score, then
   * newer (lower doc). */
  Index.prototype.search = function (text, filters) {
    var self = this, q = query(text);
    if (!q.required.length) { return Promise.resolve([]); }
    // The term shards need only the manifest: fetched alongside the document table, not after it.
    return self.manifest().then(function () {
      return Promise.all([self.load(), Promise.all(q.required.concat(q.optional).map(function (t) { return self.entry(t); }))]);
    }).then(function (loaded) {
      var entries = loaded[1];
      var m = self.m, N = m.count, K1 = m.bm25.K1, B = m.bm25.B;
      var avgT = (m.fields.title.total / N) || 1, avgB = (m.fields.body.total / N) || 1;
      var boostT = m.fields.title.boost, boostB = m.fields.body.boost;
      var need = q.required.length, hits = {};
      for (var k = 0; k < entries.length; k++) {
        var e = entries[k];
        if (!e) { if (k < need) { return []; } continue; }
        var idfT = Math.log(N / (e.dfTitle + 1)) + 1, idfB = Math.log(N / (e.dfBody + 1)) + 1;
        postings(e).forEach(function (p) {
          if (k >= need && !hits[p.doc]) { return; }
          var h = hits[p.doc];
          if (!h) {
            if (k > 0) { return; }
            h = hits[p.doc] = { doc: p.doc, score: 0, matched: 0, inTitle: 0, joined: 0 };
          }
          if (k < need && h.matched !== k) { return; }
          var d = self.doc(p.doc), s = 0;
          if (p.tfTitle) { s += bm25(idfT, p.tfTitle, d.titleLen, avgT, B, K1) * boostT; }
          if (p.tfBody) { s += bm25(idfB, p.tfBody, d.bodyLen, avgB, B, K1) * boostB; }
          h.score += s;
          if (k < need) { h.matched = k + 1; if (p.tfTitle) { h.inTitle += 1; } } else { h.joined += 1; }
        });
      }
      var out = [];
      Object.keys(hits).forEach(function (key) {
        var h = hits[key];
        if (h.matched !== need) { return; }
        if (filters && !self.accepts(h.doc, filters)) { return; }
        h.titleAll = h.inTitle === need;
        h.rounded = Math.round(h.score * 1e6) / 1e6;
        out.push(h);
      });
      out.sort(function (a, b) {
        return (b.titleAll - a.titleAll) || (b.joined - a.joined) || (b.rounded - a.rounded) || (a.doc - b.doc);
      });
      return out;
    });
  };

  Index.prototype.accepts = function (n, filters) {
    var d = this.doc(n), m = this.m;
    if (filters.org && m.orgs[d.org][0] !== filters.org) { return false; }
    if (filters.type && m.types[d.type][0] !== filters.type) { return false; }
    if (filters.year && String(this.year(n)) !== String(filters.year)) { return false; }
    return true;
  };

  /* What a result shows: title, url, org, date, type, columns, text. */
  Index.prototype.fragment = function (n) {
    var self = this, b = Math.floor(n / self.m.bundle);
    if (!self.bundles[b]) {
      var hash = self.m.bundles.substr(b * 8, 8);
      self.bundles[b] = self.fetcher(self.url("f." + hash + ".json"), "json");
    }
    return self.bundles[b].then(function (list) { return list[n % self.m.bundle]; });
  };

  return { normalize: normalize, tokens: tokens, query: query, Index: Index, parseShard: parseShard,
           postings: postings, byteToLength: byteToLength };
});
