"""The scoring models shipped in the package: the built-in default and the framework presets."""

from __future__ import annotations

from importlib import resources

from ..choices import PRESETS
from ..problems import IntscoreError

__all__ = ["BUILTIN_SOURCE", "CONFIG_NAME", "PRESETS", "builtin_config_text", "preset_text"]

BUILTIN_SOURCE = "built-in default"
CONFIG_NAME = "scoring.yaml"


def builtin_config_text() -> str:
    """The text of the built-in default scoring.yaml shipped in the package."""
    return resources.files(__package__).joinpath(CONFIG_NAME).read_text(encoding="utf-8")


def preset_text(name: str) -> str:
    """The scoring.yaml of a framework preset (`default` is the built-in default)."""
    if name == "default":
        return builtin_config_text()
    if name not in PRESETS:
        raise IntscoreError(f"unknown preset '{name}' (presets: {', '.join(PRESETS)})")
    folder = resources.files(__package__).joinpath("presets")
    return folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8")
