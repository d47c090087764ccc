// An online site opened from the file system: browsers load no module script there, so
// search.js never runs. Say why search does not answer (the offline build's search does).
if (location.protocol === "file:") {
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.getElementById("search-status");
    if (status) status.textContent = status.dataset.file;
  });
}
