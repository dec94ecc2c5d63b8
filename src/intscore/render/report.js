// intscore's what-if report: move a weight, watch the ranking re-order. The points are
// intscore's; this only re-weights them, with the engine's own formula and tie rules, so at
// the config's weights it shows exactly `intscore rank`'s order and scores.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("intscore-data").textContent);
  var panel = document.getElementById("what-if");
  if (!panel || data.formula) return;
  panel.hidden = false;

  var criteria = data.criteria;
  var items = data.items;
  var tbody = document.querySelector("#ranking tbody");
  var rows = {};
  Array.prototype.forEach.call(tbody.rows, function (row) {
    rows[row.getAttribute("data-index")] = row;
  });
  var ranges = criteria.map(function (c) {
    return panel.querySelector('input[name="weight-' + c.id + '"]');
  });
  var numbers = criteria.map(function (c) {
    return panel.querySelector('input[name="number-' + c.id + '"]');
  });
  var yaml = document.getElementById("weights-yaml");
  var notes = document.getElementById("tiebreaks");
  var svgNS = "http://www.w3.org/2000/svg";

  // Python's round(x, 9) and f"{x:.1f}": the exact binary value, ties to even.
  function round9(x) {
    return Number(x.toFixed(9));
  }
  function oneDecimal(x) {
    var exact = Math.abs(x).toFixed(30);
    var dot = exact.indexOf(".");
    var tail = exact.slice(dot + 2);
    var text = x.toFixed(1);
    if (/^50*$/.test(tail)) {
      var digit = Number(exact.charAt(dot + 1));
      if (digit % 2 === 0) {  // a tie that toFixed rounded away from an even digit
        var down = Math.trunc(Math.abs(x) * 10) / 10;
        text = (x < 0 ? "-" : "") + down.toFixed(1);
      }
    }
    return text;
  }
  function show(x) {  // 40 -> "40", 32.5 -> "32.5"
    return String(Number(x.toPrecision(12)));
  }

  function weights() {
    return ranges.map(function (r) { return Number(r.value); });
  }

  function scoresFor(w) {
    var denominator = 0;
    criteria.forEach(function (c, i) { denominator += w[i] * c.max; });
    return items.map(function (item) {
      if (!(denominator > 0)) return 0;
      var total = 0.0;
      criteria.forEach(function (c, i) {
        total += 100.0 * w[i] * item.points[i] / denominator;
      });
      return round9(total);
    });
  }

  function ranked(scores) {
    var order = items.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      return scores[b] - scores[a] || items[a].order - items[b].order;
    });
    var ranks = new Array(items.length);
    order.forEach(function (index, position) {
      var previous = position > 0 ? order[position - 1] : -1;
      if (previous >= 0 && scores[previous] === scores[index] &&
          items[previous].group === items[index].group) {
        ranks[index] = ranks[previous];
      } else {
        ranks[index] = position + 1;
      }
    });
    return { order: order, ranks: ranks };
  }

  function updateTable(scores, result) {
    var fragment = document.createDocumentFragment();
    result.order.forEach(function (index) {
      var row = rows[index];
      var rank = result.ranks[index];
      var moved = items[index].rank - rank;
      row.cells[0].textContent = String(rank);
      row.cells[1].textContent = moved > 0 ? "▲" + moved : moved < 0 ? "▼" + (-moved) : "";
      row.cells[1].className = "move " + (moved > 0 ? "up" : moved < 0 ? "down" : "");
      row.querySelector(".score").textContent = oneDecimal(scores[index]);
      row.setAttribute("data-score", String(scores[index]));
      row.setAttribute("data-rank", String(rank));
      fragment.appendChild(row);
    });
    tbody.appendChild(fragment);
  }

  function updateNotes(scores, result) {
    if (!notes) return;
    var lines = [];
    var order = result.order;
    var start = 0;
    for (var end = 1; end <= order.length; end++) {
      if (end === order.length || scores[order[end]] !== scores[order[start]]) {
        var groups = {};
        for (var k = start; k < end; k++) groups[items[order[k]].group] = true;
        if (end - start > 1 && Object.keys(groups).length > 1) {
          lines.push("ranks " + result.ranks[order[start]] + "–" + result.ranks[order[end - 1]] +
            " score " + oneDecimal(scores[order[start]]) + "; ordered by " + data.tiebreak);
        }
        start = end;
      }
    }
    notes.textContent = "";
    lines.forEach(function (line, n) {
      if (n) notes.appendChild(document.createElement("br"));
      notes.appendChild(document.createTextNode(line));
    });
    notes.hidden = lines.length === 0;
  }

  function updateYaml(w) {
    var text = "criteria:\n";
    criteria.forEach(function (c, i) {
      text += "  - id: " + c.id + "\n    weight: " + show(w[i]) + "\n";
    });
    yaml.textContent = text;
  }

  // The value-vs-effort chart: the same placement as `intscore matrix`, redrawn.
  var chart = data.chart;
  function place(w) {
    var totals = { value: 0, effort: 0 };
    criteria.forEach(function (c, i) { totals[c.kind] += w[i] * c.max; });
    if (!(totals.value > 0 && totals.effort > 0)) return null;
    return items.map(function (item) {
      var sums = { value: 0, effort: 0 };
      criteria.forEach(function (c, i) { sums[c.kind] += w[i] * item.points[i]; });
      return {
        value: round9(100 * sums.value / totals.value),
        effort: round9(100 - 100 * sums.effort / totals.effort)
      };
    });
  }
  function updateChart(w, result) {
    var layer = document.getElementById("points");
    if (!chart || !layer) return;
    var placed = place(w);
    if (!placed) return;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var spots = {};
    var keys = [];
    result.order.forEach(function (index) {
      var p = placed[index];
      var key = (Math.round(p.effort * 10) / 10) + "," + (Math.round(p.value * 10) / 10);
      if (!spots[key]) { spots[key] = []; keys.push(key); }
      spots[key].push(index);
    });
    keys.forEach(function (key) {
      var group = spots[key];
      var p = placed[group[0]];
      var cx = chart.left + chart.width * p.effort / 100;
      var cy = chart.top + chart.height * (1 - p.value / 100);
      var circle = document.createElementNS(svgNS, "circle");
      circle.setAttribute("class", "point");
      circle.setAttribute("cx", cx.toFixed(1));
      circle.setAttribute("cy", cy.toFixed(1));
      circle.setAttribute("r", String(5 + Math.min(group.length, 6)));
      var title = document.createElementNS(svgNS, "title");
      title.textContent = group.map(function (i) { return items[i].name; }).join(", ");
      circle.appendChild(title);
      layer.appendChild(circle);
      var end = cx > chart.left + chart.width * 0.7;
      var shown = Math.min(group.length, 6);
      var up = cy + 4 + 12 * (shown - 1) > chart.top + chart.height - 2;
      for (var n = 0; n < shown; n++) {
        var label = document.createElementNS(svgNS, "text");
        label.setAttribute("class", "label");
        label.setAttribute("x", (cx + (end ? -10 : 10)).toFixed(1));
        label.setAttribute("y", (up ? cy + 4 - 12 * n : cy + 4 + 12 * n).toFixed(1));
        label.setAttribute("text-anchor", end ? "end" : "start");
        label.textContent = n < 5 || group.length === 6 ? items[group[n]].name
          : "+" + (group.length - 5) + " more";
        layer.appendChild(label);
      }
    });
  }

  function update() {
    var w = weights();
    var scores = scoresFor(w);
    var result = ranked(scores);
    updateTable(scores, result);
    updateNotes(scores, result);
    updateYaml(w);
    updateChart(w, result);
  }

  ranges.forEach(function (range, i) {
    range.addEventListener("input", function () {
      numbers[i].value = range.value;
      update();
    });
    numbers[i].addEventListener("input", function () {
      var value = Number(numbers[i].value);
      if (numbers[i].value === "" || !(value >= 0)) return;
      range.value = String(value);
      update();
    });
  });
  var showAll = document.getElementById("show-all");
  if (showAll) {  // a long ranking: its first rows, the rest on request (they re-order unseen)
    document.getElementById("ranking").classList.add("folded");
    showAll.parentNode.hidden = false;
    showAll.addEventListener("click", function () {
      document.getElementById("ranking").classList.remove("folded");
      showAll.parentNode.hidden = true;
    });
  }
  document.getElementById("reset-weights").addEventListener("click", function () {
    criteria.forEach(function (c, i) {
      ranges[i].value = String(c.weight);
      numbers[i].value = String(c.weight);
    });
    update();
  });
  document.getElementById("copy-weights").addEventListener("click", function () {
    var button = this;
    var done = function () { button.textContent = "Copied"; };
    var select = function () {
      var range = document.createRange();
      range.selectNodeContents(yaml);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    };
    try {
      navigator.clipboard.writeText(yaml.textContent).then(done, select);
    } catch (error) {
      select();
    }
  });
})();
