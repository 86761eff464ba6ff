"""The probe's parsers on real outputs captured on an NVIDIA H200 host (tests/fixtures/gpu-h200)."""

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from modelreg import environment_fingerprint, normalize_seeds, probe_environment
from modelreg.probe import (
    FrameworkVersions, cudnn_version_text, normalize_package_name, parse_conda_list, parse_nvcc_version,
    parse_nvidia_smi_query, parse_pip_list,
)

H200 = FIXTURES / "gpu-h200"


def read(name: str) -> str:
    return (H200 / name).read_text(encoding="utf-8")


def test_reads_gpu_model_count_and_driver_from_nvidia_smi() -> None:
    assert parse_nvidia_smi_query(read("nvidia-smi-query.txt")) == ("NVIDIA H200", 1, "580.159.04")
    eight = "\n".join([read("nvidia-smi-query.txt").strip()] * 8)
    assert parse_nvidia_smi_query(eight) == ("NVIDIA H200", 8, "580.159.04")


def test_reads_the_toolkit_release_from_nvcc() -> None:
    assert parse_nvcc_version(read("nvcc-version.txt")) == "13.0"


def test_reads_cudnn_as_torch_reports_it() -> None:
    torch = json.loads(read("torch.json"))
    assert cudnn_version_text(torch["cudnn"]) == "9.19.0"
    assert cudnn_version_text(8902) == "8.9.2"
    assert cudnn_version_text(None) is None


def test_lists_pip_packages_under_one_spelling() -> None:
    raw = json.loads(read("pip-list.json"))
    packages = parse_pip_list(read("pip-list.json"))
    assert len(packages) == len(raw) == 197
    names = {p["name"] for p in packages}
    assert {"huggingface-hub", "jinja2", "cython", "jax-cuda13-plugin", "torch"} <= names
    assert all(p["ecosystem"] == "pypi" and p["name"] == normalize_package_name(p["name"]) for p in packages)
    assert normalize_package_name("Zope.Interface__x") == "zope-interface-x"


def test_keeps_conda_packages_and_leaves_pip_installed_ones_to_pip() -> None:
    listed = json.dumps([
        {"name": "libgcc", "version": "14.2.0", "channel": "conda-forge"},
        {"name": "torch", "version": "2.11.0", "channel": "pypi"},
    ])
    assert parse_conda_list(listed) == [{"name": "libgcc", "version": "14.2.0", "ecosystem": "conda"}]


def fake_h200(args: Sequence[str]) -> str | None:
    """The commands a probe runs, answered from the H200 captures."""
    command = list(args)
    if command[:2] == ["nvidia-smi", "--query-gpu=name,driver_version"]:
        return read("nvidia-smi-query.txt")
    if command == ["nvcc", "--version"]:
        return read("nvcc-version.txt")
    if command[1:4] == ["-m", "pip", "list"]:
        return read("pip-list.json")
    return None


def torch_h200() -> FrameworkVersions:
    torch = json.loads(read("torch.json"))
    return {"framework": "torch", "cuda": torch["cuda"], "cudnn": cudnn_version_text(torch["cudnn"])}


def test_probes_an_h200_host_as_the_training_job_sees_it(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text("version = 1\n")
    env = {"CONTAINER_IMAGE_DIGEST": "sha256:" + "ab" * 32, "NV_CUDNN_VERSION": "9.0.0.1", "CUDA_VERSION": "12.9"}
    facts = probe_environment(tmp_path, run=fake_h200, env=env, frameworks=torch_h200)
    assert (facts["gpuModel"], facts["gpuCount"], facts["gpuDriver"]) == ("NVIDIA H200", 1, "580.159.04")
    # The framework's runtime, not nvidia-smi's "CUDA Version" (the newest the driver supports).
    assert facts["cudaVersion"] == "13.0"
    assert facts["cudnnVersion"] == "9.19.0"
    assert facts["containerImageDigest"] == "sha256:" + "ab" * 32
    assert facts["lockfileHash"] == "sha256:" + __import__("hashlib").sha256(b"version = 1\n").hexdigest()
    assert len(facts["packages"]) == 197
    assert len(environment_fingerprint(facts)) == 64


def test_falls_back_to_the_toolkit_and_the_image_variables_without_a_framework(tmp_path: Path) -> None:
    none: FrameworkVersions = {"framework": None, "cuda": None, "cudnn": None}
    facts = probe_environment(tmp_path, run=fake_h200, env={"NV_CUDNN_VERSION": "9.19.0.56"}, frameworks=lambda: none)
    assert facts["cudaVersion"] == "13.0"
    assert facts["cudnnVersion"] == "9.19.0.56"


def test_a_machine_without_gpu_tools_or_framework_gives_nulls(tmp_path: Path) -> None:
    none: FrameworkVersions = {"framework": None, "cuda": None, "cudnn": None}
    facts = probe_environment(tmp_path, run=lambda args: None, env={"CONTAINER_IMAGE_DIGEST": "latest"}, frameworks=lambda: none)
    expected: dict[str, Any] = {
        "gpuModel": None, "gpuCount": 0, "gpuDriver": None, "cudaVersion": None, "cudnnVersion": None,
        "containerImageDigest": None, "lockfileHash": None, "packages": [],
    }
    assert {key: facts[key] for key in expected} == expected  # type: ignore[literal-required]
    assert facts["cpuModel"] and facts["os"] and facts["kernel"]


def test_the_real_probe_on_this_machine_never_fails() -> None:
    facts = probe_environment(".")
    assert any(p["name"] == "pytest" for p in facts["packages"])
    assert facts["gpuCount"] >= 0
    assert sys.executable


def test_seeds_are_decimal_strings_in_the_unsigned_64_bit_range() -> None:
    assert normalize_seeds({"torch": 42, "dataloader": "18446744073709551615"}) == {"torch": "42", "dataloader": "18446744073709551615"}
    for bad in (-1, 2**64, "0x10", 1.5, True):
        with pytest.raises(ValueError, match="seeds.s"):
            normalize_seeds({"s": bad})  # type: ignore[dict-item]
