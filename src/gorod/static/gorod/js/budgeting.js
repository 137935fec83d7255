// Ballot helper: shows what a knapsack choice costs, how many points are left, or how many projects
// are chosen. The server checks everything again; without this script the ballot works the same.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  function fmt(n) {
    try { return new Intl.NumberFormat(document.documentElement.lang || "ru").format(n); } catch (e) { return String(n); }
  }
  ready(function () {
    var form = document.querySelector("form.pb-ballot");
    var out = document.getElementById("pb-running");
    if (!form || !out) return;
    var kind = form.dataset.kind;
    var budget = parseFloat(form.dataset.budget) || 0;
    var points = parseInt(form.dataset.points, 10) || 0;
    var currency = form.dataset.currency || "";
    var ru = (document.documentElement.lang || "ru").indexOf("ru") === 0;
    function update() {
      var over = false;
      var text = "";
      if (kind === "knapsack") {
        var total = 0;
        form.querySelectorAll('input[name="project"]:checked').forEach(function (el) {
          total += parseFloat(el.dataset.cost) || 0;
        });
        over = total > budget;
        text = (ru ? "Выбрано на " : "Chosen: ") + fmt(total) + " " + currency + (ru ? " из " : " of ") + fmt(budget) + " " + currency +
          (over ? (ru ? " — больше бюджета" : " — over the budget") : "");
      } else if (kind === "cumulative") {
        var used = 0;
        form.querySelectorAll("input.pb-points").forEach(function (el) {
          used += parseInt(el.value, 10) || 0;
        });
        over = used > points;
        text = (ru ? "Отдано баллов: " : "Points given: ") + used + (ru ? " из " : " of ") + points;
      } else {
        var n = form.querySelectorAll('input[name="project"]:checked').length;
        text = (ru ? "Выбрано проектов: " : "Projects chosen: ") + n;
      }
      out.textContent = text;
      out.classList.toggle("pb-over", over);
      out.hidden = false;
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  });
})();
