/*
 * rangemap interactive_places.js: the reader's place search, "cities in range" and
 * click-to-measure, on rangemap's interactive page.
 *
 * Reads JSON.parse(document.getElementById("rm-data").textContent).search, written by
 * rangemap/render/_interactive_places.py (which says what each field holds), and the panel
 * that module writes (ids rm-find-*). Uses the interactive core's window.rangemap API:
 * moveOrigin, onChange, reachOf, nearestOrigin, map. Every word shown comes from the data
 * (rangemap's message catalogs); numbers are written with the group and decimal symbols
 * the data gives (CLDR, through Babel), not Intl.NumberFormat, so they match the rest of
 * the page (Babel writes Western digits in Arabic, as Arabic newsrooms do). Text is set
 * with textContent only.
 *
 * Cities in range are recomputed at most once an animation frame while origins move (the
 * cities in the bounding box of state().reach and those found before, about a millisecond),
 * and all of them are checked with reachOf 250 ms after the last change (about 60 ms for
 * 5,000 cities), which also finds the reach of lines, territories and other layers.
 * After each update the document receives a "rangemap:places" event ({detail: {count,
 * settled}}: settled is true after the full pass, when the count is final).
 *
 * The list follows the map's places settings (data "rules": how many are listed, which
 * cities may be, names given, whether a city at a point origin counts); the markers of
 * the listed cities follow it too (the page script's at first, these after a change).
 *
 * Adds window.rangemap.places = {
 *   count: function () -> the number of searchable cities in range now,
 *   found: function () -> their indexes in the data, most populous first,
 *   settled: function () -> true once no recomputation is waiting,
 *   timings: {keys_ms: reading the keys, quick_ms, full_ms: the last recomputations},
 *   ready: a Promise resolved once every search key is read,
 *   search: function (text) -> the indexes of the matching cities (best first, up to 8),
 *   choose: function (index) -> move origin 0 to that city,
 *   key: function (text) -> text normalised as search keys are,
 *   measure: function (lon, lat) -> show the distance and bearing from the nearest origin
 * }.
 */
