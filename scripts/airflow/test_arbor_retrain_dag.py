"""Tests of arbor_retrain_dag.py without Airflow (it cannot be installed here).

The test installs a minimal stand-in for the few Airflow classes the DAG file uses into
``sys.modules``, imports the DAG file, checks its structure, renders every templated field for
one run with Jinja2 the way Airflow does (sandboxed environment, StrictUndefined), and runs the
rendered command lines through Arbor's real command line (``scripts/arbor <args> --dry-run``),
then runs the four tasks' commands for real, in order, on a small demo dataset.

Run from the project root with the system Python, which has Debian's python3-jinja2:

    /usr/bin/python3 -m unittest discover -s scripts/airflow -p 'test_*.py' -v

``scripts/test`` runs it after Maven. Each launch of scripts/arbor starts a JVM, so there are few.
"""

from __future__ import annotations

import ast
import datetime
import importlib.util
import json
import logging  # noqa: F401 - loaded before any DAG file in Airflow, as here
import os
import re  # noqa: F401 - idem
import shutil
import subprocess
import sys
import tempfile
import types
import unittest
from pathlib import Path

import jinja2
import jinja2.sandbox

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
DAG_FILE = HERE / "arbor_retrain_dag.py"
ARBOR = PROJECT / "scripts" / "arbor"

# The run rendered by the tests: the interval 2026-01-01 03:00 UTC - 2026-01-02 03:00 UTC, whose
# logical date (data interval start) gives ds = 2026-01-01 (the demo data's date).
UTC = datetime.timezone.utc
INTERVAL_START = datetime.datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
INTERVAL_END = datetime.datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
DS = "2026-01-01"

# Template fields of SparkSubmitOperator in every provider version the DAG supports: older
# providers (Airflow 2) template fewer fields (and under "_" names) than current ones, so the DAG
# may put Jinja only into these.
PORTABLE_TEMPLATE_FIELDS = {
    "application",
    "conf",
    "files",
    "py_files",
    "jars",
    "driver_class_path",
    "packages",
    "exclude_packages",
    "keytab",
    "principal",
    "proxy_user",
    "name",
    "application_args",
    "env_vars",
}
# Parameters of DAG(...) that exist in both Airflow 2.4+ and 3 (schedule_interval and concurrency
# are gone in 3, so they are not here).
DAG_PARAMS = {
    "dag_id",
    "description",
    "schedule",
    "start_date",
    "end_date",
    "template_searchpath",
    "template_undefined",
    "user_defined_macros",
    "user_defined_filters",
    "default_args",
    "max_active_tasks",
    "max_active_runs",
    "dagrun_timeout",
    "catchup",
    "on_success_callback",
    "on_failure_callback",
    "doc_md",
    "params",
    "access_control",
    "is_paused_upon_creation",
    "jinja_environment_kwargs",
    "render_template_as_native_obj",
    "tags",
    "owner_links",
}
# Keyword arguments of SparkSubmitOperator (and BaseOperator) the DAG may use.
OPERATOR_PARAMS = {
    "application",
    "conf",
    "conn_id",
    "files",
    "py_files",
    "archives",
    "driver_class_path",
    "jars",
    "java_class",
    "packages",
    "exclude_packages",
    "repositories",
    "total_executor_cores",
    "executor_cores",
    "executor_memory",
    "driver_memory",
    "keytab",
    "principal",
    "proxy_user",
    "name",
    "num_executors",
    "status_poll_interval",
    "application_args",
    "env_vars",
    "verbose",
    "spark_binary",
    "properties_file",
    "yarn_queue",
    "deploy_mode",
    # BaseOperator
    "task_id",
    "owner",
    "retries",
    "retry_delay",
    "retry_exponential_backoff",
    "max_retry_delay",
    "execution_timeout",
    "depends_on_past",
    "wait_for_downstream",
    "trigger_rule",
    "pool",
    "pool_slots",
    "priority_weight",
    "queue",
    "params",
    "doc_md",
    "email",
    "email_on_failure",
    "email_on_retry",
    "on_failure_callback",
    "on_retry_callback",
    "on_success_callback",
}


# ---- the stand-in for Airflow -------------------------------------------------------------------


