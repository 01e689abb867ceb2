/* The coverage and duration controls of the dataset form, added over fields that work
   without them (progressive enhancement): the GeoJSON text box of `spatial` and the ISO 8601
   text boxes of the durations stay, and every control here only writes into them.

   Map: the outlines of the retail areas ticked in the form (their checkboxes carry the
   GeoJSON), the geometry in the text box, and buttons to take the area's outline, to draw a
   polygon by clicking its corners, or to place points (e.g. the sensors). No Leaflet.draw:
   a click adds a vertex or a point, "Finish" closes the polygon.

   Durations: a number and a unit (minutes .. years) that write PT15M, P1W, ...; a value
   typed in the text box that fits them is shown in them. */
this.ckan.module("retailarea-coverage-form", function ($) {
  var UNITS = { minutes: ["PT", "M"], hours: ["PT", "H"], days: ["P", "D"],
                weeks: ["P", "W"], months: ["P", "M"], years: ["P", "Y"] };

  function parseDuration(text) {
    var match = /^P(T?)([0-9]+)([MHDWY])$/.exec((text || "").trim());
    if (!match) { return null; }
    for (var unit in UNITS) {
      if (UNITS[unit][0] === "P" + match[1] && UNITS[unit][1] === match[3]) {
        return { amount: match[2], unit: unit };
      }
    }
    return null;
  }

  function durationControl(control) {
    var input = document.getElementById(control.getAttribute("data-for"));
    if (!input) { return; }
    var amount = control.querySelector("input[type=number]");
    var unit = control.querySelector("select");
    input.parentNode.appendChild(control);
    control.hidden = false;
    function fromText() {
      var parsed = parseDuration(input.value);
      amount.value = parsed ? parsed.amount : "";
      if (parsed) { unit.value = parsed.unit; }
    }
    function toText() {
      var n = parseInt(amount.value, 10);
      if (n > 0) {
        input.value = UNITS[unit.value][0] + n + UNITS[unit.value][1];
      } else if (amount.value === "") {
        input.value = "";
      }
    }
    fromText();
    $(input).on("input change", fromText);
    $(amount).on("input change", toText);
    $(unit).on("change", toText);
  }

  function parseGeometry(text) {
    try {
      var value = JSON.parse(text);
      return value && value.type ? value : null;
    } catch (e) {
      return null;
    }
  }

  return {
    options: { tileUrl: "", attribution: "" },

    initialize: function () {
      var form = this.el.closest("form");
      form.find(".retailarea-duration-control").each(function () { durationControl(this); });
      this.textarea = document.getElementById("field-spatial");
      var tools = this.el.find(".retailarea-coverage-tools")[0];
      if (!this.textarea || !tools) { return; }
      this.textarea.parentNode.insertBefore(tools, this.textarea);
      tools.hidden = false;
      this.finishButton = $(tools).find("button[data-action=finish]");
      this.status = tools.querySelector(".retailarea-coverage-status");
      this.areaBoxes = form.find("input[name=retail_areas][type=checkbox]");
      this.buildMap(tools.querySelector(".retailarea-coverage-map"));
      this.mode = null;
      this.vertices = [];
      var self = this;
      $(tools).on("click", "button[data-action]", function (event) {
        event.preventDefault();
        self[this.getAttribute("data-action")]();
      });
      this.areaBoxes.on("change", function () { self.showAreas(); });
      $(this.textarea).on("input change", function () { self.showGeometry(); });
      this.showAreas();
      this.showGeometry();
    },

    buildMap: function (container) {
      var map = L.map(container, { scrollWheelZoom: false, doubleClickZoom: false });
      map.attributionControl.setPrefix(false);
      if (typeof this.options.tileUrl === "string" && this.options.tileUrl) {
        L.tileLayer(this.options.tileUrl, {
          maxZoom: 19, attribution: this.options.attribution
        }).addTo(map);
      }
      map.setView([52.13, 5.29], 7);  // the Netherlands, until there is something to show
      this.areaLayer = L.featureGroup().addTo(map);
      this.drawn = L.featureGroup().addTo(map);
      this.sketch = L.featureGroup().addTo(map);
      var self = this;
      map.on("click", function (event) { self.click(event.latlng); });
      this.map = map;
    },

    areaGeometries: function () {
      return this.areaBoxes.filter(":checked").map(function () {
        return parseGeometry(this.getAttribute("data-geometry"));
      }).get().filter(Boolean);
    },

    showAreas: function () {
      this.areaLayer.clearLayers();
      var self = this;
      this.areaGeometries().forEach(function (geometry) {
        L.geoJSON(geometry, {
          style: { color: "#0b5d8a", weight: 2, dashArray: "6 4", fillOpacity: 0.1 }
        }).addTo(self.areaLayer);
      });
      this.fit();
    },

    showGeometry: function () {
      this.drawn.clearLayers();
      var geometry = parseGeometry(this.textarea.value);
      if (geometry) {
        L.geoJSON(geometry, {
          style: { color: "#a04000", weight: 3, fillOpacity: 0.2 },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 6, color: "#a04000" });
          }
        }).addTo(this.drawn);
      }
      this.fit();
    },

    fit: function () {
      var bounds = L.latLngBounds([]);
      [this.areaLayer, this.drawn, this.sketch].forEach(function (layer) {
        if (layer.getLayers().length) { bounds.extend(layer.getBounds()); }
      });
      if (bounds.isValid() && !this.mode) {
        this.map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
      }
    },

    write: function (geometry, message) {
      this.textarea.value = geometry ? JSON.stringify(geometry) : "";
      $(this.textarea).trigger("change");
      this.say(message);
    },

    say: function (key) {
      var text = this.el.find(".retailarea-coverage-messages [data-message=" + key + "]").text();
      this.status.textContent = text;
    },

    useArea: function () {
      var polygons = [];
      this.areaGeometries().forEach(function (geometry) {
        if (geometry.type === "Polygon") { polygons.push(geometry.coordinates); }
        if (geometry.type === "MultiPolygon") { polygons = polygons.concat(geometry.coordinates); }
      });
      this.stop();
      if (!polygons.length) { this.say("no-area"); return; }
      this.write(polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] }
                 : { type: "MultiPolygon", coordinates: polygons }, "area-used");
    },

    drawPolygon: function () { this.start("polygon", "polygon-started"); },

    placePoints: function () { this.start("points", "points-started"); },

    start: function (mode, message) {
      this.stop();
      this.mode = mode;
      this.vertices = [];
      if (mode === "points") { this.write(null, message); } else { this.say(message); }
      this.finishButton.prop("hidden", false);
    },

    stop: function () {
      this.mode = null;
      this.vertices = [];
      this.sketch.clearLayers();
      this.finishButton.prop("hidden", true);
    },

    click: function (latlng) {
      var point = [Math.round(latlng.lng * 1e6) / 1e6, Math.round(latlng.lat * 1e6) / 1e6];
      if (this.mode === "points") {
        this.vertices.push(point);
        var points = this.vertices.slice();
        this.write(points.length === 1 ? { type: "Point", coordinates: points[0] }
                   : { type: "MultiPoint", coordinates: points }, "point-placed");
      } else if (this.mode === "polygon") {
        this.vertices.push(point);
        this.sketch.clearLayers();
        L.polyline(this.vertices.map(function (p) { return [p[1], p[0]]; }),
                   { color: "#a04000", dashArray: "2 4" }).addTo(this.sketch);
        this.say("vertex-added");
      }
    },

    finish: function () {
      if (this.mode === "polygon") {
        if (this.vertices.length < 3) { this.say("too-few"); return; }
        var ring = this.vertices.concat([this.vertices[0]]);
        this.stop();
        this.write({ type: "Polygon", coordinates: [ring] }, "polygon-done");
      } else {
        this.stop();
        this.say("points-done");
      }
    },

    clear: function () {
      this.stop();
      this.write(null, "cleared");
    }
  };
});
