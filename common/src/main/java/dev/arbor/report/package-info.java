/**
 * The run report: a self-contained HTML page about one (model, run date), built only from the
 * evaluation tables ({@code dev.arbor.catalog}) with SQL. {@link dev.arbor.report.ReportData} runs
 * the queries (with {@link dev.arbor.report.NightlyTrend}: the test metric across run dates and the
 * promotion decisions), {@link dev.arbor.report.Charts} draws the charts as inline SVG ({@link
 * dev.arbor.report.SvgChart}, no charting library), {@link dev.arbor.report.HtmlReport} and {@link
 * dev.arbor.report.HtmlSections} lay the page out, so the file can be mailed or archived alone.
 */
package dev.arbor.report;
