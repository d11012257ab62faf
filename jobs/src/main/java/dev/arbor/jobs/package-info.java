/**
 * The {@code arbor} command line: {@link dev.arbor.jobs.Main} (entry point of the shaded jar, run
 * by {@code spark-submit} or {@code scripts/arbor}) and one small class per subcommand. Commands
 * only parse arguments and wire library pieces from {@code common} together; a stage command
 * extends {@link dev.arbor.jobs.StageCommand}. Failures map to exit codes in {@link
 * dev.arbor.jobs.ErrorHandler}, and nowhere else.
 */
package dev.arbor.jobs;
