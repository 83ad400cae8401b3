// The map: the commune whose panel htmx just opened stands out, as on the page the server draws
// (there, the open commune carries the class "ouverte").
(function () {
  document.addEventListener("htmx:afterRequest", function (event) {
    var link = event.detail.elt;
    if (!event.detail.successful || !link.closest || !link.closest("#carte")) return;
    var href = link.getAttribute("href");
    if (!href) return;
    var code = new URL(href, window.location.href).searchParams.get("insee");
    var outline = code && document.getElementById("c" + code);
    if (!outline) return;
    document.querySelectorAll("#carte .commune.ouverte").forEach(function (open) {
      open.classList.remove("ouverte");
    });
    outline.parentNode.classList.add("ouverte");
  });
})();
