/* Gorod back office: small enhancements of server-rendered forms (every form works without them) and
   the queue's map. Text from the server goes into the page only with textContent / value. */
(function () {
  "use strict";

  function json(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  /* Show only the fields that belong to the chosen option (data-act-for / data-bulk-for). */
  function toggleGroup(select, attribute) {
    var form = select.form;
    function apply() {
      form.querySelectorAll("[" + attribute + "]").forEach(function (el) {
        var wanted = el.getAttribute(attribute).split(" ");
        var show = wanted.indexOf(select.value) !== -1;
        el.hidden = !show;
        el.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = !show;
        });
      });
    }
    select.addEventListener("change", apply);
    apply();
  }

  /* Templates: list only those of the chosen action; on the report page, fill the answer. */
  function templates(select) {
    var form = select.form;
    var action = form.querySelector("[data-template-action]");
    var texts = json(select.getAttribute("data-template-texts")) || {};
    var target = document.getElementById(select.getAttribute("data-template-target") || "");
    function filter() {
      Array.prototype.forEach.call(select.options, function (option) {
        var fits = !option.value || !action || option.getAttribute("data-action") === action.value;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) select.value = "";
      });
    }
    select.addEventListener("change", function () {
      if (target && select.value && texts[select.value] !== undefined) target.value = texts[select.value];
    });
    if (action) action.addEventListener("change", filter);
    filter();
  }

  function selectAll(box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name='ids'][form='" + box.getAttribute("form") + "']").forEach(function (b) {
        b.checked = box.checked;
      });
    });
  }

  function map(el) {
    if (!window.L) return;
    var cfg = json(el.getAttribute("data-bo-map"));
    if (!cfg) return;
    var points = json(el.getAttribute("data-points"));
    var m = L.map(el, { scrollWheelZoom: false, maxZoom: cfg.maxZoom || 19 });
    m.setView(cfg.center, cfg.zoom);
    // maps.js (loaded first by map_base.html) adds the tiles and shows the outlines alone if they fail.
    if (window.GorodMaps) window.GorodMaps.addTiles(m, cfg);
    if (cfg.districts) {
      fetch(cfg.districts, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data) {
            L.geoJSON(data, {
              interactive: false,
              style: { color: "#12326b", weight: 1, opacity: 0.6, fillColor: "#4f7fd6", fillOpacity: 0.04 },
            }).addTo(m).bringToBack();
          }
        })
        .catch(function () { return null; });
    }
    // HTML markers (styled by site.css like the public map's), not SVG paths.
    function dot(latlng, className, title) {
      return L.marker(latlng, {
        icon: L.divIcon({ className: "map-report " + className, iconSize: [18, 18] }),
        title: title || "",
        keyboard: !!title,
      }).addTo(m);
    }
    if (cfg.point) {
      dot(cfg.point, "");
      return;
    }
    var bounds = [];
    (points || []).forEach(function (p) {
      var marker = dot([p.lat, p.lon], p.overdue ? "bo-map-overdue" : "bo-map-open", fmt(cfg.label, { id: p.id }));
      var link = document.createElement("a");
      link.href = cfg.reportUrl.replace(/\/0\/$/, "/" + p.id + "/");
      link.textContent = fmt(cfg.label, { id: p.id });
      marker.bindPopup(link);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) m.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
  }

  function start() {
    document.querySelectorAll("[data-template-select]").forEach(templates);
    document.querySelectorAll("select[name='action'][data-template-action]").forEach(function (s) {
      if (s.form && s.form.querySelector("[data-act-for]")) toggleGroup(s, "data-act-for");
    });
    document.querySelectorAll("[data-bulk-op]").forEach(function (s) { toggleGroup(s, "data-bulk-for"); });
    document.querySelectorAll("[data-select-all]").forEach(selectAll);
    document.querySelectorAll("[data-bo-map]").forEach(map);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
