/* A summary to take along: the print button (the page works without it: the browser's own Print too). */
(function () {
  "use strict";
  const button = document.getElementById("print");
  if (!button || typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
})();
