/* The visitors chart of a footfall dataset or a retail area: visitors per day, week or
   month of one year, with the same periods a year earlier as a second line. The series
   come from the JSON download route (the same action, access rules and log as the API);
   the CSV and JSON links and the table under the chart always show the period on screen.
   Texts come translated from the template (data-module-* options). */
this.ckan.module("retailarea-footfall-chart", function ($) {
  return {
    options: {
      url: null, csvUrl: null, start: null, end: null, period: "month",
      currentLabel: "Visitors", previousLabel: "A year earlier",
      failed: "The series could not be loaded", empty: "Nothing was counted in this year"
    },

    initialize: function () {
      $.proxyAll(this, /_on/);
      this.chart = null;
      this.el.find(".retailarea-period-switch input").on("change", this._onPeriod);
      this._load(this.options.period);
    },

    _query: function (period) {
      return "?" + $.param({ period: period, start: this.options.start, end: this.options.end });
    },

    _load: function (period) {
      var module = this;
      this.el.find(".retailarea-download-csv").attr("href", this.options.csvUrl + this._query(period));
      this.el.find(".retailarea-download-json").attr("href", this.options.url + this._query(period));
      this.el.attr("aria-busy", "true");
      $.getJSON(this.options.url + this._query(period))
        .done(function (series) { module._show(series); })
        .fail(this._onFail)
        .always(function () { module.el.attr("aria-busy", "false"); });
    },

    _onPeriod: function (event) {
      this._load(event.target.value);
    },

    _onFail: function (xhr) {
      var reason = xhr.responseJSON && xhr.responseJSON.error;
      if (reason && typeof reason === "object") {
        reason = $.map(reason, function (messages, field) {
          return field + ": " + [].concat(messages).join(" ");
        }).join("; ");
      }
      this._status(this.options.failed + (reason ? " (" + reason + ")" : ""));
    },

    _status: function (text) {
      this.el.find(".retailarea-chart-status").text(text);
    },

    _show: function (series) {
      var labels = $.map(series.total, function (e) { return e.label; });
      var current = $.map(series.total, function (e) { return [e.visitors]; });
      var previous = $.map(series.total, function (e) { return [e.previous_year]; });
      this._draw(labels, current, previous, series.period);
      this._table(series.total);
      var counted = $.grep(current, function (v) { return v !== null; }).length;
      this._status(counted ? "" : this.options.empty);
      this.el.attr("data-periods", series.total.length);
    },

    _draw: function (labels, current, previous, period) {
      var points = period === "day" ? 0 : 2;
      var datasets = [
        { label: this.options.currentLabel, data: current, borderColor: "#0b6e4f",
          backgroundColor: "#0b6e4f", pointRadius: points, borderWidth: 2 },
        { label: this.options.previousLabel, data: previous, borderColor: "#6c757d",
          backgroundColor: "#6c757d", borderDash: [6, 4], pointRadius: points, borderWidth: 2 }
      ];
      if (this.chart) {
        this.chart.data.labels = labels;
        this.chart.data.datasets = datasets;
        this.chart.update();
        return;
      }
      this.chart = new window.Chart(this.el.find("canvas")[0], {
        type: "line",
        data: { labels: labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          scales: { y: { beginAtZero: true } }
        }
      });
    },

    _table: function (entries) {
      var body = this.el.find(".retailarea-chart-table tbody").empty();
      $.each(entries, function (_, e) {
        var row = $("<tr>");
        $("<th scope='row'>").text(e.label).appendTo(row);
        $.each([e.visitors, e.previous_year, e.change_pct], function (_, value) {
          $("<td>").text(value === null ? "" : value.toLocaleString()).appendTo(row);
        });
        body.append(row);
      });
    }
  };
});
