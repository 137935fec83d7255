/* A room's flat slide (an image or a plan page) on Leaflet with L.CRS.Simple: the picture is the whole
   "map", one unit a pixel, y growing downwards as -lat. Pins are drawn from the page's JSON; clicking a
   spot fills the form's x/y (shares of the width and height) and selects "the point chosen on the
   picture". The list below the picture says everything in words, so nothing here is needed to read or
   answer. Text from the server is only ever put in with textContent. */
(function () {
  "use strict";

  function pinIcon(number) {
    var icon = L.divIcon({ className: "room-pin-icon", html: "", iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12] });
    icon.options.html = String(Number(number) || "");
    return icon;
  }

  function start(el, cfg) {
    var w = cfg.width, h = cfg.height;
    var bounds = L.latLngBounds([-h, 0], [0, w]);
    var map = L.map(el, { crs: L.CRS.Simple, minZoom: -5, maxZoom: 2, zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: false });
    var flat = el.querySelector(".room-flat");
    if (flat) flat.remove();
    L.imageOverlay(cfg.image, bounds, { alt: "" }).addTo(map);
    map.fitBounds(bounds);
    map.setMaxBounds(bounds.pad(0.25));
    // A phone turned sideways: the whole slide again, not a corner of it.
    map.on("resize", function () {
      map.fitBounds(bounds, { animate: false });
    });
    cfg.pins.forEach(function (p) {
      if (p.x === null || p.y === null) return;
      var marker = L.marker([-p.y * h, p.x * w], { icon: pinIcon(p.n), keyboard: false, title: p.where });
      var box = document.createElement("div");
      var where = document.createElement("strong");
      where.textContent = p.where;
      var text = document.createElement("p");
      text.textContent = p.text;
      var link = document.createElement("a");
      link.href = "#pin-" + p.id;
      link.textContent = cfg.labels.pin + " →";
      box.appendChild(where);
      box.appendChild(text);
      box.appendChild(link);
      marker.bindPopup(box).addTo(map);
    });
    var chosen = null;
    var xInput = document.getElementById("pin-x"), yInput = document.getElementById("pin-y");
    var region = document.getElementById("pin-region");
    var option = document.getElementById("pin-chosen");
    var note = document.getElementById("pin-chosen-note");
    if (!xInput || !yInput || !region) {
      el.setAttribute("data-ready", "1");
      return;
    }
    map.on("click", function (event) {
      var x = event.latlng.lng / w, y = -event.latlng.lat / h;
      if (x < 0 || x > 1 || y < 0 || y > 1) return;
      xInput.value = x.toFixed(5);
      yInput.value = y.toFixed(5);
      if (chosen) chosen.setLatLng(event.latlng);
      else chosen = L.marker(event.latlng, { icon: L.divIcon({ className: "room-pin-icon room-pin-new", html: "+", iconSize: [26, 26], iconAnchor: [13, 13] }), keyboard: false }).addTo(map);
      option.hidden = false;
      region.value = "point";
      note.hidden = false;
      note.textContent = cfg.labels.chosen;
      document.getElementById("pin-text").focus({ preventScroll: true });
    });
    region.addEventListener("change", function () {
      if (region.value !== "point") {
        xInput.value = "";
        yInput.value = "";
        note.hidden = true;
        if (chosen) {
          chosen.remove();
          chosen = null;
        }
      }
    });
    el.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("room-viewer");
    if (!el || !window.L) return;
    var cfg = JSON.parse(document.getElementById(el.dataset.config).textContent);
    if (cfg.kind === "panorama") return;
    start(el, cfg);
  });
})();
