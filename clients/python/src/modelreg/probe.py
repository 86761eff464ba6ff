"""The environment facts of a training job, as the job itself sees them.

CUDA and cuDNN come from the framework the job runs (torch, jax, tensorflow: the runtime it loaded,
not the newest CUDA the driver supports, which is what ``nvidia-smi`` prints), then from the CUDA
toolkit (``nvcc``) and the NVIDIA image's environment variables. GPU model, driver and count come
from ``nvidia-smi``; packages from the job's own interpreter (pip, else uv) and from conda. A missing
tool, GPU or framework gives a null (``gpuCount`` 0), never an error.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict

__all__ = [
    "EnvironmentFacts", "Package", "FrameworkVersions", "probe_environment", "normalize_seeds",
    "parse_nvidia_smi_query", "parse_nvcc_version", "parse_pip_list", "parse_conda_list",
    "parse_os_release", "cudnn_version_text", "framework_versions", "normalize_package_name",
]

LOCKFILES = ("uv.lock", "poetry.lock", "Pipfile.lock", "requirements.lock", "requirements.txt", "conda-lock.yml", "package-lock.json")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


class Package(TypedDict):
    name: str
    version: str
    ecosystem: str


class EnvironmentFacts(TypedDict):
    cpuModel: str
    gpuModel: str | None
    gpuCount: int
    gpuDriver: str | None
    cudaVersion: str | None
    cudnnVersion: str | None
    os: str
    kernel: str
    containerImageDigest: str | None
    lockfileHash: str | None
    packages: list[Package]


class FrameworkVersions(TypedDict):
    framework: str | None
    cuda: str | None
    cudnn: str | None


#: Runs a command and returns its stdout, or None when it is missing, fails or times out.
CommandRunner = Callable[[Sequence[str]], "str | None"]


def run_command(args: Sequence[str]) -> str | None:
    try:
        done = subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def probe_environment(
    project_dir: str | os.PathLike[str] = ".",
    *,
    run: CommandRunner = run_command,
    env: Mapping[str, str] | None = None,
    frameworks: Callable[[], FrameworkVersions] | None = None,
) -> EnvironmentFacts:
    """Every environment fact the registry records, ready for :func:`modelreg.environment_fingerprint`."""
    env = os.environ if env is None else env
    gpu = parse_nvidia_smi_query(run(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"]))
    framework = (frameworks or framework_versions)()
    cuda = framework["cuda"] or parse_nvcc_version(run(["nvcc", "--version"]))
    cudnn = framework["cudnn"] or env.get("CUDNN_VERSION") or env.get("NV_CUDNN_VERSION") or None
    digest = env.get("CONTAINER_IMAGE_DIGEST")
    return {
        "cpuModel": _cpu_model(),
        "gpuModel": gpu[0],
        "gpuCount": gpu[1],
        "gpuDriver": gpu[2],
        "cudaVersion": cuda,
        "cudnnVersion": cudnn,
        "os": parse_os_release(_read("/etc/os-release")) or platform.platform(),
        "kernel": platform.release() or "unknown",
        "containerImageDigest": digest if digest and DIGEST.match(digest) else None,
        "lockfileHash": _lockfile_hash(Path(project_dir)),
        "packages": _packages(run, env),
    }


def normalize_seeds(seeds: Mapping[str, int | str]) -> dict[str, str]:
    """Seeds as the registry stores them: decimal strings of integers in [0, 2^64 - 1]."""
    out: dict[str, str] = {}
    for name, seed in seeds.items():
        value = int(seed) if isinstance(seed, str) and seed.isdigit() else seed
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**64 - 1:
            raise ValueError(f"seeds.{name} must be an integer in [0, 2^64 - 1], got {seed!r}")
        out[name] = str(value)
    return out


def framework_versions() -> FrameworkVersions:
    """The CUDA runtime and cuDNN of the first importable framework built with CUDA."""
    for name, read in (("torch", _torch), ("jax", _jax), ("tensorflow", _tensorflow)):
        if importlib.util.find_spec(name) is None:
            continue
        try:
            cuda, cudnn = read()
        except Exception:  # a broken install is a fact we cannot read, not a failed training job
            continue
        if cuda or cudnn:
            return {"framework": name, "cuda": cuda, "cudnn": cudnn}
    return {"framework": None, "cuda": None, "cudnn": None}


def _torch() -> tuple[str | None, str | None]:
    torch: Any = importlib.import_module("torch")
    cudnn = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
    return torch.version.cuda, cudnn_version_text(cudnn)


def _jax() -> tuple[str | None, str | None]:
    versions: Any = importlib.import_module("jax._src.lib").cuda_versions
    if versions is None:
        return None, None
    runtime = versions.cuda_runtime_get_version()
    return f"{runtime // 1000}.{runtime % 1000 // 10}", cudnn_version_text(versions.cudnn_get_version())


def _tensorflow() -> tuple[str | None, str | None]:
    info: Any = importlib.import_module("tensorflow").sysconfig.get_build_info()
    return info.get("cuda_version") or None, info.get("cudnn_version") or None


def cudnn_version_text(version: int | None) -> str | None:
    """cuDNN's integer version as text: 91900 (9.x: major*10000) is 9.19.0, 8902 (8.x: major*1000) is 8.9.2."""
    if not version:
        return None
    major, rest = divmod(version, 10000) if version >= 10000 else divmod(version, 1000)
    return f"{major}.{rest // 100}.{rest % 100}"


