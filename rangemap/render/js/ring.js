/*
 * rangemap ring construction in the browser: the reach of a point, exact on WGS84.
 *
 * This file owns window.rangemap.ring and window.rangemap.annulus, the browser's copy of
 * rangemap.geodesy.ring / annulus (rangemap/geodesy/_circles.py, _curves.py, _planar.py),
 * built by the same rules:
 *
 *   rangemap.ring(lon, lat, radius_m, tolerance_m)           -> GeoJSON geometry
 *   rangemap.annulus(lon, lat, min_m, max_m, tolerance_m)    -> GeoJSON geometry
 *
 * The result is {"type": "Polygon" | "MultiPolygon", "coordinates": ...} (RFC 7946):
 * longitudes in [-180, 180], split at +-180 into parts (vertices on the seam exactly
 * +-180), closed along +-180 through a pole the reach holds, exterior rings
 * counter-clockwise and holes clockwise. A ring wider than half the Earth is the world
 * minus a hole around the antipode; an annulus has a hole for its minimum range.
 * tolerance_m null or undefined means the default, 0.01 % of each boundary's radius
 * (at least 1 mm).
 *
 * Vertex placement (rangemap/geodesy/_curves.py): a circle starts with vertices evenly
 * spaced in azimuth, as many as a bound on its curvature asks, or, where that bound asks
 * for more than 384, where a closed-form model of the drawn curve's curvature puts each
 * edge's error near 0.87 of the limit (first_azimuths); every straight edge is then checked at its
 * quarter points and midpoint in longitude/latitude and at its Web Mercator midpoint,
 * and split at its middle azimuth until the worst error is below half the tolerance.
 * An edge is checked against the cubic with the circle's ends and tangents there (the
 * direct problem that places a vertex gives its tangent); edges whose circle turns by
 * more than about 2 degrees, or whose modelled error is near the limit, are checked by
 * solving the inverse problem at every sample. Radii beyond the cut locus
 * (pi * b - 10 km) are found from the antipode outward, as in Python.
 *
 * Geodesics come from window.rangemap.geodesic (geodesic.js, loaded before this file):
 * direct(lat1, lon1, azi1, s12) -> [lat2, lon2, azi2] and
 * inverse(lat1, lon1, lat2, lon2) -> [s12, azi1, azi2]. Bad arguments throw a
 * RangeError or TypeError naming the argument.
 */
