/* Planned works on maps: the list page's map (shapes from works.geojson), one work's map, the point
   picker of the subscription form and the staff's drawing map. Built on maps.js (GorodMaps), so the
   tiles, district outlines and the fallback without tiles are the same as on /reports/. Text from the
   server goes into the page with textContent only. */
(function () {
  "use strict";

  var COLOURS = {
    roadworks: "#b45309",
    hot_water: "#b91c1c",
    cold_water: "#1d4ed8",
    heating: "#9f1239",
    electricity: "#6d28d9",
    landscaping: "#15803d",
    other: "#374151",
  };

  function config(el) {
    var node = document.getElementById(el.getAttribute("data-config"));
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function style(feature) {
    var colour = COLOURS[(feature.properties || {}).kind] || COLOURS.other;
    return { color: colour, weight: 5, opacity: 0.9, fillColor: colour, fillOpacity: 0.25 };
  }

  function worksLayer(data, linkBase) {
    return L.geoJSON(data, {
      style: style,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, Object.assign(style(feature), { radius: 9, fillOpacity: 0.8, weight: 3 }));
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties || {};
        var box = document.createElement("div");
        var title = document.createElement(linkBase ? "a" : "strong");
        title.textContent = p.title || "";
        if (linkBase) title.href = linkBase.replace(/\/0\/$/, "/" + p.id + "/");
        var line = document.createElement("div");
        line.textContent = (p.kindLabel || "") + " · " + (p.period || "");
        box.appendChild(title);
        box.appendChild(line);
        if (p.address) {
          var address = document.createElement("div");
          address.textContent = p.address;
          box.appendChild(address);
        }
        layer.bindPopup(box);
      },
    });
  }

  function listMap(el, cfg) {
    var map = window.GorodMaps.baseMap(el, cfg, { zoomSnap: 0.25 });
    var status = document.getElementById("works-map-status");
    window.GorodMaps.loadDistricts(map, cfg, true);
    fetch(cfg.works, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("works " + response.status);
        return response.json();
      })
      .then(function (data) {
        worksLayer(data, cfg.workUrl).addTo(map);
        if (status) status.textContent = fmt(cfg.i18n.shown, { count: (data.features || []).length });
      })
      .catch(function () {
        if (status) status.textContent = cfg.i18n.failed;
      });
  }

  function oneMap(el, cfg) {
    var map = window.GorodMaps.baseMap(el, cfg, { scrollWheelZoom: false });
    window.GorodMaps.loadDistricts(map, cfg, false);
    var layer = worksLayer(cfg.feature, null).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: cfg.tiles ? 16 : cfg.zoom + 2 });
  }

  function pickMap(el, cfg) {
    var map = window.GorodMaps.baseMap(el, cfg, { zoomSnap: 0.25 });
    window.GorodMaps.loadDistricts(map, cfg, true);
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var radius = document.getElementById("id_radius_m");
    var district = document.getElementById("id_district");
    var circle = null;
    function draw() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value), r = parseFloat(radius.value) || 500;
      if (!isFinite(a) || !isFinite(b)) return;
      if (circle) circle.remove();
      circle = L.circle([a, b], { radius: r, color: "#12326b" }).addTo(map);
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (district) district.value = "";
      draw();
    });
    [lat, lon, radius].forEach(function (input) {
      if (input) input.addEventListener("change", draw);
    });
    draw();
  }

  /* Staff: click to add vertices of a point, a line or an area; the GeoJSON goes into the textarea. */
  function drawMap(el, cfg) {
    var map = window.GorodMaps.baseMap(el, cfg, { zoomSnap: 0.25 });
    var target = document.getElementById(el.getAttribute("data-target"));
    var tools = document.getElementById("draw-tools");
    var mode = "Point";
    var points = [];
    var shown = null;

    function render() {
      if (shown) shown.remove();
      shown = null;
      var geometry = null;
      var ring = points.map(function (p) { return [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]; });
      if (mode === "Point" && ring.length) geometry = { type: "Point", coordinates: ring[ring.length - 1] };
      if (mode === "LineString" && ring.length >= 2) geometry = { type: "LineString", coordinates: ring };
      if (mode === "Polygon" && ring.length >= 3) geometry = { type: "Polygon", coordinates: [ring.concat([ring[0]])] };
      if (geometry) {
        target.value = JSON.stringify(geometry);
        shown = worksLayer({ type: "Feature", geometry: geometry, properties: {} }, null).addTo(map);
      }
    }

    function fromText() {
      try {
        var geometry = JSON.parse(target.value);
        shown = worksLayer({ type: "Feature", geometry: geometry, properties: {} }, null).addTo(map);
        if (shown.getBounds().isValid()) map.fitBounds(shown.getBounds(), { padding: [30, 30], maxZoom: 16 });
      } catch (e) {
        /* not GeoJSON yet: the server will say what is wrong */
      }
    }

    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("[data-draw]");
        if (!button) return;
        var chosen = button.getAttribute("data-draw");
        points = [];
        if (chosen !== "clear") mode = chosen;
        tools.querySelectorAll("[data-draw]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b.getAttribute("data-draw") === mode));
        });
        if (shown) shown.remove();
        shown = null;
      });
    }
    map.on("click", function (event) {
      if (mode === "Point") points = [];
      points.push(event.latlng);
      render();
    });
    window.GorodMaps.loadDistricts(map, cfg, !target.value);
    if (target.value) fromText();
  }

  function start() {
    if (!window.L || !window.GorodMaps || !window.GorodMaps.baseMap) return;
    var kinds = { list: listMap, one: oneMap, pick: pickMap, draw: drawMap };
    document.querySelectorAll("[data-works-map]").forEach(function (el) {
      var cfg = config(el);
      var make = kinds[el.getAttribute("data-works-map")];
      if (cfg && make) make(el, cfg);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
