/** Arbor: linear-model training on Apache Spark. The library behind the jobs in {@code jobs/}. */
package dev.arbor;