(function () {
  "use strict";
  var rm = (window.rangemap = window.rangemap || {});

  // WGS84, as pyproj's Geod(ellps="WGS84") has it.
  var A = 6378137.0;
  var F = 1.0 / 298.257223563;
  var E2 = F * (2.0 - F);
  var B = A * (1.0 - F);
  // rangemap.units.MAX_DISTANCE_M: half a meridian, the longest distance there is.
  var MAX_DISTANCE_M = 20003931.458625447;
  // Below this radius every geodesic from the centre is the shortest path.
  var CUT_LOCUS_SAFE_M = Math.PI * B - 10000.0;
  var EARTH_R_M = 6371008.8;
  // Edges are split until their sampled error is below this share of the tolerance.
  var SAFETY = 0.5;
  var MAX_VERTICES = 2000000;
  var MERC_MAX_LAT = 85.0511287798;
  var PHASE = 1.0 / Math.PI; // first azimuth offset: no vertex falls on a pole
  var RAD = Math.PI / 180.0;
  var A_RAD = A * RAD; // metres per degree of the equator
  var B_RAD = A * (1.0 - E2) * RAD; // metres per degree of latitude, over w**3
  var MODEL_TURN = 0.04;
  var MODEL_MARGIN = 1e-4;
  var FEW = 8;

  function geodesic() {
    var g = rm.geodesic;
    if (!g || typeof g.direct !== "function" || typeof g.inverse !== "function") {
      throw new Error("rangemap.ring needs geodesic.js: load it before ring.js.");
    }
    return g;
  }

  function wrap180(x) {
    var y = (x + 180.0) % 360.0;
    if (y < 0) {
      y += 360.0;
    }
    return y - 180.0;
  }

  function mercY(lat) {
    return Math.log(Math.tan(Math.PI / 4.0 + (lat * RAD) / 2.0));
  }

  function mercLat(y) {
    return (2.0 * Math.atan(Math.exp(y)) - Math.PI / 2.0) / RAD;
  }

  // ---- arguments -----------------------------------------------------------------

  function checkCentre(lon, lat) {
    if (typeof lon !== "number" || typeof lat !== "number") {
      throw new TypeError("lon and lat must be numbers of degrees; got " + lon + ", " + lat + ".");
    }
    if (!isFinite(lon) || !isFinite(lat)) {
      throw new RangeError("the centre must have finite coordinates; got (" + lon + ", " + lat + ").");
    }
    if (lat < -90.0 || lat > 90.0) {
      throw new RangeError(
        "lat is " + lat + ", outside [-90, 90]; check that longitude and latitude are not swapped."
      );
    }
    if (lon < -180.0 || lon > 180.0) {
      throw new RangeError("lon is " + lon + ", outside [-180, 180]; pass longitudes within [-180, 180].");
    }
  }

  function checkDistance(value, name, allowZero) {
    if (typeof value !== "number" || !isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
      throw new RangeError(name + " must be a positive, finite number of metres; got " + value + ".");
    }
    if (value > MAX_DISTANCE_M) {
      throw new RangeError(
        name + " is " + value + " m, longer than any distance on the WGS84 ellipsoid (at most " +
          MAX_DISTANCE_M + " m); use a smaller distance."
      );
    }
    return value;
  }

  function defaultTolerance(d) {
    return Math.max(1e-4 * d, 1e-3);
  }

  function checkTolerance(value, d) {
    if (value === null || value === undefined) {
      return defaultTolerance(d);
    }
    if (typeof value !== "number" || !isFinite(value) || value <= 0) {
      throw new RangeError("tolerance_m must be a positive, finite number of metres or null; got " + value + ".");
    }
    if (value < 1e-7 * d || value < 1e-4) {
      throw new RangeError(
        "tolerance_m=" + value + " is too small for a distance of " + d + " m; use at least " +
          Math.max(1e-7 * d, 1e-4) + " m, or null for the default 0.01 %."
      );
    }
    return value;
  }

  // The vertices a refinement found, in increasing parameter, once it has converged
  // within its 60 passes.
  function inOrder(found, passes) {
    if (passes >= 60) {
      throw new Error("the reach boundary did not converge to the tolerance; use a larger tolerance_m.");
    }
    return found.sort(function (a, b) {
      return a.t - b.t;
    });
  }

  function tooMany(n, tol) {
    if (n > MAX_VERTICES) {
      throw new RangeError(
        "the reach boundary needs more than " + MAX_VERTICES + " vertices for tolerance_m=" + tol +
          "; use a larger tolerance_m."
      );
    }
  }

  // ---- vertices of a circle --------------------------------------------------------

  // A circle vertex: position, the circle's tangent towards increasing azimuth (degrees
  // of longitude and latitude per metre; Gauss's lemma: 90 degrees clockwise from the
  // geodesic's azimuth az2 where it meets the circle) and its Web Mercator y.
  function vertex(t, lat, lon, az2) {
    var phi = lat * RAD;
    var s = Math.sin(phi);
    var w2 = 1.0 - E2 * s * s;
    var w = Math.sqrt(w2);
    var alpha = az2 * RAD;
    return {
      t: t,
      lon: lon,
      lat: lat,
      tx: (Math.cos(alpha) * w) / (Math.cos(phi) * A_RAD),
      ty: (Math.sin(alpha) * (w2 * w)) * (-1.0 / B_RAD),
      my: Math.asinh(Math.tan(phi)),
    };
  }

  function onCircle(g, lon0, lat0, az, r) {
    var p = g.direct(lat0, lon0, az, r);
    var lon = p[1];
    if (lon < -180.0 || lon > 180.0) {
      lon = wrap180(lon);
    }
    return vertex(az, p[0], lon, p[2]);
  }

  // The points of a straight edge where its error is checked: quarter points and
  // midpoint in lon/lat, and the Web Mercator midpoint (below Leaflet's clamp).
  function edgeSamples(lon1, lat1, lon2, lat2) {
    var dlon = wrap180(lon2 - lon1);
    var out = [];
    for (var t = 0.25; t < 1.0; t += 0.25) {
      out.push(wrap180(lon1 + t * dlon), lat1 + t * (lat2 - lat1));
    }
    var latM;
    if (Math.abs(lat1) < MERC_MAX_LAT && Math.abs(lat2) < MERC_MAX_LAT) {
      latM = mercLat(0.5 * (mercY(lat1) + mercY(lat2)));
    } else {
      latM = lat1 + 0.5 * (lat2 - lat1);
    }
    out.push(wrap180(lon1 + 0.5 * dlon), latM);
    return out;
  }

  // The sampled error of an edge, from the inverse problem at each sample.
  function exactError(g, lon0, lat0, r, p, q) {
    var s = edgeSamples(p.lon, p.lat, q.lon, q.lat);
    var err = 0.0;
    for (var i = 0; i < s.length; i += 2) {
      var e = Math.abs(g.inverse(lat0, lon0, s[i + 1], s[i])[0] - r);
      if (!(e <= err)) {
        err = e; // NaN propagates, and is then "too large"
      }
    }
    return err;
  }

  // The sampled error of the straight edge p-q from the Hermite cubic with the curve's
  // ends and tangents (rangemap.geodesy._curves.hermite_errors, for one edge). Returns
  // [error, unsure, even].
  function hermite(p, q, limit) {
    var dlon = q.lon - p.lon;
    dlon = wrap180(dlon);
    var dlat = q.lat - p.lat;
    var latSum = p.lat + q.lat;
    var phi = latSum * (0.5 * RAD);
    var s = Math.sin(phi);
    var w2 = 1.0 - E2 * s * s;
    var w = Math.sqrt(w2);
    var kx = Math.cos(phi) * (A_RAD / w);
    var ky = B_RAD / w / w2;
    var a0 = (p.ty * dlon - p.tx * dlat) * (kx * ky);
    var a1 = (q.ty * dlon - q.tx * dlat) * (kx * ky);
    var cx = (q.tx - p.tx) * kx;
    var cy = (q.ty - p.ty) * ky;
    var turn2 = cx * cx + cy * cy;
    var grow = 1.0 + turn2 * (1.0 / 16.0);
    a0 *= grow;
    a1 *= grow;
    var q1 = (-9.0 * a0 + 3.0 * a1) / 64.0;
    var q3 = (-3.0 * a0 + 9.0 * a1) / 64.0;
    var mid = (-8.0 * a0 + 8.0 * a1) / 64.0;
    var shift = 0.0;
    if (Math.max(Math.abs(p.lat), Math.abs(q.lat)) < MERC_MAX_LAT) {
      shift = Math.atan(Math.sinh(0.5 * (p.my + q.my))) / RAD - 0.5 * latSum;
    }
    var chx = dlon * kx;
    var merc = Math.abs(mid + (shift * ky * chx) / Math.hypot(chx, dlat * ky));
    var err = Math.max(Math.abs(q1), Math.abs(q3), Math.abs(mid), merc); // NaN if any is
    var st = dlat * RAD * Math.tan(phi);
    var stretch2 = st * st;
    var near = Math.abs(err - limit) <= limit * (MODEL_MARGIN + 2.0 * stretch2);
    var smooth = turn2 <= MODEL_TURN * MODEL_TURN;
    var unsure = !smooth || near || err !== err; // a NaN error is checked exactly
    var even = smooth && a0 * a1 < 0.0 && Math.abs(mid) >= 0.25 * Math.abs(a0 + a1);
    return [err, unsure, even];
  }

  // The vertex count a bound on the circle's curvature asks for (min_vertices).
  function minVertices(r, tol, lat) {
    var rho = Math.min(r / EARTH_R_M, Math.PI);
    var planar = EARTH_R_M * Math.sin(rho);
    var reachLat = Math.min(Math.abs(lat) + rho / RAD, 89.0);
    var k =
      EARTH_R_M * Math.abs(Math.sin(rho) * Math.cos(rho)) +
      (planar * planar * Math.tan(reachLat * RAD)) / EARTH_R_M;
    k = Math.max(k, r * 1e-3, 1e-9);
    var step = Math.sqrt((8.0 * SAFETY * tol) / k);
    var n = Math.ceil((2.0 * Math.PI) / Math.min(step, Math.PI / 8.0));
    tooMany(n, tol);
    return n;
  }

  // ---- the first vertices of big circles: a model of the drawn curve's curvature ----
  // (rangemap.geodesy._curves: _modelled_azimuths, _map_curvature, _rectifying)

  // Circles whose curvature bound asks for more vertices than this are placed from a model.
  var MODEL_ABOVE = 384;
  // The model aims each first edge's error at this share of the limit.
  var AIM = 0.87;
  // At least this many vertices per radian of azimuth (64 per circle).
  var FLOOR = 64.0 / (2.0 * Math.PI);
  // The density is integrated over EVEN even azimuths, and NEAR around each point nearest
  // a pole, spaced evenly in asinh(t / gap) out to REACH radians of azimuth.
  var EVEN = 128;
  var NEAR = 48;
  var REACH = 0.3;
  // A circle within a few tolerances of a pole bends there like a corner: a bump of
  // density, one vertex per CORNER_STEP aimed errors over about CORNER_WIDTH of them.
  var CORNER_STEP = 1.8;
  var CORNER_WIDTH = 1.5;
  var FADED = 1e-3;
  // The rectifying sphere: a meridian arc of it is as long as on the ellipsoid.
  var N3 = F / (2.0 - F);
  var R_RECT = (A / (1.0 + N3)) * (1.0 + (N3 * N3) / 4.0 + (N3 * N3 * N3 * N3) / 64.0);
  var MU = [
    -1.5 * N3 + (9.0 / 16.0) * N3 * N3 * N3,
    (15.0 / 16.0) * N3 * N3 - (15.0 / 32.0) * N3 * N3 * N3 * N3,
    (-35.0 / 48.0) * N3 * N3 * N3,
    (315.0 / 512.0) * N3 * N3 * N3 * N3,
  ];
  var NEAR_U = [];
  (function () {
    for (var i = 0; i < NEAR; i++) {
      NEAR_U.push(-1.0 + (2.0 * i) / (NEAR - 1));
    }
  })();

  // The rectifying latitude (radians) of a geodetic latitude (radians).
  function rectifying(phi) {
    var out = phi;
    for (var k = 1; k <= MU.length; k++) {
      out += MU[k - 1] * Math.sin(2.0 * k * phi);
    }
    return out;
  }

  // How sharply the circle of angular radius rho around a centre at latitude mu0 (unit
  // sphere) bends where it is drawn, at azimuth theta from the centre: the larger of its
  // curvature in longitude/latitude and in Web Mercator, at the local scale.
  function mapCurvature(theta, s0, c0, sr, cr) {
    var ct = Math.cos(theta);
    var st = c0 * Math.sin(theta);
    var b2 = st * st;
    var a = c0 * cr * ct - s0 * sr;
    var c2 = a * a + b2;
    var pull = (a * (s0 * cr + c0 * sr * ct)) / c2; // cos(beta) tan(phi)
    var geodesicK = -cr / sr;
    var lonlat = geodesicK - pull * (1.0 + b2 / c2);
    return Math.max(Math.abs(lonlat), Math.abs(geodesicK - pull));
  }

  // The azimuths (degrees) of a big circle's first vertices, where a model of its drawn
  // curvature on the rectifying sphere puts each edge's error near AIM of the limit
  // (_modelled_azimuths, for one circle): vertex j where the integral of the density
  // sqrt(k / 8 e) reaches j + phase, scaled to a whole count. null when that count is
  // not below fewer (the bound's even vertices are then kept).
  function modelledAzimuths(lat, r, tol, fewer) {
    var aim = AIM * tol * SAFETY;
    var mu0 = rectifying(lat * RAD);
    var rho = r / R_RECT;
    var gaps = [0.5 * Math.PI - mu0 - rho, 0.5 * Math.PI + mu0 - rho]; // N, S
    var pad = (0.5 * aim) / R_RECT; // widened: a circle through a pole is no corner
    var padded = gaps.map(function (gap) {
      return gap >= 0.0 ? gap + pad : gap - pad;
    });
    var rhoM = 0.5 * (Math.PI - padded[0] - padded[1]);
    var muM = 0.5 * (padded[1] - padded[0]);
    var perRad = R_RECT * Math.sin(rhoM); // metres along the circle per radian of azimuth
    // the grid: even azimuths, and near each pole's point (azimuth 0 and pi)
    var grid = [];
    var i;
    for (i = 0; i < EVEN; i++) {
      grid.push(i * ((2.0 * Math.PI) / EVEN));
    }
    for (var pole = 0; pole < 2; pole++) {
      var reach = Math.abs(padded[pole]) * (R_RECT / perRad);
      var spread = Math.asinh(REACH / reach);
      for (i = 0; i < NEAR; i++) {
        var t = reach * Math.sinh(NEAR_U[i] * spread);
        if (pole === 0) {
          t = t % (2.0 * Math.PI); // numpy's floor modulo: negative t wraps below 2 pi
          if (t < 0.0) {
            t += 2.0 * Math.PI;
          }
        } else {
          t += Math.PI;
        }
        grid.push(t);
      }
    }
    grid.push(2.0 * Math.PI);
    grid.sort(function (x, y) {
      return x - y;
    });
    var s0 = Math.sin(muM);
    var c0 = Math.cos(muM);
    var sr = Math.sin(rhoM);
    var cr = Math.cos(rhoM);
    var scale = perRad * (1.0 / Math.sqrt(8.0 * aim * R_RECT));
    // the bump at each pole's point, fading as its gap grows beyond two aimed errors
    var fade = gaps.map(function (gap) {
      var x = gap * (R_RECT / (2.0 * aim));
      return 1.0 / (1.0 + x * x);
    });
    var bent = Math.max(fade[0], fade[1]) > FADED;
    var bumpScale = perRad / (CORNER_STEP * aim);
    var width = 1.0 / (CORNER_WIDTH * aim);
    var g = grid.length;
    var dens = new Array(g);
    for (i = 0; i < g; i++) {
      var th = grid[i];
      var d = Math.max(Math.sqrt(mapCurvature(th, s0, c0, sr, cr)) * scale, FLOOR);
      if (bent) {
        var alongN = perRad * Math.min(th, 2.0 * Math.PI - th) * width;
        var alongS = perRad * (th - Math.PI) * width;
        d += bumpScale * (fade[0] * Math.exp(-(alongN * alongN)) + fade[1] * Math.exp(-(alongS * alongS)));
      }
      dens[i] = d;
    }
    var cum = new Array(g);
    cum[0] = 0.0;
    for (i = 1; i < g; i++) {
      cum[i] = cum[i - 1] + (dens[i] + dens[i - 1]) * (grid[i] - grid[i - 1]);
    }
    var total = 0.5 * cum[g - 1];
    var n = Math.ceil(total);
    if (!(n < fewer)) {
      return null;
    }
    var step = (2.0 * total) / n;
    var out = new Array(n);
    var j = 0;
    for (var m = 0; m < n; m++) {
      var x = (m + PHASE) * step; // increasing: walk the grid once
      while (j < g - 2 && cum[j + 1] <= x) {
        j++;
      }
      var slope = (grid[j + 1] - grid[j]) / (cum[j + 1] - cum[j]);
      out[m] = (slope * (x - cum[j]) + grid[j]) / RAD;
    }
    return out;
  }

  // The first azimuths of the circle of radius r around a centre at latitude lat
  // (first_azimuths): evenly spaced as the bound says, or, where it asks for more than
  // 384, from the model of the drawn curve's curvature when that asks for fewer.
  function firstAzimuths(lat, r, tol) {
    var n = minVertices(r, tol, lat);
    if (n > MODEL_ABOVE) {
      var modelled = modelledAzimuths(lat, r, tol, n);
      if (modelled !== null) {
        return modelled;
      }
    }
    var out = new Array(n);
    for (var k = 0; k < n; k++) {
      out[k] = (k + PHASE) * (360.0 / n);
    }
    return out;
  }

  // The circle of radius r around (lon0, lat0), refined to the tolerance
  // (refine_circles): vertices in increasing azimuth, i.e. clockwise.
  function refineCircle(g, lon0, lat0, r, tol) {
    var az = firstAzimuths(lat0, r, tol);
    var found = [];
    var i;
    for (i = 0; i < az.length; i++) {
      found.push(onCircle(g, lon0, lat0, az[i], r));
    }
    // edges: [start vertex, end vertex, start azimuth, end azimuth]
    var edges = [];
    for (i = 0; i < found.length; i++) {
      var nxt = (i + 1) % found.length;
      edges.push([found[i], found[nxt], found[i].t, nxt > i ? found[nxt].t : found[nxt].t + 360.0]);
    }
    var limit = tol * SAFETY;
    var pass;
    for (pass = 0; pass < 60; pass++) {
      if (edges.length === 0) {
        break;
      }
      var exactAll = edges.length <= FEW;
      var next = [];
      var anyBad = false;
      for (i = 0; i < edges.length; i++) {
        var e = edges[i];
        var err;
        var even = false;
        if (exactAll) {
          err = exactError(g, lon0, lat0, r, e[0], e[1]);
        } else {
          var h = hermite(e[0], e[1], limit);
          err = h[0];
          even = h[2];
          if (h[1]) {
            err = exactError(g, lon0, lat0, r, e[0], e[1]);
          }
        }
        if (!(err <= limit)) {
          anyBad = true;
          var midT = 0.5 * (e[2] + e[3]);
          var m = onCircle(g, lon0, lat0, midT, r);
          found.push(m);
          // the halves of an even arc within 1.5 times the limit are within 0.75 of it
          if (!(even && err <= 1.5 * limit)) {
            next.push([e[0], m, e[2], midT], [m, e[1], midT, e[3]]);
          }
        }
      }
      tooMany(found.length, tol);
      if (!anyBad) {
        break;
      }
      edges = next;
    }
    return inOrder(found, pass);
  }

  // ---- rings beyond the cut locus: found from the antipode -------------------------

  // The point along a bearing from the antipode at distance r from the centre
  // (_root_along): Newton steps inside a bracket that halves when a step would leave it.
  function rootAlong(g, bearing, alon, alat, lon0, lat0, r, gap) {
    var lo = 0.0;
    var hi = 2.0 * gap + 300000.0;
    var s = gap; // exact on a sphere
    var last = Infinity;
    for (var it = 0; it < 200; it++) {
      var p = g.direct(alat, alon, bearing, s);
      var inv = g.inverse(lat0, lon0, p[0], p[1]);
      var miss = inv[0] - r;
      if (miss > 0.0) {
        lo = s;
      } else {
        hi = s;
      }
      if (Math.abs(miss) <= 1e-6 || hi - lo <= 4.0 * Number.EPSILON * hi) {
        return [p[1] < -180.0 || p[1] > 180.0 ? wrap180(p[1]) : p[1], p[0]];
      }
      // d(distance from centre)/ds: the cosine between the two geodesics' azimuths there
      var slope = Math.cos((p[2] - inv[2]) * RAD);
      var step = s - miss / slope;
      var newton = isFinite(step) && step > lo && step < hi && Math.abs(miss) < 0.5 * last;
      last = Math.abs(miss);
      s = newton ? step : 0.5 * (lo + hi);
    }
    throw new Error("internal error: the ring near the antipodal distance did not converge.");
  }

  // The curve at r from the centre found around the antipode (_curve_from_antipode,
  // refine_closed): increasing bearing runs clockwise around the antipode, so the reach
  // is on the left. Returns [[lon, lat], ...].
  function curveFromAntipode(g, lon0, lat0, r, tol) {
    var alon = wrap180(lon0 + 180.0);
    var alat = -lat0;
    var gap = MAX_DISTANCE_M - r;
    var n0 = 32;
    var step = 360.0 / n0;
    var limit = tol * SAFETY;
    var found = [];
    var k;
    function at(t) {
      var p = rootAlong(g, t, alon, alat, lon0, lat0, r, gap);
      return { t: t, lon: p[0], lat: p[1] };
    }
    function error(p, q) {
      var s = edgeSamples(p.lon, p.lat, q.lon, q.lat);
      var err = 0.0;
      for (var i = 0; i < s.length; i += 2) {
        var e = Math.abs(g.inverse(lat0, lon0, s[i + 1], s[i])[0] - r);
        if (!(e <= err)) {
          err = e;
        }
      }
      return err;
    }
    for (k = 0; k < n0; k++) {
      found.push(at((k + PHASE) * step));
    }
    var edges = [];
    for (k = 0; k < n0; k++) {
      var nx = (k + 1) % n0;
      edges.push([found[k], found[nx], found[k].t, nx > k ? found[nx].t : found[nx].t + 360.0]);
    }
    var pass;
    for (pass = 0; pass < 60; pass++) {
      var next = [];
      for (var i = 0; i < edges.length; i++) {
        var e = edges[i];
        if (!(error(e[0], e[1]) <= limit)) {
          var mt = 0.5 * (e[2] + e[3]);
          var m = at(mt);
          found.push(m);
          next.push([e[0], m, e[2], mt], [m, e[1], mt, e[3]]);
        }
      }
      tooMany(found.length, tol);
      if (next.length === 0) {
        break;
      }
      edges = next;
    }
    return inOrder(found, pass).map(function (v) {
      return [v.lon, v.lat];
    });
  }

  // The closed curve at r from the centre, the points within r on its left
  // (circle_curve), as [[lon, lat], ...] without the closing vertex.
  function circleCurve(lon0, lat0, r, tol) {
    var g = geodesic();
    if (r <= CUT_LOCUS_SAFE_M) {
      var v = refineCircle(g, lon0, lat0, r, tol);
      var out = new Array(v.length);
      // increasing azimuth runs clockwise around the centre: reverse it
      for (var i = 0; i < v.length; i++) {
        out[v.length - 1 - i] = [v[i].lon, v[i].lat];
      }
      return out;
    }
    return curveFromAntipode(g, lon0, lat0, r, tol);
  }

  // ---- closed curves to RFC 7946 polygons ------------------------------------------

  // Where the straight edge between two vertices meets +-180 (_crossing_lat): computed
  // from the endpoints in a fixed order, so both sides get the same point.
  function crossingLat(lon1, lat1, lon2, lat2) {
    var swap = lon2 < lon1 || (lon2 === lon1 && lat2 < lat1);
    var aLon = swap ? lon2 : lon1;
    var bLon = swap ? lon1 : lon2;
    var aLat = swap ? lat2 : lat1;
    var bLat = swap ? lat1 : lat2;
    var dlon = wrap180(bLon - aLon);
    var edge = dlon > 0 ? 180.0 : -180.0;
    var t = (edge - aLon) / dlon;
    return aLat + t * (bLat - aLat);
  }

  // Twice the signed area of a ring (no closing vertex), about its first vertex.
  function area2(pts) {
    var x0 = pts[0][0];
    var y0 = pts[0][1];
    var s = 0.0;
    for (var i = 0; i < pts.length; i++) {
      var p = pts[i];
      var q = pts[(i + 1) % pts.length];
      s += (p[0] - x0) * (q[1] - y0) - (q[0] - x0) * (p[1] - y0);
    }
    return s;
  }

  function pushPoint(list, x, y) {
    var last = list[list.length - 1];
    if (!last || last[0] !== x || last[1] !== y) {
      list.push([x, y]);
    }
  }

  // Position along the world rectangle's boundary, counter-clockwise from (-180, -90).
  function perimeter(x, y) {
    return x > 0 ? 450.0 + y : 990.0 - y;
  }
  var CORNERS = [
    [0.0, -180.0, -90.0],
    [360.0, 180.0, -90.0],
    [540.0, 180.0, 90.0],
    [900.0, -180.0, 90.0],
  ];

  // Cut closed curves (reach on the left of each) at +-180 and join them into polygons
  // (region_left_of, for one or several curves): the pieces between crossings are
  // joined by following the world rectangle's boundary counter-clockwise, which closes
  // a curve winding around a pole through that pole and a split curve along the seam.
  // A curve that does not cross is an exterior if counter-clockwise and a hole if not;
  // holes with no exterior at all are holes of the whole world.
  function regionLeftOf(curves) {
    var exteriors = [];
    var holes = [];
    var chains = [];
    curves.forEach(function (curve) {
      var n = curve.length;
      var lon = new Array(n);
      var lat = new Array(n);
      var i;
      for (i = 0; i < n; i++) {
        var x = curve[i][0];
        lon[i] = Math.abs(x) > 180.0 - 1e-9 ? (x < 0 ? -180.0 : 180.0) : x;
        lat[i] = curve[i][1];
      }
      // a vertex on the seam takes the side of the vertex before it
      for (i = 0; i < n; i++) {
        if (Math.abs(lon[i]) === 180.0) {
          var before = lon[(i + n - 1) % n];
          lon[i] = before < 0 ? -180.0 : 180.0;
        }
      }
      var cuts = [];
      for (i = 0; i < n; i++) {
        var j = (i + 1) % n;
        if (Math.abs(lon[j] - lon[i]) > 180.0) {
          cuts.push(i);
        }
      }
      if (cuts.length === 0) {
        var ring = [];
        for (i = 0; i < n; i++) {
          pushPoint(ring, lon[i], lat[i]);
        }
        if (ring.length > 2) {
          (area2(ring) > 0.0 ? exteriors : holes).push(ring);
        }
        return;
      }
      for (var c = 0; c < cuts.length; c++) {
        var a = cuts[c];
        var bEnd = cuts[(c + 1) % cuts.length];
        var ya = crossingLat(lon[a], lat[a], lon[(a + 1) % n], lat[(a + 1) % n]);
        var yb = crossingLat(lon[bEnd], lat[bEnd], lon[(bEnd + 1) % n], lat[(bEnd + 1) % n]);
        // after crossing a, the curve is on the side of vertex a + 1
        var xStart = lon[(a + 1) % n] < 0 ? -180.0 : 180.0;
        var pts = [[xStart, ya]];
        var k = (a + 1) % n;
        for (;;) {
          pushPoint(pts, lon[k], lat[k]);
          if (k === bEnd) {
            break;
          }
          k = (k + 1) % n;
        }
        pushPoint(pts, lon[bEnd] < 0 ? -180.0 : 180.0, yb);
        chains.push({
          pts: pts,
          start: perimeter(xStart, ya),
          end: perimeter(lon[bEnd] < 0 ? -180.0 : 180.0, yb),
          used: false,
        });
      }
    });
    // join the chains along the rectangle's boundary
    chains.forEach(function (first) {
      if (first.used) {
        return;
      }
      var ring = [];
      var chain = first;
      for (var guard = 0; guard <= chains.length; guard++) {
        chain.used = true;
        chain.pts.forEach(function (p) {
          pushPoint(ring, p[0], p[1]);
        });
        var best = null;
        var bestGap = Infinity;
        chains.forEach(function (other) {
          var gapTo = other.start - chain.end;
          if (gapTo < 0) {
            gapTo += 1080.0;
          }
          if (gapTo < bestGap) {
            bestGap = gapTo;
            best = other;
          }
        });
        // corners passed on the way
        var corners = [];
        for (var turn = 0; turn < 2; turn++) {
          CORNERS.forEach(function (cn) {
            var along = cn[0] + 1080.0 * turn - chain.end;
            if (along > 0 && along < bestGap) {
              corners.push([along, cn[1], cn[2]]);
            }
          });
        }
        corners.sort(function (p, q) {
          return p[0] - q[0];
        });
        corners.forEach(function (cn) {
          pushPoint(ring, cn[1], cn[2]);
        });
        if (best === first) {
          break;
        }
        if (best.used) {
          throw new Error("internal error: the pieces of a reach boundary do not join.");
        }
        chain = best;
      }
      var last = ring[ring.length - 1];
      if (last[0] === ring[0][0] && last[1] === ring[0][1]) {
        ring.pop();
      }
      if (ring.length > 2 && area2(ring) > 0.0) {
        exteriors.push(ring);
      }
    });
    if (exteriors.length === 0 && holes.length > 0) {
      exteriors.push([
        [-180.0, -90.0],
        [180.0, -90.0],
        [180.0, 90.0],
        [-180.0, 90.0],
      ]);
    }
    var polygons = exteriors.map(function (ext) {
      return [ext];
    });
    holes.forEach(function (hole) {
      for (var i = 0; i < exteriors.length; i++) {
        if (inside(hole[0][0], hole[0][1], exteriors[i])) {
          polygons[i].push(hole);
          return;
        }
      }
      throw new Error("internal error: a hole of a reach lies outside it.");
    });
    return polygons;
  }

  // Is (x, y) inside a ring (even-odd rule)?
  function inside(x, y, ring) {
    var yes = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0];
      var yi = ring[i][1];
      var xj = ring[j][0];
      var yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        yes = !yes;
      }
    }
    return yes;
  }

  function geometry(polygons) {
    var closed = polygons.map(function (rings) {
      return rings.map(function (ring) {
        return ring.concat([[ring[0][0], ring[0][1]]]);
      });
    });
    if (closed.length === 1) {
      return { type: "Polygon", coordinates: closed[0] };
    }
    return { type: "MultiPolygon", coordinates: closed };
  }

  // The curves bounding the points within r of a centre, reach on the left; none for
  // the whole world.
  function discCurves(lon, lat, r, tol) {
    if (r >= MAX_DISTANCE_M - 1e-6) {
      return [];
    }
    return [circleCurve(lon, lat, r, tol)];
  }

  var WORLD = {
    type: "Polygon",
    coordinates: [
      [
        [-180.0, -90.0],
        [180.0, -90.0],
        [180.0, 90.0],
        [-180.0, 90.0],
        [-180.0, -90.0],
      ],
    ],
  };

  /**
   * Everything within radius_m of (lon, lat), as a GeoJSON Polygon or MultiPolygon:
   * the browser's rangemap.geodesy.ring.
   */
  rm.ring = function (lon, lat, radius_m, tolerance_m) {
    checkCentre(lon, lat);
    var r = checkDistance(radius_m, "radius_m", false);
    var tol = checkTolerance(tolerance_m, r);
    var curves = discCurves(lon, lat, r, tol);
    if (curves.length === 0) {
      return JSON.parse(JSON.stringify(WORLD));
    }
    return geometry(regionLeftOf(curves));
  };

  /**
   * The reach farther than min_m and not farther than max_m from (lon, lat): the
   * browser's rangemap.geodesy.annulus. min_m 0 gives the ring.
   */
  rm.annulus = function (lon, lat, min_m, max_m, tolerance_m) {
    checkCentre(lon, lat);
    var hi = checkDistance(max_m, "max_m", false);
    var lo = checkDistance(min_m, "min_m", true);
    if (lo >= hi) {
      throw new RangeError(
        "min_m (" + lo + " m) must be smaller than max_m (" + hi + " m); " +
        "swap them if they were passed the wrong way round."
      );
    }
    var tolHi = checkTolerance(tolerance_m, hi);
    if (lo === 0.0) {
      return rm.ring(lon, lat, hi, tolHi);
    }
    var tolLo = checkTolerance(tolerance_m, lo);
    var curves = discCurves(lon, lat, hi, tolHi);
    var inner = circleCurve(lon, lat, lo, tolLo).slice().reverse();
    curves.push(inner);
    return geometry(regionLeftOf(curves));
  };
})();
