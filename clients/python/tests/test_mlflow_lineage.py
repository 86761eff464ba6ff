"""Pure mapping of an MLflow run to a run submission: what maps, and what is reported instead of guessed."""

from modelreg.mlflow_lineage import DatasetInput, MlflowRunFacts, map_run, packages_from_requirements

GIT = {"mlflow.source.git.repoURL": "git@example.com:ml/fraud.git", "mlflow.source.git.commit": "f3a9c21e", "modelreg.code_hash": "sha256-1"}
DATA = DatasetInput("transactions", "9a1b", "s3://warehouse/txn", {"modelreg.covered_from": "2024-01-10", "modelreg.covered_to": "2024-01-24"})
ENVIRONMENT = {"cpuModel": "x", "os": "y", "kernel": "z", "packages": []}


def run(**overrides: object) -> MlflowRunFacts:
    fields: dict[str, object] = {
        "run_id": "abc123", "experiment_id": "1", "params": {"learning_rate": "0.001", "batch_size": "2048", "shuffle": "True", "optimizer": "adam", "seed": "42"},
        "metrics": {"auc": 0.91}, "tags": GIT, "datasets": [DATA], "environment": ENVIRONMENT,
    }
    fields.update(overrides)
    return MlflowRunFacts(**fields)  # type: ignore[arg-type]


def test_maps_a_complete_run() -> None:
    mapped = map_run("fraud-model", run(), [], source="models:/m-1")
    s = mapped.submission
    assert mapped.unmapped == [] and mapped.blocking == []
    assert s["trainingRunId"] == "mlflow:abc123"
    assert s["hyperparameters"] == {"learning_rate": {"double": 0.001}, "batch_size": 2048, "shuffle": True, "optimizer": "adam"}
    assert s["seeds"] == {"seed": "42"}
    assert s["dataSnapshots"] == [{"snapshotId": "transactions@9a1b", "source": "s3://warehouse/txn", "coveredFrom": "2024-01-10", "coveredTo": "2024-01-24"}]
    assert s["labels"] == {"mlflow.run_id": "abc123", "mlflow.experiment_id": "1", "mlflow.source": "models:/m-1"}
    assert s["environment"] == ENVIRONMENT


def test_reports_what_mlflow_does_not_hold_and_blocks_only_on_required_facts() -> None:
    bare = run(tags={}, datasets=[], environment=None, params={"lr": "0.1", "bad name": "1"}, metrics={"auc": 0.9, "val/loss": 0.3}, requirements="torch==2.11.0\nNumPy==2.3.4 ; python_version>'3'\n-e .\n")
    mapped = map_run("fraud-model", bare, [], source="models:/m-1")
    fields = [u.field for u in mapped.unmapped]
    assert sorted(u.field for u in mapped.blocking) == ["code.codeHash", "code.commit", "code.repository", "dataSnapshots", "seeds"]
    assert {"hyperparameters.bad name", "metrics.overall.val/loss", "environment", "environment.cpuModel"} <= set(fields)
    assert mapped.submission["environment"]["packages"] == [{"name": "torch", "version": "2.11.0", "ecosystem": "pypi"}, {"name": "numpy", "version": "2.3.4", "ecosystem": "pypi"}]
    assert "code.commit, code.codeHash" in mapped.submission["labels"]["modelreg.unmapped"]


def test_a_dataset_without_its_time_range_is_not_a_snapshot() -> None:
    undated = DatasetInput("transactions", "9a1b", "s3://warehouse/txn")
    mapped = map_run("fraud-model", run(datasets=[undated]), [], source="s")
    assert [u.field for u in mapped.blocking] == ["dataSnapshots"]
    assert [u.field for u in mapped.unmapped] == ["dataSnapshots[0].coveredFrom", "dataSnapshots"]


def test_seed_tags_and_out_of_range_seeds() -> None:
    mapped = map_run("m", run(params={"data_seed": "-1"}, tags={**GIT, "modelreg.seed.torch": "18446744073709551615"}), [], source="s")
    assert mapped.submission["seeds"] == {"torch": "18446744073709551615"}
    assert [u.field for u in mapped.unmapped] == ["seeds.data_seed"]


def test_reads_pinned_requirements_only() -> None:
    assert packages_from_requirements("mlflow==3.17.2\npandas>=2\n# c\nscikit_learn[extra]==1.9.1\n") == [
        {"name": "mlflow", "version": "3.17.2", "ecosystem": "pypi"},
        {"name": "scikit-learn", "version": "1.9.1", "ecosystem": "pypi"},
    ]


def test_keeps_the_labels_the_registry_can_store_and_reports_the_others() -> None:
    tags = {"mlflow.tag.team": "risk", "mlflow.tag.note": "line 1\nline 2", "mlflow.tag.empty": " ", "mlflow.tag.long": "x" * 1025}
    mapped = map_run("m", run(), [], source="s", labels=tags)
    labels = mapped.submission["labels"]
    assert labels["mlflow.tag.team"] == "risk"
    assert not {"mlflow.tag.note", "mlflow.tag.empty", "mlflow.tag.long"} & set(labels)
    assert labels["modelreg.unmapped"] == "labels.mlflow.tag.empty, labels.mlflow.tag.long, labels.mlflow.tag.note"
    assert mapped.blocking == []
