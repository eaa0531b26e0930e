"""Entities: the offline knowledge base and gazetteers that mentions are resolved against."""

from veille.entities.gazetteer import Gazetteer, GazetteerEntry
from veille.entities.kb import KbEntry, KnowledgeBase, MergeReport, load_wikidata_jsonl

__all__ = ["Gazetteer", "GazetteerEntry", "KbEntry", "KnowledgeBase", "MergeReport", "load_wikidata_jsonl"]
