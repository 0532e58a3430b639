// Regie's own script: small progressive enhancements. No inline script anywhere (CSP).
document.addEventListener("DOMContentLoaded", function () {
  // Ask before a destructive action, on buttons that carry data-confirm.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
});
