/* Regie's area map (issue 10): Leaflet with the configured tiles (none when empty), wijk and
   buurt polygons with their counts, and point layers for users with case access. Everything
   comes from data-* attributes and JSON endpoints: no inline script (CSP). */
(function () {
  "use strict";

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function areaPopup(props) {
    var box = document.createElement("div");
    box.appendChild(text("div", props.naam + " (" + props.code + ")", "regie-map-label"));
    (props.cijfers || []).forEach(function (pair) {
      box.appendChild(text("div", pair[0] + ": " + pair[1]));
    });
    var link = text("a", "Gebiedsbeeld openen");
    link.href = props.url;
    link.className = "utrecht-link";
    box.appendChild(link);
    return box;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function start() {
    var el = document.getElementById("regie-kaart");
    if (!el || typeof L === "undefined") { return; }
    var map = L.map(el, { zoomControl: true });
    map.setView([52.1, 5.1], 8);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: "Kaartgegevens &copy; Kadaster (BRT-Achtergrondkaart)" }).addTo(map);
    }
    var overlays = {};
    var control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    getJSON(el.getAttribute("data-areas")).then(function (data) {
      var wijken = L.geoJSON({ type: "FeatureCollection", features: data.features.filter(function (f) { return f.properties.laag === "wijk"; }) },
        { style: { color: "#333", weight: 3, fill: false }, interactive: false });
      var buurten = L.geoJSON({ type: "FeatureCollection", features: data.features.filter(function (f) { return f.properties.laag === "buurt"; }) }, {
        style: { color: "#01689b", weight: 1, fillOpacity: 0.15 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.naam);
          layer.bindPopup(function () { return areaPopup(feature.properties); });
          layer.on("click", function () {
            el.setAttribute("data-selected", feature.properties.code);
          });
          if (layer.getElement) {
            layer.on("add", function () {
              var path = layer.getElement();
              if (path) { path.setAttribute("data-gebied", feature.properties.code); path.classList.add("regie-area"); }
            });
          }
        }
      });
      wijken.addTo(map);
      buurten.addTo(map);
      control.addOverlay(wijken, "Wijken");
      control.addOverlay(buurten, "Buurten");
      var bounds = buurten.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds); }
      el.setAttribute("data-loaded", String(data.features.length));
    }).catch(function () {
      el.parentNode.insertBefore(text("p", "De gebieden konden niet worden geladen.", "utrecht-paragraph"), el.nextSibling);
    }).then(function () {
      var points = el.getAttribute("data-points");
      var chain = Promise.resolve();
      (points ? points.split("|") : []).forEach(function (spec) {
        var parts = spec.split("=");
        chain = chain.then(function () { return getJSON(parts[1]); }).then(function (data) {
          var layer = L.geoJSON(data, {
            pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 5, weight: 1 }); },
            onEachFeature: function (feature, marker) {
              var link = text("a", feature.properties.label);
              link.href = feature.properties.url;
              marker.bindPopup(link);
            }
          });
          control.addOverlay(layer, parts[2] + " (" + data.features.length + ")");
          if (parts[0] === "risicolocaties") { layer.addTo(map); }
        }).catch(function () { /* a layer the role may not see stays away */ });
      });
      return chain;
    }).then(function () { el.setAttribute("data-ready", "true"); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
