/* A searchable, hierarchical picker for long multi-selects (regions: province → prefecture;
   industries: section → division). Progressive enhancement: the page works with the native
   <select multiple>; this script, when it runs, hides the select and drives it from a tree
   of checkboxes with a search box and removable chips. The select stays the form field, so
   the server sees exactly what it would without the script. No dependencies.

   Markup it reads: <select multiple data-picker data-picker-search="…" data-picker-none="…"
   data-picker-whole="…">, options grouped in <optgroup>s whose first option is the group
   itself (the whole province, the whole section). */
(function () {
  "use strict";

  function make(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function clean(label) { return label.replace(/^[—\-\s]+/, ""); }

  function enhance(select) {
    var data = select.dataset;
    var wrap = make("div", "picker");
    var chips = make("ul", "picker-chips");
    chips.setAttribute("aria-live", "polite");
    var search = make("input", "picker-search");
    search.type = "search";
    search.placeholder = data.pickerSearch || "Search";
    search.setAttribute("aria-label", search.placeholder);
    var tree = make("div", "picker-tree");
    var none = make("p", "picker-none muted", data.pickerNone || "No match.");
    none.hidden = true;
    var items = [];
    var groups = [];

    function item(option, label, list) {
      var li = make("li");
      var lab = make("label");
      var box = make("input");
      box.type = "checkbox";
      box.checked = option.selected;
      box.addEventListener("change", function () {
        option.selected = box.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        render();
      });
      lab.appendChild(box);
      lab.appendChild(document.createTextNode(" " + label));
      li.appendChild(lab);
      list.appendChild(li);
      var entry = { option: option, box: box, li: li, label: label, text: label.toLowerCase() };
      items.push(entry);
      return entry;
    }

    Array.prototype.forEach.call(select.children, function (node) {
      if (node.tagName === "OPTGROUP") {
        var details = make("details", "picker-group");
        var summary = make("summary", null, node.label);
        var count = make("span", "picker-count");
        summary.appendChild(count);
        details.appendChild(summary);
        var list = make("ul");
        details.appendChild(list);
        var members = [];
        Array.prototype.forEach.call(node.children, function (option, i) {
          var label = clean(option.textContent);
          if (i === 0 && data.pickerWhole) { label = data.pickerWhole.replace("%s", label); }
          members.push(item(option, label, list));
        });
        tree.appendChild(details);
        groups.push({ details: details, count: count, members: members,
                      text: node.label.toLowerCase() });
      } else if (node.tagName === "OPTION" && node.value) {
        var flat = make("ul", "picker-flat");
        item(node, clean(node.textContent), flat);
        tree.appendChild(flat);
      }
    });

    function render() {
      while (chips.firstChild) { chips.removeChild(chips.firstChild); }
      items.forEach(function (entry) {
        entry.box.checked = entry.option.selected;
        if (!entry.option.selected) { return; }
        var chip = make("li", "chip");
        chip.appendChild(make("span", null, entry.label));
        var remove = make("button", "link", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", "× " + entry.label);
        remove.addEventListener("click", function () {
          entry.option.selected = false;
          render();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      groups.forEach(function (group) {
        var n = group.members.filter(function (m) { return m.option.selected; }).length;
        group.count.textContent = n ? " · " + n : "";
      });
    }

    function filter() {
      var query = search.value.trim().toLowerCase();
      var shown = 0;
      groups.forEach(function (group) {
        var groupHit = query && group.text.indexOf(query) !== -1;
        var hits = 0;
        group.members.forEach(function (m) {
          var hit = !query || groupHit || m.text.indexOf(query) !== -1;
          m.li.hidden = !hit;
          if (hit) { hits += 1; }
        });
        group.details.hidden = hits === 0;
        if (query) { group.details.open = hits > 0 && hits <= 40; }
        shown += hits;
      });
      items.forEach(function (entry) {
        if (entry.li.parentNode.className === "picker-flat") {
          var hit = !query || entry.text.indexOf(query) !== -1;
          entry.li.hidden = !hit;
          if (hit) { shown += 1; }
        }
      });
      none.hidden = shown > 0;
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // not a form submit
    });
    wrap.appendChild(chips);
    wrap.appendChild(search);
    wrap.appendChild(none);
    wrap.appendChild(tree);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(wrap, select.nextSibling);
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) { label.removeAttribute("for"); label.id = select.id + "-label"; }
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-labelledby", select.id + "-label");
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[multiple][data-picker]"), enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
