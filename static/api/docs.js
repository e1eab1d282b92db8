// Starts Swagger UI on the API docs page (templates/api/docs.html), reading the schema's address
// from the page: a static file, so that the Content-Security-Policy needs no inline script.
// Read-only: "Try it out" sends GET requests only, and no external validator is contacted.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null,
    supportedSubmitMethods: ["get", "head"],
  });
})();
