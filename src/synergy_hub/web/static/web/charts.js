/*
 * Charts drawn from the data tables beside them (progressive enhancement).
 *
 * A chart is a <figure class="chart" data-chart="bar|hbar|line"> holding the server-drawn
 * SVG (class "chart-svg") and its data table (class "chart-data"). The table is the only
 * source: each body row is one label (its first cell) and each column whose header carries
 * data-series is one series, read from the cells' data-value; a cell's own text (already
 * formatted for the page's language: thousands separators, 万) is what the tooltip shows.
 * Optional: data-chart-target (a dashed target line), data-chart-max (the axis maximum),
 * data-chart-suffix (appended to axis ticks, e.g. "%").
 *
 * Without script, or if the library is missing, the SVG and the table stay as they are.
 * Chart.js is vendored (web/vendor/chart-4.5.1.umd.min.js); no code is evaluated from
 * strings and no style element is added, so the page's content security policy holds.
 */
(function () {
  "use strict";

  var COLOURS = ["#2454a6", "#1f8a4c", "#c77c02", "#8e44ad", "#c0392b", "#16a085"];

  function readTable(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var columns = [];
    headers.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) {
        columns.push({ index: index, name: th.textContent.trim(), values: [], texts: [] });
      }
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      if (!cells.length || !cells[0].textContent.trim()) { return; }
      var complete = columns.every(function (column) {
        var cell = cells[column.index];
        return cell && cell.hasAttribute("data-value");
      });
      if (!complete) { return; }
      labels.push(cells[0].textContent.trim());
      columns.forEach(function (column) {
        var cell = cells[column.index];
        column.values.push(Number(cell.getAttribute("data-value")));
        column.texts.push(cell.textContent.trim());
      });
    });
    return { labels: labels, columns: columns };
  }

  function draw(figure) {
    var table = figure.querySelector("table.chart-data");
    if (!table || figure.hasAttribute("data-chart-drawn")) { return; }
    var data = readTable(table);
    if (!data.labels.length || !data.columns.length) { return; }
    var kind = figure.getAttribute("data-chart");
    var horizontal = kind === "hbar";
    var suffix = figure.getAttribute("data-chart-suffix") || "";
    var datasets = data.columns.map(function (column, i) {
      return {
        label: column.name,
        data: column.values,
        texts: column.texts,
        type: kind === "line" ? "line" : "bar",
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        tension: 0,
        pointRadius: 3
      };
    });
    var target = figure.getAttribute("data-chart-target");
    if (target !== null && target !== "") {
      var value = Number(target);
      datasets.push({
        label: figure.getAttribute("data-chart-target-label") || "",
        data: data.labels.map(function () { return value; }),
        texts: data.labels.map(function () { return figure.getAttribute("data-chart-target-text") || target; }),
        type: "line",
        borderColor: "#c0392b",
        borderDash: [6, 4],
        pointRadius: 0,
        fill: false
      });
    }
    var box = document.createElement("div");
    box.className = "chart-canvas";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    var caption = table.querySelector("caption");
    canvas.setAttribute("aria-label", caption ? caption.textContent.trim() : "");
    box.appendChild(canvas);
    var svg = figure.querySelector(".chart-svg");
    if (svg) { svg.setAttribute("hidden", ""); }
    figure.insertBefore(box, table);
    var valueAxis = {
      beginAtZero: true,
      ticks: { callback: function (v) { return v.toLocaleString(document.documentElement.lang) + suffix; } }
    };
    var max = figure.getAttribute("data-chart-max");
    if (max) { valueAxis.max = Number(max); }
    /* global Chart */
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                var text = item.dataset.texts[item.dataIndex];
                return item.dataset.label ? item.dataset.label + ": " + text : text;
              }
            }
          }
        },
        scales: horizontal ? { x: valueAxis } : { y: valueAxis }
      }
    });
    figure.setAttribute("data-chart-drawn", "");
  }

  function drawAll(root) {
    if (typeof window.Chart === "undefined") { return; }
    (root || document).querySelectorAll("figure.chart[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
