"""Regenerates the model-signing fixtures with the real tool (PyPI model-signing, key mode, no network).

Run with the test venv's Python: .local/python-venv/bin/python libs/lineage/src/signing/__fixtures__/regenerate.py
Keys are test-only. ECDSA signatures are randomized, so regenerated bundles differ byte-wise and verify the same.
"""

import pathlib
import subprocess
import sys
import tarfile
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

HERE = pathlib.Path(__file__).parent


def key(name: str) -> pathlib.Path:
    private = HERE / f"{name}.key.pem"
    if not private.exists():
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        private.write_bytes(pem)
    loaded = serialization.load_pem_private_key(private.read_bytes(), None)
    (HERE / f"{name}.pub.pem").write_bytes(
        loaded.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return private


def sign(model: pathlib.Path, private: pathlib.Path, signature: pathlib.Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "model_signing", "sign", "key", "--private_key", str(private), "--signature", str(signature), str(model)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    trainer = key("trainer")
    key("other")
    model = HERE / "model.bin"
    model.write_bytes(b"weights of a tiny test model\n")
    sign(model, trainer, HERE / "model.bin.sig")
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp) / "model"
        (root / "weights").mkdir(parents=True)
        (root / "config.json").write_bytes(b'{"layers": 2}\n')
        (root / "weights" / "layer0.bin").write_bytes(bytes(range(256)) * 3)
        (root / "weights" / ("a-name-longer-than-one-hundred-characters-" * 3 + ".bin")).write_bytes(b"long\n")
        sign(root, trainer, HERE / "model-dir.sig")
        # Deterministic, like the Python client's tars: sorted entries, fixed times and owners (GNU format).
        with tarfile.open(HERE / "model-dir.tar", "w", format=tarfile.GNU_FORMAT) as archive:
            for path in sorted(root.rglob("*")):
                info = archive.gettarinfo(str(path), path.relative_to(root).as_posix())
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                if path.is_file():
                    with path.open("rb") as stream:
                        archive.addfile(info, stream)
                else:
                    archive.addfile(info)


if __name__ == "__main__":
    main()
