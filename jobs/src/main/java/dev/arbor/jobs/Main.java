package dev.arbor.jobs;

/** Placeholder. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {}
}
