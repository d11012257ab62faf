package dev.arbor.catalog;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.QueryPlanningTracker;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Decides whether a SQL statement only reads, from its logical plans rather than its text (a
 * comment, a CTE or odd spacing cannot hide a write): the statement is parsed (nothing runs), the
 * parsed plan is checked, then analyzed (nothing runs either) and the analyzed plan is checked.
 *
 * <p>Read-only: a query (every node of both plans, subqueries and CTE definitions included, is not
 * a {@link Command}), or a {@code SHOW …}, {@code DESCRIBE …} or {@code EXPLAIN …} command.
 * Everything else is a write: {@code INSERT} (also {@code INSERT OVERWRITE DIRECTORY}), {@code
 * DELETE}, {@code UPDATE}, {@code MERGE}, DDL ({@code CREATE}, {@code DROP}, {@code ALTER}, {@code
 * TRUNCATE}), {@code CACHE}, {@code SET}, {@code USE}, {@code CALL}, {@code EXECUTE IMMEDIATE}, SQL
 * scripts.
 */
final class SqlSafety {
  /** Commands that only read: they list or describe. */
  private static final Pattern READ_COMMAND =
      Pattern.compile("(Show|Describe)[A-Za-z]*|ExplainCommand");

  /** Nodes that write or run other statements although they are not (yet) a Command. */
  private static final Pattern WRITE_NODE =
      Pattern.compile(".*(Insert|Write|ExecuteImmediate|Compound|Call|Merge|Update|Delete).*");

  private SqlSafety() {}

  /**
   * Refuses a statement that writes.
   *
   * @throws ArborException with {@link ExitCode#USAGE} naming the statement kind and {@code
   *     --write}
   */
  static void requireReadOnly(SparkSession spark, String statement) {
    LogicalPlan parsed;
    try {
      parsed = spark.sessionState().sqlParser().parsePlan(statement);
    } catch (AnalysisException e) {
      throw SqlRunner.invalid(e);
    }
    refuseWrites(parsed, statement);
    LogicalPlan analyzed =
        spark
            .sessionState()
            .analyzer()
            .executeAndCheck(parsed, new QueryPlanningTracker(scala.Option.empty()));
    refuseWrites(analyzed, statement);
  }

  private static void refuseWrites(LogicalPlan root, String statement) {
    List<QueryPlan<?>> todo = new ArrayList<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      QueryPlan<?> node = todo.remove(todo.size() - 1);
      String kind = node.getClass().getSimpleName();
      if (node instanceof Command) {
        if (READ_COMMAND.matcher(kind).matches()) {
          continue; // lists or describes; an explained statement is not run
        }
        throw refused(kind, statement);
      }
      if (WRITE_NODE.matcher(kind).matches()) {
        throw refused(kind, statement);
      }
      for (Object child : CollectionConverters.asJava(node.children())) {
        todo.add((QueryPlan<?>) child);
      }
      for (Object child : CollectionConverters.asJava(node.innerChildren())) {
        todo.add((QueryPlan<?>) child);
      }
      for (Object sub : CollectionConverters.asJava(node.subqueries())) {
        todo.add((QueryPlan<?>) sub);
      }
    }
  }

  private static ArborException refused(String kind, String statement) {
    String first = statement.strip().split("\\s+", 2)[0];
    return new ArborException(
        ExitCode.USAGE,
        "Cannot run SQL statement: "
            + first
            + " ("
            + kind
            + ") writes, and arbor sql is read-only (expected a query, SHOW, DESCRIBE or EXPLAIN;"
            + " pass --write to allow writes)");
  }
}
