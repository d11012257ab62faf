package dev.arbor.report;

import static dev.arbor.report.HtmlReport.esc;
import static dev.arbor.report.HtmlReport.fmt;

import java.util.List;
import java.util.Map;

/**
 * The report's sections that follow a model across nights and explain a run: the metric trend over
 * run dates with the promotion decisions, the training and validation curves side by side, and the
 * run's effective configuration (hyperparameters first). Used by {@link HtmlReport}.
 */
final class HtmlSections {
  /** Keys shown as the run's hyperparameters, before the full configuration. */
  private static final List<String> HYPERPARAMETER_PREFIXES =
      List.of("train.", "prepare.scale", "prepare.split.seed", "schema.task", "promote.metric");

  private HtmlSections() {}

  /** Test metric per run date, promotions and rejections marked, and the nights as a table. */
  static void trend(StringBuilder h, ReportData d) {
    NightlyTrend t = d.trend();
    h.append("<h2>Across run dates</h2>\n");
    if (t.metric() == null || t.nights().isEmpty()) {
      h.append("<p>No committed run with a test <code>")
          .append(esc(String.valueOf(t.metric())))
          .append("</code> yet.</p>\n");
      return;
    }
    h.append("<div class=\"charts\">\n")
        .append(Charts.trend(t.nights(), t.metric()))
        .append("\n<table class=\"grid\"><tr><th>run date</th><th>test ")
        .append(esc(t.metric()))
        .append("</th><th>promotion gate</th></tr>\n");
    List<NightlyTrend.Night> recent =
        t.nights().subList(Math.max(0, t.nights().size() - 14), t.nights().size());
    for (int i = recent.size() - 1; i >= 0; i--) {
      NightlyTrend.Night n = recent.get(i);
      boolean current = n.runDate().equals(d.runDate());
      h.append(current ? "<tr class=\"current\"><td>" : "<tr><td>")
          .append(n.runDate())
          .append("</td><td class=\"num\">")
          .append(fmt(n.value()))
          .append("</td><td>")
          .append(n.decision() == null ? "" : esc(n.decision()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n</div>\n<p class=\"note\">")
        .append(t.nights().size())
        .append(" run date(s) up to ")
        .append(d.runDate())
        .append(" (the table: the latest 14). Ring: the run was promoted (or was the first);")
        .append(" cross: the promotion gate rejected it. Metric: <code>promote.metric</code> of")
        .append(" this run's configuration.</p>\n");
  }

  /** The training objective and the validation metric per iteration, side by side. */
  static void learning(StringBuilder h, ReportData d) {
    if (d.history().isEmpty() && d.candidates().isEmpty()) {
      return;
    }
    h.append("<h2>Training and validation curves</h2>\n");
    if (!d.history().isEmpty()) {
      String metric = d.config().getOrDefault("train.early-stopping.metric", "none");
      String validation = Charts.validation(d.history(), "validation " + metric);
      h.append("<div class=\"charts\">\n").append(Charts.training(d.history())).append('\n');
      if (validation != null) {
        h.append(validation).append('\n');
      } else {
        h.append("<div class=\"empty\"><b>Validation curve</b><br>Not recorded: this run")
            .append(" evaluated no validation metric during training")
            .append(" (<code>train.early-stopping.metric = ")
            .append(esc(metric))
            .append("</code>). Set it, e.g. to <code>loss</code> or <code>auc</code>, to")
            .append(
                " record one every <code>train.early-stopping.every</code> iterations.</div>\n");
      }
      h.append("</div>\n<p class=\"note\">")
          .append(d.history().size())
          .append(" iterations of the kept model; final training objective ")
          .append(fmt(d.history().get(d.history().size() - 1).trainLoss()))
          .append(".</p>\n");
    }
    if (!d.candidates().isEmpty()) {
      h.append("<table class=\"grid\"><tr><th>candidate (* = selected)</th><th>iterations</th>")
          .append("<th>training objective</th><th>selection score</th></tr>\n");
      for (ReportData.Step s : d.candidates()) {
        h.append("<tr><td>")
            .append(esc(s.candidate()))
            .append("</td><td class=\"num\">")
            .append(s.iteration())
            .append("</td><td class=\"num\">")
            .append(fmt(s.trainLoss()))
            .append("</td><td class=\"num\">")
            .append(s.validationMetric() == null ? "" : fmt(s.validationMetric()))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
  }

  /** The hyperparameters, then every key of the run's effective configuration (collapsed). */
  static void configuration(StringBuilder h, ReportData d) {
    if (d.config().isEmpty()) {
      return;
    }
    h.append("<h2>Configuration</h2>\n<p>The run's effective configuration (")
        .append("<code>runs.config_json</code>: defaults, the config file and <code>--set</code>,")
        .append(" secrets redacted).</p>\n<table class=\"kv\">\n");
    for (Map.Entry<String, String> e : d.config().entrySet()) {
      if (HYPERPARAMETER_PREFIXES.stream().anyMatch(p -> e.getKey().startsWith(p))) {
        row(h, e);
      }
    }
    h.append("</table>\n<details><summary>Every key (")
        .append(d.config().size())
        .append(")</summary>\n<table class=\"kv\">\n");
    d.config().entrySet().forEach(e -> row(h, e));
    h.append("</table>\n</details>\n");
  }

  private static void row(StringBuilder h, Map.Entry<String, String> e) {
    h.append("<tr><th>")
        .append(esc(e.getKey()))
        .append("</th><td>")
        .append(esc(e.getValue()))
        .append("</td></tr>\n");
  }
}
