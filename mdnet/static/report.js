// Draws the report page's Mermaid blocks with the Mermaid build served beside this file.
// A file rather than an inline script, so that the page's Content-Security-Policy allows scripts
// from the same place only. When done, <html data-mermaid> says "drawn" or "failed".
(function () {
  const dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  mermaid.run({ querySelector: "pre.mermaid" }).then(
    function () { document.documentElement.dataset.mermaid = "drawn"; },
    function () { document.documentElement.dataset.mermaid = "failed"; }
  );
})();
