/* bibmine report: a small viewer for VOSviewer maps, on a canvas. No dependencies, no network.
 * Data: <script type="application/json" id="map-data-KEY"> {"items": [[label, x, y, cluster, [weights]]],
 * "links": [[i, j, strength]], "weights": [names], "colours": {cluster: "#rrggbb"}} (see bibmine/report/viewer.py).
 * Labels are drawn with fillText and shown with textContent: never parsed as markup.
 * Mouse wheel or +/- zooms, drag or arrow keys pan, double click or 0 resets, hover shows an item. */
(function () {
  "use strict";

  var MIN_SCALE = 0.2, MAX_SCALE = 60;

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha.toFixed(3) + ")";
  }

  function MapViewer(root) {
    var source = document.getElementById(root.getAttribute("data-source"));
    var data = JSON.parse(source.textContent);
    var canvas = root.querySelector("canvas.map-canvas");
    var ctx = canvas.getContext("2d");
    var tip = root.querySelector(".map-tip");
    var weightSelect = root.querySelector(".map-weight");
    var labelsBox = root.querySelector(".map-labels");
    var linksBox = root.querySelector(".map-links");
    var items = data.items, links = data.links, n = items.length;
    var weightIndex = data.weight || 0, width = 0, height = 0, dpr = 1, hover = -1;
    var view = { scale: 1, dx: 0, dy: 0 };
    var base = new Array(n), radius = new Array(n), weight = new Array(n), neighbours = new Array(n);
    var maxStrength = 0, drag = null, pending = false;
    var i;

    for (i = 0; i < n; i++) { neighbours[i] = {}; }
    links.forEach(function (l) {
      neighbours[l[0]][l[1]] = true;
      neighbours[l[1]][l[0]] = true;
      if (l[2] > maxStrength) { maxStrength = l[2]; }
    });
    maxStrength = maxStrength || 1;

    function colour(k) { return data.colours[String(items[k][3])] || "#999999"; }

    function fit() {
      var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, margin = 40;
      items.forEach(function (it) {
        minX = Math.min(minX, it[1]); maxX = Math.max(maxX, it[1]);
        minY = Math.min(minY, it[2]); maxY = Math.max(maxY, it[2]);
      });
      var spanX = (maxX - minX) || 1, spanY = (maxY - minY) || 1;
      var s = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
      var midX = (minX + maxX) / 2, midY = (minY + maxY) / 2;
      for (var k = 0; k < n; k++) {  // VOSviewer's y axis points up
        base[k] = [width / 2 + (items[k][1] - midX) * s, height / 2 - (items[k][2] - midY) * s];
      }
      view = { scale: 1, dx: 0, dy: 0 };
    }

    function sizes() {
      var maxW = 0;
      for (var k = 0; k < n; k++) {
        var w = items[k][4].length ? items[k][4][weightIndex] : 0;
        weight[k] = w;
        if (w > maxW) { maxW = w; }
      }
      for (k = 0; k < n; k++) {
        radius[k] = maxW > 0 ? 3 + 15 * Math.sqrt(weight[k] / maxW) : 5;
      }
    }

    function pos(k) { return [base[k][0] * view.scale + view.dx, base[k][1] * view.scale + view.dy]; }
    function rad(k) { return radius[k] * Math.sqrt(view.scale); }
    function near(k) { return hover < 0 || k === hover || neighbours[hover][k] === true; }

    function draw() {
      pending = false;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, width, height);
      var p = new Array(n), k;
      for (k = 0; k < n; k++) { p[k] = pos(k); }
      if (linksBox.checked) {
        links.forEach(function (l) {
          var touches = hover >= 0 && (l[0] === hover || l[1] === hover);
          var t = l[2] / maxStrength;
          ctx.strokeStyle = rgba(colour(l[0]), touches ? 0.85 : (hover >= 0 ? 0.04 : 0.08 + 0.35 * t));
          ctx.lineWidth = touches ? 1.5 + 2 * t : 0.5 + 2 * t;
          ctx.beginPath();
          ctx.moveTo(p[l[0]][0], p[l[0]][1]);
          ctx.lineTo(p[l[1]][0], p[l[1]][1]);
          ctx.stroke();
        });
      }
      var order = [];
      for (k = 0; k < n; k++) { order.push(k); }
      order.sort(function (a, b) { return radius[b] - radius[a]; });
      var shown = 0;
      order.forEach(function (k) {
        var r = rad(k), x = p[k][0], y = p[k][1];
        if (x < -r || y < -r || x > width + r || y > height + r) { return; }
        ctx.globalAlpha = near(k) ? 0.9 : 0.25;
        ctx.fillStyle = colour(k);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fill();
        if (k === hover) { ctx.lineWidth = 2; ctx.strokeStyle = "#111111"; ctx.stroke(); }
        shown++;
      });
      ctx.globalAlpha = 1;
      var labelled = labelsBox.checked ? drawLabels(p, order) : 0;
      canvas.setAttribute("data-drawn-items", String(shown));
      canvas.setAttribute("data-drawn-links", String(linksBox.checked ? links.length : 0));
      canvas.setAttribute("data-drawn-labels", String(labelled));
    }

    // VOSviewer's label rule: labels of the largest items first, a label that would overlap one already
    // drawn (with a margin) is left out, and at most one label per LABEL_AREA square pixels of the view
    // (the label density), so a dense cluster shows its main labels, not a heap of text.
    var LABEL_AREA = 2500, LABEL_MARGIN = 3;

    function drawLabels(p, order) {
      var boxes = [], drawn = 0, most = Math.max(10, Math.floor(width * height / LABEL_AREA));
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      order.forEach(function (k) {
        if (drawn >= most || !near(k)) { return; }
        var size = Math.max(10, Math.min(22, 9 + rad(k) * 0.55));
        ctx.font = size + "px system-ui, sans-serif";
        var text = items[k][0], w = ctx.measureText(text).width, x = p[k][0], y = p[k][1];
        var box = [x - w / 2 - LABEL_MARGIN, y - size / 2 - LABEL_MARGIN, x + w / 2 + LABEL_MARGIN,
                   y + size / 2 + LABEL_MARGIN];
        if (box[2] < 0 || box[3] < 0 || box[0] > width || box[1] > height) { return; }
        for (var b = 0; b < boxes.length; b++) {
          var o = boxes[b];
          if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return; }
        }
        boxes.push(box);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.85)";
        ctx.strokeText(text, x, y);
        ctx.fillStyle = "#1d2430";
        ctx.fillText(text, x, y);
        drawn++;
      });
      return drawn;
    }

    function redraw() {
      if (!pending) { pending = true; window.requestAnimationFrame(draw); }
    }

    function resize() {
      var rect = canvas.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) { return; }
      var keep = width > 0 ? view : null;
      width = rect.width; height = rect.height; dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      fit();
      if (keep) { view = keep; }
      draw();
    }

    function pick(mx, my) {
      var best = -1, bestD = Infinity;
      for (var k = 0; k < n; k++) {
        var q = pos(k), r = rad(k) + 3, dx = q[0] - mx, dy = q[1] - my, d = dx * dx + dy * dy;
        if (d <= r * r && d < bestD) { best = k; bestD = d; }
      }
      return best;
    }

    function showTip(k, mx, my) {
      if (k < 0) { tip.hidden = true; return; }
      while (tip.firstChild) { tip.removeChild(tip.firstChild); }
      var head = document.createElement("strong");
      head.textContent = items[k][0];
      tip.appendChild(head);
      var lines = [root.getAttribute("data-cluster-word") + " " + items[k][3]], seen = {};
      var linksWord = root.getAttribute("data-links-word");
      data.weights.forEach(function (name, j) {  // each field once: a map file may repeat a weight
        var key = String(name).toLowerCase();
        if (seen[key]) { return; }
        seen[key] = true;
        lines.push(name + ": " + (Math.round(items[k][4][j] * 100) / 100));
      });
      if (!seen.links && !seen[String(linksWord).toLowerCase()]) {  // the map's own Links weight says it
        lines.push(linksWord + ": " + Object.keys(neighbours[k]).length);
      }
      tip.setAttribute("data-lines", String(lines.length));
      lines.forEach(function (line) {
        var div = document.createElement("div");
        div.textContent = line;
        tip.appendChild(div);
      });
      tip.hidden = false;
      tip.style.left = Math.min(mx + 14, width - tip.offsetWidth - 4) + "px";
      tip.style.top = Math.min(my + 14, height - tip.offsetHeight - 4) + "px";
    }

    function zoom(factor, mx, my) {
      var s = Math.max(MIN_SCALE, Math.min(MAX_SCALE, view.scale * factor));
      var k = s / view.scale;
      view = { scale: s, dx: mx - (mx - view.dx) * k, dy: my - (my - view.dy) * k };
      redraw();
    }

    function local(ev) {
      var rect = canvas.getBoundingClientRect();
      return [ev.clientX - rect.left, ev.clientY - rect.top];
    }

    canvas.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var m = local(ev);
      zoom(Math.exp(-ev.deltaY * 0.0015), m[0], m[1]);
    }, { passive: false });
    canvas.addEventListener("pointerdown", function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, dx: view.dx, dy: view.dy };
      canvas.setPointerCapture(ev.pointerId);
    });
    canvas.addEventListener("pointermove", function (ev) {
      var m = local(ev);
      if (drag) {
        view.dx = drag.dx + ev.clientX - drag.x;
        view.dy = drag.dy + ev.clientY - drag.y;
        tip.hidden = true;
        redraw();
        return;
      }
      var k = pick(m[0], m[1]);
      if (k !== hover) { hover = k; redraw(); }
      showTip(k, m[0], m[1]);
    });
    canvas.addEventListener("pointerup", function () { drag = null; });
    canvas.addEventListener("pointercancel", function () { drag = null; });
    canvas.addEventListener("pointerleave", function () {
      if (!drag && hover !== -1) { hover = -1; tip.hidden = true; redraw(); }
    });
    canvas.addEventListener("dblclick", function () { fit(); redraw(); });
    canvas.addEventListener("keydown", function (ev) {
      var step = 40, handled = true;
      if (ev.key === "+" || ev.key === "=") { zoom(1.25, width / 2, height / 2); }
      else if (ev.key === "-") { zoom(0.8, width / 2, height / 2); }
      else if (ev.key === "0") { fit(); redraw(); }
      else if (ev.key === "ArrowLeft") { view.dx += step; redraw(); }
      else if (ev.key === "ArrowRight") { view.dx -= step; redraw(); }
      else if (ev.key === "ArrowUp") { view.dy += step; redraw(); }
      else if (ev.key === "ArrowDown") { view.dy -= step; redraw(); }
      else { handled = false; }
      if (handled) { ev.preventDefault(); }
    });
    root.querySelector(".map-reset").addEventListener("click", function () { fit(); redraw(); });
    labelsBox.addEventListener("change", redraw);
    linksBox.addEventListener("change", redraw);
    if (weightSelect) {
      weightSelect.addEventListener("change", function () {
        weightIndex = parseInt(weightSelect.value, 10) || 0;
        sizes();
        redraw();
      });
    }
    window.addEventListener("resize", resize);
    sizes();
    resize();
    root.setAttribute("data-ready", "1");
  }

  var roots = document.querySelectorAll(".map-viewer");
  for (var r = 0; r < roots.length; r++) {
    try {
      MapViewer(roots[r]);
    } catch (err) {  // said on the page and in the console (a test fails on any console error)
      var box = document.createElement("p");
      box.className = "notice";
      box.textContent = roots[r].getAttribute("data-error-word") + " " + err;
      roots[r].appendChild(box);
      console.error(err);
    }
  }
}());
