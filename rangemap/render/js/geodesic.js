/*
 * rangemap geodesic.js: exact geodesics on the WGS84 ellipsoid, in the reader's browser.
 *
 * rangemap's own implementation of the direct and inverse geodesic problems, written from
 *
 *   C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87 (2013) 43-55,
 *   doi:10.1007/s00190-012-0578-z
 *
 * Names follow the paper's notation (beta, sigma, omega, alpha0, eps, A1, C1[l], ...); the
 * equation numbers cited are the paper's. The geodesic is mapped onto a great circle of
 * an auxiliary sphere (reduced latitude beta, arc length sigma, spherical longitude omega);
 * distance and longitude are the integrals I1 (eq. 7) and I3 (eq. 8), written as Fourier
 * series in sigma whose coefficients are series in eps (from k, eq. 9) and in the third
 * flattening n, truncated at order 6 (about 15 nm of error on WGS84). The inverse problem solves
 * lambda12(alpha1) = lon2 - lon1 by Newton's method, started from the spherical estimate,
 * or for nearly antipodal points from the solution of the astroid equation; meridional
 * and equatorial geodesics are solved directly.
 *
 * API (all angles in degrees, distances in metres, WGS84: a = 6378137, f = 1/298.257223563):
 *
 *   window.rangemap.geodesic.direct(lat1, lon1, azi1, s12) -> [lat2, lon2, azi2]
 *       The point s12 metres (may be negative) from (lat1, lon1) along azimuth azi1
 *       (clockwise from north); lon2 is in [-180, 180] and azi2 is the forward azimuth
 *       at that point, in [-180, 180].
 *   window.rangemap.geodesic.inverse(lat1, lon1, lat2, lon2) -> [s12, azi1, azi2]
 *       The shortest geodesic between two points: its length and its forward azimuths at
 *       both ends, in [-180, 180]. Robust for nearly antipodal points; where the shortest
 *       geodesic is not unique (exactly antipodal points, or a path over a pole), one of
 *       them is returned.
 *   window.rangemap.geodesic.line(lat1, lon1, azi1) -> {position: function (s12)}
 *       One geodesic from a point and azimuth, set up once; position(s12) returns
 *       [lat2, lon2, azi2] exactly as direct would, at a fraction of the cost.
 *   window.rangemap.geodesic.directMany(lat1, lon1, azis, s12) -> [[lat2, lon2, azi2], ...]
 *       direct from one point along every azimuth of the array azis, all at distance s12.
 *   window.rangemap.geodesic.WGS84 -> {a: 6378137, f: 1 / 298.257223563}
 *
 * Latitudes outside [-90, 90] and non-finite input give NaN results. The functions are
 * pure: the same input always gives the same bits. Nothing is compiled from text at run
 * time (the page's Content-Security-Policy allows only hashed inline scripts).
 */
