// The sign's "Print" button (a script file: the CSP allows no inline handlers).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-ti-print]")) window.print();
});
