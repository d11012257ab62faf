package dev.arbor.gpu;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code gpu-explain} prints: per stage plan, the operators that would run on the GPU, every
 * line that would not (with RAPIDS' reason), and a coverage figure, plus the stages that could not
 * be explained and why.
 *
 * <p>Coverage = lines that would run on the GPU ({@code *}) / all operator and expression lines
 * ({@code *}, {@code !}, {@code ^} and {@code @}: an {@code @} expression "could run on GPU" but
 * stays on the CPU because its operator does). The verdict fails when a {@link
 * StagePlan.Weight#HEAVY heavy} plan has any fallback, or when no plan at all was explained.
 *
 * <p>Build with {@link #add} and {@link #skip}; not thread-safe.
 */
public final class GpuExplainReport {
  private final List<Entry> entries = new ArrayList<>();
  private final List<String[]> skipped = new ArrayList<>();

  /** One explained plan. */
  public record Entry(StagePlan plan, GpuCoverage coverage) {
    /** Lines on the GPU. */
    public int gpu() {
      return coverage.gpuLines().size();
    }

    /** All operator and expression lines. */
    public int total() {
      return gpu() + coverage.fallbacks().size() + coverage.cpuBoundLines().size();
    }

    /** Whether this plan fails the verdict: heavy, with a fallback. */
    public boolean failing() {
      return plan.weight() == StagePlan.Weight.HEAVY && !coverage.fallbacks().isEmpty();
    }
  }

  /** Explains {@code plan} (asks RAPIDS; runs nothing) and adds it. */
  public GpuExplainReport add(StagePlan plan) {
    entries.add(new Entry(plan, GpuCoverage.of(plan.plan())));
    return this;
  }

  /** Records that {@code stage}'s plans could not be built, and why. */
  public GpuExplainReport skip(String stage, String reason) {
    skipped.add(new String[] {stage, reason});
    return this;
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The heavy plans with fallbacks. */
  public List<Entry> failing() {
    return entries.stream().filter(Entry::failing).toList();
  }

  /** Whether every heavy plan would run on the GPU and at least one plan was explained. */
  public boolean passed() {
    return !entries.isEmpty() && failing().isEmpty();
  }

  /** GPU lines over all operator and expression lines of every plan, in [0, 1]. */
  public double coverage() {
    int gpu = entries.stream().mapToInt(Entry::gpu).sum();
    int total = entries.stream().mapToInt(Entry::total).sum();
    return total == 0 ? 0 : (double) gpu / total;
  }

  /** The report as text: one block per plan, the skipped stages, a summary line. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("GPU plan coverage (RAPIDS ExplainPlan: the plans are built, not executed)\n");
    for (Entry e : entries) {
      StagePlan p = e.plan();
      out.append('\n')
          .append(
              String.format(
                  Locale.ROOT,
                  "[%s] %s (%s): %s on GPU (%d of %d lines), %d fallback(s)%n",
                  p.stage(),
                  p.description(),
                  p.weight().name().toLowerCase(Locale.ROOT),
                  percent(e.gpu(), e.total()),
                  e.gpu(),
                  e.total(),
                  e.coverage().fallbacks().size()));
      for (String op : gpuOperators(e.coverage())) {
        out.append("  GPU  ").append(op).append('\n');
      }
      for (String line : e.coverage().fallbacks()) {
        out.append("  CPU  ").append(line).append('\n');
      }
    }
    for (String[] s : skipped) {
      out.append('\n')
          .append('[')
          .append(s[0])
          .append("] not explained: ")
          .append(s[1])
          .append('\n');
    }
    int gpu = entries.stream().mapToInt(Entry::gpu).sum();
    int total = entries.stream().mapToInt(Entry::total).sum();
    out.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "Total: %s of operator/expression lines on GPU (%d of %d) over %d plan(s); %d"
                    + " stage(s) not explained; heavy plans with fallbacks: %s%n",
                percent(gpu, total),
                gpu,
                total,
                entries.size(),
                skipped.size(),
                failing().isEmpty()
                    ? "none"
                    : String.join(
                        ", ",
                        failing().stream()
                            .map(f -> f.plan().stage() + ": " + f.plan().description())
                            .toList())));
    return out.toString();
  }

  /** The distinct GPU operators ({@code *Exec} lines), by name, in plan order. */
  static List<String> gpuOperators(GpuCoverage coverage) {
    Set<String> ops = new LinkedHashSet<>();
    for (String line : coverage.gpuLines()) {
      if (line.startsWith("*Exec <")) {
        ops.add(line.substring("*Exec <".length(), line.indexOf('>')));
      }
    }
    return List.copyOf(ops);
  }

  private static String percent(int part, int total) {
    return total == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / total);
  }
}