def parse_nvidia_smi_query(output: str | None) -> tuple[str | None, int, str | None]:
    """``nvidia-smi --query-gpu=name,driver_version --format=csv,noheader``: (model, count, driver)."""
    rows = [[part.strip() for part in line.split(",")] for line in (output or "").splitlines() if line.strip()]
    if not rows:
        return None, 0, None
    first = rows[0]
    return first[0] or None, len(rows), (first[1] if len(first) > 1 and first[1] else None)


def parse_nvcc_version(output: str | None) -> str | None:
    """``nvcc --version``: the CUDA toolkit's release, e.g. 13.0."""
    match = re.search(r"release (\d+(?:\.\d+)*)", output or "")
    return match.group(1) if match else None


def parse_os_release(content: str | None) -> str | None:
    match = re.search(r'^PRETTY_NAME="?([^"\n]*)"?$', content or "", re.MULTILINE)
    return match.group(1) if match else None


def normalize_package_name(name: str) -> str:
    """PEP 503: pip, uv and conda spell one distribution ``Foo_Bar``, ``foo-bar`` or ``foo.bar``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pip_list(output: str | None) -> list[Package]:
    """``pip list --format=json`` (and ``uv pip list --format=json``)."""
    return [
        {"name": normalize_package_name(item["name"]), "version": item["version"], "ecosystem": "pypi"}
        for item in _json_list(output)
        if isinstance(item.get("name"), str) and isinstance(item.get("version"), str)
    ]


def parse_conda_list(output: str | None) -> list[Package]:
    """``conda list --json``; packages conda reports from the pypi channel are pip's, listed by pip."""
    return [
        {"name": item["name"], "version": item["version"], "ecosystem": "conda"}
        for item in _json_list(output)
        if isinstance(item.get("name"), str) and isinstance(item.get("version"), str) and item.get("channel") != "pypi"
    ]


def _packages(run: CommandRunner, env: Mapping[str, str]) -> list[Package]:
    listed = run([sys.executable, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"])
    if listed is None:
        listed = run(["uv", "pip", "list", "--format=json", "--python", sys.executable])
    packages = parse_pip_list(listed)
    prefix = env.get("CONDA_PREFIX")
    if prefix:
        packages += parse_conda_list(run(["conda", "list", "--json", "--prefix", prefix]))
    return packages


def _json_list(output: str | None) -> list[dict[str, Any]]:
    try:
        parsed = json.loads(output or "[]")
    except ValueError:
        return []
    return [item for item in parsed if isinstance(item, dict)] if isinstance(parsed, list) else []


def _cpu_model() -> str:
    match = re.search(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo") or "", re.MULTILINE)
    return (match.group(1).strip() if match else platform.processor()) or "unknown"


def _lockfile_hash(directory: Path) -> str | None:
    for name in LOCKFILES:
        path = directory / name
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            return f"sha256:{digest.hexdigest()}"
    return None


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
