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

  function start() {
    if (!window.L) return;
    document.querySelectorAll("[data-cp-map='area']").forEach(function (el) {
      var node = document.getElementById(el.getAttribute("data-config"));
      if (node) areaMap(el, JSON.parse(node.textContent));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