class StandIn:
    """A minimal Airflow: DAG (context manager), SparkSubmitOperator, timetable, Variable."""

    def __init__(self) -> None:
        self.dags: list = []
        self.variable_reads: list = []
        stand_in = self

        class DAG:
            _stack: list = []

            def __init__(self, **kwargs):
                unknown = set(kwargs) - DAG_PARAMS
                if unknown:
                    raise TypeError(f"DAG() got unexpected keyword arguments {sorted(unknown)}")
                self.kwargs = kwargs
                self.dag_id = kwargs["dag_id"]
                self.tasks: dict = {}
                stand_in.dags.append(self)

            def __enter__(self):
                DAG._stack.append(self)
                return self

            def __exit__(self, *exc):
                DAG._stack.pop()
                return False

        class SparkSubmitOperator:
            template_fields = tuple(sorted(PORTABLE_TEMPLATE_FIELDS)) + (
                "post_submit_commands",
                "properties_file",
            )

            def __init__(self, **kwargs):
                unknown = set(kwargs) - OPERATOR_PARAMS
                if unknown:
                    raise TypeError(f"SparkSubmitOperator() got unexpected {sorted(unknown)}")
                if not DAG._stack:
                    raise RuntimeError("operator created outside a DAG context")
                self.dag = DAG._stack[-1]
                # As BaseOperator does: default_args fill the arguments not given.
                self.kwargs = {**self.dag.kwargs.get("default_args", {}), **kwargs}
                self.task_id = kwargs["task_id"]
                if self.task_id in self.dag.tasks:
                    raise ValueError(f"duplicate task id {self.task_id}")
                self.dag.tasks[self.task_id] = self
                self.upstream: set = set()
                self.downstream: set = set()

            def __rshift__(self, other):
                self.downstream.add(other.task_id)
                other.upstream.add(self.task_id)
                return other

            def __lshift__(self, other):
                other >> self
                return other

        class CronDataIntervalTimetable:
            def __init__(self, cron, timezone):
                self.cron = cron
                self.timezone = timezone

        class Variable:
            @staticmethod
            def get(key, default_var=None, deserialize_json=False):
                stand_in.variable_reads.append(key)
                return default_var

        self.DAG = DAG
        self.SparkSubmitOperator = SparkSubmitOperator
        self.CronDataIntervalTimetable = CronDataIntervalTimetable
        self.Variable = Variable

    def modules(self, airflow_major: int) -> dict:
        """The stand-in modules for Airflow 3 (``airflow.sdk``) or Airflow 2 (no ``airflow.sdk``)."""

        def module(name, **attrs):
            m = types.ModuleType(name)
            m.__path__ = []  # a package, so submodules import
            m.__dict__.update(attrs)
            return m

        mods = {
            "airflow": module("airflow"),
            "airflow.models": module("airflow.models", Variable=self.Variable),
            "airflow.providers": module("airflow.providers"),
            "airflow.providers.apache": module("airflow.providers.apache"),
            "airflow.providers.apache.spark": module("airflow.providers.apache.spark"),
            "airflow.providers.apache.spark.operators": module(
                "airflow.providers.apache.spark.operators"
            ),
            "airflow.providers.apache.spark.operators.spark_submit": module(
                "airflow.providers.apache.spark.operators.spark_submit",
                SparkSubmitOperator=self.SparkSubmitOperator,
            ),
            "airflow.timetables": module("airflow.timetables"),
            "airflow.timetables.interval": module(
                "airflow.timetables.interval",
                CronDataIntervalTimetable=self.CronDataIntervalTimetable,
            ),
        }
        if airflow_major >= 3:
            mods["airflow.sdk"] = module("airflow.sdk", DAG=self.DAG, Variable=self.Variable)
        else:
            mods["airflow"].DAG = self.DAG
        return mods


# Side effects that a DAG file must not have at parse time, as Python audit events.
_FORBIDDEN_EVENTS = ("open", "subprocess.Popen", "os.system", "os.exec", "os.spawn", "socket.")
_audit = {"on": False, "events": []}


def _audit_hook(event, args):
    if _audit["on"] and event.startswith(_FORBIDDEN_EVENTS):
        _audit["events"].append((event, args[:1]))


sys.addaudithook(_audit_hook)


def dag_code(models=None):
    """The DAG file compiled; with ``models``, its ``MODELS = [...]`` list replaced by them."""
    source = DAG_FILE.read_text(encoding="utf-8")
    if models is None:
        return compile(source, str(DAG_FILE), "exec")
    tree = ast.parse(source)
    (assign,) = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and [ast.unparse(t) for t in n.targets] == ["MODELS"]
    ]
    assign.value = ast.parse(repr(models), mode="eval").body
    return compile(ast.fix_missing_locations(tree), str(DAG_FILE), "exec")


