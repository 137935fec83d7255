/* The 3D dialogue's viewer (consultations/model_3d): shows the model in model-viewer when this browser
   has WebGL, switches before/after, picks the point of a new comment with its camera view, and re-opens a
   comment's view. Without WebGL (or without model-viewer) the page stays what the server sent: the text
   list of comments and their reply forms, and a sentence saying why there is no picture. */
(function () {
  "use strict";

  function hasWebGL() {
    try {
      var canvas = document.createElement("canvas");
      return !!(window.WebGLRenderingContext && (canvas.getContext("webgl2") || canvas.getContext("webgl")));
    } catch (e) {
      return false;
    }
  }

  function unavailable() {
    var viewer = document.getElementById("m3d-viewer");
    if (viewer) viewer.hidden = true;
    var toggle = document.querySelector(".m3d-toggle");
    if (toggle) toggle.hidden = true;
    var note = document.getElementById("m3d-unavailable");
    if (note) note.hidden = false;
    var form = document.getElementById("m3d-pin-form");
    if (form) form.hidden = true;
    var needs = document.getElementById("m3d-pin-needs-3d");
    if (needs) needs.hidden = false;
  }

  function fixed(n) {
    return Number(n).toFixed(4);
  }

  function start(viewer) {
    var form = document.getElementById("m3d-pin-form");
    var picked = document.getElementById("m3d-picked");
    var caption = document.getElementById("m3d-caption");
    var marker = viewer.querySelector('[slot="hotspot-new"]');
    var radios = document.querySelectorAll('input[name="m3d-variant"]');

    function currentVariant() {
      return viewer.dataset.variant;
    }

    function showHotspots() {
      viewer.querySelectorAll(".m3d-hotspot[data-pin]").forEach(function (spot) {
        spot.hidden = spot.dataset.variant !== currentVariant();
      });
    }

    function setVariant(variant) {
      var radio = document.querySelector('input[name="m3d-variant"][value="' + variant + '"]');
      if (!radio || viewer.dataset.variant === variant) return;
      radio.checked = true;
      viewer.dataset.variant = variant;
      viewer.src = radio.dataset.src;
      if (marker) marker.hidden = true;
      if (form) {
        form.elements.variant.value = variant;
        ["position", "normal", "orbit", "target", "fov"].forEach(function (name) {
          form.elements[name].value = "";
        });
        if (picked) picked.textContent = picked.dataset.none || picked.textContent;
      }
      showHotspots();
    }

    radios.forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked) setVariant(radio.value);
      });
    });

    function pick(x, y) {
      var hit = viewer.positionAndNormalFromPoint(x, y);
      if (!hit || !form) return false;
      var orbit = viewer.getCameraOrbit();
      var target = viewer.getCameraTarget();
      var p = hit.position, n = hit.normal;
      form.elements.variant.value = currentVariant();
      form.elements.position.value = [p.x, p.y, p.z].map(fixed).join(" ");
      form.elements.normal.value = [n.x, n.y, n.z].map(fixed).join(" ");
      form.elements.orbit.value = [orbit.theta, orbit.phi, orbit.radius].map(fixed).join(" ");
      form.elements.target.value = [target.x, target.y, target.z].map(fixed).join(" ");
      form.elements.fov.value = fixed(viewer.getFieldOfView());
      if (marker) {
        marker.hidden = false;
        viewer.updateHotspot({
          name: "hotspot-new",
          position: p.x + "m " + p.y + "m " + p.z + "m",
          normal: n.x + " " + n.y + " " + n.z,
        });
      }
      if (picked) picked.textContent = picked.dataset.chosen;
      return true;
    }

    if (form) {
      picked.dataset.none = picked.textContent;
      picked.dataset.chosen = form.dataset.chosen;
      // A click, not the end of a drag that turned the model.
      var down = null;
      viewer.addEventListener("pointerdown", function (e) {
        down = { x: e.clientX, y: e.clientY };
      });
      viewer.addEventListener("pointerup", function (e) {
        if (!down || e.target.closest(".m3d-hotspot")) return;
        var moved = Math.abs(e.clientX - down.x) + Math.abs(e.clientY - down.y);
        down = null;
        if (moved < 6) pick(e.clientX, e.clientY);
      });
      document.getElementById("m3d-pick-centre").addEventListener("click", function () {
        var box = viewer.getBoundingClientRect();
        if (!pick(box.left + box.width / 2, box.top + box.height / 2) && picked) {
          picked.textContent = form.dataset.missed;
        } else {
          document.getElementById("m3d-text").focus();
        }
      });
      form.addEventListener("submit", function (e) {
        if (!form.elements.position.value) {
          e.preventDefault();
          picked.textContent = form.dataset.missed;
        }
      });
    }

    function showPin(id, moveFocus) {
      var item = document.getElementById("model_pin-" + id);
      if (!item) return;
      setVariant(item.dataset.variant);
      viewer.cameraTarget = item.dataset.target;
      viewer.cameraOrbit = item.dataset.orbit;
      viewer.fieldOfView = item.dataset.fov;
      var name = item.querySelector(".m3d-where strong");
      var where = item.querySelector(".m3d-where-text");
      var text = item.querySelector(".m3d-text");
      if (caption) {
        caption.textContent = [name, where, text]
          .filter(Boolean)
          .map(function (el) { return el.textContent.replace(/\s+/g, " ").trim(); })
          .join(" · ");
      }
      if (moveFocus) {
        viewer.scrollIntoView({ block: "center" });
        var spot = viewer.querySelector('.m3d-hotspot[data-pin="' + id + '"]');
        if (spot) spot.focus({ preventScroll: true });
      }
    }

    viewer.querySelectorAll(".m3d-hotspot[data-pin]").forEach(function (spot) {
      spot.addEventListener("click", function () {
        showPin(spot.dataset.pin, false);
      });
    });
    document.querySelectorAll("[data-show-pin]").forEach(function (button) {
      button.parentElement.hidden = false;
      button.addEventListener("click", function () {
        showPin(button.dataset.showPin, true);
      });
    });

    viewer.addEventListener("error", unavailable);
    viewer.hidden = false;
    if (form) {
      form.hidden = false;
      document.getElementById("m3d-pin-needs-3d").hidden = true;
    }
    showHotspots();
    var match = /^#model_pin-(\d+)$/.exec(window.location.hash);
    if (match) viewer.addEventListener("load", function () { showPin(match[1], false); }, { once: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var viewer = document.getElementById("m3d-viewer");
    if (!viewer) return;
    if (!hasWebGL() || !window.customElements) {
      unavailable();
      return;
    }
    // model-viewer is a module script: wait until it has defined its element (or give up after a while).
    var given = false;
    window.customElements.whenDefined("model-viewer").then(function () {
      if (!given) {
        given = true;
        start(viewer);
      }
    });
    window.setTimeout(function () {
      if (!given) {
        given = true;
        unavailable();
      }
    }, 15000);
  });
})();
