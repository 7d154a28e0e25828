// rangemap's interactive map: draggable origins, system choices, the address hash and
// the JS API (window.rangemap). rangemap's own code; it reads the page's rm-data JSON
// ("interactive" member, written by rangemap/render/interactive.py), draws reach with
// window.rangemap.annulus (ring.js) and measures with window.rangemap.geodesic
// (geodesic.js). Text is set with textContent only. A choice other than the map's own
// is shown alone (the map's other layers hidden); while the map differs from the
// published one a notice takes the subtitle's place (the subtitle and the summary are
// hidden), with a button back to it. No two labels on the map overlap: the origins'
// labels come first, then those of the page script and the places script, ranked.
(function () {
  "use strict";
  var rm = (window.rangemap = window.rangemap || {});
  var page = JSON.parse(document.getElementById("rm-data").textContent);
  var data = page.interactive;
  if (!data) { return; }
  var map = window[page.map];
  var words = data.words;
  var lang = document.documentElement.lang || "en";
  var POLE = 89.9999;

  // --- state ---------------------------------------------------------------------------
  var origins = data.origins.map(function (o) { return [o[0], o[1]]; });
  var published = data.origins.map(function (o) { return [o[0], o[1]]; });
  var moved = data.origins.map(function () { return false; });
  var named = data.origins.map(function () { return null; });  // from a place search
  var renamed = false;
  var current = 0;
  var listeners = [];
  var markers = [];
  var drawn = data.layers.map(function () { return null; });

  function choice() { return data.choices[current]; }
  // The map's own system shows every layer; another choice replaces the first, alone.
  function visible(li) { return current === 0 || li === data.primary; }
  // The map differs from the published one: an origin moved, or another system shown.
  function differs() { return current !== 0 || moved.some(function (m) { return m; }); }

  function wrapLon(lon) {
    if (lon >= -180 && lon <= 180) { return lon; }
    var x = ((lon + 180) % 360 + 360) % 360 - 180;
    return (x === -180 && lon > 0) ? 180 : x;
  }
  function shiftNear(lon, center) { return lon + 360 * Math.round((center - lon) / 360); }

  // --- drawing -------------------------------------------------------------------------
  // Each band of a layer is one path for all its origins, filled by the nonzero rule
  // (exterior rings counter-clockwise, holes clockwise: ring.js), so where two origins'
  // reach overlaps it is filled once, as the union the static page draws. The outline
  // leaves out the seams at +-180 and along a pole. In the round projection (AEQD) the
  // parts split at +-180 are joined again into the closed curves they came from, as
  // rangemap/render/_webcrs.py does for the static layer: the projection does not mind
  // longitudes past 180, and a cap around a pole is one closed curve around it.
  var AEQD = !!(map.options.crs && map.options.crs.code === "RANGEMAP:AEQD");
  function pieces(geometry) {
    return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  }
  function seam(a, b) {
    return (Math.abs(a[1]) >= POLE && Math.abs(b[1]) >= POLE) ||
      (a[0] === b[0] && Math.abs(a[0]) === 180);
  }
  // The runs of a geometry's rings between seams, in ring order ([lon, lat] points).
  function runsOf(geometry) {
    var runs = [], loops = [], world = false;
    pieces(geometry).forEach(function (polygon) {
      polygon.forEach(function (ring, ri) {
        var run = [], cut = false, found = runs.length;
        for (var i = 1; i < ring.length; i += 1) {
          var a = ring[i - 1], b = ring[i];
          if (seam(a, b)) {
            cut = true;
            if (run.length > 1) { runs.push(run); }
            run = [];
            continue;
          }
          if (!run.length) { run.push(a); }
          run.push(b);
        }
        if (!cut) { loops.push(ring.slice(0, -1)); } else if (run.length > 1) { runs.push(run); }
        // An exterior all along the seams (the world, around a hole): nothing to join.
        if (cut && ri === 0 && runs.length === found) { world = true; }
      });
    });
    return {runs: runs, loops: loops, world: world};
  }
  function sameSpot(a, b) {
    return a[1] === b[1] && (a[0] === b[0] || Math.abs(a[0] - b[0]) === 360);
  }
  // Join runs end to start (across +-180) into closed curves; null if one stays open.
  function stitch(runs, loops) {
    var left = runs.slice(), out = loops.slice();
    while (left.length) {
      var curve = left.shift().slice(), guard = 0;
      while (!sameSpot(curve[curve.length - 1], curve[0]) || curve.length < 3) {
        var end = curve[curve.length - 1], k = -1;
        for (var j = 0; j < left.length; j += 1) {
          if (sameSpot(end, left[j][0])) { k = j; break; }
        }
        if (k < 0 || (guard += 1) > 10000) { return null; }
        var next = left.splice(k, 1)[0];
        for (var n = 1; n < next.length; n += 1) { curve.push(next[n]); }
      }
      curve.pop();
      out.push(curve);
    }
    return out;
  }
  // A curve with continuous longitudes (no jump of 360 between neighbours).
  function unwrap(curve) {
    var out = [], prev = null;
    curve.forEach(function (p) {
      var lon = prev === null ? p[0] : shiftNear(p[0], prev);
      out.push([p[1], lon]);
      prev = lon;
    });
    return out;
  }
  function bandLayers(geometries, olons, style) {
    var fills = [], lines = [];
    geometries.forEach(function (geometry, gi) {
      var olon = olons[gi];
      var parts = runsOf(geometry);
      var curves = AEQD && !parts.world ? stitch(parts.runs, parts.loops) : null;
      if (curves !== null) {
        curves.forEach(function (curve) {
          var ring = unwrap(curve);
          fills.push(ring);
          lines.push(ring.concat([ring[0]]));
        });
        return;
      }
      pieces(geometry).forEach(function (polygon) {
        var sum = 0, n = 0;
        polygon[0].forEach(function (p) { sum += p[0]; n += 1; });
        var shift = 360 * Math.round((olon - sum / Math.max(n, 1)) / 360);
        polygon.forEach(function (ring) {
          fills.push(ring.map(function (p) { return [p[1], p[0] + shift]; }));
          var run = [];
          for (var i = 1; i < ring.length; i += 1) {
            var a = ring[i - 1], b = ring[i];
            if (seam(a, b)) {
              if (run.length > 1) { lines.push(run); }
              run = [];
              continue;
            }
            if (!run.length) { run.push([a[1], a[0] + shift]); }
            run.push([b[1], b[0] + shift]);
          }
          if (run.length > 1) { lines.push(run); }
        });
      });
    });
    // All rings in one path: Leaflet takes the first as the outline and the rest as
    // holes, but draws them all in one path, which the nonzero rule fills as a union.
    var fill = L.polygon(fills, L.extend({}, style, {stroke: false, interactive: false,
      smoothFactor: 0, fillRule: "nonzero"}));
    var line = L.polyline(lines, L.extend({}, style, {fill: false, interactive: false,
      smoothFactor: 0}));
    return [fill, line];
  }
  function bandsOf(li) {
    return li === data.primary ? choice().bands : data.layers[li].bands;
  }
  function fixedOf(li) {
    return li === data.primary ? choice().fixed : data.layers[li].fixed;
  }
  function tolerance(li) {
    return li === data.primary ? choice().tolerance_m : data.layers[li].tolerance_m;
  }
  function drawLayer(li) {
    var spec = data.layers[li];
    var group = window[spec.group];
    var old = drawn[li];
    var fresh = [];
    bandsOf(li).forEach(function (band) {
      var style = spec.styles[band[2]];
      var geometries = [], olons = [];
      spec.origins.forEach(function (oi) {
        var o = origins[oi];
        geometries.push(rm.annulus(o[0], o[1], band[0], band[1], tolerance(li)));
        olons.push(shiftNear(o[0], data.center_lon));
      });
      if (geometries.length) {
        bandLayers(geometries, olons, style).forEach(function (layer) { fresh.push(layer); });
      }
    });
    var fixed = fixedOf(li);
    if (fixed !== null) {
      fresh.push(L.geoJSON(fixed, {
        style: function (f) { return f.properties.style; }, interactive: false
      }));
    }
    if (old === null) {
      group.clearLayers();  // the shapes drawn in Python, replaced by these
    } else {
      old.forEach(function (layer) { group.removeLayer(layer); });
    }
    fresh.forEach(function (layer) { layer.addTo(group); });
    drawn[li] = fresh;
  }
  function drawAll() {
    data.layers.forEach(function (spec, li) { if (visible(li)) { drawLayer(li); } });
  }

  // --- state for the API ---------------------------------------------------------------
  function state() {
    var c = choice();
    var features = origins.map(function (o, i) {
      return {
        type: "Feature",
        properties: {origin: i},
        geometry: rm.annulus(o[0], o[1], c.min_range_m || 0, c.range_m, c.tolerance_m)
      };
    });
    return {
      origins: origins.map(function (o) { return [o[0], o[1]]; }),
      system: c.system,
      variant: c.variant,
      id: c.id,
      range_m: c.range_m,
      min_range_m: c.min_range_m,
      reach: {type: "FeatureCollection", features: features}
    };
  }

  // --- words ---------------------------------------------------------------------------
  var numbers = (typeof Intl === "object") ?
    new Intl.NumberFormat(lang, {minimumFractionDigits: 2, maximumFractionDigits: 2}) : null;
  function num(x) { return numbers ? numbers.format(x) : x.toFixed(2); }
  // On a right-to-left page a number and its degree sign are one left-to-right run
  // (LRI ... PDI): else the sign, a neutral between the number and a Hebrew or Arabic
  // word, is drawn before the number ("\u00b051.30").
  var rtl = document.documentElement.dir === "rtl";
  function fill(template, values) {
    if (rtl) { template = template.replace(/\{(\w+)\}\u00b0/g, "\u2066{$1}\u00b0\u2069"); }
    return template.replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m;
    });
  }
  function where(o) {
    var lat = fill(o[1] >= 0 ? words.north : words.south, {lat: num(Math.abs(o[1]))});
    var lon = fill(o[0] >= 0 ? words.east : words.west, {lon: num(Math.abs(o[0]))});
    return lat + words.comma + lon;
  }
  function originName(i) {
    var label = data.origins[i][2];
    if (label !== null && !moved[i]) { return label; }
    if (named[i] !== null) { return named[i]; }
    return where(origins[i]);
  }
  // The legends' "Measured from" line and the layer control's names, after a change.
  var measured = document.querySelectorAll(".rm-measured");
  var measuredText = Array.prototype.map.call(measured, function (el) { return el.textContent; });
  function relabel() {
    if (!moved.some(function (m) { return m; })) {
      for (var p = 0; p < measured.length; p += 1) { measured[p].textContent = measuredText[p]; }
    } else {
      var names = [];
      origins.forEach(function (o, i) {
        var name = originName(i);
        if (names.indexOf(name) < 0) { names.push(name); }
      });
      data.fixed_labels.forEach(function (name) {
        if (names.indexOf(name) < 0) { names.push(name); }
      });
      var text = fill(words.measured, {places: names.join(words.comma)});
      for (var n = 0; n < measured.length; n += 1) { measured[n].textContent = text; }
    }
    // The layer control lists only the layers shown (Leaflet rebuilds it on a change).
    var stamps = data.layers.map(function (spec) { return L.stamp(window[spec.group]); });
    var entries = document.querySelectorAll(".leaflet-control-layers-overlays input");
    for (var e = 0; e < entries.length; e += 1) {
      var li = stamps.indexOf(entries[e].layerId);
      var row = entries[e].closest("label");
      if (row) { row.hidden = li >= 0 && !visible(li); }
    }
    if (current !== 0 || renamed) {
      renamed = true;
      var group = window[data.layers[data.primary].group];
      var inputs = document.querySelectorAll(".leaflet-control-layers-overlays input");
      for (var k = 0; k < inputs.length; k += 1) {
        var name = inputs[k].nextSibling;
        if (inputs[k].layerId === L.stamp(group) && name) { setRuns(name, choice().layer_runs); }
      }
    }
  }

  // A layer name as the static page writes it: isolated runs as <bdi>, text as text.
  function setRuns(el, runs) {
    while (el.firstChild) { el.removeChild(el.firstChild); }
    el.appendChild(document.createTextNode(" "));
    runs.forEach(function (run) {
      if (run[1] === null) { el.appendChild(document.createTextNode(run[0])); return; }
      var bdi = document.createElement("bdi");
      if (run[1]) { bdi.dir = run[1]; }
      bdi.textContent = run[0];
      el.appendChild(bdi);
    });
  }

  // --- markers -------------------------------------------------------------------------
  var live = document.getElementById("rm-live");
  var select = document.getElementById("rm-system");
  // The live region speaks once the cities in range are counted for the new state: on
  // the places script's "rangemap:places" event that follows the change (detail.settled
  // true), or at once on a page without it.
  var speak = null;
  var lead = "";  // said before the next announcement (the published map shown again)
  function announce(i, count) {
    if (!live) { return; }
    var c = choice();
    var text = fill(words.announce, {place: originName(i), system: c.name, range: c.range_text});
    if (lead) { text = lead + " " + text; }
    lead = "";
    if (typeof count === "number" && isFinite(count)) {
      text += " " + fill(words.cities, {count: numbers ?
        new Intl.NumberFormat(lang).format(count) : count});
    }
    live.textContent = text;
  }
  document.addEventListener("rangemap:places", function (event) {
    var detail = event.detail || {};
    if (speak === null || detail.settled === false) { return; }
    var i = speak;
    speak = null;
    announce(i, detail.count);
  });
  function labelMarker(i) {
    var marker = markers[i];
    if (!marker) { return; }
    var el = marker.getElement();
    var name = originName(i);
    if (el) { el.setAttribute("aria-label", fill(words.handle, {name: name})); }
    var tip = marker.getTooltip();
    if (tip) {
      var span = document.createElement("span");
      span.textContent = name;
      tip.setContent(span);
    }
  }

  // --- labels --------------------------------------------------------------------------
  // No two labels overlap. First the origins' (the one moved last first), kept off the
  // markers too; then, ranked as on a static page, notes, points, places (most populous
  // first), countries. A label that would overlap one placed before is hidden until
  // there is room. This decides for the page's and the places script's labels alike.
  var lately = [];  // origin indexes, the one moved last first
  function touch(i) { lately = [i].concat(lately.filter(function (j) { return j !== i; })); }
  var KINDS = ["rm-note", "rm-point", "rm-place-live", "rm-place", "rm-country"];
  function declutter() {
    var kept = [], handles = [], labels = [];
    lately.concat(markers.map(function (m, i) { return i; })).forEach(function (i, n, all) {
      var tip = markers[i].getTooltip(), el = markers[i].getElement();
      if (all.indexOf(i) < n) { return; }
      if (el && el.isConnected) { handles.push(el.getBoundingClientRect()); }
      if (tip && tip.getElement()) { labels.push({el: tip.getElement(), kind: -1, at: n}); }
    });
    var spans = map.getContainer().querySelectorAll(".rm-label span");
    for (var n = 0; n < spans.length; n += 1) {
      var kind = 0;
      while (kind < KINDS.length && !spans[n].classList.contains(KINDS[kind])) { kind += 1; }
      // The page script adds its places least populous first.
      labels.push({el: spans[n], kind: kind, at: KINDS[kind] === "rm-place" ? -n : n});
    }
    labels.sort(function (a, b) { return a.kind - b.kind || a.at - b.at; });
    labels.forEach(function (d) { d.box = d.el.getBoundingClientRect(); });
    labels.forEach(function (d) {
      if (d.kind >= 0 && handles) { kept = kept.concat(handles); handles = null; }
      var r = d.box;
      var free = d.el.isConnected && r.width > 0 && kept.every(function (k) {
        return r.right + 2 <= k.left || k.right + 2 <= r.left ||
          r.bottom + 1 <= k.top || k.bottom + 1 <= r.top;
      });
      d.el.classList.toggle("rm-keep", free);
      d.el.classList.toggle("rm-yield", !free);
      if (free) { kept.push(r); }
    });
  }

  var frame = null;
  function redraw() {
    if (frame !== null) { return; }
    frame = window.requestAnimationFrame(function () {
      frame = null;
      drawAll();
      declutter();
    });
  }

  function formatHash() {
    var o = origins.map(function (p) { return p[0].toFixed(4) + "," + p[1].toFixed(4); });
    return "#o=" + o.join(";") + "&s=" + choice().id;
  }
  function saveHash() {
    try {
      // The published map has no address of its own: the hash is cleared.
      history.replaceState(null, "", differs() ? formatHash() :
        location.pathname + location.search);
    } catch (err) {
      // A page in a sandboxed frame or opened from srcdoc may not change its address.
    }
  }
  function changed(i) {
    saveHash();
    relabel();
    flag();
    limits();
    declutter();
    var s = state();
    speak = i === undefined ? 0 : i;
    var counted = !!(rm.places && typeof rm.places.count === "function");
    listeners.forEach(function (fn) {
      try { fn(s); } catch (err) { window.setTimeout(function () { throw err; }, 0); }
    });
    if (!counted) {
      speak = null;
      announce(i === undefined ? 0 : i);
    }
  }

  // --- the view follows the reach ------------------------------------------------------
  // The page script fits the view (map.rangemapView): the reach drawn in Python until the
  // reader changes it, then the reader's. After each change the limits are set again
  // around the current reach (and the current view, so that nothing jumps); after a place
  // search, the reset button, a restored address or a resize the reader did not follow
  // by moving the map, the view is fitted to the current reach.
  var EDGE = Math.PI * 6371008.8, MOST = 0.69 * EDGE;
  var fits = map.rangemapView;
  var reader = {
    bounds: function () { var r = reachBox(); return r === null ? null : r.fit; },
    limits: limits
  };
  function each(latlngs, fn) {
    latlngs.forEach(function (x) { if (Array.isArray(x)) { each(x, fn); } else { fn(x); } });
  }
  function reachLatLngs(fn, only) {
    if (typeof only === "number") {  // one origin's farthest reach
      var o = origins[only], far = 0;
      data.layers.forEach(function (spec, li) {
        if (spec.origins.indexOf(only) < 0 || !visible(li)) { return; }
        bandsOf(li).forEach(function (band) { far = Math.max(far, band[1]); });
      });
      var lon0 = shiftNear(o[0], map.getCenter().lng);
      fn(L.latLng(o[1], lon0));
      if (far > 0) {
        pieces(rm.ring(o[0], o[1], far, null)).forEach(function (polygon) {
          polygon[0].forEach(function (p) { fn(L.latLng(p[1], shiftNear(p[0], lon0))); });
        });
      }
      return;
    }
    drawn.forEach(function (layers, li) {
      (visible(li) ? layers || [] : []).forEach(function (layer) {
        if (layer.getLatLngs) { each(layer.getLatLngs(), fn); }
        if (layer.eachLayer) {
          layer.eachLayer(function (sub) { if (sub.getLatLngs) { each(sub.getLatLngs(), fn); } });
        }
      });
    });
    markers.forEach(function (m) { fn(m.getLatLng()); });
  }
  function corners(x0, y0, x1, y1) {
    var P = map.options.crs.projection;
    var a = P.unproject(L.point(x0, y0)), b = P.unproject(L.point(x1, y1));
    var lng = b.lng;
    if (a.lat <= b.lat && a.lng > lng) { lng += 360; }
    if (a.lat > b.lat && a.lng < lng) { lng -= 360; }
    return L.latLngBounds(a, L.latLng(b.lat, lng));
  }
  // The box of the reach: lat/lng bounds, or in the round projection a box of the plane.
  function reachBox(only) {
    if (!AEQD) {
      var b = L.latLngBounds([]);
      reachLatLngs(function (ll) { b.extend(ll); }, only);
      return b.isValid() ? {fit: b, box: null} : null;
    }
    var P = map.options.crs.projection, box = L.bounds([]);
    reachLatLngs(function (ll) { box.extend(P.project(ll)); }, only);
    if (!box.isValid()) { return null; }
    function clamp(v) { return Math.max(-MOST, Math.min(MOST, v)); }
    return {fit: corners(clamp(box.min.x), clamp(box.min.y), clamp(box.max.x), clamp(box.max.y)),
      box: box};
  }
  function limits() {
    var r = reachBox();
    var size = map.getSize();
    if (r === null || size.x < 2 || size.y < 2) { return; }
    fits.aim(reader);
    var view = map.getBounds();
    if (!AEQD) {
      map.setMaxBounds(r.fit.pad(0.5).extend(view));
    } else {
      var P = map.options.crs.projection, box = r.box, d = box.getSize();
      var all = L.bounds([box.min.x - d.x / 2, box.min.y - d.y / 2],
        [box.max.x + d.x / 2, box.max.y + d.y / 2]);
      [[0, 0], [size.x, 0], [0, size.y], [size.x, size.y]].forEach(function (c) {
        all.extend(P.project(map.containerPointToLatLng(c)));
      });
      function clamp(v) { return Math.max(-MOST, Math.min(MOST, v)); }
      // The CRS's own setMaxBounds pads the box last fitted: this one is the reach's.
      L.Map.prototype.setMaxBounds.call(map, corners(clamp(all.min.x), clamp(all.min.y),
        clamp(all.max.x), clamp(all.max.y)));
    }
    var zoom = Math.floor(map.getBoundsZoom(r.fit)) - 2;
    if (zoom < map.getMinZoom()) { map.setMinZoom(Math.max(0, zoom)); }
  }
  function fitReach(animate, only) {
    var r = reachBox(only);
    if (r === null) { return; }
    fits.aim(reader);
    fits.fit(!!animate, r.fit);
  }

  function place(i, lon, lat, quiet, label) {
    origins[i] = [wrapLon(lon), lat];
    moved[i] = true;
    named[i] = typeof label === "string" && label ? label : null;
    touch(i);
    var m = markers[i];
    if (m) {
      var at = m.getLatLng();
      var shown = shiftNear(origins[i][0], at.lng);
      if (at.lat !== lat || at.lng !== shown) { m.setLatLng([lat, shown]); }
      labelMarker(i);
    }
    if (!quiet) { redraw(); }
  }

  var icon = L.divIcon({className: "rm-handle", html: "<span></span>", iconSize: [22, 22],
    iconAnchor: [11, 11]});
  // A label on the left (right to left, ``rtl`` above) needs its offset to the left.
  origins.forEach(function (o, i) {
    var marker = L.marker([o[1], shiftNear(o[0], data.center_lon)], {
      draggable: true, keyboard: true, icon: icon, autoPan: true, riseOnHover: true
    });
    marker.bindTooltip("", {permanent: true, direction: rtl ? "left" : "right",
      className: "rm-origin-tip", offset: [rtl ? -10 : 10, 0], interactive: false});
    marker.on("drag", function () {
      var at = marker.getLatLng();
      origins[i] = [wrapLon(at.lng), at.lat];
      moved[i] = true;
      named[i] = null;
      touch(i);
      redraw();
    });
    marker.on("dragend", function () {
      var at = marker.getLatLng();
      place(i, at.lng, at.lat, true);
      drawAll();
      changed(i);
    });
    marker.on("add", function () {
      var el = marker.getElement();
      if (!el) { return; }
      el.setAttribute("role", "button");
      el.removeAttribute("title");
      L.DomEvent.on(el, "keydown", function (event) {
        var key = event.key;
        var dx = key === "ArrowLeft" ? -1 : key === "ArrowRight" ? 1 : 0;
        var dy = key === "ArrowDown" ? -1 : key === "ArrowUp" ? 1 : 0;
        if (!dx && !dy) { return; }
        L.DomEvent.stop(event);
        var b = map.getBounds();
        var step = Math.max((b.getEast() - b.getWest()) / 20, 1e-4);
        var stepLat = Math.max((b.getNorth() - b.getSouth()) / 20, 1e-4);
        var at = marker.getLatLng();
        var lat = Math.max(-89.9, Math.min(89.9, at.lat + dy * stepLat));
        marker.setLatLng([lat, at.lng + dx * step]);
        place(i, at.lng + dx * step, lat, true);
        drawAll();
        changed(i);
      });
      labelMarker(i);
    });
    markers.push(marker);
    marker.addTo(map);
  });

  // --- systems -------------------------------------------------------------------------
  function findChoice(id) {
    if (typeof id !== "string") { return -1; }
    for (var k = 0; k < data.choices.length; k += 1) {
      if (data.choices[k].id === id) { return k; }
    }
    for (k = 0; k < data.choices.length; k += 1) {
      if (data.choices[k].system === id) { return k; }
    }
    return -1;
  }
  // Show choice k; with all, put back every layer of the map (the published map).
  function show(k, all) {
    var was = current;
    current = k;
    // Leaflet's layer control rebuilds its list on each change, then relabel hides rows.
    data.layers.forEach(function (spec, li) {
      var group = window[spec.group];
      if (li === data.primary) { return; }
      if (k !== 0 && map.hasLayer(group)) { map.removeLayer(group); }
      if (k === 0 && (was !== 0 || all) && !map.hasLayer(group)) { group.addTo(map); }
    });
    var nodes = document.querySelectorAll("[data-rm-choice]");
    for (var n = 0; n < nodes.length; n += 1) {
      nodes[n].hidden = nodes[n].getAttribute("data-rm-choice") !== String(k);
    }
    if (select) { select.value = choice().id; }
  }
  function selectSystem(id) {
    var k = findChoice(id);
    if (k < 0) { throw new Error("rangemap.selectSystem: unknown system " + String(id)); }
    show(k);
    drawAll();
    changed();
    return state();
  }
  if (select) {
    select.addEventListener("change", function () {
      selectSystem(select.value);
      var r = reachBox();
      if (r !== null && (AEQD || !map.getBounds().contains(r.fit))) { fitReach(true); }
    });
  }

  // --- the published map ---------------------------------------------------------------
  // While the map differs from the published one, a notice with a button back to it
  // takes the subtitle's place (one grid cell, div.rm-said): the subtitle keeps its room
  // (the map does not move) but is hidden, from screen readers too, as is the summary
  // that repeats it; the notice describes the map. Without a subtitle the notice lies
  // over the map's top edge (.rm-over).
  var notice = null, said = null;
  var description = document.getElementById("rm-description");
  var subtitle = document.querySelector(".rm-head .rm-subtitle");
  var figure = map.getContainer(), describedBy = figure.getAttribute("aria-describedby");
  var note = null;
  if (description && description.parentNode) {
    notice = document.createElement("div");
    notice.className = "rm-changed";
    notice.hidden = true;
    note = document.createElement("p");
    note.id = "rm-changed-note";
    note.textContent = words.changed;
    var back = document.createElement("button");
    back.type = "button";
    back.textContent = words.back;
    notice.appendChild(note);
    notice.appendChild(back);
    if (subtitle && subtitle.parentNode) {
      said = document.createElement("div");
      said.className = "rm-said";
      subtitle.parentNode.insertBefore(said, subtitle);
      said.appendChild(subtitle);
      said.appendChild(notice);
    } else {
      notice.classList.add("rm-over");
      description.parentNode.insertBefore(notice, description);
    }
    back.addEventListener("click", function () {
      backToPublished();
      // The button is gone: the reader goes on from the control of the system shown.
      var next = select || map.getContainer();
      if (next && typeof next.focus === "function") { next.focus(); }
    });
  }
  function flag() {
    if (!notice) { return; }
    var stale = differs();
    notice.hidden = !stale;
    if (said) { said.classList.toggle("rm-stale", stale); }
    description.hidden = stale;
    if (describedBy) { figure.setAttribute("aria-describedby", stale ? note.id : describedBy); }
  }
  function backToPublished() {
    lately = [];
    published.forEach(function (p, i) {
      origins[i] = [p[0], p[1]];
      moved[i] = false;
      named[i] = null;
      if (markers[i]) {
        markers[i].setLatLng([p[1], shiftNear(p[0], data.center_lon)]);
        labelMarker(i);
      }
    });
    show(0, true);
    drawAll();
    lead = words.restored;
    changed();
    // The published view, with its limits.
    fits.aim(null);
    fits.fit(true);
  }

  function finite(x) { return typeof x === "number" && isFinite(x); }
  function moveOrigin(index, lon, lat, label) {
    if (typeof index !== "number" || index % 1 !== 0 || index < 0 || index >= origins.length) {
      throw new RangeError("rangemap.moveOrigin: index must be 0 to " + (origins.length - 1));
    }
    if (!finite(lon) || !finite(lat) || lat < -90 || lat > 90) {
      throw new RangeError("rangemap.moveOrigin: give a longitude and a latitude in degrees");
    }
    place(index, lon, lat, true, label);
    drawAll();
    changed(index);
    return state();
  }

  // --- measuring -----------------------------------------------------------------------
  function inverse(o, lon, lat) { return rm.geodesic.inverse(o[1], o[0], lat, lon); }
  function nearestOrigin(lon, lat) {
    var best = null;
    origins.forEach(function (o, i) {
      var r = inverse(o, lon, lat);
      if (best === null || r[0] < best.distance_m) {
        best = {index: i, distance_m: r[0], azimuth_deg: (r[1] + 360) % 360};
      }
    });
    return best;
  }
  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  function inGeometry(g, lon, lat) {
    if (g.type === "GeometryCollection") {
      return g.geometries.some(function (h) { return inGeometry(h, lon, lat); });
    }
    if (g.type !== "Polygon" && g.type !== "MultiPolygon") { return false; }
    return pieces(g).some(function (polygon) {
      return [-360, 0, 360].some(function (s) {
        if (!inRing(polygon[0], lon + s, lat)) { return false; }
        return !polygon.slice(1).some(function (hole) { return inRing(hole, lon + s, lat); });
      });
    });
  }
  function reachOf(lon, lat) {
    if (!finite(lon) || !finite(lat)) { return false; }
    return data.layers.some(function (spec, li) {
      if (!visible(li)) { return false; }
      var bands = bandsOf(li);
      var hit = spec.origins.some(function (oi) {
        var d = inverse(origins[oi], lon, lat)[0];
        return bands.some(function (b) { return d >= b[0] && d <= b[1]; });
      });
      if (hit) { return true; }
      var fixed = fixedOf(li);
      return fixed !== null && fixed.features.some(function (f) {
        return f.properties.fill && inGeometry(f.geometry, lon, lat);
      });
    });
  }

  // --- the address ---------------------------------------------------------------------
  // #o=lon,lat;lon,lat&s=system:variant (the same pattern as
  // /^#o=(LONLAT(?:;LONLAT)*)&s=([A-Za-z0-9._:-]{1,120})$/ with LONLAT one origin).
  var LONLAT = "-?\\d{1,3}(?:\\.\\d+)?,-?\\d{1,2}(?:\\.\\d+)?";
  var HASH = new RegExp("^#o=(" + LONLAT + "(?:;" + LONLAT + ")*)&s=([A-Za-z0-9._:-]{1,120})$");
  function restore() {
    var match = HASH.exec(location.hash);
    if (!match) { return false; }
    var k = findChoice(match[2]);
    var points = match[1].split(";").map(function (p) { return p.split(",").map(Number); });
    var ok = k >= 0 && points.length === origins.length && points.every(function (p) {
      return finite(p[0]) && finite(p[1]) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
    });
    if (!ok) { return false; }
    show(k);
    points.forEach(function (p, i) {
      // An origin the address gives to four decimals of where it is stays where it is.
      var o = origins[i];
      if (Math.abs(p[0] - o[0]) > 6e-5 || Math.abs(p[1] - o[1]) > 6e-5) {
        place(i, p[0], p[1], true);
      }
    });
    return true;
  }

  // --- messages from a host page -------------------------------------------------------
  var ACTIONS = {moveOrigin: 3, selectSystem: 1, state: 0};
  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) { return; }
    var action = msg.rangemap;
    if (typeof action !== "string" || !Object.prototype.hasOwnProperty.call(ACTIONS, action)) {
      return;
    }
    var args = msg.args === undefined ? [] : msg.args;
    if (!Array.isArray(args) || args.length !== ACTIONS[action]) { return; }
    try {
      if (action === "moveOrigin") { moveOrigin(args[0], args[1], args[2]); }
      if (action === "selectSystem") { selectSystem(args[0]); }
    } catch (err) {
      return;
    }
    if (event.source && typeof event.source.postMessage === "function") {
      event.source.postMessage({rangemap: "state", state: state()}, "*");
    }
  });

  rm.map = map;
  rm.fitReach = function (index) {
    fitReach(true, typeof index === "number" && index >= 0 && index < origins.length ?
      index : undefined);
  };
  rm.originName = originName;
  rm.state = state;
  rm.moveOrigin = moveOrigin;
  rm.selectSystem = selectSystem;
  rm.reachOf = reachOf;
  rm.nearestOrigin = nearestOrigin;
  rm.onChange = function (fn) {
    if (typeof fn !== "function") { throw new TypeError("rangemap.onChange: give a function"); }
    listeners.push(fn);
    fn(state());
  };

  var restored = restore();
  rm.restored = restored;
  show(current);
  drawAll();
  origins.forEach(function (o, i) { labelMarker(i); });
  if (restored) {
    saveHash();
    relabel();
    fitReach(false);
  }
  flag();
  declutter();
  map.on("overlayadd overlayremove", relabel);
  map.on("zoomend overlayadd overlayremove", declutter);
  document.addEventListener("rangemap:places", declutter);
}());
