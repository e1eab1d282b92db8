// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Filter forms marked data-autosubmit apply a ticked facet or a new sort order at once (the form
  // says so above its fields). After the reload, focus returns to the control that was changed.
  var refocus = window.sessionStorage && sessionStorage.getItem("tracker-refocus");
  if (refocus) {
    sessionStorage.removeItem("tracker-refocus");
    var control = document.getElementById(refocus);
    if (control) {
      control.focus();
    }
  }
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox" || target.tagName === "SELECT") {
        if (window.sessionStorage && target.id) {
          sessionStorage.setItem("tracker-refocus", target.id);
        }
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });

  // On a phone the filter panel starts folded, so that the results come first.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (details) {
      // Unless a control inside was just changed: then the visitor is still filtering.
      if (!(refocus && details.querySelector("#" + CSS.escape(refocus)))) {
        details.open = false;
      }
    });
  }
});
