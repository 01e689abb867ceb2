/* Polls the validation state of a CSV resource while its job runs and shows the progress;
   reloads the page once the job has finished so the full report appears. */
this.ckan.module("retailarea-table-report", function ($) {
  return {
    options: { resourceId: null, running: false, interval: 3000 },

    initialize: function () {
      if (String(this.options.running) === "true") {
        this._poll();
      }
    },

    _poll: function () {
      var module = this;
      window.setTimeout(function () {
        module.sandbox.client.call(
          "GET", "retailarea_table_report_show",
          "?resource_id=" + encodeURIComponent(module.options.resourceId),
          function (data) { module._show(data.result); },
          function () { module._poll(); }
        );
      }, this.options.interval);
    },

    _show: function (report) {
      var text = report.rows_checked + " " + this._("rows checked");
      if (report.status === "loading") {
        text += ", " + report.rows_loaded + " " + this._("rows loaded");
      }
      this.el.find(".retailarea-progress").text(text);
      this.el.find(".retailarea-status").attr("data-status", report.status);
      if (report.running) {
        this._poll();
      } else {
        window.location.reload();
      }
    }
  };
});
