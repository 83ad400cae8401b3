// Searchable selects: <select data-search> (core.widgets.SearchSelect) becomes a combobox with a
// search field (Tom Select, vendored). Accents and case are ignored ("ecouen" finds "Écouen");
// options keep the order the server gives. Loaded with defer, no inline script (strict CSP);
// without JavaScript the plain select stays. Also applied to content htmx swaps in.
(function () {
  "use strict";

  function enhance(root) {
    root.querySelectorAll("select[data-search]").forEach(function (select) {
      if (select.tomselect || typeof TomSelect === "undefined") {
        return;
      }
      var multiple = select.multiple;
      // The empty choice ("Choisissez une commune") becomes the placeholder; an optional field
      // gets a button to clear it.
      var empty = select.querySelector('option[value=""]');
      var placeholder = select.dataset.placeholder || "";
      if (empty && empty.textContent.trim()) {
        placeholder = empty.textContent.trim() + " (tapez pour chercher)";
      }
      var plugins = multiple ? ["remove_button"] : [];
      if (!multiple && !select.required) {
        plugins.push("clear_button");
      }
      var control = new TomSelect(select, {
        create: false,
        diacritics: true,
        maxOptions: null,
        allowEmptyOption: false,
        // One choice made: the list closes, so it never covers the button that follows.
        closeAfterSelect: !multiple,
        // Filter at each key (the options are local): with the default 300 ms delay, a choice
        // clicked meanwhile was followed by the list reopening over the next fields.
        refreshThrottle: 0,
        placeholder: placeholder,
        plugins: plugins,
        sortField: [{ field: "$score" }, { field: "$order" }],
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = "Aucun résultat";
            return div;
          },
        },
      });
      // The label now names the search field; the select underneath only carries the value.
      control.input.setAttribute("aria-hidden", "true");
      control.input.tabIndex = -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
