"""Loading YAML config files into pydantic models, with one-line errors."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError

from ._errors import RomaError

__all__ = ["load_model", "format_error", "check_identifier", "Identifier"]


# Names become folder and file names with suffixes (``_compute``, ``.drc.lyrdb``,
# ``_d600_a090``); 64 keeps them far below the 255-byte limit of a file name.
MAX_NAME = 64


def check_identifier(value: str) -> str:
    """A name used as a module or file name: a Python-style identifier."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError(f"must be an identifier, not {value!r}")
    if len(value) > MAX_NAME:
        raise ValueError(f"must be at most {MAX_NAME} characters (it names folders and "
                         f"files), not {len(value)} characters")
    return value


Identifier = Annotated[str, AfterValidator(check_identifier)]


def format_error(exc: ValidationError, source: str, model: type[BaseModel]) -> str:
    """One line naming the file and the field of the first validation error."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "config"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "value_error" and not err["loc"]:
        return f"{source}: {msg}"
    if err["type"] == "extra_forbidden":
        for part in err["loc"][:-1]:      # a nested section: list its own keys
            ann = model.model_fields.get(str(part))
            if ann is not None and isinstance(ann.annotation, type) \
                    and issubclass(ann.annotation, BaseModel):
                model = ann.annotation
        msg = f"unknown key; allowed keys are {', '.join(model.model_fields)}"
    elif "input" in err and err["type"] not in ("missing", "value_error", "too_short",
                                                 "too_long"):
        msg = f"{msg}, not {err['input']!r}"
    return f"{source}: {field}: {msg}"


def load_model(model: type[BaseModel], path: str | Path | dict, kind: str,
               context: dict | None = None):
    """Validate a YAML file (or a dict) as ``model``; ``context`` reaches the model's
    validators (``info.context``).

    Raises
    ------
    RomaError
        One line naming the file and the field; ``kind`` names the file in messages
        ("config", "sweep").
    """
    source, data = kind, path
    if not isinstance(path, dict):
        source = str(path)
        try:
            data = yaml.safe_load(Path(path).read_text())
        except FileNotFoundError:
            raise RomaError(f"{source}: no such {kind} file") from None
        except IsADirectoryError:
            raise RomaError(f"{source}: is a folder, not a {kind} file; give the "
                            "path of a YAML file") from None
        except UnicodeDecodeError:
            raise RomaError(f"{source}: not a text file (binary content); give a YAML "
                            f"{kind} file") from None
        except PermissionError:
            raise RomaError(f"{source}: cannot be read (permission denied)") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark else ""
            raise RomaError(f"{source}:{where}: not valid YAML") from None
    if not isinstance(data, dict):
        raise RomaError(f"{source}: must be a mapping of keys to values")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise RomaError(format_error(exc, source, model)) from None
