"""A bundled model: the int8 .tflite file and its JSON sidecar, checked before use."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from .contract import CONTRACT_VERSION
from .errors import ModelError
from .fsutil import write_text_atomic

DEFAULT_MODEL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models", "digits_int8.tflite")
REQUIRED_KEYS = ("labels", "input", "output", "contract_version", "sha256")


def sidecar_path(model_path: str) -> str:
    return os.path.splitext(model_path)[0] + ".json"


def pinned_sidecar_path(model_path: str, sha256: str) -> str:
    """The sidecar named by its model's hash: present only while a new model is installed."""
    return f"{os.path.splitext(model_path)[0]}.{sha256[:12]}.json"


def install_model(model_path: str, new_model_file: str, meta: dict) -> None:
    """Put a new model and its sidecar in place so that a reader, or a crash at any moment,
    finds either the old pair or the new one, never a mix.

    Two files cannot be renamed at once, so the new sidecar first goes under a name that
    carries the new model's hash (the loader prefers it); then the model is renamed into
    place, the one commit point; then the plain sidecar is rewritten and the pinned one
    removed. ``new_model_file`` must be a complete, synced file in the same folder.
    """
    text = json.dumps(meta, indent=2)
    pinned = pinned_sidecar_path(model_path, meta["sha256"])
    write_text_atomic(pinned, text)
    os.replace(new_model_file, model_path)
    write_text_atomic(sidecar_path(model_path), text)
    os.unlink(pinned)


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelInfo:
    path: str
    labels: list
    input_scale: float
    input_zero_point: int
    output_scale: float
    output_zero_point: int
    contract_version: str
    sha256: str
    metadata: dict

    @classmethod
    def from_metadata(cls, model_path: str, meta: dict) -> "ModelInfo":
        """The fields the app uses, read from a sidecar's JSON object."""
        return cls(
            path=model_path,
            labels=list(meta["labels"]),
            input_scale=float(meta["input"]["scale"]),
            input_zero_point=int(meta["input"]["zero_point"]),
            output_scale=float(meta["output"]["scale"]),
            output_zero_point=int(meta["output"]["zero_point"]),
            contract_version=meta["contract_version"],
            sha256=meta["sha256"],
            metadata=meta,
        )


def read_model_info(model_path: str) -> ModelInfo:
    """Read and check the sidecar of ``model_path``; raise ModelError naming the problem."""
    if not os.path.isfile(model_path):
        raise ModelError(f"model not found: {model_path}")
    actual = sha256_of(model_path)
    pinned = pinned_sidecar_path(model_path, actual)
    side = pinned if os.path.isfile(pinned) else sidecar_path(model_path)
    if not os.path.isfile(side):
        raise ModelError(f"model sidecar not found: {side} (export writes it beside the .tflite)")
    try:
        with open(side, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"model sidecar {side} is not valid JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise ModelError(f"model sidecar {side} must hold a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ModelError(f"model sidecar {side} lacks {', '.join(missing)}")
    if meta["contract_version"] != CONTRACT_VERSION:
        raise ModelError(
            f"model {model_path} was made for preprocessing contract {meta['contract_version']!r}, "
            f"but this app normalises digits by {CONTRACT_VERSION!r}: re-export the model"
        )
    if actual != meta["sha256"]:
        raise ModelError(f"model {model_path} does not match its sidecar (sha256 {actual[:12]}… != {str(meta['sha256'])[:12]}…)")
    try:
        return ModelInfo.from_metadata(model_path, meta)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"model sidecar {side} has a malformed field: {exc}") from None
