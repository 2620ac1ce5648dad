// Renders the \( \) and \[ \] spans that pymdownx.arithmatex leaves, on every page Material loads.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
    ],
    throwOnError: true,
  });
});
