/**
 * The promotion gate (champion / challenger): contracts and the promoted-model pointer.
 *
 * <p>After {@code evaluate}, the model of a run (the challenger) is compared with the model
 * currently promoted for the same model name (the champion) on the run's test split, by one gate
 * metric ({@link dev.arbor.promote.GateMetric}); it is promoted unless it is worse by more than a
 * tolerance or its run failed the data checks ({@link dev.arbor.promote.PromoteSettings}). The
 * promoted model of a name is named by one small JSON file, {@link
 * dev.arbor.promote.PromotedPointer}, replaced atomically; scoring reads it. A rejection fails the
 * job with {@link dev.arbor.ExitCode#MODEL_REJECTED} ({@link
 * dev.arbor.promote.ModelRejectedException}) or only warns ({@link dev.arbor.promote.OnReject}).
 *
 * <p>The stage: {@link dev.arbor.promote.PromoteStage} reads the run's {@code runs} row and test
 * score from the evaluation tables ({@code dev.arbor.catalog}), scores the promoted model (the
 * champion) on the run's test split with {@link dev.arbor.promote.ChampionScoring} (the champion's
 * prep model on the run's raw rows, the evaluate stage's evaluators), decides, records the decision
 * in the {@code promotions} table and moves the pointer; {@link dev.arbor.promote.PromoteResult} is
 * what it decided. Like every stage it lives in the package named after it ({@code prep}, {@code
 * train}, {@code evaluate}, {@code promote}); {@code dev.arbor.pipeline} composes them.
 */
package dev.arbor.promote;
