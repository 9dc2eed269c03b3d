"""helpers: the importable code of the tiny-schema-transformer series.

Each notebook builds a piece inline, then later notebooks import the clean version from here.
Names load lazily, so `from helpers import load_catalog` does not pull in torch.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "helpers.catalog": ["CatalogError", "Domain", "load_catalog", "load_domains", "load_heldout",
                        "load_templates", "catalog_order", "complete_table", "jaccard",
                        "load_real_prompts", "RealPrompt", "REAL_KINDS"],
    "helpers.pairs": ["training_pairs", "add_typo", "perturb", "PERTURBATIONS", "decoder_pairs",
                      "shared_columns", "BEFORE_REAL_PHRASINGS", "SHAPES", "pairs_digest"],
    "helpers.tokenizer": ["CLS", "PAD", "UNK", "MAX_LEN", "tokenize", "words", "char_ngrams",
                          "check_prompt", "Vocab", "ColumnVocab", "encode_batch", "encode_targets",
                          "word_pieces", "encode_folded", "MAX_PIECES"],
    "helpers.paths": ["data_dir", "data_file"],
    "helpers.device": ["pick_device"],
    "helpers.attention": ["scaled_dot_product_attention", "MultiHeadAttention", "padding_mask",
                          "causal_mask", "sinusoidal_positions"],
    "helpers.model": ["ModelConfig", "SchemaPredictor", "EncoderBlock", "TagHead", "WidePath"],
    "helpers.training": ["TrainConfig", "TrainResult", "train_schema_predictor", "choose_threshold",
                         "split_pairs", "evaluate"],
    "helpers.checkpoint": ["TrainedModel", "CheckpointError", "save_checkpoint", "load_checkpoint"],
    "helpers.predict": ["load_model", "predict_proba", "predict_columns", "attention_maps",
                        "columns_from_proba", "MIN_COLUMNS", "calibrate_threshold"],
    "helpers.generate": ["generate_dataframe", "iter_chunks", "LOCALES", "GENERATORS",
                         "column_spec", "CHUNK_ROWS", "MAX_IN_MEMORY_ROWS", "PHONE_FORMATS",
                         "warm_pools"],
    "helpers.spec": ["DatasetSpec", "TableSpec", "ColumnSpec", "ForeignKey", "Cardinality",
                     "SpecError"],
    "helpers.spec_sql": ["spec_from_sql"],
    "helpers.spec_jsonschema": ["spec_from_json_schema"],
    "helpers.spec_csv": ["spec_from_csv"],
    "helpers.linked": ["generate_tables", "iter_dataset"],
    "helpers.linked_out": ["write_sqlite", "write_folder"],
    "helpers.linked_check": ["check_linked", "LinkReport"],
    "helpers.linked_cli": ["load_spec"],
    "helpers.linked_prompt": ["read_linked", "LinkedReading", "spec_from_prompt"],
    "helpers.plausibility": ["check_table", "TableReport", "Finding", "read_table",
                             "with_planted_defects"],
    "helpers.export": ["write_table", "FORMATS"],
    "helpers.pipeline": ["generate_dataset", "NotADatasetRequest", "EXAMPLE_PROMPTS", "MODELS",
                         "read_request", "rows_and_locale", "columns_for"],
    "helpers.decoder": ["DecoderConfig", "SchemaDecoder", "DecoderBlock", "SEP", "END"],
    "helpers.decoder_training": ["DecoderTrainer", "DecoderTrainConfig"],
    "helpers.decoder_data": ["load_decoder_pairs", "encode_sequences", "build_decoder_vocab",
                             "to_record", "from_record"],
    "helpers.decoding": ["generate_columns", "load_decoder", "TrainedDecoder", "next_token",
                         "clean_columns", "STRATEGIES"],
    "helpers.metrics": ["precision_recall_f1", "f1_score", "macro_f1", "heldout_report",
                        "micro_precision_recall_f1", "exact_match_rate", "closest_domain",
                        "real_report", "best_f1", "middle_of_plateau", "seed_spread"],
    "helpers.baselines": ["KeywordBaseline", "TfidfBaseline", "domain_labels"],
    "helpers.exercises": ["check", "CHECKERS"],
    "helpers.slots": ["PromptReading", "TAGS", "SLOTS", "parse_count", "locale_for",
                      "column_name_for", "read_spans", "spans", "load_reading_words"],
    "helpers.tagged_pairs": ["tagged_pairs", "number_words"],
    "helpers.reading": ["read_prompt", "proba_and_tags", "read_by_rules"],
    "helpers.rule_reader": ["rule_tags"],
    "helpers.real_texts": ["RealText", "load_real_texts", "load_real_test", "real_pairs",
                           "spans_to_tags", "real_reading_prompts"],
    "helpers.reading_scores": ["load_reading_prompts", "reading_report", "ReadingPrompt",
                               "READING_SLOTS"],
}
_WHERE = {name: module for module, names in _PUBLIC.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # cache: the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """helpers.tagged_pairs names both a function and the module that holds it. Importing the
    module binds it here; this keeps the function there instead, so `helpers.tagged_pairs(0)`
    and `from helpers import tagged_pairs` mean the function whatever was imported before."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _WHERE and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
