/**
 * Configuration: {@code conf/arbor.conf} (shipped on the classpath as the reference) declares every
 * key with its default and a comment, once. {@link dev.arbor.config.ArborConfig} loads the
 * reference, a user file and {@code --set} overrides, rejects unknown keys and wrong types, and
 * offers typed, range-checked getters. Each stage builds its own immutable settings record from it
 * (for example {@code dev.arbor.prep.PrepareSettings}).
 */
package dev.arbor.config;
