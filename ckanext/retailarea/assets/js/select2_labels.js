/* Select2 4 (CKAN 2.12) renders a multiple select as a combobox without a name (axe's
   aria-input-field-name): each is named here by the label of the field it stands for, on
   every page and whenever a widget is (re)built. */
(function () {
  var UNNAMED = ".select2-selection--multiple:not([aria-labelledby]):not([aria-label])";

  function caption(field) {
    var label = field.id && document.querySelector("label[for='" + CSS.escape(field.id) + "']");
    if (!label) {
      var group = field.closest(".form-group, .control-group");
      label = group && group.querySelector("label");
    }
    return label;
  }

  function name(selection) {
    var container = selection.closest(".select2-container");
    var field = container && container.previousElementSibling;
    var label = field && caption(field);
    if (label) {
      label.id = label.id || (field.id || "retailarea-select") + "-label";
      selection.setAttribute("aria-labelledby", label.id);
    } else if (field && (field.getAttribute("aria-label") || field.getAttribute("placeholder"))) {
      selection.setAttribute("aria-label",
        field.getAttribute("aria-label") || field.getAttribute("placeholder"));
    }
  }

  function nameAll() {
    document.querySelectorAll(UNNAMED).forEach(name);
  }

  new MutationObserver(nameAll).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", nameAll);
})();
