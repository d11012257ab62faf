/**
 * {@link dev.arbor.runs.StageLedger} from the committed outputs of the stages, on any Hadoop
 * filesystem: each stage commits its run-date folder atomically (a staging folder renamed into
 * place), so the presence of the stage's last file in that folder means the stage completed.
 */
package dev.arbor.runs.outputs;
