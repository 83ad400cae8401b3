// Searchable selects: <select data-search> (core.widgets.SearchSelect) becomes a combobox with a
// search field (Tom Select, vendored). Accents and case are ignored ("ecouen" finds "Écouen");
// options keep the order the server gives. Loaded with defer, no inline script (strict CSP);
// without JavaScript the plain select stays. Also applied to content htmx swaps in.
(function () {
  "use strict";

  // "Saint-Denis", "saint denis" and "SAINT DENIS" alike; "Écouen" → "ecouen".
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[\s\-'’().,]+/g, " ")
      .trim();
  }

  // Every typed word must appear; the option that starts with what was typed comes first, then
  // those with a word starting so, then the rest, each group in the server's (French) order:
  // "saint-denis" puts Saint-Denis before L'Île-Saint-Denis and Villeneuve-Saint-Denis.
  function score(search) {
    var typed = fold(search);
    var words = typed ? typed.split(" ") : [];
    return function (item) {
      if (!words.length) {
        return 1;
      }
      var text = fold(item.text || "");
      for (var i = 0; i < words.length; i++) {
        if (text.indexOf(words[i]) === -1) {
          return 0;
        }
      }
      if (text.indexOf(typed) === 0) {
        return 3;
      }
      return (" " + text).indexOf(" " + typed) !== -1 ? 2 : 1;
    };
  }

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
        score: score,
        sortField: [{ field: "$score", direction: "desc" }, { field: "$order" }],
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
