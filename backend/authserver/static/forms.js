// One submission per form: a second click while the next page loads would post the form again
// (a second account "already exists", a code already used). The server copes without this script.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  // After this submission has read its fields: a disabled button sends no value (Allow / Deny).
  setTimeout(() => {
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.disabled = true;
    }
  });
});

// Back to a page kept in memory: its forms can be used again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.forms) {
    delete form.dataset.submitted;
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.disabled = false;
    }
  }
});
