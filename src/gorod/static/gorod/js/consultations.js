/* A project's area on a small map: the shape from the page's JSON (no request), the district outlines
   from our own data, tiles through maps.js (with its fallback when they fail). Text from the server is
   only ever put in with textContent. */
(function () {
  "use strict";

  function areaMap(el, cfg) {
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: cfg.maxZoom || 19 });
    map.setView(cfg.center, cfg.zoom);
    var shape = L.geoJSON(cfg.area, {
      style: { color: "#c2410c", weight: 3, fillColor: "#c2410c", fillOpacity: 0.2 },
      pointToLayer: function (_feature, latlng) {
        return L.circleMarker(latlng, { radius: 9, color: "#ffffff", weight: 3, fillColor: "#c2410c", fillOpacity: 1 });
      },
      interactive: false,
    });
    var fit = function () {
      var bounds = shape.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
    };
    // Without tiles a close-up of the area is a coloured square: step back until the district outlines
    // around it show where it is.
    if (window.GorodMaps) {
      window.GorodMaps.addTiles(map, cfg, function () {
        var bounds = shape.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds.pad(4), { maxZoom: 15 });
      });
    }
    fetch(cfg.districts, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          L.geoJSON(data, {
            interactive: false,
            style: { color: "#12326b", weight: 2, opacity: 0.8, fillColor: "#4f7fd6", fillOpacity: 0.06 },
          }).addTo(map);
        }
        shape.addTo(map); // above the outlines
        map.getContainer().setAttribute("data-drawn", "1");
      })
      .catch(function () {
        shape.addTo(map);
      });
    fit();
  }

  // The projects of the list as dots; each opens its page. The list below the map says the same in text,
  // for keyboards and screen readers.
  function projectsMap(el, cfg) {
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: cfg.maxZoom || 19 });
    map.setView(cfg.center, cfg.zoom);
    if (window.GorodMaps) window.GorodMaps.addTiles(map, cfg, function () {});
    var dots = L.featureGroup();
    cfg.points.forEach(function (p) {
      var dot = L.circleMarker([p.lat, p.lon], { radius: 10, color: "#ffffff", weight: 3, fillColor: "#c2410c", fillOpacity: 1 });
      var label = document.createElement("span");
      label.textContent = p.title;
      dot.bindTooltip(label);
      dot.on("click", function () {
        window.location.href = p.url;
      });
      dots.addLayer(dot);
    });
    fetch(cfg.districts, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          L.geoJSON(data, {
            interactive: false,
            style: { color: "#12326b", weight: 2, opacity: 0.8, fillColor: "#4f7fd6", fillOpacity: 0.06 },
          }).addTo(map);
        }
      })
      .catch(function () {})
      .then(function () {
        dots.addTo(map);
        if (cfg.points.length > 1) map.fitBounds(dots.getBounds(), { padding: [24, 24], maxZoom: 14 });
        map.getContainer().setAttribute("data-drawn", "1");
      });
  }

  // A survey's "point on the map" question: a click fills the latitude and longitude fields, which stay
  // visible and typeable (the map is an aid, the fields are the answer). The server checks the point.
  function pickMap(el, cfg) {
    var lat = document.getElementById(el.getAttribute("data-lat"));
    var lon = document.getElementById(el.getAttribute("data-lon"));
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: cfg.maxZoom || 19 });
    map.setView(cfg.center, cfg.zoom);
    if (window.GorodMaps) window.GorodMaps.addTiles(map, cfg, function () {});
    fetch(cfg.districts, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          L.geoJSON(data, {
            interactive: false,
            style: { color: "#12326b", weight: 2, opacity: 0.8, fillColor: "#4f7fd6", fillOpacity: 0.06 },
          }).addTo(map);
        }
        map.getContainer().setAttribute("data-drawn", "1");
      })
      .catch(function () {});
    var pin = null;
    map.on("click", function (e) {
      if (pin) pin.setLatLng(e.latlng);
      else pin = L.circleMarker(e.latlng, { radius: 9, color: "#ffffff", weight: 3, fillColor: "#c2410c", fillOpacity: 1 }).addTo(map);
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
    });
  }

  function start() {
    if (!window.L) return;
    var kinds = { area: areaMap, projects: projectsMap, pick: pickMap };
    document.querySelectorAll("[data-cp-map]").forEach(function (el) {
      var node = document.getElementById(el.getAttribute("data-config"));
      var make = kinds[el.getAttribute("data-cp-map")];
      if (node && make) make(el, JSON.parse(node.textContent));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