(function () {
  "use strict";
  var rm = (window.rangemap = window.rangemap || {});

  // --- The ellipsoid and the numerical limits -------------------------------------------

  var A = 6378137; // equatorial radius (m)
  var F = 1 / 298.257223563; // flattening
  var F1 = 1 - F;
  var B = A * F1; // polar semi-axis (m)
  var E2 = F * (2 - F); // eccentricity squared
  var EP2 = E2 / (F1 * F1); // second eccentricity squared, e'^2
  var N3 = F / (2 - F); // third flattening n, a parameter of the series
  var DEG = Math.PI / 180;
  var EPSILON = Math.pow(2, -52); // spacing of doubles at 1
  // The smallest number whose square is still a normal double: used for "zero, but with a
  // sign" (cos(beta) at a pole, a meridian's cos(alpha)) so that atan2 picks the right side.
  var TINY = Math.sqrt(Number.MIN_VALUE / EPSILON);
  var TOL0 = EPSILON;
  var TOL1 = 200 * TOL0;
  var TOL2 = Math.sqrt(TOL0);
  var XTHRESH = 1000 * TOL2;
  var NEWTON_STEPS = 20; // Newton steps before falling back to pure bisection
  var MAX_STEPS = NEWTON_STEPS + 53 + 10; // 53 bits more of bisection at most
  // Below this arc length (radians on the auxiliary sphere) a short line is solved with a
  // sphere of radius b * dn evaluated at the mean latitude (relative error sig12^2 f / 4).
  var SHORT_ARC = (0.1 * TOL2) / Math.sqrt((Math.max(0.001, F) * Math.min(1, 1 - F / 2)) / 2);
  var ORDER = 6;

  // --- Series coefficients, as the paper writes them -----------------------------------
  // Each row lists the coefficients of eps^l, eps^(l+2), eps^(l+4) ... of one term.

  // A1 = (1 + eps^2/4 + eps^4/64 + eps^6/256) / (1 - eps)
  var A1_EVEN = [1, 1 / 4, 1 / 64, 1 / 256];
  // C1[l], l = 1..6, the Fourier coefficients of I1 (distance)
  var C1_ROWS = [
    [-1 / 2, 3 / 16, -1 / 32],
    [-1 / 16, 1 / 32, -9 / 2048],
    [-1 / 48, 3 / 256],
    [-5 / 512, 3 / 512],
    [-7 / 1280],
    [-7 / 2048],
  ];
  // C1'[l], the coefficients of the reverted series, sigma from tau (eqs. 20-21)
  var C1P_ROWS = [
    [1 / 2, -9 / 32, 205 / 1536],
    [5 / 16, -37 / 96, 1335 / 4096],
    [29 / 96, -75 / 128],
    [539 / 1536, -2391 / 2560],
    [3467 / 7680],
    [38081 / 61440],
  ];
  // A2 = (1 - 3 eps^2/4 - 7 eps^4/64 - 11 eps^6/256) / (1 + eps)
  var A2_EVEN = [1, -3 / 4, -7 / 64, -11 / 256];
  // C2[l], the Fourier coefficients of I2 (reduced length)
  var C2_ROWS = [
    [1 / 2, 1 / 16, 1 / 32],
    [3 / 16, 1 / 32, 35 / 2048],
    [5 / 48, 5 / 256],
    [35 / 512, 7 / 512],
    [63 / 1280],
    [77 / 2048],
  ];
  // A3 = sum_j eps^j P_j(n) and C3[l] = sum_j eps^j P_lj(n), j = l..5, for the longitude
  // integral I3 (eq. 8), to order 6. Each polynomial in n is listed from
  // its constant term up.
  var A3_IN_N = [
    [1],
    [-1 / 2, 1 / 2],
    [-1 / 4, -1 / 8, 3 / 8],
    [-1 / 16, -3 / 16, -1 / 16],
    [-3 / 64, -1 / 32],
    [-3 / 128],
  ];
  var C3_IN_N = [
    [[1 / 4, -1 / 4], [1 / 8, 0, -1 / 8], [3 / 64, 3 / 64, -1 / 64], [5 / 128, 1 / 64], [3 / 128]],
    [[1 / 16, -3 / 32, 1 / 32], [3 / 64, -1 / 32, -3 / 64], [3 / 128, 1 / 128], [5 / 256]],
    [[5 / 192, -3 / 64, 5 / 192], [3 / 128, -5 / 192], [7 / 512]],
    [[7 / 512, -7 / 256], [7 / 512]],
    [[21 / 2560]],
  ];

  // Sum of c[0] + c[1] x + c[2] x^2 + ... (Horner).
  function poly(c, x) {
    var k = c.length - 1;
    var y = c[k];
    while (k > 0) {
      k -= 1;
      y = y * x + c[k];
    }
    return y;
  }

  // The coefficients in eps of A3 and C3 on WGS84, computed once from n.
  var A3_IN_EPS = A3_IN_N.map(function (p) {
    return poly(p, N3);
  });
  var C3_IN_EPS = C3_IN_N.map(function (row) {
    return row.map(function (p) {
      return poly(p, N3);
    });
  });

  // eps = (sqrt(1 + k^2) - 1) / (sqrt(1 + k^2) + 1), k^2 = e'^2 cos^2(alpha0) (eq. 9)
  function epsilonOf(k2) {
    return k2 / (2 * (1 + Math.sqrt(1 + k2)) + k2);
  }

  function a1m1(eps) {
    // A1 - 1, kept apart from the 1 for accuracy.
    return (poly(A1_EVEN, eps * eps) - 1 + eps) / (1 - eps);
  }

  function a2m1(eps) {
    return (poly(A2_EVEN, eps * eps) - 1 - eps) / (1 + eps);
  }

  function a3(eps) {
    return poly(A3_IN_EPS, eps);
  }

  // Fill c[1..6] with the coefficients of rows (eps^l times a series in eps^2).
  function fourierEven(rows, eps, c) {
    var eps2 = eps * eps;
    var power = eps;
    for (var l = 1; l <= ORDER; l++) {
      c[l] = power * poly(rows[l - 1], eps2);
      power *= eps;
    }
  }

  // Fill c[1..5] with the coefficients C3[l] of eps.
  function fourierC3(eps, c) {
    var power = eps;
    for (var l = 1; l < ORDER; l++) {
      c[l] = power * poly(C3_IN_EPS[l - 1], eps);
      power *= eps;
    }
  }

  // sum_{l=1..n} c[l] sin(2 l x) by Clenshaw's recurrence:
  // b_l = c_l + 2 cos(2x) b_{l+1} - b_{l+2}, and the sum is b_1 sin(2x).
  function sinSeries(sinx, cosx, c) {
    var twoCos2x = 2 * (cosx - sinx) * (cosx + sinx);
    var b1 = 0;
    var b2 = 0;
    for (var l = c.length - 1; l >= 1; l--) {
      var b0 = twoCos2x * b1 - b2 + c[l];
      b2 = b1;
      b1 = b0;
    }
    return 2 * sinx * cosx * b1;
  }

  // --- Angles in degrees, reduced exactly ---------------------------------------------

  function hypot(x, y) {
    return Math.sqrt(x * x + y * y); // Math.hypot differs between engines in the last bit
  }

  function copysign(x, y) {
    return Math.abs(x) * (y < 0 || (y === 0 && 1 / y < 0) ? -1 : 1);
  }

  // x - 360 k in [-180, 180].
  function remainder360(x) {
    x %= 360;
    return x < -180 ? x + 360 : x < 180 ? x : x - 360;
  }

  function normalizeDeg(x) {
    var y = remainder360(x);
    return Math.abs(y) === 180 ? copysign(180, x) : y;
  }

  // u + v = s + t exactly, s the rounded sum (Knuth's two-sum).
  function twoSum(u, v) {
    var s = u + v;
    var up = s - v;
    var vpp = s - up;
    up -= u;
    vpp -= v;
    return [s, s ? 0 - (up + vpp) : s];
  }

  // y - x reduced to [-180, 180] as d + e, e the rounding error of d.
  function angleDiff(x, y) {
    var r = twoSum(remainder360(-x), remainder360(y));
    r = twoSum(remainder360(r[0]), r[1]);
    var d = r[0];
    var e = r[1];
    if (d === 0 || Math.abs(d) === 180) {
      d = copysign(d, e === 0 ? y - x : -e);
    }
    return [d, e];
  }

  // Angles closer to zero than 2^-57 degrees (0.7 pm) become exact multiples of that, so
  // tiny non-zero latitudes behave like the equator instead of an ill-conditioned case.
  function roundTiny(x) {
    var z = 1 / 16;
    var y = Math.abs(x);
    y = y < z ? z - (z - y) : y;
    return copysign(y, x);
  }

  // [sin x, cos x] for x in degrees, reduced exactly to [-45, 45] first; corr (degrees) is
  // added after that reduction, for the longitude difference of angleDiff.
  function sincosd(x, corr) {
    var d = x % 360;
    var q = Math.round(d / 90);
    d -= 90 * q;
    if (corr !== undefined) d = roundTiny(d + corr);
    var r = d * DEG;
    var s = Math.sin(r);
    var c = Math.cos(r);
    if (Math.abs(d) === 45) {
      c = Math.sqrt(0.5);
      s = copysign(c, r);
    } else if (Math.abs(d) === 30) {
      c = Math.sqrt(0.75);
      s = copysign(0.5, r);
    }
    var sinx, cosx;
    switch (q & 3) {
      case 0:
        sinx = s;
        cosx = c;
        break;
      case 1:
        sinx = c;
        cosx = -s;
        break;
      case 2:
        sinx = -s;
        cosx = -c;
        break;
      default:
        sinx = -c;
        cosx = s;
    }
    cosx += 0; // no -0
    if (sinx === 0) sinx = copysign(sinx, x);
    return [sinx, cosx];
  }

  // atan2(y, x) in degrees, in [-180, 180], computed in the octant where atan2 is exact-ish.
  function atan2d(y, x) {
    var q = 0;
    if (Math.abs(y) > Math.abs(x)) {
      var t = x;
      x = y;
      y = t;
      q = 2;
    }
    if (x < 0 || (x === 0 && 1 / x < 0)) {
      x = -x;
      q += 1;
    }
    var ang = Math.atan2(y, x) / DEG;
    switch (q) {
      case 1:
        return copysign(180, y) - ang;
      case 2:
        return 90 - ang;
      case 3:
        return -90 + ang;
      default:
        return ang;
    }
  }

  function checkLatitude(lat) {
    return Math.abs(lat) > 90 ? NaN : lat;
  }

  // [sin beta, cos beta] of the reduced latitude, tan(beta) = (1 - f) tan(phi); cos beta is
  // at least TINY, so that a pole still has a side.
  function reducedLatitude(lat) {
    var sc = sincosd(roundTiny(lat));
    var sbet = F1 * sc[0];
    var cbet = sc[1];
    var h = hypot(sbet, cbet);
    return [sbet / h, Math.max(TINY, cbet / h)];
  }

  // --- The direct problem, set up once per line ---------------------------------------

  function GeodesicLine(lat1, lon1, azi1) {
    lat1 = checkLatitude(lat1);
    this.lon1 = lon1;
    var sca = sincosd(roundTiny(normalizeDeg(azi1)));
    var salp1 = sca[0];
    var calp1 = sca[1];
    var scb = reducedLatitude(lat1);
    var sbet1 = scb[0];
    var cbet1 = scb[1];
    // The azimuth where the geodesic crosses the equator northwards (Clairaut, eq. 5):
    // sin(alpha0) = sin(alpha1) cos(beta1).
    this.salp0 = salp1 * cbet1;
    this.calp0 = hypot(calp1, salp1 * sbet1);
    // sigma1 and omega1 from that crossing: tan(beta1) = tan(sigma1) cos(alpha1),
    // tan(omega1) = sin(alpha0) tan(sigma1).
    var ssig1 = sbet1;
    var csig1 = sbet1 !== 0 || calp1 !== 0 ? cbet1 * calp1 : 1;
    this.somg1 = this.salp0 * sbet1;
    this.comg1 = csig1;
    var h = hypot(ssig1, csig1);
    this.ssig1 = ssig1 / h;
    this.csig1 = csig1 / h;

    var eps = epsilonOf(this.calp0 * this.calp0 * EP2);
    this.a1m1 = a1m1(eps);
    this.c1 = new Array(ORDER + 1);
    fourierEven(C1_ROWS, eps, this.c1);
    this.c1p = new Array(ORDER + 1);
    fourierEven(C1P_ROWS, eps, this.c1p);
    this.c3 = new Array(ORDER);
    fourierC3(eps, this.c3);
    // tau1 = sigma1 + B1(sigma1), the start in the "distance" variable tau = I1 / A1.
    var b11 = sinSeries(this.ssig1, this.csig1, this.c1);
    this.b11 = b11;
    var s = Math.sin(b11);
    var c = Math.cos(b11);
    this.stau1 = this.ssig1 * c + this.csig1 * s;
    this.ctau1 = this.csig1 * c - this.ssig1 * s;
    // lambda = omega - f sin(alpha0) I3(sigma) (eq. 8)
    this.a3c = -F * this.salp0 * a3(eps);
    this.b31 = sinSeries(this.ssig1, this.csig1, this.c3);
  }

  GeodesicLine.prototype.position = function (s12) {
    // sigma2 from the distance: tau12 = s12 / (b A1) and the reverted series (eqs. 20-21).
    var tau12 = s12 / (B * (1 + this.a1m1));
    var s = Math.sin(tau12);
    var c = Math.cos(tau12);
    var b12 = -sinSeries(this.stau1 * c + this.ctau1 * s, this.ctau1 * c - this.stau1 * s, this.c1p);
    var sig12 = tau12 - (b12 - this.b11);
    var ssig12 = Math.sin(sig12);
    var csig12 = Math.cos(sig12);
    var ssig2 = this.ssig1 * csig12 + this.csig1 * ssig12;
    var csig2 = this.csig1 * csig12 - this.ssig1 * ssig12;
    // Latitude and azimuth on the auxiliary sphere, then the geographic latitude (eq. 6).
    var sbet2 = this.calp0 * ssig2;
    var cbet2 = hypot(this.salp0, this.calp0 * csig2);
    if (cbet2 === 0) {
      // A meridian through the pole: keep the side.
      cbet2 = csig2 = TINY;
    }
    var salp2 = this.salp0;
    var calp2 = this.calp0 * csig2;
    // omega12 on the sphere, then the ellipsoidal longitude (eq. 8).
    var somg2 = this.salp0 * ssig2;
    var comg2 = csig2;
    var omg12 = Math.atan2(somg2 * this.comg1 - comg2 * this.somg1, comg2 * this.comg1 + somg2 * this.somg1);
    var lam12 = omg12 + this.a3c * (sig12 + (sinSeries(ssig2, csig2, this.c3) - this.b31));
    var lon2 = normalizeDeg(normalizeDeg(this.lon1) + normalizeDeg(lam12 / DEG));
    return [atan2d(sbet2, F1 * cbet2), lon2, atan2d(salp2, calp2)];
  };

  function line(lat1, lon1, azi1) {
    return new GeodesicLine(lat1, lon1, azi1);
  }

  function direct(lat1, lon1, azi1, s12) {
    return new GeodesicLine(lat1, lon1, azi1).position(s12);
  }

  function directMany(lat1, lon1, azis, s12) {
    var out = new Array(azis.length);
    for (var i = 0; i < azis.length; i++) {
      out[i] = new GeodesicLine(lat1, lon1, azis[i]).position(s12);
    }
    return out;
  }

  // --- The inverse problem ------------------------------------------------------------

  // Scratch arrays for the series of the inverse problem (index 0 unused).
  var C1A = new Array(ORDER + 1);
  var C2A = new Array(ORDER + 1);
  var C3A = new Array(ORDER);

  // Distance s12 / b and reduced length m12 / b along an arc sigma1..sigma2
  // with parameter eps; m0 = A1 - A2 is the secular part of m12. Fills C1A and C2A.
  function lengths(eps, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2) {
    var a1 = a1m1(eps);
    var a2 = a2m1(eps);
    fourierEven(C1_ROWS, eps, C1A);
    fourierEven(C2_ROWS, eps, C2A);
    var m0 = a1 - a2;
    a1 += 1;
    a2 += 1;
    var b1 = sinSeries(ssig2, csig2, C1A) - sinSeries(ssig1, csig1, C1A);
    var b2 = sinSeries(ssig2, csig2, C2A) - sinSeries(ssig1, csig1, C2A);
    var j12 = m0 * sig12 + (a1 * b1 - a2 * b2);
    // The brackets keep the cancellation exact for coincident points.
    var m12b = dn2 * (csig1 * ssig2) - dn1 * (ssig1 * csig2) - csig1 * csig2 * j12;
    return { s12b: a1 * (sig12 + b1), m12b: m12b, m0: m0 };
  }

  // Solve k^4 + 2 k^3 - (x^2 + y^2 - 1) k^2 - 2 y^2 k - y^2 = 0 for its positive root
  // (the astroid equation), which gives the starting azimuth for nearly antipodal points.
  function astroid(x, y) {
    var p = x * x;
    var q = y * y;
    var r = (p + q - 1) / 6;
    if (q === 0 && r <= 0) {
      return 0; // y = 0 and |x| <= 1, the root tends to |y| / sqrt(1 - x^2)
    }
    var S = (p * q) / 4; // S = r^3 s
    var r2 = r * r;
    var r3 = r * r2;
    var disc = S * (S + 2 * r3); // zero on the evolute p^(1/3) + q^(1/3) = 1
    var u = r;
    if (disc >= 0) {
      var T3 = S + r3;
      T3 += T3 < 0 ? -Math.sqrt(disc) : Math.sqrt(disc); // the larger root, no cancellation
      var T = Math.cbrt(T3);
      u += T + (T !== 0 ? r2 / T : 0);
    } else {
      // Three real roots: the trigonometric form, choosing the one without cancellation.
      var ang = Math.atan2(Math.sqrt(-disc), -(S + r3));
      u += 2 * r * Math.cos(ang / 3);
    }
    var v = Math.sqrt(u * u + q);
    var uv = u < 0 ? q / (v - u) : u + v;
    var w = (uv - q) / (2 * v);
    return uv / (Math.sqrt(uv + w * w) + w);
  }

  // The first guess of alpha1 (the astroid for nearly antipodal points). Returns
  // {salp1, calp1} and, for a short line solved outright, also sig12 >= 0, salp2, calp2, dnm.
  function inverseStart(sbet1, cbet1, sbet2, cbet2, lam12, slam12, clam12) {
    var out = { sig12: -1, salp1: 0, calp1: 0, salp2: 0, calp2: 0, dnm: 1 };
    var sbet12 = sbet2 * cbet1 - cbet2 * sbet1; // sin(beta2 - beta1)
    var cbet12 = cbet2 * cbet1 + sbet2 * sbet1;
    var sbet12a = sbet2 * cbet1 + cbet2 * sbet1; // sin(beta2 + beta1)
    var shortLine = cbet12 >= 0 && sbet12 < 0.5 && cbet2 * lam12 < 0.5;
    var somg12, comg12;
    if (shortLine) {
      // A sphere of radius b * dn at the mean latitude.
      var sbetm2 = (sbet1 + sbet2) * (sbet1 + sbet2);
      sbetm2 /= sbetm2 + (cbet1 + cbet2) * (cbet1 + cbet2);
      out.dnm = Math.sqrt(1 + EP2 * sbetm2);
      var omg12 = lam12 / (F1 * out.dnm);
      somg12 = Math.sin(omg12);
      comg12 = Math.cos(omg12);
    } else {
      somg12 = slam12;
      comg12 = clam12;
    }
    // The great-circle azimuth on the auxiliary sphere.
    out.salp1 = cbet2 * somg12;
    out.calp1 =
      comg12 >= 0
        ? sbet12 + (cbet2 * sbet1 * somg12 * somg12) / (1 + comg12)
        : sbet12a - (cbet2 * sbet1 * somg12 * somg12) / (1 - comg12);
    var ssig12 = hypot(out.salp1, out.calp1);
    var csig12 = sbet1 * sbet2 + cbet1 * cbet2 * comg12;
    var t;
    if (shortLine && ssig12 < SHORT_ARC) {
      // So short that the sphere is the answer.
      out.salp2 = cbet1 * somg12;
      out.calp2 = sbet12 - cbet1 * sbet2 * (comg12 >= 0 ? (somg12 * somg12) / (1 + comg12) : 1 - comg12);
      t = hypot(out.salp2, out.calp2);
      out.salp2 /= t;
      out.calp2 /= t;
      out.sig12 = Math.atan2(ssig12, csig12);
    } else if (csig12 >= 0 || ssig12 >= 6 * N3 * Math.PI * cbet1 * cbet1) {
      // Not nearly antipodal: the spherical guess is good enough to start Newton.
    } else {
      // Nearly antipodal: scale to coordinates x, y in which the antipode is the
      // origin and the cusp of the astroid is at (-1, 0).
      var lam12x = Math.atan2(-slam12, -clam12); // lam12 - pi
      var k2 = sbet1 * sbet1 * EP2;
      var eps = epsilonOf(k2);
      var lamscale = F * cbet1 * a3(eps) * Math.PI;
      var betscale = lamscale * cbet1;
      var x = lam12x / lamscale;
      var y = sbet12a / betscale;
      if (y > -TOL1 && x > -1 - XTHRESH) {
        // On the strip near the cut where the astroid solution degenerates.
        out.salp1 = Math.min(1, -x);
        out.calp1 = -Math.sqrt(1 - out.salp1 * out.salp1);
      } else {
        // omega12 from the astroid root, then the spherical azimuth with it.
        var k = astroid(x, y);
        var omg12a = lamscale * ((-x * k) / (1 + k));
        somg12 = Math.sin(omg12a);
        comg12 = -Math.cos(omg12a);
        out.salp1 = cbet2 * somg12;
        out.calp1 = sbet12a - (cbet2 * sbet1 * somg12 * somg12) / (1 - comg12);
      }
    }
    if (!(out.salp1 <= 0)) {
      t = hypot(out.salp1, out.calp1);
      out.salp1 /= t;
      out.calp1 /= t;
    } else {
      out.salp1 = 1;
      out.calp1 = 0;
    }
    return out;
  }

  // lambda12 as a function of alpha1 (eq. 8 integrated from beta1 to beta2), and with
  // derivative its derivative d lambda12 / d alpha1 = m12 / (a cos(alpha2) cos(beta2)).
  // slam120, clam120: the target longitude difference.
  function lambda12(sbet1, cbet1, dn1, sbet2, cbet2, dn2, salp1, calp1, slam120, clam120, derivative) {
    var r = {};
    if (sbet1 === 0 && calp1 === 0) {
      calp1 = -TINY; // equatorial start heading due east: pick the northward branch
    }
    var salp0 = salp1 * cbet1;
    var calp0 = hypot(calp1, salp1 * sbet1);
    var ssig1 = sbet1;
    var somg1 = salp0 * sbet1;
    var csig1 = calp1 * cbet1;
    var comg1 = csig1;
    var t = hypot(ssig1, csig1);
    ssig1 /= t;
    csig1 /= t;
    // alpha2 from Clairaut's relation; when |beta2| = |beta1| use the symmetric forms so
    // that Newton's iteration sees no spurious asymmetry.
    var salp2 = cbet2 !== cbet1 ? salp0 / cbet2 : salp1;
    var calp2 =
      cbet2 !== cbet1 || Math.abs(sbet2) !== -sbet1
        ? Math.sqrt(
            calp1 * cbet1 * (calp1 * cbet1) +
              (cbet1 < -sbet1 ? (cbet2 - cbet1) * (cbet1 + cbet2) : (sbet1 - sbet2) * (sbet1 + sbet2))
          ) / cbet2
        : Math.abs(calp1);
    var ssig2 = sbet2;
    var somg2 = salp0 * sbet2;
    var csig2 = calp2 * cbet2;
    var comg2 = csig2;
    t = hypot(ssig2, csig2);
    ssig2 /= t;
    csig2 /= t;
    var sig12 = Math.atan2(Math.max(0, csig1 * ssig2 - ssig1 * csig2), csig1 * csig2 + ssig1 * ssig2);
    var somg12 = Math.max(0, comg1 * somg2 - somg1 * comg2);
    var comg12 = comg1 * comg2 + somg1 * somg2;
    // eta = omega12 - lam120, kept small by working with the difference directly.
    var eta = Math.atan2(somg12 * clam120 - comg12 * slam120, comg12 * clam120 + somg12 * slam120);
    var eps = epsilonOf(calp0 * calp0 * EP2);
    fourierC3(eps, C3A);
    var b312 = sinSeries(ssig2, csig2, C3A) - sinSeries(ssig1, csig1, C3A);
    r.lam12 = eta - F * a3(eps) * salp0 * (sig12 + b312);
    r.salp2 = salp2;
    r.calp2 = calp2;
    r.sig12 = sig12;
    r.ssig1 = ssig1;
    r.csig1 = csig1;
    r.ssig2 = ssig2;
    r.csig2 = csig2;
    r.eps = eps;
    if (derivative) {
      if (calp2 === 0) {
        r.dlam12 = (-2 * F1 * dn1) / sbet1;
      } else {
        r.dlam12 = (lengths(eps, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2).m12b * F1) / (calp2 * cbet2);
      }
    }
    return r;
  }

  function inverse(lat1, lon1, lat2, lon2) {
    lat1 = roundTiny(checkLatitude(lat1));
    lat2 = roundTiny(checkLatitude(lat2));
    // Bring the problem to the paper's canonical form:
    //   0 <= lon12 <= 180, -90 <= lat1 <= 0, lat1 <= lat2 <= -lat1,
    // remembering the signs and the swap to undo at the end.
    var dl = angleDiff(lon1, lon2);
    var lon12 = dl[0];
    var lon12e = dl[1];
    var lonsign = copysign(1, lon12);
    lon12 *= lonsign;
    lon12e *= lonsign;
    var lam12 = lon12 * DEG;
    var sc = sincosd(lon12, lon12e);
    var slam12 = sc[0];
    var clam12 = sc[1];
    var lon12supp = 180 - lon12 - lon12e; // 180 - lon12, for the equatorial test
    var swapp = Math.abs(lat1) < Math.abs(lat2) || isNaN(lat2) ? -1 : 1;
    if (swapp < 0) {
      lonsign *= -1;
      var tl = lat1;
      lat1 = lat2;
      lat2 = tl;
    }
    var latsign = copysign(1, -lat1);
    lat1 *= latsign;
    lat2 *= latsign;

    var b1 = reducedLatitude(lat1);
    var sbet1 = b1[0];
    var cbet1 = b1[1];
    var b2 = reducedLatitude(lat2);
    var sbet2 = b2[0];
    var cbet2 = b2[1];
    // If |beta2| = |beta1| up to rounding, make it exact so the symmetric formulas apply.
    if (cbet1 < -sbet1) {
      if (cbet2 === cbet1) sbet2 = copysign(sbet1, sbet2);
    } else if (Math.abs(sbet2) === -sbet1) {
      cbet2 = cbet1;
    }
    var dn1 = Math.sqrt(1 + EP2 * sbet1 * sbet1);
    var dn2 = Math.sqrt(1 + EP2 * sbet2 * sbet2);

    var salp1, calp1, salp2, calp2, sig12, s12x, t;
    var meridian = lat1 === -90 || slam12 === 0;
    if (meridian) {
      // Both points on one meridian (or point 1 at a pole): the meridian arc, unless it is
      // longer than half a meridian and so not the shortest path.
      calp1 = clam12;
      salp1 = slam12;
      calp2 = 1;
      salp2 = 0;
      var ssig1 = sbet1;
      var csig1 = calp1 * cbet1;
      var ssig2 = sbet2;
      var csig2 = calp2 * cbet2;
      sig12 = Math.atan2(Math.max(0, csig1 * ssig2 - ssig1 * csig2), csig1 * csig2 + ssig1 * ssig2);
      var len = lengths(N3, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2);
      s12x = len.s12b;
      var m12x = len.m12b;
      if (sig12 < 1 || m12x >= 0) {
        if (sig12 < 3 * TINY || (sig12 < TOL0 && (s12x < 0 || m12x < 0))) {
          sig12 = s12x = 0;
        }
        s12x *= B;
      } else {
        meridian = false;
      }
    }

    if (!meridian && sbet1 === 0 && lon12supp >= F * 180) {
      // Both on the equator, not nearly antipodal: the equator itself.
      calp1 = calp2 = 0;
      salp1 = salp2 = 1;
      s12x = A * lam12;
    } else if (!meridian) {
      var start = inverseStart(sbet1, cbet1, sbet2, cbet2, lam12, slam12, clam12);
      sig12 = start.sig12;
      salp1 = start.salp1;
      calp1 = start.calp1;
      if (sig12 >= 0) {
        // Short line, solved on the sphere of the mean latitude.
        salp2 = start.salp2;
        calp2 = start.calp2;
        s12x = sig12 * B * start.dnm;
      } else {
        // Newton's method on alpha1, keeping a bracket [alpha1a, alpha1b] of the
        // root: lambda12 - lam12 has one root in (0, pi) and is increasing there, so a
        // step that leaves the bracket or a non-positive slope falls back to bisection.
        var salp1a = TINY;
        var calp1a = 1;
        var salp1b = TINY;
        var calp1b = -1;
        var tripn = false;
        var tripb = false;
        var r;
        for (var step = 0; ; step++) {
          r = lambda12(sbet1, cbet1, dn1, sbet2, cbet2, dn2, salp1, calp1, slam12, clam12, step < NEWTON_STEPS);
          var v = r.lam12;
          salp2 = r.salp2;
          calp2 = r.calp2;
          if (tripb || !(Math.abs(v) >= (tripn ? 8 : 1) * TOL0) || step === MAX_STEPS) break;
          if (v > 0 && (step < NEWTON_STEPS || calp1 / salp1 > calp1b / salp1b)) {
            salp1b = salp1;
            calp1b = calp1;
          } else if (v < 0 && (step < NEWTON_STEPS || calp1 / salp1 < calp1a / salp1a)) {
            salp1a = salp1;
            calp1a = calp1;
          }
          if (step < NEWTON_STEPS && r.dlam12 > 0) {
            var dalp1 = -v / r.dlam12;
            if (Math.abs(dalp1) < Math.PI) {
              var sdalp1 = Math.sin(dalp1);
              var cdalp1 = Math.cos(dalp1);
              var nsalp1 = salp1 * cdalp1 + calp1 * sdalp1;
              if (nsalp1 > 0) {
                calp1 = calp1 * cdalp1 - salp1 * sdalp1;
                salp1 = nsalp1;
                t = hypot(salp1, calp1);
                salp1 /= t;
                calp1 /= t;
                // Near a vanishing slope convergence is only linear: ask for epsilon,
                // not its square root, before stopping.
                tripn = Math.abs(v) <= 16 * TOL0;
                continue;
              }
            }
          }
          // Bisection of the bracket.
          salp1 = (salp1a + salp1b) / 2;
          calp1 = (calp1a + calp1b) / 2;
          t = hypot(salp1, calp1);
          salp1 /= t;
          calp1 /= t;
          tripn = false;
          tripb =
            Math.abs(salp1a - salp1) + (calp1a - calp1) < TOL0 ||
            Math.abs(salp1 - salp1b) + (calp1 - calp1b) < TOL0;
        }
        s12x = B * lengths(r.eps, r.sig12, r.ssig1, r.csig1, dn1, r.ssig2, r.csig2, dn2).s12b;
      }
    }

    // Undo the swap and the reflections.
    if (swapp < 0) {
      t = salp1;
      salp1 = salp2;
      salp2 = t;
      t = calp1;
      calp1 = calp2;
      calp2 = t;
    }
    salp1 *= swapp * lonsign;
    calp1 *= swapp * latsign;
    salp2 *= swapp * lonsign;
    calp2 *= swapp * latsign;
    return [0 + s12x, atan2d(salp1, calp1), atan2d(salp2, calp2)];
  }

  rm.geodesic = {
    direct: direct,
    inverse: inverse,
    line: line,
    directMany: directMany,
    WGS84: { a: A, f: F },
  };
})();
