// "Imprimer" buttons: <button type="button" data-print hidden>. Loaded with defer, no inline
// script (strict CSP). Without JavaScript the button stays hidden; the browser's menu prints.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
