/**
 * The run report: a self-contained HTML page about one (model, run date), built only from the
 * evaluation tables ({@code dev.arbor.catalog}) with SQL. {@link dev.arbor.report.ReportData} runs
 * the queries, {@link dev.arbor.report.Charts} draws the charts with JFreeChart (PNG, headless
 * AWT), {@link dev.arbor.report.HtmlReport} lays the page out with the charts embedded as base64
 * images, so the file can be mailed or archived alone.
 */
package dev.arbor.report;
