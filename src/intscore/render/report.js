// intscore's what-if report: move a weight, watch the ranking re-order. The points are
// intscore's; this only re-weights them, with the engine's own formula, tie rules and
// recommendation rules, so at any weights it shows what `intscore rank` would give, and at
// the config's weights exactly its order, scores and recommendations.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("intscore-data").textContent);
  var panel = document.getElementById("what-if");
  if (!panel || data.formula) return;
  panel.hidden = false;

  var criteria = data.criteria;
  var rules = data.rules;
  var tbody = document.querySelector("#ranking tbody");
  var rows = {};
  var saidFirst = {};  // the recommendation at the config's weights, by item
  Array.prototype.forEach.call(tbody.rows, function (row, index) {  // in the items' order
    rows[index] = row;
    if (rules.length) {
      saidFirst[index] = row.lastElementChild.textContent;
      if (saidFirst[index]) row.setAttribute("data-recommendation", saidFirst[index]);
    }
  });
  var columns = data.items;  // one array per field: item i is position i of each
  var items = columns.order.map(function (order, i) {
    return {
      // the row names it (its text is not sent twice), unless HTML would change the name
      name: columns.name ? columns.name[i] : rows[i].getAttribute("data-integration"),
      points: columns.points.map(function (points) { return points[i]; }),
      order: order,
      group: columns.group[i],
      rank: columns.rank[i],
      rules: columns.rules ? columns.rules[i] : undefined
    };
  });
  var ranges = criteria.map(function (c) {
    return panel.querySelector('input[name="weight-' + c.id + '"]');
  });
  var numbers = criteria.map(function (c) {
    return panel.querySelector('input[name="number-' + c.id + '"]');
  });
  var yaml = document.getElementById("weights-yaml");
  var download = document.getElementById("download-weights");
  var notes = document.getElementById("tiebreaks");
  var svgNS = "http://www.w3.org/2000/svg";
  var MAX_WEIGHT = 1e6;  // what scoring.yaml accepts

  // Python's round(x, digits) and f"{x:.{digits}f}": the exact binary value, ties to even
  // (toFixed breaks an exact tie upwards).
  function fixed(x, digits) {
    var text = x.toFixed(digits);
    var exact = Math.abs(x).toFixed(digits + 25);
    var dot = exact.indexOf(".");
    if (/^50*$/.test(exact.slice(dot + 1 + digits))) {
      var kept = exact.slice(0, dot + 1 + digits).replace(/\.$/, "");
      var last = Number(kept.charAt(kept.length - 1));
      if (last % 2 === 0) text = (x < 0 ? "-" : "") + kept;
    }
    return text;
  }
  function round9(x) {
    return Number(fixed(x, 9));
  }
  function oneDecimal(x) {
    return fixed(x, 1);
  }
  // A weight as YAML reads it back exactly: 40, 0.5, 0.00000015 (never 1.5e-7: PyYAML
  // would read that as text).
  function yamlNumber(x) {
    var text = String(x);
    var e = text.indexOf("e");
    if (e < 0) return text;
    var digits = text.slice(0, e).replace(".", "").replace("-", "");
    var point = text.slice(0, e).replace("-", "").split(".")[0].length + Number(text.slice(e + 1));
    if (point <= 0) return "0." + new Array(1 - point).join("0") + digits;
    return digits + new Array(Math.max(point - digits.length, 0) + 1).join("0");
  }

  // The weights shown: a slider's value, or what was typed in a number box (exactly: a
  // slider would round 33.125 to its step).
  var current = criteria.map(function (c) { return c.weight; });
  function weights() {
    return current.slice();
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

  // `recommend`: the first rule whose conditions all hold. Conditions on fields do not move
  // with the weights (intscore listed the rules they pass per item); tests on the score or a
  // criterion's points run here, as the engine runs them.
  function holds(value, atLeast, below) {
    return value !== null && (below === null || value < below) &&
      (atLeast === null || value >= atLeast);
  }
  function advice(index, score) {
    var item = items[index];
    var holding = data.holdings[item.rules];
    for (var k = 0; k < holding.length; k++) {
      var rule = rules[holding[k]];
      var passes = rule.tests.every(function (t) {
        return holds(t[0] < 0 ? score : item.points[t[0]], t[1], t[2]);
      });
      if (passes) return rule;
    }
    return null;
  }
  function updateAdvice(row, index, score) {
    var cell = row.lastElementChild;
    var rule = advice(Number(index), score);
    var label = rule ? rule.label : "";
    cell.textContent = label;
    cell.title = rule ? rule.because : "";
    if (rule) row.setAttribute("data-recommendation", label);
    else row.removeAttribute("data-recommendation");
    var first = saidFirst[index];
    if ((first || "") !== label) {
      var was = document.createElement("span");
      was.className = "was";
      was.textContent = " (was " + (first || "none") + ")";
      cell.appendChild(was);
    }
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
      if (rules.length) updateAdvice(row, index, scores[index]);
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

  // The config's own text, each weight written in its place (a weight left alone keeps its
  // spelling, so the config's weights give back the file as it is).
  function yamlText(w) {
    return data.yaml.map(function (piece) {
      if (typeof piece === "string") return piece;
      var i = piece[0];
      return w[i] === criteria[i].weight ? piece[1] : piece[2] + yamlNumber(w[i]) + piece[3];
    }).join("");
  }
  function updateYaml(w) {
    if (!data.yaml || !yaml) return;
    var text = yamlText(w);
    yaml.textContent = text;
    download.href = "data:text/yaml;charset=utf-8," + encodeURIComponent(text);
  }

  // The value-vs-effort charts: the same placement as `intscore matrix`, and the same
  // label layout as intscore draws (report_chart.py), redrawn.
  var charts = data.charts;
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
  function estimatedWidth(text, size) {
    var em = 0;
    Array.from(text).forEach(function (char) {
      if ("mwMW@%".indexOf(char) >= 0 || char.codePointAt(0) >= 0xC0) em += 1.0;
      else if ("iljtfrI.,:;!'|() ".indexOf(char) >= 0) em += 0.4;
      else if (char >= "A" && char <= "Z") em += 0.78;
      else em += 0.66;
    });
    return em * size;
  }
  function rankLabel(ranks) {
    if (ranks.length <= 4) return ranks.join(",");
    return ranks.slice(0, 3).join(",") + " +" + (ranks.length - 3);
  }
  function hits(a, b) {
    var pad = 1.0;
    return a[0] < b[0] + b[2] + pad && b[0] < a[0] + a[2] + pad &&
      a[1] < b[1] + b[3] + pad && b[1] < a[1] + a[3] + pad;
  }
  // Boxes on a chart, indexed by grid cells so that a test looks only nearby.
  function Taken(grid) {
    this.grid = grid;
    this.cells = {};
  }
  Taken.prototype.keys = function (box, pad) {
    var g = this.grid;
    var keys = [];
    var x1 = Math.floor((box[0] + box[2] + pad) / g);
    var y1 = Math.floor((box[1] + box[3] + pad) / g);
    for (var i = Math.floor((box[0] - pad) / g); i <= x1; i++) {
      for (var j = Math.floor((box[1] - pad) / g); j <= y1; j++) keys.push(i + "," + j);
    }
    return keys;
  };
  Taken.prototype.add = function (box) {
    var cells = this.cells;
    this.keys(box, 0).forEach(function (key) { (cells[key] = cells[key] || []).push(box); });
  };
  Taken.prototype.hits = function (box) {
    var cells = this.cells;
    return this.keys(box, 1).some(function (key) {
      return (cells[key] || []).some(function (other) { return hits(box, other); });
    });
  };
  // The first place inside the plot that hits nothing: clear of labels and points, else
  // (a crowded chart) of labels only; null: no label.
  function freeBox(places, w, h, shape, onDots, onLabels) {
    var right = shape.left + shape.plotWidth;
    var bottom = shape.top + shape.plotHeight;
    for (var pass = 0; pass < 2; pass++) {
      for (var k = 0; k < places.length; k++) {
        var box = [places[k][0], places[k][1], w, h];
        if (box[0] < shape.left || box[1] < shape.top || box[0] + w > right ||
            box[1] + h > bottom) continue;
        if (onLabels.hits(box) || (pass === 0 && onDots.hits(box))) continue;
        return [box, places[k][2]];
      }
    }
    return null;
  }
  function unnamedNote(count) {
    var many = count !== 1 ? count.toLocaleString("en-US") + " integrations are" : "1 integration is";
    return many + " not named on the chart, for lack of room: hover a point for its names.";
  }
  function candidates(cx, cy, r, w, h, line) {
    var gap = 3.0;
    var right = cx + r + gap;
    var left = cx - r - gap - w;
    var level = cy - line / 2;
    var up = cy + line / 2 - h;
    var above = cy - r - gap - h;
    var below = cy + r + gap;
    return [
      [right, level, "start"], [left, level, "end"], [right, up, "start"], [left, up, "end"],
      [cx - w / 2, above, "middle"], [cx - w / 2, below, "middle"],
      [right, above, "start"], [left, above, "end"], [right, below, "start"],
      [left, below, "end"], [right, level - line, "start"], [left, level - line, "end"],
      [right, level + line, "start"], [left, level + line, "end"]
    ];
  }
  function svgElement(name, attributes, text) {
    var element = document.createElementNS(svgNS, name);
    Object.keys(attributes).forEach(function (k) { element.setAttribute(k, attributes[k]); });
    if (text !== undefined) element.textContent = text;
    return element;
  }
  function drawPoints(shape, placed, result, ranks) {
    var layer = document.querySelector("#" + shape.id + " .points");
    if (!layer) return;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var spots = {};
    var keys = [];
    result.order.forEach(function (index) {
      var p = placed[index];
      var key = oneDecimal(p.effort) + "," + oneDecimal(p.value);
      if (!spots[key]) { spots[key] = []; keys.push(key); }
      spots[key].push(index);
    });
    var dots = keys.map(function (key) {
      var group = spots[key];
      var p = placed[group[0]];
      var n = group.length;
      return {
        cx: shape.left + shape.plotWidth * p.effort / 100,
        cy: shape.top + shape.plotHeight * (1 - p.value / 100),
        r: shape.ranks ? 4 + Math.min(n, 4) : 5 + Math.min(n, 6),
        group: group
      };
    });
    var onDots = new Taken(shape.grid);
    var onLabels = new Taken(shape.grid);
    dots.forEach(function (d) { onDots.add([d.cx - d.r, d.cy - d.r, 2 * d.r, 2 * d.r]); });
    var labels = [];
    var unnamed = 0;
    dots.forEach(function (d, n) {
      var circle = svgElement("circle", {
        "class": "point", cx: oneDecimal(d.cx), cy: oneDecimal(d.cy), r: String(d.r)
      });
      circle.appendChild(svgElement("title", {}, d.group.map(function (i) {
        return items[i].name;
      }).join(", ")));
      layer.appendChild(circle);
      var lines;
      if (shape.ranks) {
        lines = [rankLabel(d.group.map(function (i) { return ranks[i]; }))];
      } else {
        lines = d.group.map(function (i) { return items[i].name; });
        if (lines.length > 6) lines = lines.slice(0, 5).concat(["+" + (lines.length - 5) + " more"]);
      }
      var w = Math.max.apply(null, lines.map(function (t) { return estimatedWidth(t, shape.font); }));
      var h = shape.line * lines.length;
      var found = n < shape.labelled ?
        freeBox(candidates(d.cx, d.cy, d.r, w, h, shape.line), w, h, shape, onDots, onLabels) :
        null;
      if (!found) {
        unnamed += d.group.length;
        return;
      }
      onLabels.add(found[0]);
      labels.push(label(found[0], found[1], lines, shape));
    });
    var note = document.getElementById(shape.id + "-unnamed");
    if (note) {
      note.textContent = unnamedNote(unnamed);
      note.hidden = unnamed === 0;
    }
    labels.forEach(function (element) { layer.appendChild(element); });
  }
  function label(box, anchor, lines, shape) {
    var x = anchor === "start" ? box[0] : anchor === "end" ? box[0] + box[2] : box[0] + box[2] / 2;
    var baseline = box[1] + shape.line * 0.75;
    var text = svgElement("text", { "class": "label", "text-anchor": anchor });
    lines.forEach(function (line, n) {
      text.appendChild(svgElement("tspan", {
        x: oneDecimal(x), y: oneDecimal(baseline + n * shape.line)
      }, line));
    });
    return text;
  }
  function updateKey(placed, result, ranks) {
    var key = document.getElementById("matrix-key");
    if (!key) return;
    var lines = key.querySelectorAll("p");
    charts.quadrants.forEach(function (quadrant, n) {
      var members = [];
      result.order.forEach(function (index) {
        var p = placed[index];
        if ((p.value >= charts.valueSplit) === quadrant[0] &&
            (p.effort >= charts.effortSplit) === quadrant[1]) {
          members.push(ranks[index] + " " + items[index].name);
        }
      });
      var line = lines[n];
      line.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = quadrant[2];
      line.appendChild(strong);
      line.appendChild(document.createTextNode(": " + (members.join(", ") || "—")));
    });
  }
  function updateCharts(w, result) {
    if (!charts) return;
    var placed = place(w);
    if (!placed) return;
    drawPoints(charts.wide, placed, result, result.ranks);
    drawPoints(charts.phone, placed, result, result.ranks);
    updateKey(placed, result, result.ranks);
  }

  function update() {
    var w = weights();
    var scores = scoresFor(w);
    var result = ranked(scores);
    updateTable(scores, result);
    updateNotes(scores, result);
    updateYaml(w);
    updateCharts(w, result);
  }

  ranges.forEach(function (range, i) {
    range.addEventListener("input", function () {
      numbers[i].value = range.value;
      current[i] = Number(range.value);
      update();
    });
    numbers[i].addEventListener("input", function () {
      var value = Number(numbers[i].value);
      if (numbers[i].value === "" || !(value >= 0 && value <= MAX_WEIGHT)) return;
      range.value = String(value);
      current[i] = value;
      update();
    });
  });
  updateYaml(weights());  // the exact text (the page's own copy has lost any CR)
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
      current[i] = c.weight;
    });
    update();
  });
  var copy = document.getElementById("copy-weights");
  if (copy) copy.addEventListener("click", function () {
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