def import_dag(airflow_major: int = 3, models=None):
    """Imports the DAG file against a fresh stand-in; returns (module, stand-in, side effects)."""
    stand_in = StandIn()
    saved = {k: v for k, v in sys.modules.items() if k == "airflow" or k.startswith("airflow.")}
    for k in saved:
        del sys.modules[k]
    sys.modules.update(stand_in.modules(airflow_major))
    code = dag_code(models)
    module = types.ModuleType("arbor_retrain_dag")
    module.__file__ = str(DAG_FILE)
    try:
        _audit["events"] = []
        _audit["on"] = True
        try:
            exec(code, module.__dict__)
        finally:
            _audit["on"] = False
    finally:
        for k in [k for k in sys.modules if k == "airflow" or k.startswith("airflow.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return module, stand_in, list(_audit["events"])


# ---- rendering, as Airflow does it --------------------------------------------------------------


class _VariableValues:
    """``var.value``: ``{{ var.value.get('k', default) }}`` and ``{{ var.value.k }}``."""

    def __init__(self, values: dict, reads: list):
        self._values = values
        self._reads = reads

    def get(self, key, default_var=None):
        self._reads.append(key)
        return self._values.get(key, default_var)

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        self._reads.append(key)
        return self._values[key]


def render_task(task, variables: dict, try_number: int = 1) -> dict:
    """Renders the task's templated fields for the test run; returns {field: rendered value}."""
    dag = task.dag
    env = jinja2.sandbox.SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"], cache_size=0
    )
    reads: list = []
    context = {
        "ds": INTERVAL_START.strftime("%Y-%m-%d"),
        "ds_nodash": INTERVAL_START.strftime("%Y%m%d"),
        "ts": INTERVAL_START.isoformat(),
        "logical_date": INTERVAL_START,
        "data_interval_start": INTERVAL_START,
        "data_interval_end": INTERVAL_END,
        "run_id": "scheduled__" + INTERVAL_START.isoformat(),
        "params": {**dag.kwargs.get("params", {}), **task.kwargs.get("params", {})},
        "var": types.SimpleNamespace(value=_VariableValues(variables, reads)),
        "ti": types.SimpleNamespace(try_number=try_number, task_id=task.task_id),
        "task": task,
        "dag": dag,
    }

    def render(value):
        if isinstance(value, str):
            return env.from_string(value).render(**context)
        if isinstance(value, (list, tuple)):
            return type(value)(render(v) for v in value)
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        return value

    rendered = {
        field: render(task.kwargs[field])
        for field in task.template_fields
        if task.kwargs.get(field) is not None
    }
    rendered["_variable_reads"] = reads
    return rendered


def templated_strings(value):
    """Every string inside value that contains Jinja."""
    if isinstance(value, str):
        return [value] if ("{{" in value or "{%" in value) else []
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in templated_strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in templated_strings(v)]
    return []


