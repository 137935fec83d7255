/* Map feedback: the sentiment heatmap (GeoJSON from the server) over the district outlines, and the
   form's place picker: a pin, a line or an area drawn by tapping. The picker only fills the form's
   fields (geometry, latitude, longitude), so the form works without it, and without tiles. Text from
   the server is only ever put in with textContent. */
(function () {
  "use strict";

  var COLOURS = { 1: "#b91c1c", 2: "#ea580c", 3: "#ca8a04", 4: "#65a30d", 5: "#15803d" };

  function colour(mean) {
    return COLOURS[Math.min(5, Math.max(1, Math.round(mean)))];
  }

  function json(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }

  function picker(map, cfg) {
    var form = document.querySelector(".mf-form");
    if (!form) return;
    var geometry = form.querySelector("#mf-geometry");
    var lat = form.querySelector("#mf-lat");
    var lon = form.querySelector("#mf-lon");
    var status = form.querySelector(".mf-status");
    var tools = form.querySelector(".mf-tools");
    var mode = "point";
    var vertices = [];
    var drawn = null;
    tools.hidden = false;

    function round(x) {
      return Math.round(x * 1e6) / 1e6;
    }

    function redraw() {
      if (drawn) map.removeLayer(drawn);
      drawn = null;
      var style = { color: "#12326b", weight: 4, fillColor: "#4f7fd6", fillOpacity: 0.3 };
      var coords = vertices.map(function (v) {
        return [round(v.lng), round(v.lat)];
      });
      var value = "";
      if (mode === "point" && vertices.length) {
        drawn = L.circleMarker(vertices[0], { radius: 10, color: "#ffffff", weight: 3, fillColor: "#12326b", fillOpacity: 1 });
        value = JSON.stringify({ type: "Point", coordinates: coords[0] });
      } else if (mode === "line" && vertices.length) {
        drawn = L.polyline(vertices, style);
        if (vertices.length >= 2) value = JSON.stringify({ type: "LineString", coordinates: coords });
      } else if (mode === "area" && vertices.length) {
        drawn = vertices.length >= 3 ? L.polygon(vertices, style) : L.polyline(vertices, style);
        if (vertices.length >= 3) value = JSON.stringify({ type: "Polygon", coordinates: [coords.concat([coords[0]])] });
      }
      if (drawn) drawn.addTo(map);
      geometry.value = value;
      if (vertices.length) {
        lat.value = round(vertices[0].lat);
        lon.value = round(vertices[0].lng);
      }
      var need = { point: 1, line: 2, area: 3 }[mode];
      status.textContent = vertices.length === 0 ? "" : vertices.length < need ? cfg.labels.more : cfg.labels.done;
    }

    map.on("click", function (e) {
      if (mode === "point") vertices = [e.latlng];
      else vertices.push(e.latlng);
      redraw();
    });
    tools.querySelectorAll("[data-mf-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        mode = button.getAttribute("data-mf-mode");
        tools.querySelectorAll("[data-mf-mode]").forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        vertices = [];
        redraw();
      });
    });
    tools.querySelector("[data-mf-clear]").addEventListener("click", function () {
      vertices = [];
      lat.value = "";
      lon.value = "";
      redraw();
    });
    // Typing a place by hand means a point there: the drawn shape gives way to it.
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () {
        geometry.value = "";
        vertices = [];
        if (drawn) map.removeLayer(drawn);
        drawn = null;
      });
    });
  }

  function feedbackMap(el, cfg) {
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: cfg.maxZoom || 19 });
    map.setView(cfg.center, cfg.zoom);
    var area = cfg.area ? L.geoJSON(cfg.area, { interactive: false, style: { color: "#c2410c", weight: 3, fill: false } }) : null;
    if (area && area.getBounds().isValid()) map.fitBounds(area.getBounds(), { padding: [16, 16], maxZoom: 16 });
    if (window.GorodMaps) {
      window.GorodMaps.addTiles(map, cfg, function () {
        if (area && area.getBounds().isValid()) map.fitBounds(area.getBounds().pad(0.3), { maxZoom: 17 });
      });
    }
    var heat = L.geoJSON(null, {
      style: function (feature) {
        return { color: colour(feature.properties.sentiment), weight: 1, fillColor: colour(feature.properties.sentiment), fillOpacity: 0.55 };
      },
      onEachFeature: function (feature, layer) {
        var label = document.createElement("span");
        label.textContent = cfg.labels.cell.replace("%(count)s", feature.properties.count).replace("%(mean)s", feature.properties.sentiment);
        layer.bindTooltip(label);
      },
    });
    json(cfg.districts)
      .then(function (data) {
        if (data) {
          L.geoJSON(data, { interactive: false, style: { color: "#12326b", weight: 2, opacity: 0.8, fillColor: "#4f7fd6", fillOpacity: 0.06 } }).addTo(map);
        }
      })
      .catch(function () {})
      .then(function () {
        if (area) area.addTo(map);
        return json(cfg.heatmap);
      })
      .then(function (data) {
        if (data) heat.addData(data);
        heat.addTo(map);
      })
      .catch(function () {})
      .then(function () {
        // Whatever the tiles did meanwhile, end on the project's area with a margin of its outlines
        // around it: the hexagons are what this map is for.
        if (area && area.getBounds().isValid()) map.fitBounds(area.getBounds().pad(0.3), { maxZoom: 17 });
        el.setAttribute("data-drawn", "1");
      });
    picker(map, cfg);
  }

  function start() {
    if (!window.L) return;
    document.querySelectorAll("[data-cp-map='feedback']").forEach(function (el) {
      var node = document.getElementById(el.getAttribute("data-config"));
      if (node) feedbackMap(el, JSON.parse(node.textContent));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
