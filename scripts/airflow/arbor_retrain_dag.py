"""Arbor nightly retraining: ``prepare >> train >> evaluate >> promote``, one ``spark-submit`` per stage.

Each DAG run trains one model (``params.model``) for one run date, the DAG run's ``{{ ds }}``,
which every task passes to Arbor as ``--run-date``. The command line of each task is exactly
Arbor's own::

    spark-submit --class dev.arbor.jobs.Main [--jars ICEBERG[,SQLITE]] [--conf k=v]... ARBOR_JAR \\
        <stage> --config CONFIG --run-date {{ ds }} --set model.name=MODEL [--resume]

Why one task per stage rather than one ``pipeline`` task
    * Retries are per stage: a failed ``evaluate`` re-runs only ``evaluate``, not hours of training.
    * A retry of ``train`` passes ``--resume`` and continues from the checkpoint that the failed
      attempt left for the same model, run date and config (``train.checkpoint-every`` must be
      > 0 in the config); the run ends with exactly the weights an uninterrupted run produces.
      ``--resume`` is passed on every attempt: with no checkpoint for this model, run date and
      config (the first attempt), train starts from scratch. A checkpoint is matched by model,
      run date, config, the fingerprint of the prepared data and the initial weights: after the
      input of a date changed and ``prepare`` ran again, ``train`` ignores the old checkpoint
      (a WARN in its log) and starts from scratch; nothing needs deleting.
    * Each stage gets its own Spark application (``name``), logs, duration and failure in the
      Airflow UI, and can be sized on its own.
    * ``promote`` is the promotion gate: it compares the new model with the promoted one of the
      same name on the run's test split and moves ``<output.root>/models/<model>/PROMOTED.json``
      (what ``arbor score`` applies by default) only when the model is not worse beyond
      ``promote.tolerance``. A rejected model fails the task with exit code 5 (or only warns,
      ``promote.on-reject = warn``); a retry cannot change the decision, so it fails again
      quickly. Clear the task after fixing the model, or promote by hand with a larger
      tolerance (``--set promote.tolerance=...``).
    The price is four JVM/Spark start-ups instead of one, negligible for nightly jobs.

Idempotency
    Every stage writes only the outputs of its (model, run date) and replaces them as a whole:
    prepared splits and models are committed by an atomic rename of a run-date folder, and the
    evaluation tables by an Iceberg ``overwritePartitions`` of the run-date partition. A retry, a
    cleared task or a backfill of the same date therefore replaces, never duplicates. ``promote``
    records its decision the same way (table ``promotions``) and then replaces the pointer file
    by one atomic rename; re-running it for a date it promoted compares with the model that date
    replaced, so the decision and the pointer come out the same.

Schedule, catch-up, backfill
    * An explicit ``CronDataIntervalTimetable`` makes ``{{ ds }}`` mean the same in Airflow 2 and
      3: the run that starts at 03:00 UTC on day D+1 covers the interval D 03:00 - D+1 03:00 and
      has ``ds`` = D. (A bare ``"@daily"`` would give ``ds`` = D+1 under Airflow 3's default
      ``CronTriggerTimetable``.) Date-partitioned input for D is expected by 03:00 on D+1.
    * ``catchup=False``: after an outage, only the latest date runs automatically; older dates are
      backfilled on purpose (``airflow dags backfill`` on 2.x, ``airflow backfill create`` on 3.x).
    * ``max_active_runs=1``: dates run one after the other, in order during a backfill, so two
      runs never compete for the cluster and ``train.warm-start = previous`` finds the previous
      date's model.

Retries
    Each task retries twice, 10 minutes apart, then with exponential back-off up to one hour.
    Arbor exits 1 for failures that may be transient (Spark, I/O), 6 when another job holds the
    lock of the same model and run date (a retry after it finished succeeds or skips), 52 when the
    JVM ran out of memory (raise the memory), and 2/3/4/5 for usage, config, data errors and a
    rejected model, which a retry cannot fix; Airflow's SparkSubmitHook does not distinguish them,
    so such a retry fails again quickly (2 and 3 before Spark even starts).

Airflow Variables (all optional; read when a task runs, never when the file is parsed)
    ``arbor_jar``         the shaded jobs jar (default ``/opt/arbor/arbor-jobs.jar``)
    ``arbor_config``      the Arbor config file, readable by the driver
                          (default ``/opt/arbor/conf/production.conf``)
    ``arbor_extra_jars``  comma-separated jars for ``--jars``: the Iceberg Spark runtime, plus
                          sqlite-jdbc when the config uses Iceberg's JDBC catalog on SQLite
                          (default ``/opt/arbor/lib/iceberg-spark-runtime-4.0_2.13-1.11.0.jar``)
    The Spark master, deploy mode and queue come from the Airflow connection ``spark_default``.
    The config is read by the driver before Spark starts, so with ``deploy-mode cluster`` it must
    be on a path every node can read (or baked into the image); client mode (the default) reads
    it on the Airflow worker.

Compatibility: Airflow 2.4+ (``schedule=``) and Airflow 3, with
``apache-airflow-providers-apache-spark``.
"""

