"""Turning documents into fact mentions (see `model` for the contract, `rules` for the extractor)."""

from airace_pipeline.extraction.model import Document, Extractor, FactMention, Participant
from airace_pipeline.extraction.rules import RuleBasedExtractor

__all__ = ["Document", "Extractor", "FactMention", "Participant", "RuleBasedExtractor"]
