// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // The milestone form: show only the fields of the chosen target stage.
  function followStage(form) {
    var select = form.querySelector("select[name=stage]");
    if (!select) return;
    var hint = form.querySelector(".no-js-hint");
    if (hint) hint.hidden = true;
    function update() {
      var stage = select.value;
      form.querySelectorAll("[data-stages]").forEach(function (el) {
        var show = el.getAttribute("data-stages").split(" ").indexOf(stage) !== -1;
        el.hidden = !show;
        el.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = !show;
        });
      });
    }
    select.addEventListener("change", update);
    update();
  }

  // The navigation folds into a menu button on narrow screens.
  function navToggle() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) return;
    button.hidden = false;
    document.documentElement.classList.add("js-nav");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }

  // 打印 buttons (no inline handlers: the Content-Security-Policy allows none).
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var milestone = document.getElementById("milestone-form");
    if (milestone) followStage(milestone);
    navToggle();
    printButtons();
  });
})();