from __future__ import annotations

import datetime

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

DAG_ID = "arbor_retrain"

# The stages in order; each is an Arbor command of the same name.
STAGES = ("prepare", "train", "evaluate", "promote")

# Rendered when a task runs (Jinja), never at parse time.
JAR = "{{ var.value.get('arbor_jar', '/opt/arbor/arbor-jobs.jar') }}"
CONFIG = "{{ var.value.get('arbor_config', '/opt/arbor/conf/production.conf') }}"
EXTRA_JARS = (
    "{{ var.value.get('arbor_extra_jars',"
    " '/opt/arbor/lib/iceberg-spark-runtime-4.0_2.13-1.11.0.jar') }}"
)
MODEL = "{{ params.model }}"
RUN_DATE = "{{ ds }}"

# Spark settings of every stage (spark-submit --conf; the Arbor config's spark.conf map only
# fills keys that are not set here).
SPARK_CONF = {
    # Dates and timestamps in UTC whatever the cluster's zone: reproducible runs.
    "spark.sql.session.timeZone": "UTC",
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.sql.adaptive.enabled": "true",
    # Airflow owns the retries (with --resume for train): no second YARN attempt behind its back.
    "spark.yarn.maxAppAttempts": "1",
}

# Extra arguments per stage, after the common ones.
STAGE_ARGS = {
    # Continue from the checkpoint an earlier attempt left when its model, run date, config, data
    # and initial weights match this attempt's (else train starts from scratch).
    "train": ["--resume"],
}


def arbor_args(stage: str) -> list[str]:
    """Arbor's command line for one stage: ``<stage> --config F --run-date D [--set k=v]...``."""
    return [
        stage,
        "--config",
        CONFIG,
        "--run-date",
        RUN_DATE,
        "--set",
        f"model.name={MODEL}",
        *STAGE_ARGS.get(stage, []),
    ]


with DAG(
    dag_id=DAG_ID,
    description="Arbor nightly retraining: prepare, train, evaluate, promote (spark-submit)",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("0 3 * * *", timezone="UTC"),
    # A constant: never derived from the clock.
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=datetime.timedelta(hours=12),
    params={"model": "demo"},
    default_args={
        "owner": "arbor",
        "retries": 2,
        "retry_delay": datetime.timedelta(minutes=10),
        "retry_exponential_backoff": True,
        "max_retry_delay": datetime.timedelta(hours=1),
        "execution_timeout": datetime.timedelta(hours=6),
        "depends_on_past": False,
    },
    tags=["arbor", "spark"],
) as dag:
    tasks = [
        SparkSubmitOperator(
            task_id=stage,
            conn_id="spark_default",
            application=JAR,
            java_class="dev.arbor.jobs.Main",
            jars=EXTRA_JARS,
            conf=dict(SPARK_CONF),
            # The job's own session name, so the Spark UI, YARN and Airflow agree.
            name=f"arbor-{stage}-{MODEL}-{RUN_DATE}",
            application_args=arbor_args(stage),
        )
        for stage in STAGES
    ]
    for upstream, downstream in zip(tasks, tasks[1:]):
        upstream >> downstream
