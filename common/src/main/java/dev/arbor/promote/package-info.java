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
 * <p>The stage itself (scoring the champion, the decision, the {@code promotions} table row, the
 * pointer update) is in {@code dev.arbor.promote.stage}.
 */
package dev.arbor.promote;
