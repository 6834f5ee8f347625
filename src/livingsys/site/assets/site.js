/* livingsys site: draw each automation's flow with the bundled Mermaid, and open the folded
   tables before printing. The pages read fine without it (the flow is also written out). */
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  if (!blocks.length) { return; }
  if (!window.mermaid) {
    console.warn("livingsys: assets/mermaid/mermaid.min.js is missing; the flow is shown as text");
    return;
  }
  window.mermaid.initialize({
    startOnLoad: false, securityLevel: "strict", theme: "default",
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    flowchart: { useMaxWidth: true }
  });
  window.mermaid.run({ nodes: blocks }).then(function () {
    blocks.forEach(function (block) {
      block.removeAttribute("aria-hidden");
      var svg = block.querySelector("svg");
      if (svg) { svg.setAttribute("role", "img"); }
    });
    document.documentElement.setAttribute("data-flows", "drawn");
  }).catch(function (error) {
    document.documentElement.setAttribute("data-flows", "failed");
    console.error("livingsys: the flow could not be drawn: " + error);
  });
}());
