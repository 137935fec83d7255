/* Gorod maps: the browse map of report clusters, the pin picker of the report form and the small map
   of a report's page. Configuration comes from a JSON <script> named by data-config. Text from the
   server is only ever put into the page with textContent, never as HTML. */
(function () {
  "use strict";

  function config(el) {
    var node = document.getElementById(el.getAttribute("data-config"));
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  /* --- tiles, and the outlines-only map when they fail ------------------------------------------ */
  // Offline, behind a firewall or over a provider's limits every tile fails and the map would be an
  // empty grey square: after a few failures with nothing loaded, or nothing at all within a while, the
  // tile layer goes and the map says so. The district outlines (drawn from our own data) and everything
  // on the map keep working.
  var FAILURES_BEFORE_FALLBACK = 4;
  var FIRST_TILE_WAIT_MS = 10000;

  function tilesFailed(map, cfg, layer, onFallback) {
    var container = map.getContainer();
    if (container.classList.contains("tiles-failed")) return;
    if (layer) map.removeLayer(layer);
    container.classList.add("tiles-failed");
    var Note = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var note = L.DomUtil.create("p", "map-tiles-note");
        note.setAttribute("role", "status");
        note.textContent = cfg.tilesFailed || "";
        L.DomEvent.disableClickPropagation(note);
        return note;
      },
    });
    new Note().addTo(map);
    if (onFallback) onFallback(map);
  }

  function rasterLayer(cfg) {
    return L.tileLayer(cfg.tiles, {
      attribution: cfg.attribution || "",
      maxZoom: cfg.maxZoom || 19,
      // OpenStreetMap's tile policy wants a Referer, and the site's own policy sends none elsewhere:
      // the tile server learns the site's origin, never the page (a report's number) being looked at.
      referrerPolicy: "strict-origin-when-cross-origin",
    });
  }

  function pmtilesUrl(cfg) {
    return String(cfg.tiles).replace(/^pmtiles:\/\//, "");
  }

  function pmtilesLayer(cfg) {
    // protomaps-leaflet draws a PMTiles archive, fetched with range requests; when it is not installed
    // the map falls back to the outlines like any other failure.
    if (!window.protomapsL || !window.protomapsL.leafletLayer) return null;
    return window.protomapsL.leafletLayer({
      url: pmtilesUrl(cfg),
      attribution: cfg.attribution || "",
      maxZoom: cfg.maxZoom || 19,
      flavor: "light",
      lang: document.documentElement.lang || "ru",
    });
  }

  function addTiles(map, cfg, onFallback) {
    if (!cfg.tiles) return null; // the installation chose outlines only: nothing failed, nothing to say
    var layer = cfg.tileKind === "pmtiles" ? pmtilesLayer(cfg) : rasterLayer(cfg);
    if (!layer) {
      tilesFailed(map, cfg, null, onFallback);
      return null;
    }
    var loaded = 0;
    var failed = 0;
    layer.on("tileload", function () {
      loaded += 1;
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (failed >= FAILURES_BEFORE_FALLBACK && failed > loaded * 2) tilesFailed(map, cfg, layer, onFallback);
    });
    layer.addTo(map);
    window.setTimeout(function () {
      if (!loaded) tilesFailed(map, cfg, layer, onFallback);
    }, FIRST_TILE_WAIT_MS);
    if (cfg.tileKind === "pmtiles") {
      // protomaps-leaflet reports no failed tile: read the archive's header (it starts "PMTiles") once,
      // so a missing file or a server without range requests is noticed at once.
      fetch(pmtilesUrl(cfg), { headers: { Range: "bytes=0-6" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("pmtiles " + response.status);
          return response.text();
        })
        .then(function (text) {
          if (text.slice(0, 7) !== "PMTiles") throw new Error("not a PMTiles archive");
        })
        .catch(function () {
          tilesFailed(map, cfg, layer, onFallback);
        });
    }
    return layer;
  }

  // Close up, outlines on a plain background show nothing at all: step back to the city's zoom, where
  // they tell the resident where they are (the pin, if any, stays in the middle).
  function zoomOutForOutlines(cfg) {
    return function (map) {
      if (map.getZoom() > cfg.zoom) map.setZoom(cfg.zoom);
    };
  }

  function baseMap(el, cfg, options, onFallback) {
    var map = L.map(
      el,
      Object.assign({ zoomControl: true, attributionControl: true, maxZoom: cfg.maxZoom || 19 }, options || {})
    );
    map.setView(cfg.center, cfg.zoom);
    addTiles(map, cfg, onFallback || zoomOutForOutlines(cfg));
    return map;
  }

  // District boundaries come from our own data, so the map means something without any tile server.
  function loadDistricts(map, cfg, fit) {
    return fetch(cfg.districts, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("districts " + response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          interactive: false,
          style: { color: "#12326b", weight: 2, opacity: 0.8, fillColor: "#4f7fd6", fillOpacity: 0.06 },
        }).addTo(map);
        var features = (data.features || []).length;
        // Names go under the report markers, not over them.
        if (!map.getPane("districtLabels")) map.createPane("districtLabels").style.zIndex = 450;
        layer.eachLayer(function (district) {
          var label = document.createElement("span");
          label.textContent = (district.feature.properties || {}).name || "";
          district.bindTooltip(label, {
            permanent: true,
            direction: "center",
            className: "district-label",
            pane: "districtLabels",
          });
        });
        if (fit && layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        // Many district names at city zoom would cover each other: show them once zoomed in.
        var fittedZoom = map.getZoom();
        var toggleLabels = function () {
          var hide = features > 6 && map.getZoom() <= fittedZoom;
          map.getContainer().classList.toggle("labels-hidden", hide);
        };
        map.on("zoomend", toggleLabels);
        toggleLabels();
        return layer;
      })
      .catch(function () {
        return null;
      });
  }

  function reportUrl(cfg, id) {
    return cfg.reportUrl.replace(/\/0\/$/, "/" + id + "/");
  }

  /* --- browse: clusters for the visible box, the zoom and the filters ---------------------------- */
  function browseMap(el, cfg) {
    var map = baseMap(el, cfg, { zoomSnap: 0.25 });
    var markers = L.layerGroup().addTo(map);
    var form = document.getElementById(el.getAttribute("data-filters"));
    var status = document.getElementById("map-status");
    var lang = document.documentElement.lang || "ru";
    var compact = window.Intl && Intl.NumberFormat
      ? new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 })
      : { format: String };
    var pending = null;
    var timer = null;

    function say(text) {
      if (status) status.textContent = text;
    }

    function query() {
      var params = new URLSearchParams();
      if (form) {
        new FormData(form).forEach(function (value, key) {
          if (value !== "" && key !== "page") params.append(key, value);
        });
      }
      var b = map.getBounds();
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) {
        return n.toFixed(6);
      }).join(","));
      params.set("zoom", String(Math.max(1, Math.min(19, Math.round(map.getZoom())))));
      return params.toString();
    }

    function marker(cluster) {
      var count = Number(cluster.count) || 0;
      var id = parseInt(cluster.id, 10);
      var single = count === 1 && id > 0;
      var text = single ? "" : compact.format(count);
      // Bigger for more reports, and always wide enough for its number ("2,1 тыс.").
      var size = single ? 20 : Math.round(28 + Math.min(30, Math.log10(Math.max(count, 1)) * 9));
      size = Math.max(size, text.length * 7 + 14);
      var node = document.createElement("span");
      node.textContent = text;
      var label = single ? fmt(cfg.i18n.report, { id: id }) : fmt(cfg.i18n.cluster, { count: count });
      var m = L.marker([cluster.lat, cluster.lon], {
        icon: L.divIcon({ html: node, className: single ? "map-report" : "map-cluster", iconSize: [size, size] }),
        title: label,
        keyboard: true,
        riseOnHover: true,
      });
      m.on("add", function () {
        var element = m.getElement();
        if (element) element.setAttribute("aria-label", label);
      });
      function activate() {
        if (single) {
          window.location.href = reportUrl(cfg, id);
        } else {
          map.setView([cluster.lat, cluster.lon], Math.min(map.getZoom() + 2, map.getMaxZoom() || 18));
        }
      }
      m.on("click", activate);
      // Leaflet makes the marker a focusable role=button but only opens popups from the keyboard.
      m.on("keydown", function (event) {
        var key = event.originalEvent.key;
        if (key === "Enter" || key === " ") {
          event.originalEvent.preventDefault();
          activate();
        }
      });
      return m;
    }

    function load() {
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      say(cfg.i18n.loading);
      fetch(cfg.clusters + "?" + query(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("clusters " + response.status);
          return response.json();
        })
        .then(function (data) {
          markers.clearLayers();
          (data.clusters || []).forEach(function (cluster) {
            markers.addLayer(marker(cluster));
          });
          say(fmt(cfg.i18n.shown, { count: Number(data.total) || 0 }));
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          say(cfg.i18n.failed);
        });
    }

    function soon() {
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    }

    map.on("moveend", soon);
    if (form) {
      form.addEventListener("change", soon);
      form.addEventListener("submit", soon);
    }
    loadDistricts(map, cfg, true).then(soon);

    // On a phone the open filter panel would push the map off the first screen.
    var panel = document.getElementById("filters-panel");
    if (panel && window.matchMedia && window.matchMedia("(max-width: 899px)").matches) {
      panel.open = false;
    }
  }

  /* --- picker: a pin that fills the latitude and longitude fields -------------------------------- */
  function pickerMap(el, cfg) {
    var map = baseMap(el, cfg, { zoomSnap: 0.25 });
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var centre = document.getElementById("pin-centre");
    var pin = null;

    function number(input) {
      var value = parseFloat(String(input.value).replace(",", "."));
      return isFinite(value) ? value : null;
    }

    function place(latlng) {
      if (!pin) {
        pin = L.marker(latlng, { draggable: true, keyboard: false, title: cfg.i18n.pin, alt: cfg.i18n.pin }).addTo(map);
        pin.on("dragend", function () {
          fill(pin.getLatLng());
        });
      } else {
        pin.setLatLng(latlng);
      }
    }

    function fill(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      document.body.dispatchEvent(new CustomEvent("pin-moved", { bubbles: true }));
    }

    map.on("click", function (event) {
      place(event.latlng);
      fill(event.latlng);
    });

    function fromFields() {
      var a = number(lat);
      var b = number(lon);
      if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        place([a, b]);
        map.setView([a, b], Math.max(map.getZoom(), 15));
        return true;
      }
      return false;
    }

    [lat, lon].forEach(function (input) {
      input.addEventListener("change", fromFields);
    });

    if (centre) {
      centre.hidden = false;
      centre.addEventListener("click", function () {
        var c = map.getCenter();
        place(c);
        fill(c);
      });
    }

    var placed = fromFields();
    loadDistricts(map, cfg, !placed);
  }

  /* --- point: where a report is ----------------------------------------------------------------- */
  function pointMap(el, cfg) {
    // Without tiles a close-up is an empty square: show the district around the point instead.
    var zoom = cfg.tiles ? cfg.pointZoom : cfg.zoom;
    var map = baseMap(
      el,
      Object.assign({}, cfg, { center: cfg.point, zoom: zoom }),
      { scrollWheelZoom: false },
      function (m) {
        m.setView(cfg.point, Math.min(m.getZoom(), cfg.zoom));
      }
    );
    loadDistricts(map, cfg, false);
    L.circleMarker(cfg.point, {
      radius: 9,
      color: "#ffffff",
      weight: 3,
      fillColor: "#c2410c",
      fillOpacity: 1,
      interactive: false,
      pane: "markerPane", // above the district names
    }).addTo(map);
  }

  // backoffice.js and works.js draw their maps with the same tiles, outlines and fallback.
  window.GorodMaps = { addTiles: addTiles, baseMap: baseMap, loadDistricts: loadDistricts };

  function start() {
    if (!window.L) return;
    var kinds = { browse: browseMap, picker: pickerMap, point: pointMap };
    document.querySelectorAll("[data-map]").forEach(function (el) {
      var cfg = config(el);
      var make = kinds[el.getAttribute("data-map")];
      if (cfg && make) make(el, cfg);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
