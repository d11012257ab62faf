/**
 * Optimizer and regularization from configuration: {@link dev.arbor.optim.config.OptimizerSettings}
 * and {@link dev.arbor.optim.config.RegularizationSettings} are the validated records of the {@code
 * train.optimizer} and {@code train.regularization} sections of {@code conf/arbor.conf}; {@link
 * dev.arbor.optim.config.Optimizers#create} builds the configured {@link
 * dev.arbor.optim.Optimizer}. The only place in {@code optim} that reads {@link
 * dev.arbor.config.ArborConfig}.
 */
package dev.arbor.optim.config;
