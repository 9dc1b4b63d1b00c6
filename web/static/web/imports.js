// The import page: while the commit runs, follow its progress and reload when it has finished.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".import-status[data-working='1']");
    if (!box) return;
    var bar = box.querySelector("progress");
    var text = document.getElementById("import-progress-text");
    var state = document.getElementById("import-state");
    function poll() {
      fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.finished) { window.location.reload(); return; }
          if (bar) { bar.max = data.rows_total || 1; bar.value = data.rows_done; }
          if (state) state.textContent = data.label;
          if (text) text.textContent = data.rows_done + " / " + data.rows_total;
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  });
})();
