// The in-browser questionnaire: reads the form, writes the same round YAML as
// "elenefolio assess", and offers it for download. No network, no storage.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  var dateInput = document.getElementById("q-date");
  var today = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  dateInput.value = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }
  function quote(text) { return JSON.stringify(text); }  // a JSON string is a YAML string
  function slug(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function collect() {
    var lines = [], answered = 0, total = 0;
    var label = document.getElementById("q-label").value.trim();
    lines.push("date: " + dateInput.value);
    if (label) { lines.push("label: " + quote(label)); }
    lines.push("framework: " + form.dataset.framework);
    lines.push("skills:");
    var skills = form.querySelectorAll("fieldset[data-skill]");
    var any = false;
    skills.forEach(function (fieldset) {
      var id = fieldset.dataset.skill;
      var items = fieldset.querySelectorAll(".q-item:not(.q-importance)");
      var answers = [], given = false;
      items.forEach(function (item, i) {
        var value = checked(id + "--" + i);
        total += 1;
        if (value !== null) { answered += 1; given = true; }
        answers.push(value === null ? "null" : value);
      });
      var importance = checked(id + "--importance");
      var notes = document.getElementById(id + "--notes").value.trim();
      if (!given && importance === null && !notes) { return; }
      any = true;
      lines.push("  " + id + ":");
      lines.push("    answers: [" + answers.join(", ") + "]");
      if (importance !== null) { lines.push("    importance: " + importance); }
      if (notes) { lines.push("    notes: " + quote(notes)); }
    });
    if (!any) { lines[lines.length - 1] = "skills: {}"; }
    return { yaml: lines.join("\n") + "\n", answered: answered, total: total, label: label };
  }
  function update() {
    var result = collect();
    document.getElementById("q-progress").textContent = form.dataset.progressText
      .replace("{answered}", result.answered).replace("{total}", result.total);
    document.getElementById("q-yaml").textContent = result.yaml;
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var result = collect();
    var name = dateInput.value + (result.label ? "-" + slug(result.label) : "") + ".yaml";
    var blob = new Blob([result.yaml], { type: "application/x-yaml" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  });
  update();
})();
