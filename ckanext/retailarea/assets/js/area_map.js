/* The map of retail areas: each area's outline (GeoJSON) on Leaflet, linked to its page.
   Tiles come from ckanext.retailarea.map.tile_url; without one, the outlines stand alone.
   The list of areas beside the map is the keyboard and screen-reader alternative. */
this.ckan.module("retailarea-area-map", function ($) {
  return {
    options: { tileUrl: "", attribution: "", label: "" },

    initialize: function () {
      var data = JSON.parse(this.el.find("script[type='application/json']").text() || "[]");
      var container = this.el.find(".retailarea-map-canvas")[0];
      var map = L.map(container, { scrollWheelZoom: false, attributionControl: true });
      map.attributionControl.setPrefix(false);
      // CKAN reads an empty data-module-* attribute as true: only a string is a URL
      if (typeof this.options.tileUrl === "string" && this.options.tileUrl) {
        L.tileLayer(this.options.tileUrl, {
          maxZoom: 19, attribution: this.options.attribution
        }).addTo(map);
      }
      var bounds = L.latLngBounds([]);
      data.forEach(function (area) {
        if (!area.geometry) { return; }
        var layer = L.geoJSON(area.geometry, {
          style: { color: "#0b5d8a", weight: 2, fillOpacity: 0.25 }
        });
        layer.bindTooltip(area.title);
        if (area.url) {  // a dataset's coverage has no page of its own
          layer.on("click", function () { window.location.href = area.url; });
        }
        layer.addTo(map);
        bounds.extend(layer.getBounds());
      });
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
      } else {
        map.setView([52.13, 5.29], 7);  // the Netherlands
      }
      container.setAttribute("data-areas-shown", String(data.filter(function (a) {
        return a.geometry;
      }).length));
      this.map = map;
    }
  };
});
