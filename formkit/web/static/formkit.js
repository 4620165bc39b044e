// formkit's only script: follows a background job's progress. Every page works
// without it (a Refresh link shows the latest state).
"use strict";
(function () {
  function follow(section) {
    var id = section.getAttribute("data-job");
    var bar = section.querySelector("progress");
    var stage = section.querySelector(".stage");
    function tick() {
      fetch("/jobs/" + encodeURIComponent(id) + ".json", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (p) {
          if (p.state !== "running") { window.location.reload(); return; }
          if (p.total) { bar.max = p.total; bar.value = p.done; bar.textContent = p.percent + "%"; }
          stage.textContent = (p.total ? p.done + " of " + p.total : "Starting") + (p.stage ? ": " + p.stage : "");
          window.setTimeout(tick, 500);
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    }
    window.setTimeout(tick, 300);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var jobs = document.querySelectorAll("[data-job]");
    for (var i = 0; i < jobs.length; i++) { follow(jobs[i]); }
  });
})();
