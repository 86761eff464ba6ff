"""``modelreg`` for Python environments: ``probe`` (this job's environment facts and fingerprint) and
``import-mlflow``. The registry is found through ``MODELREG_<SERVICE>_URL`` or the flags."""

from __future__ import annotations

import argparse
import json

from .client import RegistryClient
from .fingerprint import environment_fingerprint
from .probe import probe_environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="modelreg")
    commands = parser.add_subparsers(dest="command", required=True)
    probe = commands.add_parser("probe", help="print this environment's facts and fingerprint as JSON")
    probe.add_argument("--dir", default=".", help="project directory holding the lockfile")
    mlflow = commands.add_parser("import-mlflow", help="copy an MLflow server's registered models into the registry")
    mlflow.add_argument("--tracking-uri", required=True, help="the MLflow server, e.g. http://127.0.0.1:5000")
    mlflow.add_argument("--model", action="append", help="import only this registered model (repeatable)")
    mlflow.add_argument("--ingestion-url")
    mlflow.add_argument("--projections-url")
    mlflow.add_argument("--token", help="bearer token with the trainer and reader roles (default: MODELREG_TOKEN)")
    args = parser.parse_args(argv)
    if args.command == "probe":
        facts = probe_environment(args.dir)
        print(json.dumps({"fingerprint": environment_fingerprint(facts), **facts}, indent=2))
        return 0
    from .mlflow_import import import_mlflow

    registry = RegistryClient(args.ingestion_url, args.projections_url, token=args.token)
    report = import_mlflow(args.tracking_uri, registry, models=args.model, print_line=lambda line: print(line, flush=True))
    return 1 if report.skipped else 0


