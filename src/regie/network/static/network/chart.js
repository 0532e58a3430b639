/* Link chart (Cytoscape.js): loads the graph from a JSON endpoint (or data-elements for a saved
   chart), keyboard operable (arrows move focus between subjects, Enter expands, Delete collapses),
   with a list view, the pattern hits and a timeline next to it. No inline script or style (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("netwerk");
  if (!root || typeof cytoscape === "undefined") { return; }
  var box = document.getElementById("netwerk-kaart");
  var status = document.getElementById("netwerk-status");
  var focusLine = document.getElementById("netwerk-focus");
  var graphUrl = root.dataset.graphUrl;
  var hits = {};
  var focused = null;

  var COLOURS = { persoon: "#0b5cad", bedrijf: "#7a3e9d", adres: "#2e7d32", voertuig: "#8d6e00", bankrekening: "#b3261e" };
  var cy = cytoscape({
    container: box,
    elements: [],
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 120,
        "background-color": function (n) { return COLOURS[n.data("kind")] || "#555"; } } },
      { selector: "edge", style: { "label": "data(label)", "font-size": 8, "curve-style": "bezier", "width": 1.5,
        "line-color": "#999", "target-arrow-shape": "triangle", "target-arrow-color": "#999" } },
      { selector: ".treffer", style: { "border-width": 4, "border-color": "#d52b1e" } },
      { selector: ".focus", style: { "overlay-opacity": 0.25, "overlay-color": "#0b5cad", "overlay-padding": 8 } }
    ]
  });

  function say(text) { if (status) { status.textContent = text; } }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function query(overrides) {
    var params = new URLSearchParams(root.dataset.query || "");
    Object.keys(overrides || {}).forEach(function (k) { params.set(k, overrides[k]); });
    return params.toString();
  }

  function layout() {
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 90 }).run();
  }

  function add(elements, from) {
    var added = 0;
    elements.forEach(function (e) {
      if (cy.getElementById(e.data.id).nonempty()) { return; }
      if (e.group === "nodes" && from) { e.data.expandedFrom = from; }
      cy.add(e);
      added += 1;
    });
    return added;
  }

  function render() {
    renderList();
    renderTimeline();
    renderHits();
    cy.nodes().removeClass("treffer");
    Object.keys(hits).forEach(function (id) {
      hits[id].nodes.forEach(function (n) { cy.getElementById(n).addClass("treffer"); });
    });
  }

  function renderList() {
    var list = document.getElementById("netwerk-lijst");
    if (!list) { return; }
    list.textContent = "";
    cy.nodes().sort(function (a, b) { return (a.data("label") || "").localeCompare(b.data("label") || ""); }).forEach(function (n) {
      var li = el("li", (n.data("label") || n.id()) + " ");
      if (graphUrl) {
        var expand = el("button", "Uitbreiden", "utrecht-button utrecht-button--subtle");
        expand.type = "button";
        expand.setAttribute("aria-label", "Uitbreiden: " + (n.data("label") || n.id()));
        expand.addEventListener("click", function () { expandNode(n.id()); });
        li.appendChild(expand);
        if (cy.nodes().some(function (m) { return m.data("expandedFrom") === n.id(); })) {
          var collapse = el("button", "Inklappen", "utrecht-button utrecht-button--subtle");
          collapse.type = "button";
          collapse.setAttribute("aria-label", "Inklappen: " + (n.data("label") || n.id()));
          collapse.addEventListener("click", function () { collapseNode(n.id()); });
          li.appendChild(collapse);
        }
      }
      var sub = el("ul");
      n.connectedEdges().forEach(function (e) { sub.appendChild(el("li", e.data("explanation") || e.data("label"))); });
      li.appendChild(sub);
      list.appendChild(li);
    });
  }

  function renderTimeline() {
    var list = document.getElementById("netwerk-tijdlijn");
    if (!list) { return; }
    var events = [];
    cy.edges().forEach(function (e) {
      if (e.data("start")) { events.push([e.data("start"), "begin: " + e.data("explanation")]); }
      if (e.data("end")) { events.push([e.data("end"), "einde: " + e.data("explanation")]); }
    });
    events.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    list.textContent = "";
    events.forEach(function (ev) { list.appendChild(el("li", ev[0] + " — " + ev[1])); });
  }

  function renderHits() {
    var box = document.getElementById("netwerk-treffers");
    if (!box) { return; }
    box.textContent = "";
    var ids = Object.keys(hits);
    if (!ids.length) { box.appendChild(el("p", "Geen open patroontreffers op deze kaart.", "utrecht-paragraph")); return; }
    ids.forEach(function (id) {
      var hit = hits[id];
      var article = el("article", undefined, "netwerk-treffer");
      article.appendChild(el("h3", hit.pattern + ": " + hit.title, "utrecht-heading-3"));
      article.appendChild(el("p", "Waarom: " + hit.why, "utrecht-paragraph"));
      var details = el("ul", undefined, "utrecht-unordered-list");
      hit.details.forEach(function (d) { details.appendChild(el("li", d)); });
      article.appendChild(details);
      var sources = el("p", "Bronnen: " + (hit.sources.map(function (s) { return s.bron + " (" + s.datum + ")"; }).join("; ") || "geen bron vastgelegd"), "utrecht-paragraph");
      article.appendChild(sources);
      var link = el("a", "Treffer beoordelen", "utrecht-link");
      link.href = hit.url;
      article.appendChild(link);
      box.appendChild(article);
    });
  }

  function load(url, from) {
    say("Kaart wordt geladen…");
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, code: response.status, data: data }; },
        function () { return { ok: false, code: response.status, data: {} }; });
    }).then(function (result) {
      if (!result.ok) {
        say(result.data.fout || (result.code === 404 ? "Dit subject bestaat niet of u mag het niet zien." : "De kaart kon niet worden geladen."));
        return;
      }
      var added = add(result.data.elements, from);
      result.data.hits.forEach(function (h) { hits[h.id] = h; });
      layout();
      render();
      say(cy.nodes().length + " subjecten en " + cy.edges().length + " verbindingen" +
        (from ? " (" + added + " toegevoegd)" : "") + (result.data.truncated ? "; begrensd: niet alles is getoond." : "."));
      if (!focused) { setFocus(cy.getElementById(root.dataset.start).nonempty() ? cy.getElementById(root.dataset.start) : cy.nodes()[0]); }
    }).catch(function () { say("De kaart kon niet worden geladen."); });
  }

  function expandNode(id) {
    return load(graphUrl + "?" + query({ start: id, stappen: "1" }), id);
  }

  function collapseNode(id) {
    var removed = 0;
    var queue = [id];
    while (queue.length) {
      var current = queue.shift();
      cy.nodes().filter(function (n) { return n.data("expandedFrom") === current; }).forEach(function (n) {
        if (n.id() !== root.dataset.start) { queue.push(n.id()); cy.remove(n); removed += 1; }
      });
    }
    render();
    say(removed + " subjecten ingeklapt.");
  }

  function ordered() {
    return cy.nodes().sort(function (a, b) { return (a.data("label") || "").localeCompare(b.data("label") || ""); });
  }

  function setFocus(node) {
    if (!node || node.empty()) { return; }
    cy.nodes().removeClass("focus");
    node.addClass("focus");
    focused = node.id();
    if (focusLine) {
      focusLine.textContent = "Geselecteerd: " + (node.data("label") || node.id()) + ", " + node.connectedEdges().length + " verbindingen.";
    }
  }

  box.addEventListener("keydown", function (event) {
    var nodes = ordered();
    if (!nodes.length) { return; }
    var index = Math.max(0, nodes.map(function (n) { return n.id(); }).indexOf(focused));
    if (event.key === "ArrowRight" || event.key === "ArrowDown") {
      setFocus(nodes[(index + 1) % nodes.length]);
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      setFocus(nodes[(index - 1 + nodes.length) % nodes.length]);
    } else if (event.key === "Enter" && graphUrl && focused) {
      expandNode(focused);
    } else if ((event.key === "Delete" || event.key === "Backspace") && graphUrl && focused) {
      collapseNode(focused);
    } else {
      return;
    }
    event.preventDefault();
  });
  cy.on("tap", "node", function (event) { setFocus(event.target); });
  cy.on("dbltap", "node", function (event) { if (graphUrl) { expandNode(event.target.id()); } });

  var png = document.getElementById("netwerk-png");
  if (png) {
    png.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = cy.png({ full: true, bg: "#ffffff", scale: 2 });
      link.download = "netwerkkaart.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  var save = document.getElementById("netwerk-opslaan");
  if (save) {
    save.addEventListener("submit", function () {
      var positions = {};
      cy.nodes().forEach(function (n) { positions[n.id()] = n.position(); });
      document.getElementById("netwerk-gegevens").value = JSON.stringify({
        nodes: cy.nodes().map(function (n) { return n.id(); }),
        edges: cy.edges().map(function (e) { return e.id(); }),
        layout: positions,
        filters: Object.fromEntries(new URLSearchParams(root.dataset.query || ""))
      });
    });
  }

  if (graphUrl) {
    load(graphUrl + "?" + query({}), null);
  } else if (root.dataset.elements) {
    add(JSON.parse(root.dataset.elements), null);
    var stored = JSON.parse(root.dataset.layout || "{}");
    if (Object.keys(stored).length) {
      cy.nodes().forEach(function (n) { if (stored[n.id()]) { n.position(stored[n.id()]); } });
      cy.fit();
    } else {
      layout();
    }
    setFocus(ordered()[0]);
  }
}());
