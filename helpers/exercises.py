"""Auto-graded exercises: `helpers.check("02.1", my_function)` says right, or gives a hint.

A checker calls the learner's function on inputs of its own and compares the result with what
`helpers` computes; a hint names what is off (a shape, a missing boundary mark, a mask that lets
a token see the future) and never shows the answer. Ids are "notebook.exercise"; the checkers
live in helpers.checks_model (notebooks 01-05) and helpers.checks_tables (06-10).
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.checks_model import (
    check_additive_attention,
    check_causal_mask,
    check_char_ngrams,
    check_cls_attention_by_word,
    check_decode_batch,
    check_first_block_cls,
    check_mean_pool,
    check_mha_parameter_count,
    check_order_sensitivity,
    check_per_domain_f1,
    check_reference_parameter_count,
    check_threshold_effect,
    check_unk_rate,
)
from helpers.checks_tables import (
    check_batch_generate,
    check_beam_search,
    check_bio_to_spans,
    check_columns_endpoint,
    check_count_words,
    check_folded_last_names,
    check_hardest_under_typos,
    check_luhn,
    check_nearest_prompt,
    check_threshold_refusing_all,
    check_tier_shares,
)
from helpers.grading import Wrong, expect

__all__ = ["CHECKERS", "Wrong", "check", "expect"]


CHECKERS: dict[str, Callable[[Callable], None]] = {
    "01.1": check_char_ngrams, "01.2": check_unk_rate, "01.3": check_decode_batch,
    "02.1": check_additive_attention, "02.2": check_causal_mask,
    "02.3": check_mha_parameter_count,
    "03.1": check_mean_pool, "03.2": check_reference_parameter_count,
    "03.3": check_order_sensitivity,
    "04.2": check_per_domain_f1, "04.3": check_threshold_effect,
    "05.1": check_cls_attention_by_word, "05.3": check_first_block_cls,
    "06.1": check_tier_shares, "06.2": check_luhn, "06.3": check_folded_last_names,
    "07.1": check_nearest_prompt, "07.2": check_hardest_under_typos,
    "07.3": check_threshold_refusing_all, "08.1": check_beam_search,
    "09.1": check_columns_endpoint, "09.2": check_batch_generate,
    "10.1": check_bio_to_spans, "10.2": check_count_words,
}


def check(exercise: str, answer: Callable) -> bool:
    """Grade `answer` for an exercise ("02.1"); print right, or a hint. Returns True if right."""
    if exercise not in CHECKERS:
        raise ValueError(f"no checker for exercise {exercise!r}; there are: {', '.join(CHECKERS)}")
    try:
        CHECKERS[exercise](answer)
    except Wrong as hint:
        print(f"not yet ({exercise}): {hint}")
        return False
    except Exception as e:  # the learner's code may fail in any way: report it as a hint
        print(f"not yet ({exercise}): your function raised {type(e).__name__}: {e}")
        return False
    print(f"right ({exercise})")
    return True
