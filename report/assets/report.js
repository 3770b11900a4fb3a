// wirekit report: zoom on the time axis (drag on any chart over time,
// double-click to reset; every chart follows) and values on hover. The
// charts are SVG written by wirekit; this script only moves their viewBox.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wirekit-data").textContent);
  var charts = Array.prototype.slice.call(document.querySelectorAll("figure.timechart"));
  if (!charts.length) return;
  var n = +charts[0].dataset.n, start = +charts[0].dataset.start, step = +charts[0].dataset.step;
  var L = 70, W = 915;
  function pad(x) { return (x < 10 ? "0" : "") + x; }
  function fmt(ns, full) {
    var d = new Date(ns / 1e6);
    var s = pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
    return full ? d.getUTCFullYear() + "-" + s + "." + String(d.getUTCMilliseconds()).padStart(3, "0") + " UTC" : s;
  }
  function human(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + "G";
    if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
    if (a >= 1e3) return (v / 1e3).toFixed(2) + "k";
    return (Math.round(v * 100) / 100).toString();
  }
  var secs = step / 1e9;
  function rows(id, i) {
    var out = [], k;
    if (id === "pps" || id === "bps") {
      var t = data.traffic, src = id === "pps" ? t.packets : t.bytes, mul = id === "pps" ? 1 : 8;
      for (k = 0; k < t.classes.length; k++) if (src[k][i]) out.push([t.classes[k], src[k][i] * mul / secs]);
    } else if (id === "tcphealth") {
      var h = data.tcp;
      out.push(["retransmissions", h.retransmissions[i] / secs], ["out of order", h.out_of_order[i] / secs],
        ["resets", h.resets[i] / secs], ["zero windows", h.zero_windows[i] / secs]);
    } else if (id === "httpstatus" && data.http) {
      var names = ["1xx", "2xx", "3xx", "4xx", "5xx", "none"];
      for (k = 0; k < names.length; k++) if (data.http.by_class[k][i]) out.push([names[k], data.http.by_class[k][i] / secs]);
    }
    return out;
  }
  var dom = [0, n];
  function setDomain(a, b) {
    dom = [Math.max(0, a), Math.min(n, b)];
    if (dom[1] - dom[0] < 1) dom[1] = dom[0] + 1;
    charts.forEach(function (c) {
      c.querySelector("svg.plot").setAttribute("viewBox", dom[0] + " 0 " + (dom[1] - dom[0]) + " 100");
      var ts = c.querySelectorAll(".xaxis text");
      for (var k = 0; k < ts.length; k++) {
        var at = dom[0] + (dom[1] - dom[0]) * k / (ts.length - 1);
        ts[k].textContent = fmt(start + at * step, false);
      }
    });
  }
  charts.forEach(function (c) {
    var svg = c.querySelector("svg.chart"), ov = c.querySelector(".overlay"), brush = c.querySelector(".brush");
    var cur = c.querySelector(".cursor"), tip = c.querySelector(".tip"), from = null;
    function at(ev) {
      var r = svg.getBoundingClientRect(), x = (ev.clientX - r.left) * 1000 / r.width;
      return dom[0] + Math.max(0, Math.min(1, (x - L) / W)) * (dom[1] - dom[0]);
    }
    ov.addEventListener("mousedown", function (ev) { from = at(ev); ev.preventDefault(); });
    ov.addEventListener("mousemove", function (ev) {
      var x = at(ev), i = Math.min(n - 1, Math.floor(x));
      cur.setAttribute("x1", x); cur.setAttribute("x2", x);
      if (from !== null) { brush.setAttribute("x", Math.min(from, x)); brush.setAttribute("width", Math.abs(x - from)); }
      var lines = [fmt(start + i * step, true)];
      rows(c.id, i).forEach(function (r) { lines.push(r[0] + ": " + human(r[1]) + " " + c.dataset.unit); });
      tip.textContent = lines.join("\n"); tip.hidden = false;
    });
    ov.addEventListener("mouseleave", function () { tip.hidden = true; from = null; brush.setAttribute("width", 0); });
    ov.addEventListener("mouseup", function (ev) {
      if (from === null) return;
      var x = at(ev), a = Math.min(from, x), b = Math.max(from, x);
      from = null; brush.setAttribute("width", 0);
      if (b - a >= 1) setDomain(Math.floor(a), Math.ceil(b));
    });
    ov.addEventListener("dblclick", function () { setDomain(0, n); });
  });
  window.wirekitZoom = setDomain;
  setDomain(0, n);
})();
