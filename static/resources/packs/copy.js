// "Copier" buttons next to a read-only address: <button data-copy="<input id>" hidden>. Loaded
// with defer, no inline script (strict CSP). Without JavaScript the button stays hidden and the
// address is selected in its field, to copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () {
      input.select();
    });
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var id = button.getAttribute("data-copy");
    var input = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!input || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () {
          if (status) {
            status.textContent = "Lien copié : collez-le dans votre message.";
          }
        },
        function () {
          input.select();
          if (status) {
            status.textContent = "La copie a échoué : le lien est sélectionné, copiez-le (Ctrl+C).";
          }
        }
      );
    });
  });
})();
