/* BOH page shell: small behaviours that plain forms do not have. Pages work without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-error";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    box.replaceChildren(alert);
  }

  // A select marked data-autosubmit submits its form as soon as it changes.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
      target.form.requestSubmit();
    }
  });

  // A form with data-confirm asks first; capture runs before htmx's own submit handler.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var question = form instanceof HTMLFormElement && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  // data-copy="#id": copy that input's value to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () {
      button.textContent = button.getAttribute("data-copied") || button.textContent;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // The server answers a refused htmx action with a message aimed at #flash (HX-Retarget):
  // show it. Any other failure gets a generic message instead of silence.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function () {
    flash(document.body.getAttribute("data-request-failed") || "Error");
  });
  document.addEventListener("htmx:sendError", function () {
    flash(document.body.getAttribute("data-request-failed") || "Error");
  });

  // Close an open menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