(function () {
  "use strict";
  var rm = (window.rangemap = window.rangemap || {});
  var dataNode = document.getElementById("rm-data");
  var input = document.getElementById("rm-find-q");
  if (!dataNode || !input) return;
  var page = JSON.parse(dataNode.textContent);
  // Under "search": the page's "places" member is the static places-in-range layer's.
  var P = page.search;
  if (!P) return;

  var MAX_RESULTS = 8;
  var n = P.count;
  // The map's places settings (rules, from rangemap/render/_interactive_places.py).
  var R = P.rules || { top: P.listed, labels: false, include_origins: false, eligible: null,
    rename: [] };
  var names = P.name.slice();
  R.rename.forEach(function (pair) { names[pair[0]] = pair[1]; });
  // A city this near a point origin is that origin (rangemap.places.within.ORIGIN_M, 1 m,
  // and 1 m more for the positions' five decimals).
  var AT_ORIGIN_M = 2;
  var lons = P.lon.map(function (v) { return v / 1e5; });
  var lats = P.lat.map(function (v) { return v / 1e5; });
  var T = P.text;
  var F = P.format;
  var list = document.getElementById("rm-find-results");
  var status = document.getElementById("rm-find-status");
  var measure = document.getElementById("rm-find-measure");
  var countNode = document.getElementById("rm-find-count");
  var listedNode = document.getElementById("rm-find-listed");
  var citiesNode = document.getElementById("rm-find-cities");

  // --- words and numbers ------------------------------------------------------------------

  /* Fill {name} placeholders of a phrase in one pass (values are never read again); on a
   * right-to-left page "{bearing}\u00b0" is one left-to-right run, as in interactive.js. */
  var rtl = document.documentElement.dir === "rtl";
  function fill(phrase, values) {
    if (rtl) { phrase = phrase.replace(/\{(\w+)\}\u00b0/g, "\u2066{$1}\u00b0\u2069"); }
    return phrase.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  /* A number with `digits` decimals, grouped as the page's language groups it. */
  function number(value, digits) {
    var text = Math.abs(value).toFixed(digits);
    var dot = text.indexOf(".");
    var whole = dot < 0 ? text : text.slice(0, dot);
    var fraction = dot < 0 ? "" : text.slice(dot + 1);
    if (whole.length >= 3 + F.min_group) {
      var grouped = "";
      while (whole.length > 3) {
        grouped = F.group + whole.slice(-3) + grouped;
        whole = whole.slice(0, -3);
      }
      whole += grouped;
    }
    var sign = value < 0 && Number(text) !== 0 ? "-" : "";
    return sign + whole + (fraction ? F.decimal + fraction : "");
  }

  function km(metres, digits) {
    return fill(T.km, { km: number(metres / 1000, digits) });
  }

  function cityLabel(i, phrase, extra) {
    var code = P.country.substr(2 * i, 2);
    var values = { name: names[i], country: P.countries[code] || code };
    for (var k in extra) values[k] = extra[k];
    return fill(phrase, values);
  }

  // --- search -----------------------------------------------------------------------------

  /* The form search keys have: NFKD, lower case, letters and numbers only, NFC. */
  function key(text) {
    return String(text)
      .normalize("NFKD")
      .toLowerCase()
      .replace(/\u03c2/g, "\u03c3")
      .replace(/[^\p{L}\p{N}]/gu, "")
      .normalize("NFC");
  }

  // Each city's keys as one string "|key|key|...|" (keys hold only letters and numbers), so
  // one indexOf finds a prefix ("|" + query) or a whole key ("|" + query + "|"). Until the
  // compressed keys are read, the names shown are the keys.
  var keys = P.name.map(function (name) { return "|" + key(name) + "|"; });
  // The name shown and the GeoNames name (the first key of a line): a prefix of these
  // ranks above a prefix of another name ("Khar": Kharkiv before Harbin, alias Kharbin).
  var main = keys.slice();

  function inflate(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  var started = performance.now();
  var loaded = false;
  var timings = { keys_ms: 0, quick_ms: 0, full_ms: 0 };
  var ready = (typeof DecompressionStream === "function" && P.keys_gz
    ? inflate(P.keys_gz).then(function (text) {
        var lines = text.split("\n");
        if (lines.length !== n) throw new Error("rangemap: places keys do not match the cities");
        main = lines.map(function (line, i) {
          var bar = line.indexOf("|");
          return "|" + (bar < 0 ? line : line.slice(0, bar)) + main[i];
        });
        keys = lines.map(function (line, i) { return "|" + line + keys[i]; });
        timings.keys_ms = performance.now() - started;
        loaded = true;
        if (input.value) update();
      })
    : Promise.resolve()
  ).catch(function (error) {
    console.warn(String(error)); // search keeps to the names shown
  });

  /* Cities with a name that starts with the text, best first: a whole name, then the
   * start of the name shown or the GeoNames name, then the start of another name; each
   * most populous first. */
  function search(text) {
    var q = key(text);
    var exact = [];
    var first = [];
    var other = [];
    if (!q) return exact;
    var start = "|" + q;
    var whole = start + "|";
    for (var i = 0; i < n && exact.length < MAX_RESULTS; i++) {
      if (keys[i].indexOf(start) < 0) continue;
      if (keys[i].indexOf(whole) >= 0) exact.push(i);
      else if (main[i].indexOf(start) >= 0) first.push(i);
      else other.push(i);
    }
    return exact.concat(first, other).slice(0, MAX_RESULTS);
  }

  var shown = [];
  var active = -1;

  function setActive(k) {
    active = k;
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === k ? "true" : "false");
    }
    if (k >= 0 && items[k]) {
      input.setAttribute("aria-activedescendant", items[k].id);
      if (items[k].scrollIntoView) items[k].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    shown = [];
    list.textContent = "";
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function update() {
    var text = input.value;
    shown = search(text);
    list.textContent = "";
    shown.forEach(function (city, k) {
      var item = document.createElement("li");
      item.id = "rm-find-option-" + k;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = cityLabel(city, T.result, {});
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { choose(city); });
      list.appendChild(item);
    });
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    setActive(-1);
    status.textContent = key(text) && !shown.length ? T.none : "";
  }

  /* Move the first origin to a city (a map without point origins only pans there). */
  function choose(city) {
    close();
    input.value = names[city];
    status.textContent = "";
    var movable = typeof rm.state === "function" && rm.state().origins.length > 0;
    if (movable && typeof rm.moveOrigin === "function") {
      rm.moveOrigin(0, lons[city], lats[city], names[city]);
      if (typeof rm.fitReach === "function") rm.fitReach(0);
    } else if (rm.map && rm.map.panTo) {
      rm.map.panTo([lats[city], lons[city]]);
    }
  }

  input.addEventListener("input", update);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!shown.length) update();
      if (!shown.length) return;
      event.preventDefault();
      if (event.key === "ArrowDown") setActive(active + 1 < shown.length ? active + 1 : 0);
      else setActive(active > 0 ? active - 1 : shown.length - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      var results = shown.length ? shown : search(input.value);
      if (results.length) {
        choose(results[active >= 0 ? active : 0]);
      } else if (!loaded) {
        // Pressed before every name was read (the first moments after the page opened).
        var text = input.value;
        ready.then(function () {
          var late = search(text);
          if (late.length && input.value === text) choose(late[0]);
        });
      } else {
        status.textContent = key(input.value) ? T.none : "";
      }
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 0); });

  // --- cities in range --------------------------------------------------------------------

  var inRange = 0;
  var current = [];
  var latest = null;
  var pending = false;
  var fullTimer = null;
  var lastFull = []; // what the last full pass found: re-checked by every quick one

  /* The bounding box [west, south, east, north] of every position in a GeoJSON object. */
  function bounds(geojson) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    (function walk(value) {
      if (!value || typeof value !== "object") return;
      if (Array.isArray(value)) {
        if (value.length >= 2 && typeof value[0] === "number" && typeof value[1] === "number") {
          if (value[0] < box[0]) box[0] = value[0];
          if (value[1] < box[1]) box[1] = value[1];
          if (value[0] > box[2]) box[2] = value[0];
          if (value[1] > box[3]) box[3] = value[1];
        } else {
          for (var i = 0; i < value.length; i++) walk(value[i]);
        }
        return;
      }
      walk(value.coordinates);
      walk(value.geometry);
      walk(value.geometries);
      walk(value.features);
    })(geojson);
    return box[0] <= box[2] ? box : null;
  }

  /* Whether the map's places settings let the list show a city in reach. */
  function eligible(i) {
    if (R.eligible !== null && R.eligible.charAt(i) !== "1") return false;
    if (R.include_origins || !rm.nearestOrigin) return true;
    var near = rm.nearestOrigin(lons[i], lats[i]);
    return !near || near.distance_m > AT_ORIGIN_M;
  }

  // --- markers of the cities listed ---------------------------------------------------
  // At first the page script's markers (the same cities, from Python); after the first
  // change, these, in the same style, named when the settings name them.
  var D = page.interactive || {};
  var group = null;
  var live = false;
  var labels = [];
  function markerGroup() {
    if (group === null && rm.map) {
      group = (D.places_group && window[D.places_group]) || L.layerGroup().addTo(rm.map);
    }
    return group;
  }
  function declutter() {
    var kept = [];
    labels.forEach(function (span) {
      var r = span.getBoundingClientRect();
      var free = kept.every(function (k) {
        return r.right + 2 <= k.left || k.right + 2 <= r.left ||
          r.bottom + 1 <= k.top || k.bottom + 1 <= r.top;
      });
      span.style.visibility = free ? "" : "hidden";
      if (free && r.width > 0) kept.push(r);
    });
  }
  function drawMarkers(listed) {
    var g = markerGroup();
    if (!g || typeof L === "undefined") return;
    g.clearLayers();
    labels = [];
    var centre = rm.map.getCenter().lng;
    listed.forEach(function (city) {
      var lon = lons[city] + 360 * Math.round((centre - lons[city]) / 360);
      var near = rm.nearestOrigin ? rm.nearestOrigin(lons[city], lats[city]) : null;
      var lines = [cityLabel(city, T.result, {}),
        fill(T.population, { people: number(P.population[city], 0) })];
      if (near) {
        var origin = rm.originName ? rm.originName(near.index) : "";
        lines.push(origin ? fill(T.from, { distance: km(near.distance_m, 0), origin: origin })
          : km(near.distance_m, 0));
      }
      var tip = document.createElement("div");
      lines.forEach(function (line, i) {
        var row = document.createElement(i === 0 ? "strong" : "span");
        row.textContent = line;
        tip.appendChild(row);
      });
      var dot = L.circleMarker([lats[city], lon], D.place_style || {});
      dot.on("add", function () {
        var el = dot.getElement();
        if (!el) return;
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "img");
        el.setAttribute("aria-label", lines.join(", "));
      });
      dot.bindTooltip(tip, { direction: "top", offset: [0, -5], className: "rm-tip" });
      dot.addTo(g);
      if (R.labels) {
        var span = document.createElement("span");
        span.className = "rm-place-live";
        span.textContent = names[city];
        var box = document.createElement("div");
        box.appendChild(span);
        L.marker([lats[city], lon], {
          icon: L.divIcon({ className: "rm-label", html: box, iconSize: null }),
          interactive: false, keyboard: false
        }).addTo(g);
        labels.push(span);
      }
    });
    declutter();
  }
  if (rm.map && rm.map.on) rm.map.on("zoomend", function () { if (live) declutter(); });

  function show(found, settled) {
    current = found.filter(eligible);
    inRange = current.length;
    var listed = current.slice(0, R.top);
    countNode.textContent = fill(T.count, { count: number(inRange, 0) });
    listedNode.textContent =
      inRange > R.top ? fill(T.listed, { shown: number(R.top, 0) }) : "";
    citiesNode.textContent = "";
    listed.forEach(function (city) {
      var near = rm.nearestOrigin ? rm.nearestOrigin(lons[city], lats[city]) : null;
      var item = document.createElement("li");
      item.textContent = near
        ? cityLabel(city, T.row, { distance: km(near.distance_m, 0) })
        : cityLabel(city, T.result, {});
      citiesNode.appendChild(item);
    });
    if (!live && (changes > 1 || rm.restored || !D.places_group)) live = true;
    if (live) drawMarkers(listed);
    document.dispatchEvent(new CustomEvent("rangemap:places", {
      detail: { count: inRange, settled: !!settled }
    }));
  }

  /* Every searchable city in reach (about 12 microseconds a city): after changes settle. */
  function fullPass() {
    fullTimer = null;
    if (typeof rm.reachOf !== "function") return;
    var t0 = performance.now();
    var found = [];
    for (var i = 0; i < n; i++) if (rm.reachOf(lons[i], lats[i])) found.push(i);
    lastFull = found;
    timings.full_ms = performance.now() - t0;
    show(found, true);
  }

  /* The cities in the box of the moving reach, and those the last full pass found: at
   * most once a frame while origins move (the reach of lines and territories and of other
   * layers is not in state().reach; the full pass that follows finds it). */
  function quickPass() {
    pending = false;
    var state = latest;
    if (!state || typeof rm.reachOf !== "function") return;
    var t0 = performance.now();
    var box = bounds(state.reach);
    var pad = 0.01; // degrees: the drawn boundary is within its tolerance of the true one
    var mark = new Uint8Array(n);
    if (box) {
      for (var i = 0; i < n; i++) {
        var lon = lons[i];
        var lat = lats[i];
        var inBox = lat >= box[1] - pad && lat <= box[3] + pad;
        if (inBox && lon >= box[0] - pad && lon <= box[2] + pad) mark[i] = 1;
      }
    }
    for (var j = 0; j < lastFull.length; j++) mark[lastFull[j]] = 1;
    var found = [];
    for (var k = 0; k < n; k++) if (mark[k] && rm.reachOf(lons[k], lats[k])) found.push(k);
    timings.quick_ms = performance.now() - t0;
    show(found, false);
    if (fullTimer !== null) clearTimeout(fullTimer);
    fullTimer = setTimeout(fullPass, 250);
  }

  var changes = 0;
  function changed(state) {
    changes += 1;
    latest = state;
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(quickPass);
  }

  if (typeof rm.onChange === "function") rm.onChange(changed);
  else if (typeof rm.state === "function") changed(rm.state());

  // --- click to measure -------------------------------------------------------------------

  function measured(lon, lat) {
    var near = rm.nearestOrigin ? rm.nearestOrigin(lon, lat) : null;
    if (!near) return;
    var bearing = ((near.azimuth_deg % 360) + 360) % 360;
    if (Number(bearing.toFixed(1)) === 360) bearing = 0;
    measure.textContent = fill(T.measure, {
      distance: km(near.distance_m, 1),
      bearing: number(bearing, 1)
    });
    measure.setAttribute("data-distance-m", String(near.distance_m));
    measure.setAttribute("data-azimuth-deg", String(bearing));
    measure.setAttribute("data-origin", String(near.index));
    measure.setAttribute("data-lon", String(lon));
    measure.setAttribute("data-lat", String(lat));
  }

  // Distances are measured from point origins: a map of lines and territories has none.
  if (typeof rm.state === "function" && rm.state().origins.length === 0) measure.hidden = true;

  if (rm.map && rm.map.on) {
    rm.map.on("click", function (event) {
      var point = event.latlng.wrap();
      measured(point.lng, point.lat);
    });
  }

  rm.places = {
    count: function () { return inRange; },
    found: function () { return current.slice(); },
    settled: function () { return !pending && fullTimer === null; },
    timings: timings,
    ready: ready,
    search: search,
    choose: choose,
    key: key,
    measure: measured
  };
})();
