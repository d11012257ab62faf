package dev.arbor.bench;

import dev.arbor.nn.Activation;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.Blas;
import dev.arbor.nn.Dropout;
import dev.arbor.nn.NetworkPass;
import dev.arbor.nn.OutputLayer;
import dev.arbor.optim.sgd.Adam;
import java.util.Random;

/**
 * One thread's cost of a mini-batch step of the articles' network (784 → 128 relu → 10 softmax,
 * batch 32): forward and backward through the BLAS, then Adam. Prints the BLAS in use and the time
 * per step, separately for the passes and for the Adam update.
 */
public final class StepBench {
  private StepBench() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    Architecture arch =
        new Architecture(
            784, new int[] {128}, Activation.RELU, 10, OutputLayer.SOFTMAX_CROSS_ENTROPY, 1, 0);
    Random r = new Random(1);
    double[] x = new double[batch * 784];
    double[] y = new double[batch];
    double[] rw = new double[batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble();
    }
    for (int i = 0; i < batch; i++) {
      y[i] = r.nextInt(10);
      rw[i] = 1;
    }
    double[] w = arch.initialWeights(1);
    double[] g = new double[w.length];
    double[] eff = new double[w.length];
    NetworkPass pass = new NetworkPass(arch, batch);
    Adam adam = Adam.defaults();
    adam.initialise(arch.regularized());
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) {
      long passNanos = 0;
      long stepNanos = 0;
      for (int s = 0; s < steps; s++) {
        long t0 = cpu.getCurrentThreadCpuTime();
        java.util.Arrays.fill(g, 0);
        pass.lossAndGradient(w, x, y, rw, batch, g, Dropout.OFF);
        long t1 = cpu.getCurrentThreadCpuTime();
        adam.step(w, g, 1e-3, eff);
        stepNanos += cpu.getCurrentThreadCpuTime() - t1;
        passNanos += t1 - t0;
      }
      System.out.printf(
          "BLAS %s, batch %d: pass %.1f us/step, adam %.1f us/step -> %.2f s per 60,000-row epoch on one thread%n",
          Blas.implementation(),
          batch,
          passNanos / 1e3 / steps,
          stepNanos / 1e3 / steps,
          (passNanos + stepNanos) / 1e9 / steps * (60_000.0 / batch));
    }
  }
}
