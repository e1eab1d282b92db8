// Progressive enhancement only: every page works without this file.
// Filter forms marked data-autosubmit apply a ticked facet or a new sort order at once.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox" || target.tagName === "SELECT") {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
      // On a phone the filter panel starts folded, so that the results come first.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (details) {
      details.open = false;
    });
  }
});
    // On a phone the filter panel starts folded, so that the results come first.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (details) {
      details.open = false;
    });
  }
});
  // On a phone the filter panel starts folded, so that the results come first.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (details) {
      details.open = false;
    });
  }
});
