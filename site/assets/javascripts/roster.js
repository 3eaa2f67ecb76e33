/* 银色人才库 · 人才名录: filter the whole roster in the browser.
 * The data is one compact file (data/roster.json, or data/roster.js when the site is opened
 * from the disk). Every value is put into the page with textContent, never as HTML. */
(function () {
  "use strict";
  var PAGE = 200;

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  function load(base, done) {
    if (window.SILVERPOOL_ROSTER) return done(window.SILVERPOOL_ROSTER);
    if (location.protocol === "file:") {
      var s = el("script", null, { src: base + "data/roster.js" });
      s.onload = function () { done(window.SILVERPOOL_ROSTER); };
      document.body.appendChild(s);
      return;
    }
    fetch(base + "data/roster.json").then(function (r) { return r.json(); }).then(function (d) {
      window.SILVERPOOL_ROSTER = d;
      done(d);
    });
  }

  function select(label, name, options) {
    var l = el("label", label);
    var s = el("select", null, { name: name });
    s.appendChild(el("option", "全部", { value: "" }));
    options.forEach(function (o) { s.appendChild(el("option", o[1], { value: o[0] })); });
    l.appendChild(s);
    return l;
  }

  function setup(box, data) {
    var base = box.getAttribute("data-base") || "";
    var fixedGroup = box.getAttribute("data-group") || "";
    var people = data.people;
    var groupIds = Object.keys(data.groups);
    var specialties = {};
    people.forEach(function (p) { p[6].forEach(function (s) { specialties[s] = (specialties[s] || 0) + 1; }); });
    var specList = Object.keys(specialties).sort(function (a, b) { return a.localeCompare(b, "zh"); });

    box.textContent = "";
    var form = el("form", null, { "class": "sp-roster-form", role: "search" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var nameLabel = el("label", "姓名或编号");
    var nameInput = el("input", null, { type: "search", name: "name", placeholder: "输入姓名", autocomplete: "off" });
    nameLabel.appendChild(nameInput);
    form.appendChild(nameLabel);
    if (!fixedGroup) form.appendChild(select("小组", "group", groupIds.map(function (g) { return [g, data.groups[g]]; })));
    form.appendChild(select("区县", "district", data.districts.map(function (d, i) { return [String(i), d || "未填"]; })));
    form.appendChild(select("专业特长", "specialty", specList.map(function (s) { return [s, s]; })));
    form.appendChild(select("状态", "status", data.statuses.map(function (s, i) { return [String(i), s]; })));
    box.appendChild(form);
    var count = el("p", "", { "class": "sp-roster-count", "aria-live": "polite" });
    box.appendChild(count);
    var table = el("table");
    var head = el("tr");
    ["姓名", "编号", "性别", "出生", "小组", "区县", "专业特长", "状态", "服务时长"].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    table.appendChild(body);
    var wrap = el("div", null, { "class": "md-typeset__table" });
    wrap.appendChild(table);
    box.appendChild(wrap);
    var more = el("button", "显示更多", { type: "button", "class": "sp-roster-more md-button" });
    box.appendChild(more);

    var hash = new URLSearchParams(location.hash.slice(1));
    form.querySelectorAll("select").forEach(function (s) { if (hash.get(s.name)) s.value = hash.get(s.name); });
    if (hash.get("name")) nameInput.value = hash.get("name");

    var matches = [], shown = 0, lastKey = null;

    function row(p) {
      var tr = el("tr");
      var td = el("td");
      td.appendChild(el("a", p[1], { href: base + "people/" + p[0] + ".html" }));
      tr.appendChild(td);
      tr.appendChild(el("td", p[0]));
      tr.appendChild(el("td", p[2]));
      tr.appendChild(el("td", p[3]));
      tr.appendChild(el("td", p[4].map(function (g) { return data.groups[g] || g; }).join("、")));
      tr.appendChild(el("td", data.districts[p[5]]));
      tr.appendChild(el("td", p[6].join("、")));
      tr.appendChild(el("td", data.statuses[p[7]]));
      tr.appendChild(el("td", p[8] ? p[8] + " 小时" : ""));
      return tr;
    }

    function showMore() {
      var frag = document.createDocumentFragment();
      var end = Math.min(matches.length, shown + PAGE);
      for (; shown < end; shown++) frag.appendChild(row(matches[shown]));
      body.appendChild(frag);
      more.hidden = shown >= matches.length;
      count.textContent = "共 " + matches.length + " 人" + (matches.length > shown ? "，显示前 " + shown + " 人" : "");
    }

    function apply() {
      var f = {};
      form.querySelectorAll("select").forEach(function (s) { f[s.name] = s.value; });
      var group = fixedGroup || f.group || "";
      var district = f.district === "" || f.district === undefined ? -1 : Number(f.district);
      var status = f.status === "" || f.status === undefined ? -1 : Number(f.status);
      var spec = f.specialty || "";
      var q = nameInput.value.trim().toUpperCase();
      // Unchanged filters: keep the rows (a blur "change" must not rebuild a row being clicked).
      var key = [group, district, status, spec, q].join("\u0001");
      if (key === lastKey) return;
      lastKey = key;
      matches = people.filter(function (p) {
        return (!group || p[4].indexOf(group) >= 0) &&
          (district < 0 || p[5] === district) &&
          (status < 0 || p[7] === status) &&
          (!spec || p[6].indexOf(spec) >= 0) &&
          (!q || p[1].toUpperCase().indexOf(q) >= 0 || p[0].indexOf(q) === 0);
      });
      body.textContent = "";
      shown = 0;
      showMore();
      if (!fixedGroup) {
        var h = new URLSearchParams();
        for (var k in f) if (f[k]) h.set(k, f[k]);
        if (q) h.set("name", nameInput.value.trim());
        history.replaceState(null, "", h.toString() ? "#" + h.toString() : location.pathname);
      }
    }

    form.addEventListener("change", apply);
    nameInput.addEventListener("input", apply);
    more.addEventListener("click", showMore);
    apply();
  }

  function start() {
    var boxes = document.querySelectorAll(".sp-roster");
    if (!boxes.length) return;
    load(boxes[0].getAttribute("data-base") || "", function (data) {
      boxes.forEach(function (b) { setup(b, data); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
