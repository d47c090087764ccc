// The in-browser questionnaire: reads the form, shows the result at once (profile, strengths,
// areas for improvement: the scoring of elenefolio/assess/analysis.py, in exact integer
// arithmetic), writes the same round YAML as "elenefolio assess" and offers it for download.
// No network, no storage.
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
      var items = fieldset.querySelectorAll(".q-answer");
      var answers = [], given = false;
      items.forEach(function (item, i) {
        var value = checked(id + "--" + i);
        total += 1;
        if (value !== null) { answered += 1; given = true; }
        answers.push(value === null ? "null" : value);
      });
      var importance = checked(id + "--importance");
      var confidence = checked(id + "--confidence");
      var example = document.getElementById(id + "--example").value.trim();
      var notes = document.getElementById(id + "--notes").value.trim();
      if (!given && importance === null && confidence === null && !example && !notes) { return; }
      any = true;
      lines.push("  " + id + ":");
      lines.push("    answers: [" + answers.join(", ") + "]");
      if (importance !== null) { lines.push("    importance: " + importance); }
      if (confidence !== null) { lines.push("    confidence: " + confidence); }
      if (example) { lines.push("    example: " + quote(example)); }
      if (notes) { lines.push("    notes: " + quote(notes)); }
    });
    if (!any) { lines[lines.length - 1] = "skills: {}"; }
    return { yaml: lines.join("\n") + "\n", answered: answered, total: total, label: label };
  }
  // --- scoring: mirrors elenefolio/assess/analysis.py (skill_level, profile, _top) ---
  var TOP_COUNT = 3, DEFAULT_IMPORTANCE = 3;
  var top = parseInt(form.dataset.top, 10);
  // n / d rounded half up, for n >= 0 and d > 0 (as Decimal.quantize(ROUND_HALF_UP))
  function halfUp(n, d) { return Math.floor((2 * n + d) / (2 * d)); }
  function tenths(n) { return (n / 10).toFixed(1); }
  function score() {
    var levels = [];
    form.querySelectorAll("fieldset[data-skill]").forEach(function (fieldset) {
      var id = fieldset.dataset.skill, sum = 0, count = 0;
      fieldset.querySelectorAll(".q-answer").forEach(function (item, i) {
        var value = checked(id + "--" + i);
        if (value !== null && value !== "dk") { sum += parseInt(value, 10); count += 1; }
      });
      var importance = checked(id + "--importance");
      importance = importance === null ? null : parseInt(importance, 10);
      var skill = { id: id, name: fieldset.querySelector("legend").textContent.trim(), sum: sum,
                    count: count, importance: importance, level10: null, percent: null, priority10: null };
      if (count) {
        var weight = importance === null ? DEFAULT_IMPORTANCE : importance;
        skill.level10 = halfUp(sum * 10, count);
        skill.percent = halfUp(sum * 100, count * top);
        skill.gap = weight * (top * count - sum);  // weight × (top − level), over count
        skill.priority10 = halfUp(skill.gap * 4 * 10, count * (top - 1));
      }
      levels.push(skill);
    });
    var assessed = levels.filter(function (s) { return s.count > 0; });
    var byLevel = function (a, b) { return b.sum * a.count - a.sum * b.count; };
    var byPriority = function (a, b) { return b.gap * a.count - a.gap * b.count; };
    return { levels: levels, strengths: best(assessed, byLevel),
             improvements: best(assessed.filter(function (s) { return s.priority10 > 0; }), byPriority) };
  }
  // The TOP_COUNT first by ``order`` (a stable sort), keeping ties with the last one
  function best(skills, order) {
    var ranked = skills.slice().sort(order);
    if (ranked.length <= TOP_COUNT) { return ranked; }
    var cut = ranked[TOP_COUNT - 1];
    return ranked.filter(function (s) { return order(s, cut) <= 0; });
  }
  function cell(row, text, numeric) {
    var td = document.createElement(numeric === undefined ? "th" : "td");
    if (numeric === undefined) { td.scope = "row"; } else { td.className = "num"; }
    td.textContent = text;
    row.appendChild(td);
  }
  function fill(list, skills, value) {
    list.textContent = "";
    skills.forEach(function (s) {
      var li = document.createElement("li"), meta = document.createElement("span");
      li.textContent = s.name + " ";
      meta.className = "meta";
      meta.textContent = value(s);
      li.appendChild(meta);
      list.appendChild(li);
    });
  }
  // Fill the result; ``focus``: bring it into view (after "show my result")
  function showResult(focus) {
    var result = score(), section = document.getElementById("q-result");
    var body = document.querySelector("#q-profile tbody");
    body.textContent = "";
    result.levels.forEach(function (s) {
      var row = document.createElement("tr");
      row.dataset.skill = s.id;
      cell(row, s.name);
      cell(row, s.count ? tenths(s.level10) : "—", true);
      cell(row, s.count ? String(s.percent) : "—", true);
      cell(row, s.importance === null ? "—" : String(s.importance), true);
      cell(row, s.count ? tenths(s.priority10) : "—", true);
      body.appendChild(row);
    });
    var improvements = document.getElementById("q-improvements");
    fill(document.getElementById("q-strengths"), result.strengths, function (s) { return tenths(s.level10); });
    fill(improvements, result.improvements,
         function (s) { return improvements.dataset.priority + " " + tenths(s.priority10); });
    document.getElementById("q-none").hidden = result.strengths.length > 0;
    section.hidden = false;
    if (focus) { section.focus(); }
  }
  function update() {
    var result = collect();
    document.getElementById("q-progress").textContent = form.dataset.progressText
      .replace("{answered}", result.answered).replace("{total}", result.total);
    document.getElementById("q-yaml").textContent = result.yaml;
    if (!document.getElementById("q-result").hidden) { showResult(false); }  // kept up to date
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  form.addEventListener("reset", function () {
    document.getElementById("q-result").hidden = true;
    setTimeout(update, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showResult(true);
  });
  document.getElementById("q-download").addEventListener("click", function () {
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
