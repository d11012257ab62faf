/**
 * The {@code promote} stage: the promotion gate of one run. {@link
 * dev.arbor.promote.stage.PromoteStage} reads the run's {@code runs} row and test score from the
 * evaluation tables ({@code dev.arbor.catalog}), scores the promoted model (the champion, named by
 * {@link dev.arbor.promote.PromotedPointer}) on the run's test split with {@link
 * dev.arbor.promote.stage.ChampionScoring} (the champion's prep model on the run's raw rows, the
 * evaluate stage's evaluators), decides, records the decision in the {@code promotions} table and
 * moves the pointer; {@link dev.arbor.promote.stage.PromoteResult} is what it decided.
 */
package dev.arbor.promote.stage;
