// Draws the dashboard's charts from the JSON the page carries; again after each htmx swap.
(function () {
  "use strict";
  var charts = [];

  function draw() {
    var node = document.getElementById("chart-data");
    if (!node || !window.echarts) return;
    var data = JSON.parse(node.textContent);
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var coverage = document.getElementById("chart-coverage");
    if (coverage) {
      var c1 = echarts.init(coverage);
      c1.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: [data.labels.registered, data.labels.visited], top: 0 },
        grid: { left: 40, right: 10, top: 28, bottom: 50 },
        xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0, rotate: data.areas.length > 8 ? 35 : 0, fontSize: 11 } },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.registered, type: "bar", data: data.registered, itemStyle: { color: "#b8c7da" } },
          { name: data.labels.visited, type: "bar", data: data.visited, itemStyle: { color: "#1560bd" } }
        ]
      });
      charts.push(c1);
    }
    var devices = document.getElementById("chart-devices");
    if (devices && data.devices) {
      var c2 = echarts.init(devices);
      c2.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: [data.labels.needed, data.labels.delivered], top: 0 },
        grid: { left: 40, right: 10, top: 28, bottom: 30 },
        xAxis: { type: "category", data: data.devices.classes, axisLabel: { interval: 0, fontSize: 11 } },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.needed, type: "bar", data: data.devices.needed, itemStyle: { color: "#b8c7da" } },
          { name: data.labels.delivered, type: "bar", data: data.devices.delivered, itemStyle: { color: "#2e8b57" } }
        ]
      });
      charts.push(c2);
    }
    [["chart-needs", data.needs], ["chart-projects", data.projects]].forEach(function (pair) {
      var el = document.getElementById(pair[0]);
      if (!el) return;
      var c = echarts.init(el);
      c.setOption({
        animation: false,
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: pair[1], label: { fontSize: 11 } }]
      });
      charts.push(c);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:after:settle", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
