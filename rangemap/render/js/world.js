// rangemap's coarse world basemap on the interactive page: land and borders everywhere
// outside the detailed basemap the page draws for its own view, so that a reader who
// moves an origin far away still sees countries. rangemap's own code; it reads the
// page's rm-data JSON ("world" member, written by rangemap/render/html.py world_layer)
// and draws with Leaflet: fills below the detailed basemap, borders below its borders
// and above the reach. No text.
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("rm-data").textContent);
  var data = page.world;
  if (!data) { return; }
  var map = window[page.map];
  var CODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var k = 0; k < CODE.length; k++) { VALUE[CODE.charAt(k)] = k; }

  // The code: per point two numbers (differences from the previous point, in
  // 1/scale degree; zigzag, 5 bits a character, low bits first, 32 = more follows);
  // "." before a point marks the edge arriving at it as a cut (filled, not stroked),
  // at the end of a ring the closing edge; "," separates rings, ";" polygons.
  // Returns [[{points: [[lat, lon], ...], cuts: [bool, ...]}, ...], ...] where cuts[i]
  // is the edge arriving at point i (cuts[0]: the closing edge).
  function decode(code, scale) {
    var polygons = [], polygon = [], points = [], cuts = [];
    var cut = false, x = 0, y = 0, half = false, n = 0, bit = 1;
    function endRing() {
      if (points.length) {
        cuts[0] = cut;
        polygon.push({points: points, cuts: cuts});
      }
      points = [];
      cuts = [];
      cut = false;
    }
    for (var i = 0; i < code.length; i++) {
      var c = code.charAt(i);
      if (c === ".") { cut = true; continue; }
      if (c === ",") { endRing(); continue; }
      if (c === ";") { endRing(); polygons.push(polygon); polygon = []; continue; }
      var v = VALUE[c];
      n += (v & 31) * bit;
      if (v & 32) { bit *= 32; continue; }
      var d = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      n = 0;
      bit = 1;
      if (!half) {
        x += d;
        half = true;
      } else {
        y += d;
        half = false;
        cuts.push(cut);  // cuts[0] becomes the closing edge's mark at the ring's end
        cut = false;
        points.push([y / scale, x / scale]);
      }
    }
    endRing();
    if (polygon.length) { polygons.push(polygon); }
    return polygons;
  }

  // The stroked runs of a ring: its edges, without the cuts.
  function runs(ring) {
    var p = ring.points, cuts = ring.cuts, n = p.length, start = -1, out = [];
    for (var i = 0; i < n; i++) { if (cuts[i]) { start = i; break; } }
    if (start < 0) { return [p.concat([p[0]])]; }
    var run = [p[start]];
    for (var t = 1; t <= n; t++) {
      var j = (start + t) % n;
      if (cuts[j]) {
        if (run.length > 1) { out.push(run); }
        run = [p[j]];
      } else {
        run.push(p[j]);
      }
    }
    if (run.length > 1) { out.push(run); }
    return out;
  }

  function shifted(points, lon) {
    return lon === 0 ? points : points.map(function (q) { return [q[0], q[1] + lon]; });
  }

  var polygons = decode(data.code, data.scale);
  var lines = [];
  polygons.forEach(function (polygon) {
    polygon.forEach(function (ring) { lines = lines.concat(runs(ring)); });
  });
  // Fills under the overlay pane (400: the detailed basemap and the reach), borders
  // between it and the detailed borders (rm-borders, 450).
  map.createPane("rm-world").style.zIndex = "350";
  map.createPane("rm-world-borders").style.zIndex = "440";
  data.shifts.forEach(function (lon) {
    L.polygon(polygons.map(function (polygon) {
      return polygon.map(function (ring) { return shifted(ring.points, lon); });
    }), L.extend({}, data.fill, {
      pane: "rm-world", interactive: false, className: "rm-world-land"
    })).addTo(map);
    L.polyline(lines.map(function (run) { return shifted(run, lon); }), L.extend({}, data.line, {
      pane: "rm-world-borders", interactive: false, className: "rm-world-border"
    })).addTo(map);
  });
}());
