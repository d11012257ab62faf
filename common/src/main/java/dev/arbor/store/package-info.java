/**
 * Store: committing file outputs so that readers see either a run's complete output or the previous
 * one, never a mix. {@link dev.arbor.store.StagedOutput} stages a folder next to its target on the
 * same Hadoop filesystem and swaps it into place; {@code prep} and {@code demo} write through it.
 */
package dev.arbor.store;
