// The directory's "Voir sur la carte" link follows the filters htmx puts in the address bar, so
// that the map opens on the same search (without JavaScript the server writes it the same way).
(function () {
  function follow() {
    var link = document.getElementById("lien-carte");
    if (!link) return;
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    var query = params.toString();
    link.href = link.dataset.base + (query ? "?" + query : "");
  }
  document.addEventListener("htmx:pushedIntoHistory", follow);
  window.addEventListener("popstate", follow);
})();
