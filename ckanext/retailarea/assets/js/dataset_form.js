/* The dataset form, for keyboard and screen-reader users: each input is described by its
   help text and error (aria-describedby), fields with errors are marked aria-invalid, the
   error summary takes the focus and its links move the focus to the field. Validation
   itself stays on the server (the schemas' validators), so errors read the same with or
   without JavaScript. */
this.ckan.module("retailarea-dataset-form", function ($) {
  return {
    initialize: function () {
      var form = this.el.closest("form");
      form.find(".form-group").each(function (i, group) {
        var $group = $(group);
        var inputs = $group.find("input, select, textarea").not("[type=hidden]");
        var label = $group.children("label[for]")[0];
        if (label && label.htmlFor && !document.getElementById(label.htmlFor) && inputs.length) {
          // scheming's multiple_text snippet labels an id that its first input lacks
          inputs[0].id = label.htmlFor;
        }
        var checkboxes = $group.find("fieldset.checkboxes")[0];
        var caption = $group.children("label")[0];
        if (checkboxes && caption) {
          // a group of checkboxes is named by the field's label
          caption.id = caption.id || "retailarea-label-" + i;
          checkboxes.setAttribute("aria-labelledby", caption.id);
        }
        var notes = [];
        $group.find(".error-block, .info-block").each(function (j, note) {
          note.id = note.id || "retailarea-note-" + i + "-" + j;
          notes.push(note.id);
        });
        if (notes.length) {
          inputs.each(function () {
            var own = this.getAttribute("aria-describedby");
            this.setAttribute("aria-describedby", (own ? own + " " : "") + notes.join(" "));
          });
        }
        if ($group.hasClass("error")) {
          inputs.attr("aria-invalid", "true");
        }
      });
      var summary = form.find(".retailarea-error-summary");
      summary.find("a[href^='#']").each(function () {
        var link = this;
        var name = link.getAttribute("href").slice("#field-".length);
        var target = document.getElementById("field-" + name)
          || form.find("[name='" + name + "']").not("[type=hidden]")[0];
        $(link).on("click", function (event) {
          if (target) {
            event.preventDefault();
            target.focus();
          }
        });
      });
      if (summary.length) {
        summary[0].focus();
      }
    }
  };
});
