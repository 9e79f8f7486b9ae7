"""Settings: defaults, overridden by a TOML file, overridden by the command line.

Unknown keys, wrong types and out-of-range values are refused at start with the key
named, so a typo in /etc/pi-digits.toml never silently falls back to a default.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields

from .errors import UserError
from .locate import LocateSettings
from .model import DEFAULT_MODEL


class ConfigError(UserError):
    pass


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    runtime: str | None = None  # litert, tflite_runtime or tensorflow_lite; None: the first installed
    threads: int | None = None
    # A digit is accepted when the model puts over half its belief on it; trained to give
    # non-digits a flat distribution, it rarely does for them. (real-dev: F1 0.936 at 0.6,
    # 0.937 at 0.5, flat between; seq 0.891 -> 0.903, all from one long-tailed 3.)
    min_confidence: float = 0.5
    show_inputs: bool = False
    show_probabilities: bool = False
    show_features: bool = False  # the most confident digit's conv1 feature maps, live
    locate: LocateSettings = field(default_factory=LocateSettings)


RANGES = {
    "min_confidence": (0.0, 1.0),
    "threads": (1, 64),
    "locate.min_height": (4, 10000),
    "locate.max_height": (0.01, 1.0),
    "locate.min_aspect": (0.0, 10.0),
    "locate.max_aspect": (0.01, 20.0),
    "locate.min_density": (0.0, 1.0),
    "locate.max_density": (0.0, 1.0),
    "locate.min_contrast": (0.0, 255.0),
    "locate.relative_contrast": (0.0, 1.0),
    "locate.noise_sigmas": (0.0, 50.0),
    "locate.max_candidates": (1, 1024),
    "locate.work_min_side": (32, 8192),
    "locate.work_max_side": (64, 8192),
}
CHOICES = {"locate.threshold": ("adaptive", "otsu"), "locate.ink": ("dark", "light"), "runtime": ("litert", "tflite_runtime", "tensorflow_lite")}


def _check(key: str, value, annotation: str):
    kinds = {"str": str, "int": int, "float": (int, float), "bool": bool}
    base = annotation.replace(" | None", "")
    if value is None and "None" in annotation:
        return value
    if base == "tuple | None" or base.startswith("tuple"):
        if not (isinstance(value, (list, tuple)) and len(value) == 4 and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
            raise ConfigError(f"config key {key!r} must be a list of four integers [x, y, w, h]")
        return tuple(value)
    expected = kinds.get(base)
    if expected is None:
        return value
    if isinstance(value, bool) and base != "bool" or not isinstance(value, expected):
        raise ConfigError(f"config key {key!r} must be {base}, not {type(value).__name__} {value!r}")
    if key in RANGES:
        low, high = RANGES[key]
        if not low <= value <= high:
            raise ConfigError(f"config key {key!r} = {value!r} is out of range [{low}, {high}]")
    if key in CHOICES and value not in CHOICES[key]:
        raise ConfigError(f"config key {key!r} must be one of {', '.join(CHOICES[key])}, not {value!r}")
    return float(value) if base == "float" else value


def _merge(cls, current, updates: dict, prefix: str = ""):
    known = {f.name: f for f in fields(cls)}
    changes = {}
    for key, value in updates.items():
        full = prefix + key
        if key not in known:
            raise ConfigError(f"unknown config key {full!r}")
        if dataclasses.is_dataclass(known[key].type if not isinstance(known[key].type, str) else None) or key == "locate":
            if not isinstance(value, dict):
                raise ConfigError(f"config key {full!r} must be a table")
            changes[key] = _merge(LocateSettings, getattr(current, key), value, full + ".")
        else:
            changes[key] = _check(full, value, str(known[key].type))
    return dataclasses.replace(current, **changes)


def load_settings(config_path: str | None = None, overrides: dict | None = None) -> Settings:
    """Defaults, then the TOML file, then command-line overrides (None means 'not given')."""
    settings = Settings()
    if config_path:
        try:
            with open(config_path, "rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {config_path}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {config_path} is not valid TOML: {exc}") from None
        settings = _merge(Settings, settings, data)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key.startswith("locate."):
            settings = _merge(Settings, settings, {"locate": {key[7:]: value}})
        else:
            settings = _merge(Settings, settings, {key: value})
    if settings.locate.work_min_side > settings.locate.work_max_side:
        raise ConfigError("config key 'locate.work_min_side' must not exceed 'locate.work_max_side'")
    return settings