def run_arbor(args: list, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("SPARK_HOME", None)
    return subprocess.run(
        [str(ARBOR), *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def launcher_args(rendered: dict) -> list:
    """scripts/arbor options for the rendered spark-submit settings: master, --conf, app name."""
    args = ["--master", "local[1]"]
    for key, value in rendered["conf"].items():
        args += ["--conf", f"{key}={value}"]
    args += ["--conf", f"spark.app.name={rendered['name']}"]
    return args


# ---- the tests ----------------------------------------------------------------------------------


class DagStructureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.module, cls.stand_in, cls.side_effects = import_dag(airflow_major=3)
        (cls.dag,) = cls.stand_in.dags

    def test_imports_without_side_effects_or_variable_reads(self):
        self.assertEqual(self.side_effects, [], "the DAG file did I/O while being parsed")
        self.assertEqual(self.stand_in.variable_reads, [], "Variable.get at parse time")

    def test_imports_under_airflow_2_too(self):
        module, stand_in, effects = import_dag(airflow_major=2)
        self.assertEqual([d.dag_id for d in stand_in.dags], ["arbor_retrain_demo"])
        self.assertEqual(
            list(stand_in.dags[0].tasks), ["prepare", "train", "evaluate", "promote"]
        )
        self.assertEqual(effects, [])

    def test_one_dag_per_model_of_the_list_under_airflow_2_and_3(self):
        models = [
            {"name": "churn", "config": "/etc/arbor/churn.conf", "schedule": "0 4 * * *"},
            {"name": "fraud", "pool_slots": 3},
            {"name": "ltv"},
        ]
        for major in (2, 3):
            with self.subTest(airflow=major):
                module, stand_in, effects = import_dag(airflow_major=major, models=models)
                self.assertEqual(effects, [])
                ids = [d.dag_id for d in stand_in.dags]
                self.assertEqual(ids, ["arbor_retrain_churn", "arbor_retrain_fraud", "arbor_retrain_ltv"])
                # Module-level names, so Airflow finds each DAG.
                self.assertEqual([getattr(module, i).dag_id for i in ids], ids)
                churn, fraud, ltv = stand_in.dags
                self.assertEqual(churn.kwargs["schedule"].cron, "0 4 * * *")
                self.assertEqual(fraud.kwargs["schedule"].cron, "0 3 * * *")
                for dag, slots in ((churn, 1), (fraud, 3), (ltv, 1)):
                    self.assertEqual(list(dag.tasks), ["prepare", "train", "evaluate", "promote"])
                    self.assertEqual(dag.kwargs["max_active_runs"], 1)
                    for task in dag.tasks.values():
                        self.assertEqual(task.kwargs["pool"], "arbor")
                        self.assertEqual(task.kwargs["pool_slots"], slots)
                rendered = render_task(churn.tasks["train"], variables={})
                self.assertEqual(
                    rendered["application_args"],
                    ["train", "--config", "/etc/arbor/churn.conf", "--run-date", DS]
                    + ["--set", "model.name=churn", "--resume"],
                )
                self.assertEqual(rendered["name"], f"arbor-train-churn-{DS}")
                rendered = render_task(ltv.tasks["prepare"], {"arbor_config_ltv": "/x/ltv.conf"})
                self.assertIn("/x/ltv.conf", rendered["application_args"])
                self.assertIn("model.name=ltv", rendered["application_args"])

    def test_a_bad_or_repeated_model_name_fails_the_import(self):
        for models, message in (
            ([{"name": "churn-v2"}], "Invalid model name in MODELS: 'churn-v2'"),
            ([{"name": "a"}, {"name": "a"}], "model 'a' is listed twice"),
        ):
            with self.subTest(models=models):
                with self.assertRaises(ValueError) as caught:
                    import_dag(models=models)
                self.assertIn(message, str(caught.exception))

    def test_every_task_runs_in_the_pool_and_reports_failures(self):
        for task in self.dag.tasks.values():
            with self.subTest(task=task.task_id):
                self.assertEqual(task.kwargs["pool"], "arbor")
                self.assertEqual(task.kwargs["pool_slots"], 1)
                self.assertEqual(task.kwargs["on_failure_callback"], [self.module.notify_failure])
                # default_args hold only arguments an operator accepts.
                unknown = set(self.dag.kwargs["default_args"]) - OPERATOR_PARAMS
                self.assertEqual(unknown, set())

    def test_the_failure_callback_logs_one_line_and_never_raises(self):
        ti = types.SimpleNamespace(task_id="train", try_number=3)
        context = {"task_instance": ti, "ds": DS, "params": {"model": "demo"},
                   "exception": RuntimeError("exit code 1")}
        with self.assertLogs(self.module.log, level="ERROR") as logs:
            self.module.notify_failure(context)
        self.assertEqual(
            [r.getMessage() for r in logs.records],
            [f"Arbor train failed for model demo, run date {DS} (try 3): exit code 1"],
        )
        with self.assertLogs(self.module.log, level="ERROR"):
            self.module.notify_failure({})  # a sparse context must not raise either

    def test_never_reads_the_clock(self):
        tree = ast.parse(DAG_FILE.read_text(encoding="utf-8"))
        clock = {"now", "utcnow", "today", "days_ago", "time"}
        calls = [
            ast.unparse(node.func)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr in clock)
                or (isinstance(node.func, ast.Name) and node.func.id in clock)
            )
        ]
        self.assertEqual(calls, [])

    def test_tasks_run_prepare_then_train_then_evaluate_then_promote(self):
        tasks = self.dag.tasks
        self.assertEqual(list(tasks), ["prepare", "train", "evaluate", "promote"])
        self.assertEqual(tasks["prepare"].upstream, set())
        self.assertEqual(tasks["prepare"].downstream, {"train"})
        self.assertEqual(tasks["train"].upstream, {"prepare"})
        self.assertEqual(tasks["train"].downstream, {"evaluate"})
        self.assertEqual(tasks["evaluate"].upstream, {"train"})
        self.assertEqual(tasks["evaluate"].downstream, {"promote"})
        self.assertEqual(tasks["promote"].upstream, {"evaluate"})
        self.assertEqual(tasks["promote"].downstream, set())

    def test_schedule_and_run_policy(self):
        kw = self.dag.kwargs
        self.assertIs(kw["catchup"], False)
        self.assertEqual(kw["max_active_runs"], 1)
        self.assertEqual(kw["start_date"], datetime.datetime(2026, 1, 1, tzinfo=UTC))
        schedule = kw["schedule"]
        self.assertIsInstance(schedule, self.stand_in.CronDataIntervalTimetable)
        self.assertEqual((schedule.cron, schedule.timezone), ("0 3 * * *", "UTC"))
        self.assertEqual(kw["params"], {"model": "demo"})

    def test_every_task_retries_with_a_delay(self):
        for task in self.dag.tasks.values():
            with self.subTest(task=task.task_id):
                self.assertEqual(task.kwargs["retries"], 2)
                self.assertEqual(task.kwargs["retry_delay"], datetime.timedelta(minutes=10))
                self.assertLessEqual(task.kwargs["execution_timeout"], datetime.timedelta(hours=6))

    def test_templates_only_in_fields_every_provider_templates(self):
        for task in self.dag.tasks.values():
            for field, value in task.kwargs.items():
                if templated_strings(value):
                    with self.subTest(task=task.task_id, field=field):
                        self.assertIn(field, PORTABLE_TEMPLATE_FIELDS)

    def test_renders_with_defaults_when_no_variable_is_set(self):
        rendered = render_task(self.dag.tasks["prepare"], variables={})
        self.assertEqual(rendered["application"], "/opt/arbor/arbor-jobs.jar")
        self.assertEqual(
            rendered["jars"], "/opt/arbor/lib/iceberg-spark-runtime-4.0_2.13-1.11.0.jar"
        )
        self.assertEqual(
            rendered["application_args"],
            [
                "prepare",
                "--config",
                "/opt/arbor/conf/demo.conf",
                "--run-date",
                DS,
                "--set",
                "model.name=demo",
            ],
        )
        self.assertEqual(
            sorted(set(rendered["_variable_reads"])),
            ["arbor_config_demo", "arbor_extra_jars", "arbor_jar"],
        )

    def test_renders_each_stage_command_for_the_run_date(self):
        variables = {"arbor_jar": "/j/a.jar", "arbor_config_demo": "/c/m.conf", "arbor_extra_jars": "x"}
        for stage in ("prepare", "train", "evaluate", "promote"):
            with self.subTest(stage=stage):
                task = self.dag.tasks[stage]
                rendered = render_task(task, variables)
                self.assertEqual(task.kwargs["java_class"], "dev.arbor.jobs.Main")
                self.assertEqual(rendered["application"], "/j/a.jar")
                self.assertEqual(rendered["jars"], "x")
                self.assertEqual(rendered["name"], f"arbor-{stage}-demo-{DS}")
                self.assertEqual(rendered["conf"]["spark.sql.session.timeZone"], "UTC")
                self.assertEqual(rendered["conf"]["spark.yarn.maxAppAttempts"], "1")
                expected = [stage, "--config", "/c/m.conf", "--run-date", DS]
                expected += ["--set", "model.name=demo"]
                expected += ["--resume"] if stage == "train" else []
                self.assertEqual(rendered["application_args"], expected)
                self.assertEqual(templated_strings(rendered), [])


@unittest.skipUnless(os.access(ARBOR, os.X_OK), "scripts/arbor not found")
class RenderedCommandsRunThroughArborTest(unittest.TestCase):
    """The rendered command lines, through the real CLI (one JVM each)."""

    @classmethod
    def setUpClass(cls):
        _, stand_in, _ = import_dag()
        (cls.dag,) = stand_in.dags
        cls.tmp = tempfile.TemporaryDirectory(prefix="arbor-dag-test-")
        root = Path(cls.tmp.name)
        # A local stand-in for the production config: date-partitioned input (the demo data in
        # the partition of the run date, written by the test), outputs in a temp dir.
        cls.config = root / "dag-test.conf"
        cls.config.write_text(
            f'input.path = "{root / "input"}"\n'
            'input.date-partition-column = "event_date"\n'
            f'output.root = "{root / "output"}"\n'
            "demo.rows = 5000\n"
            f'catalog.uri = "jdbc:sqlite:{root / "warehouse" / "catalog.db"}"\n'
            f'catalog.warehouse = "{root / "warehouse"}"\n',
            encoding="utf-8",
        )
        cls.output = root / "output"
        cls.partition = root / "input" / f"event_date={DS}"
        # The dry runs check the production example config (REST catalog, HDFS paths: nothing is
        # read); the real run of prepare uses the local config.
        cls.production = {"arbor_config_demo": str(PROJECT / "conf" / "production-example.conf")}
        cls.local = {"arbor_config_demo": str(cls.config)}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rendered(self, stage, variables):
        return render_task(self.dag.tasks[stage], variables)

    def test_every_rendered_command_passes_the_dry_run(self):
        for stage in ("prepare", "train", "evaluate", "promote"):
            with self.subTest(stage=stage):
                rendered = self.rendered(stage, self.production)
                self.assertIn(self.production["arbor_config_demo"], rendered["application_args"])
                args = launcher_args(rendered) + rendered["application_args"] + ["--dry-run"]
                result = run_arbor(args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(
                    result.stdout.strip().splitlines()[-1],
                    f"arbor {stage}: dry run: configuration valid for model demo, run date {DS};"
                    " Spark not started",
                )

    def test_a_bad_run_date_is_a_usage_error(self):
        rendered = self.rendered("prepare", self.production)
        args = rendered["application_args"]
        bad = args[: args.index("--run-date") + 1] + ["2026-02-30"]
        bad += args[args.index("--run-date") + 2 :] + ["--dry-run"]
        result = run_arbor(launcher_args(rendered) + bad)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(
            "arbor: error: Invalid value for option '--run-date': '2026-02-30'"
            " (expected a calendar date YYYY-MM-DD)",
            result.stderr,
        )

    def test_the_tasks_run_locally_in_order(self):
        """The four rendered commands for real, in DAG order, on the demo data."""
        generated = run_arbor(
            ["--master", "local[1]", "generate", "--config", str(self.config)]
            + ["--output", str(self.partition)]
        )
        self.assertEqual(generated.returncode, 0, generated.stderr[-4000:])
        # The day before holds the same rows: reading it too would double the input.
        shutil.copytree(self.partition, self.partition.with_name("event_date=2025-12-31"))
        summaries = {}
        for stage in ("prepare", "train", "evaluate", "promote"):
            rendered = self.rendered(stage, self.local)
            result = run_arbor(
                ["--conf", "spark.driver.memory=2g"]
                + launcher_args(rendered)
                + rendered["application_args"],
                timeout=1200,
            )
            self.assertEqual(result.returncode, 0, f"{stage}: " + result.stderr[-4000:])
            summaries[stage] = result.stdout
        prepared = self.output / "prepared" / "demo" / f"run_date={DS}"
        for split in ("train", "validation", "test"):
            with self.subTest(split=split):
                self.assertTrue(list((prepared / split).glob("*.parquet")), prepared / split)
        self.assertTrue((prepared / "prep-model.json").is_file())
        self.assertTrue((self.output / "models" / "demo" / f"run_date={DS}" / "model.json").is_file())
        # --run-date selected the run date's partition: all 5000 demo rows, no other date.
        self.assertIn("prepared 5000 input rows", summaries["prepare"])
        self.assertIn("trained demo", summaries["train"])
        self.assertTrue(summaries["evaluate"].strip(), "evaluate printed no summary")
        # The first run of the model is promoted; the pointer names its copies.
        self.assertRegex(summaries["promote"], rf"^first demo {DS} \(run r-[0-9a-f]{{16}}\): ")
        pointer = json.loads((self.output / "models" / "demo" / "PROMOTED.json").read_text())
        self.assertEqual(pointer["current"]["runDate"], DS)
        self.assertTrue(Path(pointer["current"]["modelPath"]).is_file(), pointer)

if __name__ == "__main__":
    unittest.main()
