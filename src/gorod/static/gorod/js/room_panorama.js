/* A room's 360° panorama in Photo Sphere Viewer (npm, served as static files through the page's import
   map), with its pins as markers. Yaw is sent in degrees, 0 at the panorama's centre (north) growing
   clockwise (east = 90); pitch in degrees above the horizon. Clicking fills the form's yaw/pitch and
   selects "the point chosen on the picture". When WebGL or the library is missing, the flat picture stays
   and the list below says everything in words. Text is only ever put in with textContent. */
import { Viewer } from "@photo-sphere-viewer/core";
import { MarkersPlugin } from "@photo-sphere-viewer/markers-plugin";

const DEG = 180 / Math.PI;

function pinElement(where, label) {
  const dot = document.createElement("span");
  dot.className = "room-pin-icon";
  dot.title = where;
  dot.textContent = label;
  return dot;
}

function start(el, cfg) {
  const flat = el.querySelector(".room-flat");
  const host = document.createElement("div");
  host.className = "room-sphere";
  el.appendChild(host);
  let viewer;
  try {
    viewer = new Viewer({
      container: host,
      panorama: cfg.image,
      navbar: ["zoom", "move", "fullscreen"],
      mousewheel: false,
      defaultZoomLvl: 0,
      plugins: [
        [
          MarkersPlugin,
          {
            markers: cfg.pins
              .filter((p) => p.yaw !== null)
              .map((p) => ({
                id: "pin-" + p.id,
                element: pinElement(p.where, String(p.n)),
                position: { yaw: p.yaw / DEG, pitch: p.pitch / DEG },
                anchor: "center center",
                data: p,
              })),
          },
        ],
      ],
    });
  } catch (error) {
    host.remove();
    el.setAttribute("data-ready", "failed");
    return;
  }
  viewer.addEventListener("ready", () => {
    if (flat) flat.hidden = true;
    el.setAttribute("data-ready", "1");
  }, { once: true });
  viewer.addEventListener("panorama-error", () => {
    host.remove();
    el.setAttribute("data-ready", "failed");
  });
  const markers = viewer.getPlugin(MarkersPlugin);
  markers.addEventListener("select-marker", ({ marker }) => {
    const item = document.getElementById(marker.id);
    if (item) {
      item.scrollIntoView({ block: "center" });
      item.focus({ preventScroll: true });
    }
  });
  const yawInput = document.getElementById("pin-yaw");
  const pitchInput = document.getElementById("pin-pitch");
  const region = document.getElementById("pin-region");
  const option = document.getElementById("pin-chosen");
  const note = document.getElementById("pin-chosen-note");
  if (!yawInput || !region) return;
  viewer.addEventListener("click", ({ data }) => {
    if (data.rightclick) return;
    const yaw = (((data.yaw * DEG) % 360) + 360) % 360;
    yawInput.value = yaw.toFixed(2);
    pitchInput.value = (data.pitch * DEG).toFixed(2);
    markers.removeMarker("new-pin", false);
    markers.addMarker({
      id: "new-pin",
      element: pinElement(cfg.labels.chosen, "+"),
      position: { yaw: data.yaw, pitch: data.pitch },
      anchor: "center center",
    });
    option.hidden = false;
    region.value = "point";
    note.hidden = false;
    note.textContent = cfg.labels.chosen;
  });
  region.addEventListener("change", () => {
    if (region.value !== "point") {
      yawInput.value = "";
      pitchInput.value = "";
      note.hidden = true;
      markers.removeMarker("new-pin", false);
    }
  });
}

const el = document.getElementById("room-viewer");
if (el) {
  const cfg = JSON.parse(document.getElementById(el.dataset.config).textContent);
  if (cfg.kind === "panorama") start(el, cfg);
}
