"""Arbor nightly retraining: ``prepare >> train >> evaluate >> promote``, one ``spark-submit`` per stage.

One DAG per model, generated from the list ``MODELS`` below: DAG ``arbor_retrain_<model>``.
Each DAG run trains its model for one run date, the DAG run's ``{{ ds }}``, which every task
passes to Arbor as ``--run-date``. The command line of each task is exactly Arbor's own::

    spark-submit --class dev.arbor.jobs.Main [--jars ICEBERG[,SQLITE]] [--conf k=v]... ARBOR_JAR \\
        <stage> --config CONFIG --run-date {{ ds }} --set model.name=MODEL [--resume]

Many models: one DAG each, one pool for all
    Add a line to ``MODELS`` per model (its name, and optionally its config file, schedule and
    pool slots). One DAG per model rather than one DAG mapping its tasks over the models: each
    model keeps its own schedule, history, retries, backfills and ``max_active_runs=1`` (the
    dates of one model run in order, for ``train.warm-start = previous``), and one model's failure
    or backfill does not hold the others. Every task of every model runs in the Airflow pool
    ``POOL`` (``arbor``), so however many models start at 03:00, at most the pool's slots of Spark
    applications run at once and the nightly runs do not starve the cluster. Create the pool once
    (``airflow pools set arbor 4 "Arbor Spark applications"``); a task waits (state ``scheduled``)
    while the pool is full. A model whose executors are larger can take several slots
    (``pool_slots``).

Failure hooks
    ``on_failure_callback`` (``notify_failure`` below, set for every task through
    ``default_args``) runs once a task has failed for good, after its retries, with the task's
    context: it logs one line naming the model, stage, run date, try and the error. Replace its
    body, or add to ``FAILURE_CALLBACKS``, to page or post (Slack, e-mail, an incident tool):
    each callback receives the Airflow context (``context["task_instance"]``, ``context["ds"]``,
    ``context["exception"]``) and must not raise. ``on_retry_callback`` can be set the same way
    for the intermediate failures.

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
    ``arbor_config_<model>``  the model's Arbor config file, readable by the driver (default: the
                          ``config`` of its ``MODELS`` entry, else ``/opt/arbor/conf/<model>.conf``)
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
import logging
import re

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

# The models, one DAG each: name (model.name: letters, digits, underscores), and optionally
# config (the Arbor config file; default /opt/arbor/conf/<name>.conf), schedule (cron in UTC;
# default 03:00) and pool_slots (pool slots each task takes; default 1). For example:
#   {"name": "churn", "config": "/opt/arbor/conf/churn.conf", "schedule": "0 4 * * *", "pool_slots": 2},
MODELS = [
    {"name": "demo"},
]

# The Airflow pool every Arbor task runs in: its size caps the Spark applications of all models.
POOL = "arbor"
DAG_ID_PREFIX = "arbor_retrain_"
DEFAULT_SCHEDULE = "0 3 * * *"

# The stages in order; each is an Arbor command of the same name.
STAGES = ("prepare", "train", "evaluate", "promote")

# Rendered when a task runs (Jinja), never at parse time.
JAR = "{{ var.value.get('arbor_jar', '/opt/arbor/arbor-jobs.jar') }}"
EXTRA_JARS = (
    "{{ var.value.get('arbor_extra_jars',"
    " '/opt/arbor/lib/iceberg-spark-runtime-4.0_2.13-1.11.0.jar') }}"
)
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

log = logging.getLogger(__name__)


def notify_failure(context) -> None:
    """``on_failure_callback`` of every task: one log line about a task that failed for good.

    Replace or extend (``FAILURE_CALLBACKS``) to alert; never raise from a callback.
    """
    ti = context.get("task_instance") or context.get("ti")
    params = context.get("params") or {}
    log.error(
        "Arbor %s failed for model %s, run date %s (try %s): %s",
        getattr(ti, "task_id", "?"),
        params.get("model", "?"),
        context.get("ds", "?"),
        getattr(ti, "try_number", "?"),
        context.get("exception"),
    )


# Every callback here runs when a task has failed for good (Airflow accepts a list).
FAILURE_CALLBACKS = [notify_failure]


def config_path(model: dict) -> str:
    """The model's config file: Variable ``arbor_config_<name>``, else its entry, else the default."""
    default = model.get("config", f"/opt/arbor/conf/{model['name']}.conf")
    return "{{ var.value.get('arbor_config_" + model["name"] + "', '" + default + "') }}"


def arbor_args(stage: str, model: dict) -> list[str]:
    """Arbor's command line for one stage: ``<stage> --config F --run-date D --set model.name=M``."""
    return [
        stage,
        "--config",
        config_path(model),
        "--run-date",
        RUN_DATE,
        "--set",
        f"model.name={model['name']}",
        *STAGE_ARGS.get(stage, []),
    ]


def check_models(models: list) -> None:
    """Fails the DAG file's import (shown by Airflow) on a bad or repeated model name."""
    seen = set()
    for m in models:
        name = m.get("name", "")
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise ValueError(f"Invalid model name in MODELS: {name!r} (letters, digits, _)")
        if name in seen:
            raise ValueError(f"Invalid MODELS: model {name!r} is listed twice")
        seen.add(name)


def build_dag(model: dict):
    """The DAG of one model: prepare >> train >> evaluate >> promote in the pool ``POOL``."""
    name = model["name"]
    with DAG(
        dag_id=DAG_ID_PREFIX + name,
        description=f"Arbor nightly retraining of {name}: prepare, train, evaluate, promote",
        doc_md=__doc__,
        schedule=CronDataIntervalTimetable(model.get("schedule", DEFAULT_SCHEDULE), timezone="UTC"),
        # A constant: never derived from the clock.
        start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=datetime.timedelta(hours=12),
        params={"model": name},
        default_args={
            "owner": "arbor",
            "retries": 2,
            "retry_delay": datetime.timedelta(minutes=10),
            "retry_exponential_backoff": True,
            "max_retry_delay": datetime.timedelta(hours=1),
            "execution_timeout": datetime.timedelta(hours=6),
            "depends_on_past": False,
            "pool": POOL,
            "pool_slots": model.get("pool_slots", 1),
            "on_failure_callback": FAILURE_CALLBACKS,
        },
        tags=["arbor", "spark", name],
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
                name=f"arbor-{stage}-{name}-{RUN_DATE}",
                application_args=arbor_args(stage, model),
            )
            for stage in STAGES
        ]
        for upstream, downstream in zip(tasks, tasks[1:]):
            upstream >> downstream
    return dag


check_models(MODELS)
# Module-level names, so every Airflow version finds the DAGs.
for _model in MODELS:
    globals()[DAG_ID_PREFIX + _model["name"]] = build_dag(_model)
