/* Budget-priorities game: redraws the coins left and the priority bars as the player ticks actions.
   The page works without it (the "Recalculate" button asks the server); the server checks every
   submission again, so nothing here is trusted. Data comes from the json_script block "prio-data". */
(function () {
  "use strict";

  var form = document.getElementById("prio-form");
  var dataNode = document.getElementById("prio-data");
  if (!form || !dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var t = data.i18n;
  document.documentElement.classList.add("prio-js");

  var checks = Array.prototype.slice.call(form.querySelectorAll("input.prio-check"));
  var coins = document.getElementById("prio-coins");
  var meter = document.getElementById("prio-meter");
  var change = document.getElementById("prio-change");
  var panel = document.getElementById("prio-panel");
  var toggle = document.getElementById("prio-toggle");
  var rows = {};
  Array.prototype.forEach.call(form.querySelectorAll(".prio-bar-row"), function (row) {
    rows[row.getAttribute("data-priority")] = {
      value: row.querySelector(".prio-bar-value"),
      down: row.querySelector(".prio-half-down .prio-fill"),
      up: row.querySelector(".prio-half-up .prio-fill"),
    };
  });

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return String(values[name]);
    });
  }

  function signed(n) {
    if (n > 0) return "+" + n;
    if (n < 0) return "\u2212" + -n;
    return "0";
  }

  function spentNow() {
    return checks.reduce(function (sum, box) {
      return box.checked ? sum + data.actions[box.value].cost : sum;
    }, 0);
  }

  function redraw() {
    var spent = spentNow();
    var left = data.pool - spent;
    var totals = {};
    data.priorities.forEach(function (p) { totals[p.id] = 0; });
    checks.forEach(function (box) {
      if (!box.checked) return;
      var effects = data.actions[box.value].effects;
      Object.keys(effects).forEach(function (pid) { totals[pid] += effects[pid]; });
    });

    coins.textContent = left >= 0 ? fmt(t.left, { left: left, pool: data.pool }) : fmt(t.over, { over: -left });
    coins.classList.toggle("prio-over", left < 0);
    meter.classList.toggle("prio-over", left < 0);
    meter.style.width = Math.min(100, Math.round((100 * spent) / data.pool)) + "%";

    data.priorities.forEach(function (p) {
      var row = rows[p.id];
      if (!row) return;
      var v = totals[p.id];
      var pct = Math.min(100, (100 * Math.abs(v)) / Math.max(data.scale, 1));
      row.value.textContent = signed(v);
      row.value.className = "prio-bar-value value-" + (v > 0 ? "up" : v < 0 ? "down" : "zero");
      row.up.style.width = (v > 0 ? pct : 0) + "%";
      row.down.style.width = (v < 0 ? pct : 0) + "%";
    });

    checks.forEach(function (box) {
      var cost = data.actions[box.value].cost;
      var needs = document.getElementById("action-" + box.value + "-needs");
      var short = !box.checked && cost > left;
      box.closest(".prio-card").classList.toggle("prio-unaffordable", short);
      if (needs) needs.textContent = short ? fmt(t.needs, { more: cost - Math.max(left, 0) }) : "";
    });
    return left;
  }

  function describe(action, sign) {
    var parts = data.priorities
      .filter(function (p) { return action.effects[p.id]; })
      .map(function (p) { return p.label + " " + signed(sign * action.effects[p.id]); });
    return parts.length ? parts.join(", ") : t.noEffect;
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("prio-check")) return;
    var action = data.actions[box.value];
    if (box.checked && spentNow() > data.pool) {
      // Refuse here as the server would, and say why, instead of letting the total go negative.
      box.checked = false;
      change.textContent = fmt(t.refused, { action: action.label, more: action.cost - (data.pool - spentNow()) });
      change.className = "prio-change prio-change-refused";
      redraw();
      return;
    }
    redraw();
    change.className = "prio-change";
    change.textContent = fmt(box.checked ? t.added : t.removed, {
      action: action.label,
      effects: describe(action, box.checked ? 1 : -1),
    });
  });

  if (toggle && panel) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("prio-open", open);
    });
  }

  var error = document.getElementById("prio-error");
  if (error) error.focus();
  redraw();
})();
