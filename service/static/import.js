// The /import page: while a large matrix is sent and read, show that it is under way.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var bar = document.getElementById(form.dataset.progress);
      if (bar) { bar.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
});
