// Small comforts only; every page works without this file.
// "/" puts the cursor in the search box, as on many sites.
document.addEventListener("keydown", (event) => {
  const box = document.querySelector("form.search input");
  if (event.key === "/" && box && document.activeElement !== box) {
    event.preventDefault();
    box.focus();
  }
});
