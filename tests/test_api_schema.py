"""The API keeps the word of its /openapi.json: schemathesis, every check, in-process (ASGI).

Schemathesis reads the published schema, generates requests that follow it and requests that
break it, and checks each answer: no 5xx, a status the schema declares, a body and headers
that match what it declares for that status, valid data accepted, invalid data refused.

Two allowances, and why. A prompt can follow the schema and still not be a dataset request
("hello"), or ask for what no table can hold ("0 rows", more than MAX_CELLS cells); the API
answers those 400 or 422 with a named reason. And JSON Schema counts 2.0 as an integer, while
this API is strict and refuses it (422 int_type; the schema's description says so). Both are
checked: a valid request may be refused only with one of the SEMANTIC reasons, or as int_type
for a field the request wrote as a float, never with any other complaint.
"""

from collections import Counter

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from helpers.api import app  # noqa: E402

# invalid_spec: POST /tables's sources (SQL, a spec, a JSON Schema, a CSV) can follow the
# request schema and still describe no tables that can be made; the 422 names the field.
SEMANTIC = {400: {"not_a_dataset_request"},
            422: {"prompt_rows", "too_many_cells", "invalid_spec"}}
SEED = 26
EXAMPLES = 950  # generated bodies for POST /generate; with the coverage phase, over 1,000 cases
CASES: Counter = Counter()

config = SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": EXAMPLES},
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "422"]}},
})
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


@schemathesis.check
def refuses_valid_data_only_for_a_named_reason(ctx, response, case) -> bool | None:
    """A request that follows the schema and is refused must be refused for SEMANTIC reasons."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code in SEMANTIC:
        body = case.body if isinstance(case.body, dict) else {}
        for error in response.json()["detail"]:
            field = error["loc"][-1]
            if error["type"] == "int_type" and isinstance(body.get(field), float):
                continue  # 2.0: an integer to JSON Schema, not to this API
            assert error["type"] in SEMANTIC[response.status_code], (response.status_code, error)
    return None


@schema.parametrize()
@hypothesis_seed(SEED)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_the_word_of_its_schema(case):
    response = case.call_and_validate(
        additional_checks=[refuses_valid_data_only_for_a_named_reason])
    CASES[case.operation.label, response.status_code] += 1


def test_enough_cases_ran():
    """At least 1,000 generated cases in all (a run of the test above alone is not enough)."""
    if not CASES:
        pytest.skip("runs after test_the_api_keeps_the_word_of_its_schema")
    print(sorted(CASES.items()))  # shown with pytest -s: the cases per operation and status
    assert sum(CASES.values()) >= 1_000, CASES
